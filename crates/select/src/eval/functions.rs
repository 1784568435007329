//! Scalar functions: string, conditional and date/time.

use super::like::LikePattern;
use super::{compare, eval, time_format, Context, Row};
use crate::error::{ErrorCode, Position, Result, SelectError};
use crate::input::json::MemberLookup;
use crate::sql::ast::{BinaryOp, Binding, Expr, Function, TrimSide};
use crate::timestamp::Timestamp;
use crate::value::Value;

fn arg_type(function: Function, v: &Value, want: &str, at: Option<Position>) -> SelectError {
    SelectError::at(
        ErrorCode::IncorrectSqlFunctionArgumentType,
        format!("{} expects {want}, not {}.", function.name(), v.type_name()),
        at,
    )
}

fn string_arg(function: Function, v: &Value, at: Option<Position>) -> Result<&str> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(arg_type(function, other, "a string", at)),
    }
}

fn int_arg(function: Function, v: &Value, at: Option<Position>) -> Result<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => Ok(*f as i64),
        other => Err(arg_type(function, other, "an integer", at)),
    }
}

fn timestamp_arg(function: Function, v: &Value, at: Option<Position>) -> Result<Timestamp> {
    match v {
        Value::Timestamp(t) => Ok(*t),
        other => Err(arg_type(
            function,
            other,
            "a timestamp (CAST strings AS TIMESTAMP)",
            at,
        )),
    }
}

/// NULL if any argument is MISSING or NULL (MISSING wins), else `None`.
fn propagate(args: &[Value]) -> Option<Value> {
    if args.iter().any(|a| matches!(a, Value::Missing)) {
        Some(Value::Missing)
    } else if args.iter().any(|a| matches!(a, Value::Null)) {
        Some(Value::Null)
    } else {
        None
    }
}

pub fn call(
    function: Function,
    args: &[Expr],
    at: Option<Position>,
    row: &Row,
    ctx: &Context,
) -> Result<Value> {
    // COALESCE stops at the first present value; everything else evaluates all arguments.
    if function == Function::Coalesce {
        for a in args {
            let v = eval(a, row, ctx)?;
            if !v.is_absent() {
                return Ok(v);
            }
        }
        return Ok(Value::Null);
    }
    let values = args
        .iter()
        .map(|a| eval(a, row, ctx))
        .collect::<Result<Vec<_>>>()?;
    // The parser checks every call's arity, so this fails only for a hand-built Expr::Call.
    let arg = |i: usize| {
        values.get(i).ok_or_else(|| {
            SelectError::at(
                ErrorCode::EvaluatorInvalidArguments,
                "The function call is missing an argument.",
                at,
            )
        })
    };
    if function == Function::NullIf {
        let (a, b) = (arg(0)?, arg(1)?);
        if a.is_absent() {
            return Ok(Value::Null);
        }
        return Ok(if compare(BinaryOp::Eq, a, b) == Value::Bool(true) {
            Value::Null
        } else {
            a.clone()
        });
    }
    if function == Function::UtcNow {
        return Ok(Value::Timestamp(ctx.now));
    }
    if let Some(v) = propagate(&values) {
        return Ok(v);
    }
    Ok(match function {
        Function::CharLength => {
            Value::Int(string_arg(function, arg(0)?, at)?.chars().count() as i64)
        }
        Function::Lower => Value::String(string_arg(function, arg(0)?, at)?.to_lowercase()),
        Function::Upper => Value::String(string_arg(function, arg(0)?, at)?.to_uppercase()),
        Function::Substring => {
            let s = string_arg(function, arg(0)?, at)?;
            let start = int_arg(function, arg(1)?, at)?;
            let len = match values.get(2) {
                Some(v) => Some(int_arg(function, v, at)?),
                None => None,
            };
            Value::String(substring(s, start, len, at)?)
        }
        Function::Trim(side) => {
            let s = string_arg(function, arg(0)?, at)?;
            let chars: Vec<char> = match values.get(1) {
                Some(v) => string_arg(function, v, at)?.chars().collect(),
                None => vec![' '],
            };
            let t = match side {
                TrimSide::Leading => s.trim_start_matches(chars.as_slice()),
                TrimSide::Trailing => s.trim_end_matches(chars.as_slice()),
                TrimSide::Both => s.trim_matches(chars.as_slice()),
            };
            Value::String(t.to_string())
        }
        Function::DateAdd(part) => {
            let q = int_arg(function, arg(0)?, at)?;
            let t = timestamp_arg(function, arg(1)?, at)?;
            Value::Timestamp(t.add(part, q).ok_or_else(|| {
                SelectError::at(
                    ErrorCode::EvaluatorInvalidArguments,
                    "DATE_ADD went outside years 0001–9999.",
                    at,
                )
            })?)
        }
        Function::DateDiff(part) => {
            let a = timestamp_arg(function, arg(0)?, at)?;
            let b = timestamp_arg(function, arg(1)?, at)?;
            Value::Int(a.diff(part, &b).ok_or_else(|| {
                SelectError::at(
                    ErrorCode::EvaluatorInvalidArguments,
                    "DATE_DIFF cannot compare these parts.",
                    at,
                )
            })?)
        }
        Function::Extract(part) => Value::Int(timestamp_arg(function, arg(0)?, at)?.extract(part)),
        Function::ToString => {
            let t = timestamp_arg(function, arg(0)?, at)?;
            let p = string_arg(function, arg(1)?, at)?;
            Value::String(
                time_format::format(&t, p).map_err(|e| SelectError::at(e.code, e.message, at))?,
            )
        }
        Function::ToTimestamp => {
            let s = string_arg(function, arg(0)?, at)?;
            if values.len() > 1 {
                return Err(SelectError::at(
                    ErrorCode::EvaluatorInvalidTimestampFormatPatternSymbolForParsing,
                    "TO_TIMESTAMP with a format pattern is not supported; give an ISO timestamp such as '2007-02-23T12:14:33Z'.",
                    at,
                ));
            }
            Value::Timestamp(Timestamp::parse(s.trim()).ok_or_else(|| {
                SelectError::at(
                    ErrorCode::ValueParseFailure,
                    format!(
                        "'{s}' is not a timestamp; write e.g. '2007-02-23T12:14:33.079-08:00'."
                    ),
                    at,
                )
            })?)
        }
        // cannot happen: COALESCE, NULLIF and UTCNOW returned above.
        Function::Coalesce | Function::NullIf | Function::UtcNow => unreachable!("handled above"),
    })
}

