//! Calls `name(args)`: checked against the signature table (`sql::signatures`), aggregates
//! (COUNT(*) included), date parts as arguments, and the clauses SQL allows after a call
//! (OVER, FILTER: refused). The constructs with syntax of their own are in `forms.rs`.

use super::expr::Parsed;
use super::{ast, Parser};
use crate::error::{ErrorCode, Position, Result, SelectError};
use crate::sql::signatures::{self, Form, Signature};
use crate::timestamp::DatePart;
use ast::{Aggregate, Expr};
use wyvern_lexer::TokenKind as K;

/// Where a construct starts (`at`, its bytes from `start`), for its refusals.
#[derive(Clone, Copy)]
pub(super) struct Site {
    pub(super) at: Position,
    pub(super) start: usize,
}

impl<'a> Parser<'a> {
    pub(super) fn site(&self) -> Site {
        Site {
            at: self.here(),
            start: self.peek().map_or(0, |t| t.start),
        }
    }

    pub(super) fn refuse_at(&mut self, site: Site, code: ErrorCode, message: impl Into<String>) {
        let error = SelectError::at(code, message, Some(site.at));
        self.refuse(site.start, self.last_end(), error);
    }

    pub(super) fn finish(&self, expr: Expr, site: Site, at: Position) -> Parsed<'a> {
        Parsed {
            expr,
            at,
            start: site.start,
            end: self.last_end(),
            number: None,
        }
    }

    /// `name(args)`: an aggregate or a scalar function.
    pub(super) fn call(&mut self) -> Result<Parsed<'a>> {
        let site = self.site();
        let name_token = self.advance();
        let name = name_token.map_or("", |t| self.text(t));
        let name = if name_token.is_some_and(|t| t.kind == K::QuotedIdentifier) {
            wyvern_lexer::unquote(name)
        } else {
            name.to_string()
        };
        self.expect(K::LeftParen, "(")?;
        let signature = signatures::lookup(&name);
        let date_part_first = matches!(signature.map(|s| s.form), Some(Form::DatePartFirst(_)));
        let distinct = self.eat_word("distinct").is_some();
        if !distinct {
            self.eat_word("all");
        }
        let mut args = Vec::new();
        let mut star = None;
        let mut date_part = None;
        if self.eat(K::RightParen).is_none() {
            loop {
                if self.kind_at(0) == Some(K::Star) {
                    star = self.advance();
                } else if self.kind_at(0) == Some(K::LeftParen)
                    && self.kind_at(1) == Some(K::Star)
                    && self.kind_at(2) == Some(K::RightParen)
                {
                    // `(*)`, which SQL reads as `*`.
                    star = self.peek_nth(1);
                    self.next += 3;
                } else if args.is_empty() && date_part_first && date_part.is_none() {
                    date_part = Some(self.date_part_arg()?);
                } else {
                    let first = self.peek();
                    let arg = self.expr()?;
                    if first.is_some_and(|t| t.kind == K::Keyword || t.kind == K::Identifier)
                        && self.kind_at(0) == Some(K::Dot)
                        && self.kind_at(1) == Some(K::Star)
                    {
                        self.next += 2;
                        self.refuse_at(
                            site,
                            ErrorCode::ParseUnsupportedCallWithStar,
                            "Unsupported function argument.",
                        );
                    }
                    args.push(arg.expr);
                }
                if self.eat(K::Comma).is_none() {
                    break;
                }
            }
            self.expect(K::RightParen, ")")?;
        }
        self.window_clauses(site);
        if distinct {
            self.unsupported(
                "DISTINCT inside a function call",
                site.start,
                self.last_end(),
                Some(site.at),
            );
        }
        let count = args.len() + usize::from(date_part.is_some());
        let upper = name.to_uppercase();
        let expr = match signature.map(|s| (s, s.form)) {
            Some((s, Form::Aggregate(function))) => {
                self.aggregate(function, s, args, star.is_some(), &upper, site)
            }
            _ if star.is_some() => {
                self.refuse_at(
                    site,
                    ErrorCode::ParseUnsupportedCallWithStar,
                    format!("{upper} does not take *."),
                );
                Expr::Literal(crate::value::Value::Null)
            }
            None | Some((_, Form::Extract)) => {
                self.refuse_at(
                    site,
                    ErrorCode::UnsupportedFunction,
                    format!("S3 Select has no function {upper}."),
                );
                Expr::Literal(crate::value::Value::Null)
            }
            Some((_, Form::Cast)) => {
                self.refuse_at(
                    site,
                    ErrorCode::ParseCastArity,
                    "CAST takes one value and a type: CAST(expression AS type).",
                );
                Expr::Literal(crate::value::Value::Null)
            }
            Some((s, _)) if !s.takes(count) => {
                self.wrong_count(s, &upper, count, site);
                Expr::Literal(crate::value::Value::Null)
            }
            Some((_, Form::Scalar(function))) => Expr::Call {
                function,
                args,
                at: Some(site.at),
            },
            Some((_, Form::DatePartFirst(build))) => Expr::Call {
                function: build(date_part.flatten().unwrap_or(DatePart::Year)),
                args,
                at: Some(site.at),
            },
        };
        Ok(self.finish(expr, site, site.at))
    }

    /// `OVER (…)` or `FILTER (…)` after a call: read, then refused.
    fn window_clauses(&mut self, site: Site) {
        let mut any = false;
        while self.peek_word("over") || self.peek_word("filter") {
            self.advance();
            any = true;
            if self.eat(K::LeftParen).is_some() {
                self.skip_to_closing_paren();
            } else {
                self.advance();
            }
        }
        if any {
            self.unsupported(
                "window functions and aggregate modifiers",
                site.start,
                self.last_end(),
                Some(site.at),
            );
        }
    }

    /// After `(`: up to and including its `)` (or the end).
    pub(super) fn skip_to_closing_paren(&mut self) {
        let mut open = 1usize;
        while let Some(t) = self.advance() {
            match t.kind {
                K::LeftParen => open += 1,
                K::RightParen => {
                    open -= 1;
                    if open == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// DATE_ADD's and DATE_DIFF's first argument: an unquoted date part, not TIMEZONE_*. Any
    /// other expression is read (its own refusals dropped: it is not an expression here) and
    /// refused as a whole.
    fn date_part_arg(&mut self) -> Result<Option<DatePart>> {
        let first = self.peek();
        let site = self.site();
        let before = self.refusal.take();
        let arg = self.expr()?;
        self.refusal = before;
        let single_word =
            first.filter(|t| matches!(t.kind, K::Keyword | K::Identifier) && t.end == arg.end);
        let part = single_word
            .and_then(|t| DatePart::from_name(self.text(t)))
            .filter(|p| !matches!(p, DatePart::TimezoneHour | DatePart::TimezoneMinute));
        if part.is_none() {
            self.refuse_at(
                Site { at: arg.at, ..site },
                ErrorCode::ParseExpectedDatePart,
                "Expected a date part: YEAR, MONTH, DAY, HOUR, MINUTE or SECOND.",
            );
        }
        Ok(part)
    }

    /// `AVG`, `COUNT`, `MAX`, `MIN`, `SUM`: one argument, or `*` for COUNT.
    fn aggregate(
        &mut self,
        function: Aggregate,
        signature: &Signature,
        args: Vec<Expr>,
        star: bool,
        name: &str,
        site: Site,
    ) -> Expr {
        let at = Some(site.at);
        let null = Expr::Literal(crate::value::Value::Null);
        if star {
            if function != Aggregate::Count || !args.is_empty() {
                self.refuse_at(
                    site,
                    ErrorCode::ParseUnsupportedCallWithStar,
                    format!("Only COUNT takes *, not {name}."),
                );
                return null;
            }
            return Expr::Aggregate {
                function,
                arg: None,
                at,
                slot: 0,
            };
        }
        let mut args = args.into_iter();
        let arg = match (args.next(), args.next()) {
            (Some(arg), None) if signature.takes(1) => arg,
            _ => {
                self.refuse_at(
                    site,
                    ErrorCode::ParseNonUnaryAgregateFunctionCall,
                    format!("{name} takes exactly one argument."),
                );
                return null;
            }
        };
        if arg.contains_aggregate() {
            self.refuse_at(
                site,
                ErrorCode::UnsupportedSyntax,
                "Aggregate functions cannot be nested.",
            );
        }
        Expr::Aggregate {
            function,
            arg: Some(Box::new(arg)),
            at,
            slot: 0,
        }
    }

    /// A call with a count of arguments its signature does not allow.
    fn wrong_count(&mut self, signature: &Signature, name: &str, count: usize, site: Site) {
        let (min, max) = (signature.min_args, signature.max_args);
        let takes = if min == max {
            min.to_string()
        } else {
            format!("{min} to {max}")
        };
        self.refuse_at(
            site,
            ErrorCode::EvaluatorInvalidArguments,
            format!("{name} takes {takes} argument(s), not {count}."),
        );
    }
}
