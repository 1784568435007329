//! JSON input: finding each top-level value (DOCUMENT) or line (LINES), and reading it into a
//! `Value` with field order kept.

use crate::error::{ErrorCode, Result, SelectError};
use crate::value::Value;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Incremental finder of top-level JSON values in a stream (DOCUMENT). It remembers how far it
/// has scanned, so a large value that arrives in many chunks is scanned once.
#[derive(Default)]
pub struct DocumentScanner {
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// Where the current value starts and how far it was scanned; `None` before a value starts.
    scanned: Option<(usize, usize)>,
    scalar: bool,
}

impl DocumentScanner {
    /// Returns `(start, end)` of the next complete value at or after `from`, and where the next
    /// search starts (`end`). Call `reset_offsets(n)` after draining `n` bytes from the buffer.
    pub fn next_value(&mut self, buf: &[u8], from: usize) -> Option<(usize, usize)> {
        let (start, mut i) = match self.scanned {
            Some(state) => state,
            None => {
                let skip = buf
                    .get(from..)?
                    .iter()
                    .position(|c| !c.is_ascii_whitespace())?;
                let s = from + skip;
                // Indexing buf[s] cannot fail: s is a found position in buf.
                self.scalar = !matches!(buf[s], b'{' | b'[' | b'"');
                self.in_string = buf[s] == b'"';
                self.depth = u32::from(matches!(buf[s], b'{' | b'['));
                self.scanned = Some((s, s + 1));
                (s, s + 1)
            }
        };
        while let Some(&c) = buf.get(i) {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if c == b'\\' {
                    self.escaped = true;
                } else if c == b'"' {
                    self.in_string = false;
                    if self.depth == 0 {
                        return self.complete(start, i + 1);
                    }
                }
            } else if self.scalar {
                if c.is_ascii_whitespace() || matches!(c, b'{' | b'[' | b'"') {
                    return self.complete(start, i);
                }
            } else {
                match c {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth = self.depth.saturating_add(1),
                    b'}' | b']' => {
                        self.depth = self.depth.saturating_sub(1);
                        if self.depth == 0 {
                            return self.complete(start, i + 1);
                        }
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        self.scanned = Some((start, i));
        None
    }

    fn complete(&mut self, start: usize, end: usize) -> Option<(usize, usize)> {
        *self = DocumentScanner::default();
        Some((start, end))
    }

    /// The buffer lost its first `n` bytes.
    pub fn shift(&mut self, n: usize) {
        if let Some((start, pos)) = &mut self.scanned {
            // cannot underflow: the drained bytes all come before the value being scanned
            // (the engine drains up to where framing resumes, and a scan starts there or later).
            *start -= n;
            *pos -= n;
        }
    }

    /// At end of input: a scalar ends with the stream; anything else unfinished is truncated.
    pub fn finish(&mut self, buf: &[u8]) -> Option<(usize, usize)> {
        match self.scanned {
            Some((start, _)) if self.scalar => {
                *self = DocumentScanner::default();
                Some((start, buf.len()))
            }
            _ => None,
        }
    }
}

/// LINES framing: the next newline-terminated line at or after `from`.
pub fn next_line(buf: &[u8], from: usize) -> Option<(usize, usize)> {
    let pos = from + memchr::memchr(b'\n', buf.get(from..)?)?;
    Some((pos, pos + 1))
}

pub fn parse_value(bytes: &[u8]) -> Result<Value> {
    if let Some(v) = super::json_compact::scalar(bytes) {
        return Ok(v);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let v = Value::deserialize(&mut de).and_then(|v| de.end().map(|_| v));
    v.map_err(json_error)
}

fn json_error(e: serde_json::Error) -> SelectError {
    SelectError::new(
        ErrorCode::JSONParsingError,
        format!("The JSON input could not be parsed: {e}. Check the file and its JSON Type (DOCUMENT or LINES)."),
    )
}

pub use super::json_scan::{members, Span};

/// A JSON object record seen as its members, each value parsed only when a query reads it.
#[derive(Clone, Copy)]
pub struct Members<'a> {
    pub record: &'a [u8],
    /// The record as text, when it is known to be UTF-8: plain strings are then sliced from
    /// it without a check of their own.
    pub text: Option<&'a str>,
    pub spans: &'a [Span],
}

pub enum MemberLookup<'a> {
    Found(Member<'a>),
    NotFound,
    Ambiguous,
}

/// One member's value, unparsed.
#[derive(Clone, Copy)]
pub struct Member<'a> {
    pub bytes: &'a [u8],
    /// A string with no escape, and the record's text when known UTF-8.
    plain: Option<Option<&'a str>>,
}

impl<'a> Member<'a> {
    /// The value as a string used in place: `Some` only for a string with no escapes (as
    /// serde_json reads it).
    pub fn plain_str(&self) -> Option<&'a str> {
        match self.plain {
            // Slicing cannot fail: a plain string's bytes start and end with its quotes.
            Some(Some(text)) => text.get(1..text.len() - 1),
            Some(None) => super::json_compact::plain_str(self.bytes),
            None => None,
        }
    }

    /// The value parsed.
    pub fn value(&self) -> Result<Value> {
        match self.plain_str() {
            Some(s) => Ok(Value::String(s.to_string())),
            None => parse_value(self.bytes),
        }
    }
}

impl<'a> Members<'a> {
    /// The value of the member `name` (exact when quoted, else ignoring case).
    pub fn lookup(&self, name: &str, quoted: bool) -> MemberLookup<'a> {
        let mut found = None;
        for span in self.spans {
            // Indexing record cannot fail: the spans were found by `members` in this very record.
            let key = &self.record[span.key.clone()];
            let hit = if quoted {
                key == name.as_bytes()
            } else {
                key.eq_ignore_ascii_case(name.as_bytes())
            };
            if hit {
                if quoted {
                    return MemberLookup::Found(self.member(span));
                }
                if found.is_some() {
                    return MemberLookup::Ambiguous;
                }
                found = Some(self.member(span));
            }
        }
        found.map_or(MemberLookup::NotFound, MemberLookup::Found)
    }