/// SUBSTRING with the documented rules for starts below 1.
fn substring(s: &str, start: i64, len: Option<i64>, at: Option<Position>) -> Result<String> {
    let chars = s.chars();
    let (from, count) = match len {
        None => (start.max(1), i64::MAX),
        Some(l) if l < 0 => {
            return Err(SelectError::at(
                ErrorCode::EvaluatorInvalidArguments,
                "SUBSTRING's length must not be negative.",
                at,
            ))
        }
        Some(l) if start < 1 => (1, start.saturating_add(l).saturating_sub(1).max(0)),
        Some(l) => (start, l),
    };
    // cannot overflow: from >= 1 in every arm above.
    Ok(chars
        .skip(usize::try_from(from - 1).unwrap_or(0))
        .take(usize::try_from(count).unwrap_or(usize::MAX))
        .collect())
}

/// The parts of a LIKE after its subject.
pub struct Like<'e> {
    pub pattern: &'e Expr,
    pub escape: Option<&'e Expr>,
    pub compiled: Option<&'e LikePattern>,
    pub negated: bool,
    pub at: Option<Position>,
}

/// A string read in place from the row, without copying it into a value: `Some(Some(s))` for
/// a string, `Some(None)` for MISSING, `None` when it has to be evaluated.
pub(crate) fn borrowed_str<'r>(e: &Expr, row: &'r Row) -> Option<Option<&'r str>> {
    match (e, row) {
        (
            Expr::Path {
                binding: Binding::CsvField(i),
                steps,
                ..
            },
            Row::Csv(r),
        ) if steps.is_empty() => Some(r.field(*i)),
        (
            Expr::Path {
                root,
                steps,
                binding,
                ..
            },
            Row::JsonMembers(m),
        ) => {
            let (name, rest) = super::member_path(root, steps, *binding)?;
            if !rest.is_empty() {
                return None;
            }
            match m.lookup(&name.text, name.quoted) {
                MemberLookup::Found(member) => member.plain_str().map(Some),
                MemberLookup::NotFound => Some(None),
                MemberLookup::Ambiguous => None,
            }
        }
        (Expr::Path { .. }, Row::Json(_)) => match super::borrow_path(e, row) {
            Ok(Some(Value::String(s))) => Some(Some(s)),
            Ok(None) => Some(None),
            _ => None,
        },
        _ => None,
    }
}

pub fn like(expr: &Expr, like: &Like, row: &Row, ctx: &Context) -> Result<Value> {
    let owned;
    let text: &str = match borrowed_str(expr, row) {
        Some(Some(s)) => s,
        Some(None) => return Ok(Value::Missing),
        None => {
            owned = eval(expr, row, ctx)?;
            match &owned {
                Value::String(s) => s,
                Value::Missing | Value::Null => return Ok(owned.clone()),
                other => {
                    return Err(SelectError::at(
                        ErrorCode::LikeInvalidInputs,
                        format!("LIKE compares strings, not {}.", other.type_name()),
                        like.at,
                    ))
                }
            }
        }
    };
    let compiled_now;
    let pattern = match like.compiled {
        Some(p) => p,
        None => {
            let p = eval(like.pattern, row, ctx)?;
            let e = match like.escape {
                Some(x) => Some(eval(x, row, ctx)?),
                None => None,
            };
            match compile_like(&p, e.as_ref(), like.at)? {
                Some(c) => {
                    compiled_now = c;
                    &compiled_now
                }
                None => {
                    return Ok(
                        if matches!(p, Value::Missing) || matches!(e, Some(Value::Missing)) {
                            Value::Missing
                        } else {
                            Value::Null
                        },
                    )
                }
            }
        }
    };
    Ok(Value::Bool(pattern.matches(text) != like.negated))
}

