//! Evaluates bound expressions against one row, with SQL's three-valued logic extended by
//! PartiQL's MISSING.

pub mod aggregate;
pub mod cast;
pub mod functions;
pub mod like;
pub mod time_format;

use crate::error::{ErrorCode, Result, SelectError};
use crate::input::json::{MemberLookup, Members};
use crate::sql::ast::{BinaryOp, Binding, Expr, IsTest, Name, PathStep, UnaryOp};
use crate::timestamp::Timestamp;
use crate::value::{FieldLookup, Number, Value};
use std::cmp::Ordering;

/// The row an expression sees: a CSV record's fields or a JSON value.
pub enum Row<'a> {
    Csv(&'a dyn CsvFields),
    Json(&'a Value),
    /// A JSON object whose member values are parsed when read.
    JsonMembers(Members<'a>),
}

/// Field access into a parsed CSV record.
pub trait CsvFields {
    fn field(&self, index: usize) -> Option<&str>;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What evaluation needs beyond the row.
pub struct Context<'a> {
    /// UTCNOW(), fixed for the whole query.
    pub now: Timestamp,
    /// Final aggregate values, by slot, when the SELECT list of an aggregate query is evaluated.
    pub aggregates: &'a [Value],
}

pub fn eval(e: &Expr, row: &Row, ctx: &Context) -> Result<Value> {
    match e {
        Expr::Literal(v) => Ok(v.clone()),
        Expr::Path {
            root,
            steps,
            binding,
            at,
        } => {
            let base: Value = match (binding, row) {
                (Binding::CsvField(i), Row::Csv(r)) => match r.field(*i) {
                    Some(s) => Value::String(s.to_string()),
                    None => Value::Missing,
                },
                (Binding::Row, Row::Json(v)) => {
                    return Ok(walk(v, steps, at)?.cloned().unwrap_or(Value::Missing))
                }
                (Binding::RowField, Row::Json(v)) => {
                    let first = match v.field(&root.text, root.quoted) {
                        FieldLookup::Found(f) => f,
                        FieldLookup::NotFound => return Ok(Value::Missing),
                        FieldLookup::Ambiguous => return Err(ambiguous(&root.text, *at)),
                    };
                    return Ok(walk(first, steps, at)?.cloned().unwrap_or(Value::Missing));
                }
                (Binding::Row | Binding::RowField, Row::JsonMembers(m)) => {
                    let Some((name, rest)) = member_path(root, steps, *binding) else {
                        return Err(SelectError::at(
                            ErrorCode::EvaluatorBindingDoesNotExist,
                            "This path needs the whole record.",
                            *at,
                        ));
                    };
                    let value = match m.lookup(&name.text, name.quoted) {
                        MemberLookup::Found(member) => member.value()?,
                        MemberLookup::NotFound => return Ok(Value::Missing),
                        MemberLookup::Ambiguous => return Err(ambiguous(&name.text, *at)),
                    };
                    if rest.is_empty() {
                        return Ok(value);
                    }
                    return Ok(walk(&value, rest, at)?.cloned().unwrap_or(Value::Missing));
                }
                _ => {
                    return Err(SelectError::at(
                        ErrorCode::EvaluatorBindingDoesNotExist,
                        format!("{} does not refer to anything in this input.", root.text),
                        *at,
                    ))
                }
            };
            if steps.is_empty() {
                Ok(base)
            } else {
                // CSV fields are strings: any path into them is MISSING.
                Ok(Value::Missing)
            }
        }
        Expr::Unary(op, x) => {
            let v = eval(x, row, ctx)?;
            match op {
                UnaryOp::Not => Ok(match truth(&v)? {
                    Some(b) => Value::Bool(!b),
                    None => absent_of(&v),
                }),
                UnaryOp::Plus | UnaryOp::Neg => {
                    if v.is_absent() {
                        return Ok(v);
                    }
                    match (v.as_number(), op) {
                        (Some(n), UnaryOp::Plus) => Ok(n.into_value()),
                        (Some(Number::Int(i)), _) => {
                            i.checked_neg().map(Value::Int).ok_or_else(overflow)
                        }
                        (Some(Number::Float(f)), _) => Ok(Value::Float(-f)),
                        (None, _) => Err(type_error("-", &v, None)),
                    }
                }
            }
        }
        Expr::Binary(BinaryOp::And, a, b) => {
            let a = truth(&eval(a, row, ctx)?)?;
            if a == Some(false) {
                return Ok(Value::Bool(false));
            }
            let bv = eval(b, row, ctx)?;
            let b = truth(&bv)?;
            Ok(match (a, b) {
                (_, Some(false)) => Value::Bool(false),
                (Some(true), Some(true)) => Value::Bool(true),
                _ => Value::Null,
            })
        }
        Expr::Binary(BinaryOp::Or, a, b) => {
            let a = truth(&eval(a, row, ctx)?)?;
            if a == Some(true) {
                return Ok(Value::Bool(true));
            }
            let b = truth(&eval(b, row, ctx)?)?;
            Ok(match (a, b) {
                (_, Some(true)) => Value::Bool(true),
                (Some(false), Some(false)) => Value::Bool(false),
                _ => Value::Null,
            })
        }
        Expr::Binary(op, a, b) => {
            let a = eval(a, row, ctx)?;
            let b = eval(b, row, ctx)?;
            binary(*op, a, b)
        }
        Expr::Is {
            expr,
            test,
            negated,
        } => {
            let v = eval(expr, row, ctx)?;
            let hit = match test {
                IsTest::Null => v.is_absent(),
                IsTest::Missing => matches!(v, Value::Missing),
                IsTest::True => v == Value::Bool(true),
                IsTest::False => v == Value::Bool(false),
            };
            Ok(Value::Bool(hit != *negated))
        }
        Expr::Between {
            expr,
            low,
            high,
            negated,
        } => {
            let v = eval(expr, row, ctx)?;
            let lo = compare(BinaryOp::GtEq, &v, &eval(low, row, ctx)?);
            let hi = compare(BinaryOp::LtEq, &v, &eval(high, row, ctx)?);
            let both = match (truth(&lo)?, truth(&hi)?) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
            Ok(match both {
                Some(b) => Value::Bool(b != *negated),
                None => Value::Null,
            })
        }
        Expr::InList {
            expr,
            list,
            negated,
        } => {
            let v = eval(expr, row, ctx)?;
            if v.is_absent() {
                return Ok(Value::Null);
            }
            let mut unknown = false;
            for item in list {
                match compare(BinaryOp::Eq, &v, &eval(item, row, ctx)?) {
                    Value::Bool(true) => return Ok(Value::Bool(!*negated)),
                    Value::Bool(false) => {}
                    _ => unknown = true,
                }
            }
            Ok(if unknown {
                Value::Null
            } else {
                Value::Bool(*negated)
            })
        }
        Expr::Like {
            expr,
            pattern,
            escape,
            negated,
            at,
            compiled,
        } => {
            let like = functions::Like {
                pattern,
                escape: escape.as_deref(),
                compiled: compiled.as_deref(),
                negated: *negated,
                at: *at,
            };
            functions::like(expr, &like, row, ctx)
        }
        Expr::Case {
            operand,
            whens,
            otherwise,
        } => {
            let subject = match operand {
                Some(o) => Some(eval(o, row, ctx)?),
                None => None,
            };
            for (when, then) in whens {
                let w = eval(when, row, ctx)?;
                let hit = match &subject {
                    Some(s) => compare(BinaryOp::Eq, s, &w) == Value::Bool(true),
                    None => truth(&w)? == Some(true),
                };
                if hit {
                    return eval(then, row, ctx);
                }
            }
            match otherwise {
                Some(o) => eval(o, row, ctx),
                None => Ok(Value::Null),
            }
        }
        Expr::Cast { expr, to, at } => {
            if let Some(Some(s)) = functions::borrowed_str(expr, row) {
                if let Some(v) = cast::cast_str_to_number(s, *to, *at) {
                    return v;
                }
            }
            cast::cast(eval(expr, row, ctx)?, *to, *at)
        }
        Expr::Call { function, args, at } => functions::call(*function, args, *at, row, ctx),
        Expr::Aggregate { at, slot, .. } => ctx.aggregates.get(*slot).cloned().ok_or_else(|| {
            SelectError::at(
                ErrorCode::UnsupportedSyntax,
                "Aggregate functions are allowed only in the SELECT list.",
                *at,
            )
        }),
    }
}

/// The member a path starts at, and the steps after it.
pub fn member_path<'e>(
    root: &'e Name,
    steps: &'e [PathStep],
    binding: Binding,
) -> Option<(&'e Name, &'e [PathStep])> {
    match binding {
        Binding::RowField => Some((root, steps)),
        Binding::Row => match steps.split_first() {
            Some((PathStep::Field(n), rest)) => Some((n, rest)),
            _ => None,
        },
        _ => None,
    }
}

/// A JSON path read in place: `Ok(None)` is MISSING; an error for anything not a JSON path.
pub fn borrow_path<'r>(e: &Expr, row: &'r Row) -> Result<Option<&'r Value>> {
    let (
        Expr::Path {
            root,
            steps,
            binding,
            at,
        },
        Row::Json(v),
    ) = (e, row)
    else {
        return Err(SelectError::new(
            ErrorCode::EvaluatorBindingDoesNotExist,
            "not a JSON path",
        ));
    };
    match binding {
        Binding::Row => walk(v, steps, at),
        Binding::RowField => match v.field(&root.text, root.quoted) {
            FieldLookup::Found(f) => walk(f, steps, at),
            FieldLookup::NotFound => Ok(None),
            FieldLookup::Ambiguous => Err(ambiguous(&root.text, *at)),
        },
        _ => Err(SelectError::new(
            ErrorCode::EvaluatorBindingDoesNotExist,
            "not a JSON path",
        )),
    }
}

