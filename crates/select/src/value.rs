//! The values an S3 Select expression works on. MISSING (an absent field) and NULL (an explicit
//! null) stay distinct all the way to output serialization, where they are written differently.

use crate::timestamp::Timestamp;
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Missing,
    Null,
    Bool(bool),
    Int(i64),
    /// FLOAT and DECIMAL both live here; `decimal` only changes how the value is named in errors.
    Float(f64),
    String(String),
    Timestamp(Timestamp),
    List(Vec<Value>),
    /// Field order is the order in the input, which output serialization keeps.
    Struct(Vec<(String, Value)>),
}

impl Value {
    pub fn is_absent(&self) -> bool {
        matches!(self, Value::Missing | Value::Null)
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Missing => "MISSING",
            Value::Null => "NULL",
            Value::Bool(_) => "BOOL",
            Value::Int(_) => "INT",
            Value::Float(_) => "FLOAT",
            Value::String(_) => "STRING",
            Value::Timestamp(_) => "TIMESTAMP",
            Value::List(_) => "LIST",
            Value::Struct(_) => "STRUCT",
        }
    }

    /// A number for arithmetic and comparison. Strings never count: S3 Select treats CSV values
    /// as strings until they are CAST (`NULLIF(1, '1')` is 1).
    pub fn as_number(&self) -> Option<Number> {
        match self {
            Value::Int(i) => Some(Number::Int(*i)),
            Value::Float(f) => Some(Number::Float(*f)),
            _ => None,
        }
    }

    /// Field lookup by name. Unquoted names match case-insensitively; more than one match is
    /// ambiguous and reported by the caller.
    pub fn field<'v>(&'v self, name: &str, case_sensitive: bool) -> FieldLookup<'v> {
        let Value::Struct(fields) = self else {
            return FieldLookup::NotFound;
        };
        if case_sensitive {
            return match fields.iter().find(|(k, _)| k == name) {
                Some((_, v)) => FieldLookup::Found(v),
                None => FieldLookup::NotFound,
            };
        }
        let mut found = None;
        for (k, v) in fields {
            if k.eq_ignore_ascii_case(name) {
                if found.is_some() {
                    return FieldLookup::Ambiguous;
                }
                found = Some(v);
            }
        }
        match found {
            Some(v) => FieldLookup::Found(v),
            None => FieldLookup::NotFound,
        }
    }
}

pub enum FieldLookup<'v> {
    Found(&'v Value),
    NotFound,
    Ambiguous,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }

    pub fn into_value(self) -> Value {
        match self {
            Number::Int(i) => Value::Int(i),
            Number::Float(f) => Value::Float(f),
        }
    }

    pub fn compare(self, other: Number) -> Option<Ordering> {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => Some(a.cmp(&b)),
            (a, b) => a.as_f64().partial_cmp(&b.as_f64()),
        }
    }
}

/// Reads an SQL/JSON-style number: optional sign, digits, optional fraction and exponent.
pub fn parse_number(s: &str) -> Option<Number> {
    let t = s.as_bytes();
    let body = match t {
        [b'-' | b'+', rest @ ..] => rest,
        _ => t,
    };
    if !matches!(body.first(), Some(c) if c.is_ascii_digit() || *c == b'.') {
        return None;
    }
    if body.iter().all(u8::is_ascii_digit) {
        if let Ok(i) = s.parse::<i64>() {
            return Some(Number::Int(i));
        }
    }
    if !body
        .iter()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'-' | b'+'))
    {
        return None;
    }
    s.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(Number::Float)
}

/// Text for a float the way the engine writes it: shortest round-trip digits, always with a
/// fractional part or exponent so it reads back as a float.
pub fn format_float(f: f64, out: &mut impl std::fmt::Write) {
    if f.is_nan() {
        let _ = out.write_str("nan");
    } else if f.is_infinite() {
        let _ = out.write_str(if f > 0.0 { "+inf" } else { "-inf" });
    } else if f == f.trunc() && f.abs() < 1e16 {
        let _ = write!(out, "{f:.1}");
    } else if f.abs() >= 1e16 || f.abs() < 1e-6 {
        let _ = write!(out, "{f:e}");
    } else {
        let _ = write!(out, "{f}");
    }
}
