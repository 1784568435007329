//! JSON output serialization: one object per record, then the RecordDelimiter.

use crate::value::{format_float, Value};

pub fn write_str(s: &str, out: &mut String) {
    out.push('"');
    let bytes = s.as_bytes();
    // Slicing s cannot fail: start and i are at ASCII bytes (or the end), so in bounds and on
    // char boundaries, and start <= i.
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            0..=0x1f => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => out.push_str(&format!("\\u{b:04x}")),
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// A value as JSON. MISSING fields are left out of structs; elsewhere MISSING is written as null.
pub fn write_value(v: &Value, out: &mut String) {
    match v {
        Value::Missing | Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) if f.is_finite() => format_float(*f, out),
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
