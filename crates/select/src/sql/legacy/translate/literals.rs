//! Literals: numbers (64-bit integers, else floats), strings, booleans, NULL and `timestamps`.

use super::Translator;
use crate::error::{ErrorCode, Result};
use crate::timestamp::Timestamp;
use crate::value::{parse_number, Number, Value};
use sqlparser::ast as sp;
use sqlparser::tokenizer::Span;

impl Translator<'_> {
    pub(super) fn literal(&self, v: &sp::Value, span: Span) -> Result<Value> {
        Ok(match v {
            sp::Value::Number(n, _) => self.number(n, span)?,
            sp::Value::SingleQuotedString(s) => Value::String(s.clone()),
            sp::Value::Boolean(b) => Value::Bool(*b),
            sp::Value::Null => Value::Null,
            _ => {
                return Err(self.err(
                    ErrorCode::LexerInvalidLiteral,
                    "This kind of literal is not part of S3 Select.",
                    span,
                ))
            }
        })
    }

    /// A number as written (with its sign, when a minus sign was folded into it).
    pub(super) fn number(&self, n: &str, span: Span) -> Result<Value> {
        match parse_number(n) {
            Some(Number::Int(i)) => Ok(Value::Int(i)),
            Some(Number::Float(_)) if n.bytes().all(|c| c.is_ascii_digit() || c == b'-') => {
                Err(self.err(
                    ErrorCode::IntegerOverflow,
                    format!("{n} does not fit in a 64-bit integer."),
                    span,
                ))
            }
            Some(Number::Float(f)) => Ok(Value::Float(f)),
            None => Err(self.err(
                ErrorCode::LexerInvalidLiteral,
                format!("{n} is not a number."),
                span,
            )),
        }
    }

    /// A timestamp in backticks: `` `2007-04-05T14:30Z` ``.
    pub(super) fn timestamp(&self, ident: &sp::Ident) -> Result<Value> {
        let ts = Timestamp::parse(&ident.value).ok_or_else(|| {
            self.err(
                ErrorCode::LexerInvalidLiteral,
                format!(
                    "`{}` is not a timestamp; write e.g. `2007-04-05T14:30Z`.",
                    ident.value
                ),
                ident.span,
            )
        })?;
        Ok(Value::Timestamp(ts))
    }
}