    fn member(&self, span: &Span) -> Member<'a> {
        Member {
            // cannot fail: the spans were found by `members` in this very record.
            bytes: &self.record[span.value.clone()],
            plain: span
                .plain
                .then(|| self.text.and_then(|t| t.get(span.value.clone()))),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> std::result::Result<Value, E> {
        Ok(Value::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> std::result::Result<Value, E> {
        Ok(i64::try_from(u)
            .map(Value::Int)
            .unwrap_or(Value::Float(u as f64)))
    }
    fn visit_f64<E>(self, f: f64) -> std::result::Result<Value, E> {
        Ok(Value::Float(f))
    }
    fn visit_str<E>(self, s: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> std::result::Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut fields = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            fields.push((k, v));
        }
        Ok(Value::Struct(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_values_across_chunks() {
        let doc = br#" {"a":"}"} [1,[2]] "x" 7 "#;
        let mut s = DocumentScanner::default();
        let mut found = vec![];
        let mut from = 0;
        for end in 1..=doc.len() {
            while let Some((a, b)) = s.next_value(&doc[..end], from) {
                found.push(String::from_utf8_lossy(&doc[a..b]).to_string());
                from = b;
            }
        }
        if let Some((a, b)) = s.finish(doc) {
            found.push(String::from_utf8_lossy(&doc[a..b]).trim().to_string());
        }
        assert_eq!(found, [r#"{"a":"}"}"#, "[1,[2]]", r#""x""#, "7"]);
    }

    #[test]
    fn keeps_field_order_and_duplicates() {
        let v = parse_value(br#"{"b":1,"a":2.5,"b":null}"#).unwrap();
        assert_eq!(
            v,
            Value::Struct(vec![
                ("b".into(), Value::Int(1)),
                ("a".into(), Value::Float(2.5)),
                ("b".into(), Value::Null)
            ])
        );
        assert_eq!(
            parse_value(b"{").unwrap_err().code,
            ErrorCode::JSONParsingError
        );
    }
}