/// Follows path steps from a value; `None` is MISSING.
fn walk<'v>(
    mut v: &'v Value,
    steps: &[PathStep],
    at: &Option<crate::error::Position>,
) -> Result<Option<&'v Value>> {
    for step in steps {
        v = match (step, v) {
            (PathStep::Field(name), Value::Struct(_)) => match v.field(&name.text, name.quoted) {
                FieldLookup::Found(f) => f,
                FieldLookup::NotFound => return Ok(None),
                FieldLookup::Ambiguous => return Err(ambiguous(&name.text, *at)),
            },
            (PathStep::Index(i), Value::List(items)) => {
                match usize::try_from(*i).ok().and_then(|i| items.get(i)) {
                    Some(x) => x,
                    None => return Ok(None),
                }
            }
            _ => return Ok(None),
        };
    }
    Ok(Some(v))
}

fn ambiguous(name: &str, at: Option<crate::error::Position>) -> SelectError {
    SelectError::at(
        ErrorCode::AmbiguousFieldName,
        format!("{name} matches more than one field when case is ignored; put it in double quotes to match exactly."),
        at,
    )
}

fn overflow() -> SelectError {
    SelectError::new(
        ErrorCode::IntegerOverflow,
        "The result does not fit in a 64-bit integer.",
    )
}

