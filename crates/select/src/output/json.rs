//! JSON output serialization: one object per record, then the RecordDelimiter.

use crate::input::bytes16::has_json_special;
use crate::input::json_compact::next_special;
use crate::value::{format_float, Value};

/// Where JSON text is written: a `String`, or the output bytes directly.
pub trait Text {
    fn push_str(&mut self, s: &str);
    fn push(&mut self, c: char);
}

impl Text for String {
    #[inline]
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
    #[inline]
    fn push(&mut self, c: char) {
        String::push(self, c);
    }
}

impl Text for Vec<u8> {
    #[inline]
    fn push_str(&mut self, s: &str) {
        self.extend_from_slice(s.as_bytes());
    }
    /// Only ASCII is pushed one char at a time (the JSON punctuation and escapes).
    #[inline]
    fn push(&mut self, c: char) {
        if c.is_ascii() {
            return Vec::push(self, c as u8);
        }
        let mut utf8 = [0; 4];
        self.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
}

/// Any `Text` as a `fmt::Write`, so formatted numbers go straight to it (no String between).
struct Formatted<'a, T: Text>(&'a mut T);

impl<T: Text> std::fmt::Write for Formatted<'_, T> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.push_str(s);
        Ok(())
    }
}

/// An integer in decimal, written in place: `to_string` allocates for every number and `write!`
/// is slow on number-heavy output; the `itoa` crate would cost the live worker's wasm budget.
pub fn write_int(i: i64, out: &mut impl Text) {
    let mut digits = [0u8; 20];
    let mut n = i.unsigned_abs();
    let mut at = digits.len();
    // 20 places hold u64::MAX, so `at` stays in bounds.
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

pub fn write_str(s: &str, out: &mut impl Text) {
    out.push('"');
    let bytes = s.as_bytes();
    // Most text has nothing to escape: one vector check, then one copy.
    if !has_json_special(bytes) {
        out.push_str(s);
        out.push('"');
        return;
    }
    // Slicing s cannot fail: start and i are at ASCII bytes (or the end), so in bounds and on
    // char boundaries, and start <= i.
    let mut start = 0;
    loop {
        let i = next_special(bytes, start);
        let Some(&b) = bytes.get(i) else { break };
        out.push_str(&s[start..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// A value as JSON. MISSING fields are left out of structs; elsewhere MISSING is written as null.
pub fn write_value(v: &Value, out: &mut impl Text) {
    match v {
        Value::Missing | Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => write_int(*i, out),
        Value::Float(f) if f.is_finite() => format_float(*f, &mut Formatted(out)),
        Value::Float(_) => out.push_str("null"),
        Value::String(s) => write_str(s, out),
        Value::Timestamp(t) => write_str(&t.to_ion_text(), out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Struct(fields) => {
            out.push('{');
            let mut first = true;
            for (k, v) in fields {
                if matches!(v, Value::Missing) {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                write_str(k, out);
                out.push(':');
                write_value(v, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_as_json_does_wherever_the_byte_falls() {
        // Every special byte at every offset around the 8-byte steps, in ASCII and UTF-8 text.
        let specials = [
            "\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{0}", "\u{1f}",
        ];
        for pad in ["", "é", "ab"] {
            for len in 0..20 {
                for at in 0..=len {
                    for sp in specials {
                        let s = format!("{}{}{sp}{}", pad, "x".repeat(at), "y".repeat(len - at));
                        let mut out = String::new();
                        write_str(&s, &mut out);
                        assert_eq!(out, serde_json::to_string(&s).unwrap(), "{s:?}");
                    }
                }
            }
        }
        let mut out = String::new();
        write_str("plain text, 😀 and more plain text", &mut out);
        assert_eq!(out, "\"plain text, 😀 and more plain text\"");
    }

    #[test]
    fn integers_at_their_limits() {
        for i in [
            0,
            -1,
            7,
            10,
            42,
            -100,
            1_000_000,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ] {
            let mut out = String::new();
            write_value(&Value::Int(i), &mut out);
            assert_eq!(out, i.to_string());
        }
    }
}
