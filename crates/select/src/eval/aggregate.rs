//! Running state of AVG, COUNT, MAX, MIN and SUM. NULL and MISSING are skipped.

use super::order;
use crate::error::{ErrorCode, Result, SelectError};
use crate::sql::ast::Aggregate;
use crate::value::{Number, Value};
use std::cmp::Ordering;

#[derive(Debug, Clone)]
pub struct Accumulator {
    function: Aggregate,
    count: i64,
    int_sum: Option<i64>,
    float_sum: f64,
    any_float: bool,
    best: Option<Value>,
}

impl Accumulator {
    pub fn new(function: Aggregate) -> Self {
        Accumulator {
            function,
            count: 0,
            int_sum: Some(0),
            float_sum: 0.0,
            any_float: false,
            best: None,
        }
    }

    /// Adds `n` rows to a COUNT(*): what `add(None)` does `n` times.
    pub fn add_rows(&mut self, n: u64) {
        // Cannot overflow: one per input record, and 2^63 records is out of reach.
        self.count += n as i64;
    }

    /// Adds one row; `value` is `None` for COUNT(*).
    pub fn add(&mut self, value: Option<Value>) -> Result<()> {
        // `count += 1` cannot overflow: one per input row, and 2^63 rows is out of reach.
        let v = match value {
            None => {
                self.count += 1;
                return Ok(());
            }
            Some(v) if v.is_absent() => return Ok(()),
            Some(v) => v,
        };
        self.count += 1;
        match self.function {
            Aggregate::Count => {}
            Aggregate::Sum | Aggregate::Avg => match v.as_number() {
                Some(Number::Int(i)) => {
                    self.int_sum = self.int_sum.and_then(|s| s.checked_add(i));
                    self.float_sum += i as f64;
                }
                Some(Number::Float(f)) => {
                    self.any_float = true;
                    self.float_sum += f;
                }
                None => {
                    let hint = if matches!(v, Value::String(_)) {
                        " CSV values are strings: use CAST(... AS INT) or AS FLOAT."
                    } else {
                        ""
                    };
                    return Err(SelectError::new(
                        ErrorCode::IncorrectSqlFunctionArgumentType,
                        format!(
                            "{} needs numbers, not {}.{hint}",
                            self.function.name(),
                            v.type_name()
                        ),
                    ));
                }
            },
            Aggregate::Min | Aggregate::Max => {
                let replace = match &self.best {
                    None => true,
                    Some(b) => match order(&v, b) {
                        Some(o) => {
                            (o == Ordering::Less) == (self.function == Aggregate::Min)
                                && o != Ordering::Equal
                        }
                        None => {
                            return Err(SelectError::new(
                                ErrorCode::IncorrectSqlFunctionArgumentType,
                                format!(
                                    "MIN/MAX cannot compare {} with {}.",
                                    v.type_name(),
                                    b.type_name()
                                ),
                            ))
                        }
                    },
                };
                if replace {
                    self.best = Some(v);
                }
            }
        }
        Ok(())
    }

    pub fn result(&self) -> Result<Value> {
        Ok(match self.function {
            Aggregate::Count => Value::Int(self.count),
            _ if self.count == 0 => Value::Null,
            Aggregate::Sum if self.any_float => Value::Float(self.float_sum),
            Aggregate::Sum => match self.int_sum {
                Some(s) => Value::Int(s),
                None => {
                    return Err(SelectError::new(
                        ErrorCode::IntegerOverflow,
                        "SUM does not fit in a 64-bit integer; CAST to FLOAT.",
                    ))
                }
            },
            Aggregate::Avg => Value::Float(self.float_sum / self.count as f64),
            Aggregate::Min | Aggregate::Max => self.best.clone().unwrap_or(Value::Null),
        })
    }
}