fn absent_of(v: &Value) -> Value {
    if matches!(v, Value::Missing) {
        Value::Missing
    } else {
        Value::Null
    }
}

/// A condition's truth: `None` for NULL/MISSING. Anything else that is not a boolean is an error.
pub fn truth(v: &Value) -> Result<Option<bool>> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Null | Value::Missing => Ok(None),
        other => Err(SelectError::new(
            ErrorCode::InvalidDataType,
            format!(
                "A condition must be true or false, but this one is a {}.",
                other.type_name()
            ),
        )),
    }
}

fn type_error(op: &str, a: &Value, b: Option<&Value>) -> SelectError {
    let hint = if matches!(a, Value::String(_)) || matches!(b, Some(Value::String(_))) {
        " CSV values are strings: CAST them first, e.g. CAST(s.age AS INT)."
    } else {
        ""
    };
    let msg = match b {
        Some(b) => format!(
            "Cannot apply {op} to {} and {}.{hint}",
            a.type_name(),
            b.type_name()
        ),
        None => format!("Cannot apply {op} to {}.{hint}", a.type_name()),
    };
    SelectError::new(ErrorCode::InvalidDataType, msg)
}

pub fn binary(op: BinaryOp, a: Value, b: Value) -> Result<Value> {
    match op {
        BinaryOp::Eq
        | BinaryOp::NotEq
        | BinaryOp::Lt
        | BinaryOp::LtEq
        | BinaryOp::Gt
        | BinaryOp::GtEq => Ok(compare(op, &a, &b)),
        BinaryOp::Concat => {
            if a.is_absent() || b.is_absent() {
                return Ok(
                    if matches!(a, Value::Missing) || matches!(b, Value::Missing) {
                        Value::Missing
                    } else {
                        Value::Null
                    },
                );
            }
            match (a, b) {
                (Value::String(mut x), Value::String(y)) => {
                    x.push_str(&y);
                    Ok(Value::String(x))
                }
                (x, y) => Err(type_error("||", &x, Some(&y))),
            }
        }
        BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
            if matches!(a, Value::Missing) || matches!(b, Value::Missing) {
                return Ok(Value::Missing);
            }
            if a.is_absent() || b.is_absent() {
                return Ok(Value::Null);
            }
            let sym = match op {
                BinaryOp::Add => "+",
                BinaryOp::Sub => "-",
                BinaryOp::Mul => "*",
                BinaryOp::Div => "/",
                _ => "%",
            };
            let (Some(x), Some(y)) = (a.as_number(), b.as_number()) else {
                return Err(type_error(sym, &a, Some(&b)));
            };
            arithmetic(op, x, y)
        }
        // cannot happen: eval handles AND and OR itself and never calls binary with them.
        BinaryOp::And | BinaryOp::Or => unreachable!("logical operators short-circuit in eval"),
    }
}

