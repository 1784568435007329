//! Calls: plain calls checked against the signature table (`sql::signatures`), aggregates,
//! date parts as arguments, and the constructs with syntax of their own: CASE, CAST(x AS type),
//! EXTRACT(part FROM x), SUBSTRING(x FROM a FOR b), TRIM([side] [chars] FROM x).

use super::expr::Parsed;
use super::{ast, Expected, Parser};
use crate::error::{ErrorCode, Position, Result, SelectError};
use crate::sql::signatures::{self, Form, Signature};
use crate::timestamp::DatePart;
use ast::{Aggregate, CastType, Expr, Function, TrimSide};
use wyvern_lexer::TokenKind as K;

/// Where a construct starts (`at`, its bytes from `start`), for its refusals.
#[derive(Clone, Copy)]
struct Site {
    at: Position,
    start: usize,
}

impl<'a> Parser<'a> {
    fn site(&self) -> Site {
        Site {
            at: self.here(),
            start: self.peek().map_or(0, |t| t.start),
        }
    }

    fn refuse_at(&mut self, site: Site, code: ErrorCode, message: impl Into<String>) {
        let error = SelectError::at(code, message, Some(site.at));
        self.refuse(site.start, self.last_end(), error);
    }

    fn finish(&self, expr: Expr, site: Site, at: Position) -> Parsed<'a> {
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

