//! The constructs with syntax of their own: CASE, CAST(x AS type) and type names,
//! EXTRACT(part FROM x), SUBSTRING(x FROM a FOR b), TRIM([side] [chars] FROM x); and POSITION,
//! EXISTS and INTERVAL, read then refused.

use super::calls::Site;
use super::expr::Parsed;
use super::{ast, Expected, Parser};
use crate::error::{ErrorCode, Result};
use crate::timestamp::DatePart;
use ast::{CastType, Expr, Function, TrimSide};
use wyvern_lexer::TokenKind as K;

impl<'a> Parser<'a> {
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