fn arithmetic(op: BinaryOp, x: Number, y: Number) -> Result<Value> {
    let div_zero = || SelectError::new(ErrorCode::EvaluatorInvalidArguments, "Division by zero.");
    match (x, y) {
        (Number::Int(a), Number::Int(b)) => {
            let r = match op {
                BinaryOp::Add => a.checked_add(b),
                BinaryOp::Sub => a.checked_sub(b),
                BinaryOp::Mul => a.checked_mul(b),
                BinaryOp::Div if b == 0 => return Err(div_zero()),
                BinaryOp::Div => a.checked_div(b),
                BinaryOp::Mod if b == 0 => return Err(div_zero()),
                _ => a.checked_rem(b),
            };
            r.map(Value::Int).ok_or_else(overflow)
        }
        (a, b) => {
            let (a, b) = (a.as_f64(), b.as_f64());
            Ok(Value::Float(match op {
                BinaryOp::Add => a + b,
                BinaryOp::Sub => a - b,
                BinaryOp::Mul => a * b,
                BinaryOp::Div if b == 0.0 => return Err(div_zero()),
                BinaryOp::Div => a / b,
                BinaryOp::Mod if b == 0.0 => return Err(div_zero()),
                _ => a % b,
            }))
        }
    }
}

/// Orders two values of one kind; `None` when they are of kinds that do not compare.
pub fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Timestamp(x), Value::Timestamp(y)) => x.partial_cmp(y),
        _ => match (a.as_number(), b.as_number()) {
            (Some(x), Some(y)) => x.compare(y),
            _ => None,
        },
    }
}

/// Comparison with NULL/MISSING propagation. Values of different kinds are never equal, and
/// ordering them gives MISSING (so the row does not match).
pub fn compare(op: BinaryOp, a: &Value, b: &Value) -> Value {
    if matches!(a, Value::Missing) || matches!(b, Value::Missing) {
        return Value::Missing;
    }
    if a.is_absent() || b.is_absent() {
        return Value::Null;
    }
    let ord = match (a, b) {
        (Value::List(_) | Value::Struct(_), _) | (_, Value::List(_) | Value::Struct(_)) => {
            let eq = a == b;
            return match op {
                BinaryOp::Eq => Value::Bool(eq),
                BinaryOp::NotEq => Value::Bool(!eq),
                _ => Value::Missing,
            };
        }
        _ => order(a, b),
    };
    match (op, ord) {
        (BinaryOp::Eq, o) => Value::Bool(o == Some(Ordering::Equal)),
        (BinaryOp::NotEq, o) => Value::Bool(o != Some(Ordering::Equal)),
        (_, None) => Value::Missing,
        (BinaryOp::Lt, Some(o)) => Value::Bool(o == Ordering::Less),
        (BinaryOp::LtEq, Some(o)) => Value::Bool(o != Ordering::Greater),
        (BinaryOp::Gt, Some(o)) => Value::Bool(o == Ordering::Greater),
        (_, Some(o)) => Value::Bool(o != Ordering::Less),
    }
}