/// Compiles a LIKE pattern from its values; `None` when the pattern or escape is NULL/MISSING.
pub fn compile_like(
    pattern: &Value,
    escape: Option<&Value>,
    at: Option<Position>,
) -> Result<Option<LikePattern>> {
    if pattern.is_absent() || escape.is_some_and(Value::is_absent) {
        return Ok(None);
    }
    let Value::String(p) = pattern else {
        return Err(SelectError::at(
            ErrorCode::LikeInvalidInputs,
            format!(
                "A LIKE pattern must be a string, not {}.",
                pattern.type_name()
            ),
            at,
        ));
    };
    let esc = match escape {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(other) => {
            return Err(SelectError::at(
                ErrorCode::LikeInvalidInputs,
                format!("ESCAPE must be a string, not {}.", other.type_name()),
                at,
            ))
        }
        None => None,
    };
    LikePattern::compile(p, esc)
        .map(Some)
        .map_err(|e| SelectError::at(e.code, e.message, at))
}

#[cfg(test)]
mod tests {
    use super::substring;

    #[test]
    fn substring_documented_examples() {
        let s = "123456789";
        assert_eq!(substring(s, 0, None, None).unwrap(), "123456789");
        assert_eq!(substring(s, 1, None, None).unwrap(), "123456789");
        assert_eq!(substring(s, 2, None, None).unwrap(), "23456789");
        assert_eq!(substring(s, -4, None, None).unwrap(), "123456789");
        assert_eq!(substring(s, 0, Some(999), None).unwrap(), "123456789");
        assert_eq!(substring(s, 1, Some(5), None).unwrap(), "12345");
        assert_eq!(substring(s, -2, Some(4), None).unwrap(), "1");
        assert_eq!(substring(s, -5, Some(4), None).unwrap(), "");
    }

    #[test]
    fn substring_extreme_start_does_not_overflow() {
        // start + length - 1 used to overflow for start = i64::MIN (a panic in debug builds).
        assert_eq!(substring("abc", i64::MIN, Some(0), None).unwrap(), "");
        assert_eq!(
            substring("abc", i64::MIN, Some(i64::MAX), None).unwrap(),
            ""
        );
        assert_eq!(
            substring("abc", i64::MAX, Some(i64::MAX), None).unwrap(),
            ""
        );
        assert_eq!(substring("abc", i64::MIN, None, None).unwrap(), "abc");
    }

    /// Queries that panicked (debug builds) or answered wrongly, run through the whole engine.
    #[test]
    fn hostile_arguments_get_coded_errors() {
        use crate::{
            run_to_end, ErrorCode, InputSerialization, OutputSerialization, Query, QueryOptions,
            SelectError, Timestamp,
        };
        let options = QueryOptions {
            input: InputSerialization::from_json(r#"{"JSON":{"Type":"LINES"}}"#).unwrap(),
            output: OutputSerialization::from_json(r#"{"JSON":{}}"#).unwrap(),
            scan_range: None,
            now: Timestamp::from_unix_millis(0),
        };
        let run = |sql: &str| -> Result<String, SelectError> {
            let q = Query::compile(sql, options.clone())?;
            let (out, _) = run_to_end(&q, b"{\"n\":-9223372036854775808}\n", 7)?;
            Ok(String::from_utf8(out).unwrap())
        };
        assert_eq!(
            run("SELECT SUBSTRING('abc', s.n, 0) AS x FROM S3Object s").unwrap(),
            "{\"x\":\"\"}\n"
        );
        for sql in [
            "SELECT DATE_ADD(month, 9223372036854775807, UTCNOW()) FROM S3Object",
            "SELECT DATE_ADD(month, s.n, UTCNOW()) FROM S3Object s",
            "SELECT DATE_ADD(day, 9223372036854675807, UTCNOW()) FROM S3Object",
            // Used to come back as 2000-01-01 (the year truncated into range).
            "SELECT DATE_ADD(day, 39217838514176, `2000-01-01T`) FROM S3Object",
        ] {
            assert_eq!(
                run(sql).unwrap_err().code,
                ErrorCode::EvaluatorInvalidArguments,
                "{sql}"
            );
        }
        let ys = "y".repeat(70_000);
        let out = run(&format!(
            "SELECT TO_STRING(UTCNOW(), '{ys}') AS t FROM S3Object"
        ))
        .unwrap();
        assert!(out.starts_with("{\"t\":\"000") && out.ends_with("01970\"}\n"));
        assert_eq!(out.len(), 70_000 + "{\"t\":\"\"}\n".len());
    }
}
