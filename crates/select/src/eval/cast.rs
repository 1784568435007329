//! CAST between S3 Select's types.

use crate::error::{ErrorCode, Position, Result, SelectError};
use crate::sql::ast::CastType;
use crate::timestamp::Timestamp;
use crate::value::{format_float, parse_number, Number, Value};

fn failed(v: &Value, to: CastType, at: Option<Position>) -> SelectError {
    let shown = match v {
        Value::String(s) => format!("'{}'", s.chars().take(40).collect::<String>()),
        other => other.type_name().to_string(),
    };
    SelectError::at(
        ErrorCode::CastFailed,
        format!("Could not CAST {shown} AS {}.", to.name()),
        at,
    )
}

/// Text of a scalar the way CAST(... AS STRING) and CSV output write it.
pub fn to_text(v: &Value, out: &mut String) {
    match v {
        Value::Missing | Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => format_float(*f, out),
        Value::String(s) => out.push_str(s),
        Value::Timestamp(t) => out.push_str(&t.to_ion_text()),
        Value::List(_) | Value::Struct(_) => crate::output::json::write_value(v, out),
    }
}

/// CAST of a string read in place to a number: no copy of the string unless the CAST fails.
/// `None` for the other target types, which take [`cast`].
pub fn cast_str_to_number(s: &str, to: CastType, at: Option<Position>) -> Option<Result<Value>> {
    matches!(to, CastType::Int | CastType::Float | CastType::Decimal)
        .then(|| number_from_str(s, to, at))
}

/// A string as INT, FLOAT or DECIMAL (`to` is one of those).
fn number_from_str(s: &str, to: CastType, at: Option<Position>) -> Result<Value> {
    let failed = || failed(&Value::String(s.to_string()), to, at);
    match (to, parse_number(s.trim())) {
        (CastType::Int, Some(Number::Int(i))) => Ok(Value::Int(i)),
        (CastType::Int, Some(Number::Float(f))) => float_to_int(f).ok_or_else(failed),
        (_, Some(n)) => Ok(Value::Float(n.as_f64())),
        (_, None) => Err(failed()),
    }
}

pub fn cast(v: Value, to: CastType, at: Option<Position>) -> Result<Value> {
    if v.is_absent() {
        return Ok(v);
    }
    Ok(match to {
        CastType::Int => match &v {
            Value::Int(_) => v,
            Value::Float(f) => float_to_int(*f).ok_or_else(|| failed(&v, to, at))?,
            Value::Bool(b) => Value::Int(i64::from(*b)),
            Value::String(s) => return number_from_str(s, to, at),
            _ => return Err(failed(&v, to, at)),
        },
        CastType::Float | CastType::Decimal => match &v {
            Value::Int(i) => Value::Float(*i as f64),
            Value::Float(_) => v,
            Value::Bool(b) => Value::Float(if *b { 1.0 } else { 0.0 }),
            Value::String(s) => return number_from_str(s, to, at),
            _ => return Err(failed(&v, to, at)),
        },
        CastType::String => match &v {
            Value::String(_) => v,
            Value::List(_) | Value::Struct(_) => return Err(failed(&v, to, at)),
            other => {
                let mut s = String::new();
                to_text(other, &mut s);
                Value::String(s)
            }
        },
        CastType::Bool => match &v {
            Value::Bool(_) => v,
            Value::Int(i) => Value::Bool(*i != 0),
            Value::Float(f) => Value::Bool(*f != 0.0),
            Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Value::Bool(true),
            Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Value::Bool(false),
            _ => return Err(failed(&v, to, at)),
        },
        CastType::Timestamp => match &v {
            Value::Timestamp(_) => v,
            Value::String(s) => {
                Value::Timestamp(Timestamp::parse(s.trim()).ok_or_else(|| failed(&v, to, at))?)
            }
            _ => return Err(failed(&v, to, at)),
        },
    })
}

fn float_to_int(f: f64) -> Option<Value> {
    let t = f.trunc();
    (t.is_finite() && t >= i64::MIN as f64 && t < i64::MAX as f64).then_some(Value::Int(t as i64))
}
