//! Function calls, checked against the signature table (`sql::signatures`): aggregates, scalar
//! functions, date parts as arguments, and the calls with syntax of their own (EXTRACT,
//! SUBSTRING … FROM … FOR, TRIM … FROM).

use super::super::ast::{Aggregate, Expr, Function, IsTest, TrimSide};
use super::super::dialect::{IS_MISSING_FN, IS_NOT_MISSING_FN};
use super::{single_ident, Err, Translator};
use crate::error::{ErrorCode, Result};
use crate::sql::signatures::{self, Form, Signature};
use crate::timestamp::DatePart;
use sqlparser::ast as sp;
use sqlparser::ast::Spanned;
use sqlparser::tokenizer::Span;

impl Translator<'_> {
    pub(super) fn function(&self, f: &sp::Function, span: Span) -> Result<Expr> {
        let at = self.pos(span);
        let name = f
            .name
            .0
            .iter()
            .filter_map(|p| p.as_ident().map(|i| i.value.as_str()))
            .collect::<Vec<_>>()
            .join(".");
        let is_internal = single_ident(&f.name).is_some_and(|i| i.quote_style.is_none());
        if f.over.is_some()
            || f.filter.is_some()
            || !f.within_group.is_empty()
            || !matches!(f.parameters, sp::FunctionArguments::None)
        {
            return Err(self.unsupported("window functions and aggregate modifiers", span));
        }
        let (args, distinct, star) = match &f.args {
            sp::FunctionArguments::None => (vec![], false, false),
            sp::FunctionArguments::Subquery(q) => {
                return Err(self.unsupported("subqueries", q.span()))
            }
            sp::FunctionArguments::List(list) => {
                if !list.clauses.is_empty() {
                    return Err(self.unsupported("clauses inside a function call", span));
                }
                let distinct = matches!(
                    list.duplicate_treatment,
                    Some(sp::DuplicateTreatment::Distinct)
                );
                let mut exprs = vec![];
                let mut star = false;
                for a in &list.args {
                    match a {
                        sp::FunctionArg::Unnamed(sp::FunctionArgExpr::Expr(e)) => exprs.push(e),
                        sp::FunctionArg::Unnamed(sp::FunctionArgExpr::Wildcard) => star = true,
                        _ => {
                            return Err(self.err(
                                ErrorCode::ParseUnsupportedCallWithStar,
                                "Unsupported function argument.",
                                span,
                            ))
                        }
                    }
                }
                (exprs, distinct, star)
            }
        };
        if is_internal && (name == IS_MISSING_FN || name == IS_NOT_MISSING_FN) {
            // The dialect always builds these with one argument.
            if let [arg] = args.as_slice() {
                return Ok(Expr::Is {
                    expr: self.boxed(arg)?,
                    test: IsTest::Missing,
                    negated: name == IS_NOT_MISSING_FN,
                });
            }
        }
        if distinct {
            return Err(self.unsupported("DISTINCT inside a function call", span));
        }
        let signature = signatures::lookup(&name);
        let (function, exprs) = match signature.map(|s| (s, s.form)) {
            Some((s, Form::Aggregate(function))) => {
                return self.aggregate(function, s, &args, star, &name, span)
            }
            _ if star => {
                return Err(self.err(
                    ErrorCode::ParseUnsupportedCallWithStar,
                    format!("{} does not take *.", name.to_uppercase()),
                    span,
                ))
            }
            None | Some((_, Form::Extract)) => {
                return Err(self.err(
                    ErrorCode::UnsupportedFunction,
                    format!("S3 Select has no function {}.", name.to_uppercase()),
                    span,
                ))
            }
            Some((_, Form::Cast)) => {
                return Err(self.err(
                    ErrorCode::ParseCastArity,
                    "CAST takes one value and a type: CAST(expression AS type).",
                    span,
                ))
            }
            Some((s, _)) if !s.takes(args.len()) => {
                return Err(self.wrong_count(s, &name, args.len(), span))
            }
            Some((_, Form::Scalar(function))) => (function, args.as_slice()),
            Some((s, Form::DatePartFirst(build))) => match args.split_first() {
                Some((part, rest)) => (build(self.date_part_arg(part)?), rest),
                None => return Err(self.wrong_count(s, &name, 0, span)),
            },
        };
        let args = exprs.iter().map(|a| self.expr(a)).collect::<Result<_>>()?;
        Ok(Expr::Call { function, args, at })
    }

    /// `AVG`, `COUNT`, `MAX`, `MIN`, `SUM`: one argument, or `*` for COUNT.
    fn aggregate(
        &self,
        function: Aggregate,
        signature: &Signature,
        args: &[&sp::Expr],
        star: bool,
        name: &str,
        span: Span,
    ) -> Result<Expr> {
        let at = self.pos(span);
        if star {
            if function != Aggregate::Count || !args.is_empty() {
                return Err(self.err(
                    ErrorCode::ParseUnsupportedCallWithStar,
                    format!("Only COUNT takes *, not {}.", name.to_uppercase()),
                    span,
                ));
            }
            return Ok(Expr::Aggregate {
                function,
                arg: None,
                at,
                slot: 0,
            });
        }
        let arg = match args {
            [arg] if signature.takes(1) => self.expr(arg)?,
            _ => {
                return Err(self.err(
                    ErrorCode::ParseNonUnaryAgregateFunctionCall,
                    format!("{} takes exactly one argument.", name.to_uppercase()),
                    span,
                ))
            }
        };
        if arg.contains_aggregate() {
            return Err(self.err(
                ErrorCode::UnsupportedSyntax,
                "Aggregate functions cannot be nested.",
                span,
            ));
        }
        Ok(Expr::Aggregate {
            function,
            arg: Some(Box::new(arg)),
            at,
            slot: 0,
        })
    }

    /// A call with a count of arguments its signature does not allow.
    fn wrong_count(&self, signature: &Signature, name: &str, count: usize, span: Span) -> Err {
        let (min, max) = (signature.min_args, signature.max_args);
        self.err(
            ErrorCode::EvaluatorInvalidArguments,
            format!(
                "{} takes {} argument(s), not {count}.",
                name.to_uppercase(),
                if min == max {
                    min.to_string()
                } else {
                    format!("{min} to {max}")
                },
            ),
            span,
        )
    }

    /// `EXTRACT(part FROM x)`.
    pub(super) fn extract(
        &self,
        field: &sp::DateTimeField,
        expr: &sp::Expr,
        e: &sp::Expr,
    ) -> Result<Expr> {
        let part = self.datetime_field(field, e.span())?;
        Ok(Expr::Call {
            function: Function::Extract(part),
            args: vec![self.expr(expr)?],
            at: self.pos(e.span()),
        })
    }

    /// `SUBSTRING(x FROM start [FOR length])` and `SUBSTRING(x, start[, length])`.
    pub(super) fn substring(
        &self,
        expr: &sp::Expr,
        from: Option<&sp::Expr>,
        length: Option<&sp::Expr>,
        e: &sp::Expr,
    ) -> Result<Expr> {
        let mut args = vec![self.expr(expr)?];
        match from {
            Some(f) => args.push(self.expr(f)?),
            None => {
                return Err(self.err(
                    ErrorCode::EvaluatorInvalidArguments,
                    "SUBSTRING needs a start position.",
                    e.span(),
                ))
            }
        }
        if let Some(f) = length {
            args.push(self.expr(f)?);
        }
        Ok(Expr::Call {
            function: Function::Substring,
            args,
            at: self.pos(e.span()),
        })
    }

    /// `TRIM([LEADING | TRAILING | BOTH] [chars] FROM x)` and `TRIM(x)`.
    pub(super) fn trim(
        &self,
        side: Option<&sp::TrimWhereField>,
        chars: Option<&sp::Expr>,
        expr: &sp::Expr,
        comma_chars: bool,
        e: &sp::Expr,
    ) -> Result<Expr> {
        if comma_chars {
            return Err(self.err(
                ErrorCode::EvaluatorInvalidArguments,
                "Write TRIM(BOTH 'chars' FROM string).",
                e.span(),
            ));
        }
        let side = match side {
            Some(sp::TrimWhereField::Leading) => TrimSide::Leading,
            Some(sp::TrimWhereField::Trailing) => TrimSide::Trailing,
            _ => TrimSide::Both,
        };
        let mut args = vec![self.expr(expr)?];
        if let Some(w) = chars {
            args.push(self.expr(w)?);
        }
        Ok(Expr::Call {
            function: Function::Trim(side),
            args,
            at: self.pos(e.span()),
        })
    }

    /// EXTRACT's date part: any, TIMEZONE_HOUR and TIMEZONE_MINUTE included.
    fn datetime_field(&self, f: &sp::DateTimeField, span: Span) -> Result<DatePart> {
        // Named without sqlparser's Display, which would pull its whole printer into the wasm.
        let name = match f {
            sp::DateTimeField::Custom(i) => i.value.clone(),
            sp::DateTimeField::Year => "year".into(),
            sp::DateTimeField::Month => "month".into(),
            sp::DateTimeField::Day => "day".into(),
            sp::DateTimeField::Hour => "hour".into(),
            sp::DateTimeField::Minute => "minute".into(),
            sp::DateTimeField::Second => "second".into(),
            sp::DateTimeField::TimezoneHour => "timezone_hour".into(),
            sp::DateTimeField::TimezoneMinute => "timezone_minute".into(),
            _ => "That".into(),
        };
        DatePart::from_name(&name).ok_or_else(|| {
            self.err(
                ErrorCode::ParseExpectedDatePart,
                format!("{name} is not a date part; use YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, TIMEZONE_HOUR or TIMEZONE_MINUTE."),
                span,
            )
        })
    }

    /// DATE_ADD's and DATE_DIFF's first argument: an unquoted date part, not TIMEZONE_*.
    fn date_part_arg(&self, arg: &sp::Expr) -> Result<DatePart> {
        match arg {
            sp::Expr::Identifier(i) if i.quote_style.is_none() => DatePart::from_name(&i.value),
            _ => None,
        }
        .filter(|p| !matches!(p, DatePart::TimezoneHour | DatePart::TimezoneMinute))
        .ok_or_else(|| {
            self.err(
                ErrorCode::ParseExpectedDatePart,
                "Expected a date part: YEAR, MONTH, DAY, HOUR, MINUTE or SECOND.",
                arg.span(),
            )
        })
    }
}
