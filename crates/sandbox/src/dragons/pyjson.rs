//! JSON as the Lambda's Python writes it, so the practice API answers byte for byte alike:
//! objects keep their members' order (Python dicts do), `json.dumps` separates with `", "` and
//! `": "` and escapes every non-ASCII character, and the data file is written with `indent=2`
//! and UTF-8 as it is.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::ser::{CharEscape, Formatter, PrettyFormatter};
use serde_json::Value;
use std::io;

/// A JSON object with its members in order (a duplicate name keeps its first place and its last
/// value, as `json.loads` builds a dict).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record(pub Vec<(String, Value)>);

impl Record {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    fn insert(&mut self, name: String, value: Value) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }
}

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Record, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Record;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
                let mut record = Record::default();
                while let Some((name, value)) = map.next_entry::<String, Value>()? {
                    record.insert(name, value);
                }
                Ok(record)
            }
        }
        d.deserialize_map(Members)
    }
}

/// `json.dumps`'s defaults: `", "` and `": "`, ASCII only.
struct Dumps;

impl Formatter for Dumps {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        for c in fragment.chars() {
            if c.is_ascii() && c != '\u{7f}' {
                w.write_all(&[c as u8])?;
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(w, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }

    fn write_char_escape<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        // Python writes a control character it has no short escape for as \u00XX, as serde does.
        serde_json::ser::CompactFormatter.write_char_escape(w, escape)
    }
}

/// `json.dumps(value)`.
pub fn dumps<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Dumps);
    match value.serialize(&mut ser) {
        Ok(()) => out,
        Err(_) => b"null".to_vec(),
    }
}

/// `json.dumps(value, indent=2, ensure_ascii=False)`: serde's pretty printer writes the same.
pub fn dumps_indented<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    let mut ser =
        serde_json::Serializer::with_formatter(&mut out, PrettyFormatter::with_indent(b"  "));
    match value.serialize(&mut ser) {
        Ok(()) => out,
        Err(_) => b"null".to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn records_keep_their_order() {
        let r: Record = serde_json::from_str(r#"{"z": 1, "a": 2, "z": 3}"#).unwrap();
        assert_eq!(r.0, vec![("z".into(), json!(3)), ("a".into(), json!(2))]);
        assert_eq!(r.get("a"), Some(&json!(2)));
        assert!(serde_json::from_str::<Record>("[1]").is_err());
    }

    #[test]
    fn dumps_writes_as_python() {
        let r: Record = serde_json::from_str(
            r#"{"name": "Ælf 🐉", "n": [1, 2.5, null, true], "c": "a\"\n\u0001\u007f"}"#,
        )
        .unwrap();
        // json.dumps(json.loads(...)) in Python 3.11.
        assert_eq!(
            String::from_utf8(dumps(&vec![r])).unwrap(),
            r#"[{"name": "\u00c6lf \ud83d\udc09", "n": [1, 2.5, null, true], "c": "a\"\n\u0001\u007f"}]"#
        );
        assert_eq!(dumps(&Vec::<Record>::new()), b"[]");
    }

    #[test]
    fn indented_as_python() {
        let r: Record = serde_json::from_str(r#"{"b": "é", "a": 1}"#).unwrap();
        assert_eq!(
            String::from_utf8(dumps_indented(&vec![r])).unwrap(),
            "[\n  {\n    \"b\": \"é\",\n    \"a\": 1\n  }\n]"
        );
    }
}