    /// `CASE [operand] WHEN … THEN … [WHEN …] [ELSE …] END`.
    pub(super) fn case(&mut self) -> Result<Parsed<'a>> {
        let site = self.site();
        self.advance();
        let operand = if self.peek_word("when") {
            None
        } else {
            let operand = self.expr()?;
            if !self.peek_word("when") {
                return Err(self.expected(Expected::Keyword("when")));
            }
            Some(Box::new(operand.expr))
        };
        let mut whens = Vec::new();
        while self.eat_word("when").is_some() {
            let condition = self.expr()?;
            self.expect_word("then")?;
            let result = self.expr()?;
            whens.push((condition.expr, result.expr));
        }
        let otherwise = match self.eat_word("else") {
            Some(_) => Some(Box::new(self.expr()?.expr)),
            None => None,
        };
        if self.eat_word("end").is_none() {
            return Err(self.expected(Expected::Token("END")));
        }
        let expr = Expr::Case {
            operand,
            whens,
            otherwise,
        };
        Ok(self.finish(expr, site, site.at))
    }

    /// `CAST(x AS type)` (`CAST(x)` and `CAST(x, y)` are read as calls, refused for their
    /// arity).
    pub(super) fn cast(&mut self) -> Result<Parsed<'a>> {
        let site = self.site();
        self.advance();
        if self.eat(K::LeftParen).is_none() {
            return Err(self.expected(Expected::LeftParenAfterCast));
        }
        let operand = self.expr()?;
        self.expect_word("as")?;
        let to = self.type_name()?;
        self.expect(K::RightParen, ")")?;
        let expr = Expr::Cast {
            expr: Box::new(operand.expr),
            to: to.unwrap_or(CastType::String),
            at: Some(operand.at),
        };
        Ok(self.finish(expr, site, operand.at))
    }

    /// A type name with its optional parameters (`DECIMAL(10, 2)`); `None` (refused) for a
    /// type S3 Select does not have.
    pub(super) fn type_name(&mut self) -> Result<Option<CastType>> {
        let Some(token) = self
            .peek()
            .filter(|t| matches!(t.kind, K::Keyword | K::Identifier | K::QuotedIdentifier))
        else {
            return Err(self.expected(Expected::TypeName));
        };
        self.enter()?;
        let site = self.site();
        self.advance();
        let word = self.text(token).to_ascii_lowercase();
        let cast_type = match word.as_str() {
            "bool" | "boolean" => Some(CastType::Bool),
            "int" | "integer" | "smallint" | "bigint" | "tinyint" => Some(CastType::Int),
            "float" | "real" => Some(CastType::Float),
            "double" => {
                self.eat_word("precision");
                Some(CastType::Float)
            }
            "decimal" | "numeric" | "dec" => Some(CastType::Decimal),
            "string" | "varchar" | "char" | "text" => Some(CastType::String),
            "character" => {
                self.eat_word("varying");
                Some(CastType::String)
            }
            "timestamp" => Some(CastType::Timestamp),
            _ => None,
        };
        if self.eat(K::LeftParen).is_some() {
            self.skip_to_closing_paren();
        }
        if cast_type == Some(CastType::Timestamp)
            && (self.peek_word("with") || self.peek_word("without"))
        {
            self.next += 1;
            self.expect_word("time")?;
            self.expect_word("zone")?;
        }
        if cast_type.is_none() {
            self.refuse_at(
                site,
                ErrorCode::ParseExpectedTypeName,
                "That is not an S3 Select type; use BOOL, INT, INTEGER, FLOAT, DECIMAL, NUMERIC, STRING or TIMESTAMP.",
            );
        }
        self.leave();
        Ok(cast_type)
    }

    /// `EXTRACT(part FROM x)`.
    pub(super) fn extract(&mut self) -> Result<Parsed<'a>> {
        let site = self.site();
        self.advance();
        self.expect(K::LeftParen, "(")?;
        let Some(part_token) = self
            .peek()
            .filter(|t| matches!(t.kind, K::Keyword | K::Identifier))
        else {
            return Err(self.expected(Expected::Token("a date part")));
        };
        let part_name = self.text(part_token).to_ascii_lowercase();
        if !is_date_time_field(&part_name) {
            return Err(self.expected(Expected::Token("a date part")));
        }
        self.advance();
        if self.eat_word("from").is_none() {
            return Err(self.expected(Expected::Token("FROM")));
        }
        let operand = self.expr()?;
        self.expect(K::RightParen, ")")?;
        let part = DatePart::from_name(&part_name);
        if part.is_none() {
            self.refuse_at(
                Site { at: operand.at, ..site },
                ErrorCode::ParseExpectedDatePart,
                format!("{part_name} is not a date part; use YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, TIMEZONE_HOUR or TIMEZONE_MINUTE."),
            );
        }
        let expr = Expr::Call {
            function: Function::Extract(part.unwrap_or(DatePart::Year)),
            args: vec![operand.expr],
            at: Some(operand.at),
        };
        Ok(self.finish(expr, site, operand.at))
    }

    /// `SUBSTRING(x FROM start [FOR length])` and `SUBSTRING(x, start[, length])`.
    pub(super) fn substring(&mut self) -> Result<Parsed<'a>> {
        let site = self.site();
        self.advance();
        self.expect(K::LeftParen, "(")?;
        let operand = self.expr()?;
        let at = operand.at;
        let mut args = vec![operand.expr];
        let has_start = self.eat(K::Comma).is_some() || self.eat_word("from").is_some();
        if has_start {
            args.push(self.expr()?.expr);
        }
        if self.eat_word("for").is_some() || self.eat(K::Comma).is_some() {
            args.push(self.expr()?.expr);
        }
        self.expect(K::RightParen, ")")?;
        if !has_start {
            self.refuse_at(
                Site { at, ..site },
                ErrorCode::EvaluatorInvalidArguments,
                "SUBSTRING needs a start position.",
            );
        }
        let expr = Expr::Call {
            function: Function::Substring,
            args,
            at: Some(at),
        };
        Ok(self.finish(expr, site, at))
    }

    /// `TRIM([LEADING | TRAILING | BOTH] [chars] FROM x)` and `TRIM(x)`.
    pub(super) fn trim(&mut self) -> Result<Parsed<'a>> {
        let site = self.site();
        self.advance();
        self.expect(K::LeftParen, "(")?;
        let side = if self.eat_word("leading").is_some() {
            Some(TrimSide::Leading)
        } else if self.eat_word("trailing").is_some() {
            Some(TrimSide::Trailing)
        } else if self.eat_word("both").is_some() {
            Some(TrimSide::Both)
        } else {
            None
        };
        let (args, at) = if side.is_some() && self.eat_word("from").is_some() {
            let operand = self.expr()?;
            (vec![operand.expr], operand.at)
        } else {
            let first = self.expr()?;
            if self.eat_word("from").is_some() {
                let operand = self.expr()?;
                (vec![operand.expr, first.expr], first.at)
            } else {
                (vec![first.expr], first.at)
            }
        };
        self.expect(K::RightParen, ")")?;
        let expr = Expr::Call {
            function: Function::Trim(side.unwrap_or(TrimSide::Both)),
            args,
            at: Some(at),
        };
        Ok(self.finish(expr, site, at))
    }

    /// `POSITION(x IN y)`: read, then refused.
    pub(super) fn position(&mut self) -> Result<Parsed<'a>> {
        let site = self.site();
        self.advance();
        self.expect(K::LeftParen, "(")?;
        let needle = self.subexpr(super::expr::COMPARE)?;
        self.expect_word("in")?;
        self.expr()?;
        self.expect(K::RightParen, ")")?;
        self.unsupported_expression(site.start, needle.at);
        Ok(self.placeholder(site.start, needle.at))
    }

    /// `EXISTS (query)` and `INTERVAL …`: read, then refused.
    pub(super) fn refused_prefix(&mut self, word: &str) -> Result<Parsed<'a>> {
        let site = self.site();
        self.advance();
        if word == "exists" {
            self.expect(K::LeftParen, "(")?;
            let at = self.here();
            self.subquery()?;
            self.expect(K::RightParen, ")")?;
            self.unsupported("subqueries", site.start, self.last_end(), Some(at));
            return Ok(self.placeholder(site.start, at));
        }
        let value = self.subexpr(super::expr::OR)?;
        if self.peek().is_some_and(|t| {
            t.kind == K::Keyword && is_date_time_field(&self.text(t).to_ascii_lowercase())
        }) {
            self.advance();
        }
        self.unsupported(
            "INTERVAL; use DATE_ADD",
            site.start,
            self.last_end(),
            Some(value.at),
        );
        Ok(self.placeholder(site.start, value.at))
    }
}

/// The date and time fields SQL names in EXTRACT (S3 Select has only some of them).
fn is_date_time_field(word: &str) -> bool {
    const FIELDS: &[&str] = &[
        "century",
        "date",
        "datetime",
        "day",
        "dayofweek",
        "dayofyear",
        "days",
        "decade",
        "dow",
        "doy",
        "epoch",
        "hour",
        "hours",
        "isodow",
        "isoweek",
        "isoyear",
        "julian",
        "microsecond",
        "microseconds",
        "millenium",
        "millennium",
        "millisecond",
        "milliseconds",
        "minute",
        "minutes",
        "month",
        "months",
        "nanosecond",
        "nanoseconds",
        "quarter",
        "second",
        "seconds",
        "time",
        "timezone",
        "timezone_abbr",
        "timezone_hour",
        "timezone_minute",
        "timezone_region",
        "week",
        "weeks",
        "year",
        "years",
    ];
    FIELDS.contains(&word)
}
