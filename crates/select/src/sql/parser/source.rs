//! FROM: `S3Object[*].path [AS] alias`, with the path read as written (`[*]`, `.*`, `[0]`,
//! `['k']`, `.name`); joins, several sources, subqueries and table functions are read, then
//! refused.

use super::select::empty_query;
use super::{ast, Clause, Expected, Parser};
use crate::error::{ErrorCode, Position, Result, SelectError};
use ast::PathStep;
use std::cmp::Reverse;
use wyvern_lexer::TokenKind as K;

/// Words that end a FROM item where an alias could stand.
const NOT_A_TABLE_ALIAS: &[&str] = &[
    "analyze",
    "anti",
    "array",
    "asof",
    "cluster",
    "connect",
    "cross",
    "distribute",
    "end",
    "except",
    "explain",
    "fetch",
    "for",
    "format",
    "from",
    "full",
    "global",
    "group",
    "having",
    "inner",
    "intersect",
    "join",
    "lateral",
    "left",
    "limit",
    "match_condition",
    "match_recognize",
    "minus",
    "natural",
    "offset",
    "on",
    "open",
    "order",
    "outer",
    "output",
    "partition",
    "pivot",
    "prewhere",
    "qualify",
    "returning",
    "right",
    "sample",
    "select",
    "semi",
    "set",
    "settings",
    "sort",
    "start",
    "tablesample",
    "top",
    "union",
    "unpivot",
    "using",
    "view",
    "where",
    "window",
    "with",
];

impl Parser<'_> {
    /// After FROM: `S3Object[*].path [AS] alias`; joins and further sources are refused.
    pub(super) fn source(&mut self) -> Result<ast::From> {
        let from = self.table_factor()?;
        self.joins()?;
        while let Some(second) = self
            .peek()
            .filter(|t| t.kind == K::Comma)
            .and_then(|_| self.peek_nth(1))
        {
            self.advance();
            self.table_factor()?;
            self.joins()?;
            let error = SelectError::at(
                ErrorCode::MultipleDataSourcesUnsupported,
                "S3 Select queries one object: use a single FROM S3Object.",
                Some(super::position_of(second)),
            );
            self.refuse_ranked((Clause::From, 0, Reverse(usize::MAX)), error);
        }
        Ok(from)
    }

    /// `[INNER | LEFT | …] JOIN source [ON condition | USING (names)]`: read, then refused.
    fn joins(&mut self) -> Result<()> {
        const JOIN_WORDS: &[&str] = &[
            "inner", "left", "right", "full", "cross", "natural", "outer",
        ];
        while JOIN_WORDS.iter().any(|w| self.peek_word(w)) || self.peek_word("join") {
            while JOIN_WORDS.iter().any(|w| self.peek_word(w)) {
                self.advance();
            }
            self.expect_word("join")?;
            let at = self.here();
            self.table_factor()?;
            if self.eat_word("on").is_some() {
                self.expr()?;
            } else if self.eat_word("using").is_some() {
                self.expect(K::LeftParen, "(")?;
                self.skip_to_closing_paren();
            }
            self.unsupported_ranked("joins", (Clause::From, 1, Reverse(usize::MAX)), at);
        }
        Ok(())
    }

    fn unsupported_ranked(&mut self, what: &str, rank: super::Rank, at: Position) {
        let error = SelectError::at(
            ErrorCode::UnsupportedSyntax,
            format!("S3 Select does not support {what}. It runs SELECT … FROM S3Object … WHERE … LIMIT … only."),
            Some(at),
        );
        self.refuse_ranked(rank, error);
    }

    /// One source: `S3Object[*].path [AS] alias`, or a subquery or table function (refused).
    fn table_factor(&mut self) -> Result<ast::From> {
        self.enter()?;
        let start = self.peek().map_or(0, |t| t.start);
        let at = self.here();
        if self.eat(K::LeftParen).is_some() {
            let inner_at = self.here();
            self.subquery()?;
            self.expect(K::RightParen, ")")?;
            self.alias(NOT_A_TABLE_ALIAS, start)?;
            self.unsupported(
                "this FROM clause (subqueries or table functions)",
                start,
                self.last_end(),
                Some(inner_at),
            );
            self.leave();
            return Ok(empty_query().from);
        }
        let mut parts = vec![self.object_name_part()?];
        while self.kind_at(0) == Some(K::Dot) && self.kind_at(1) != Some(K::Star) {
            self.advance();
            parts.push(self.object_name_part()?);
        }
        if self.eat(K::LeftParen).is_some() {
            self.skip_to_closing_paren();
            // Checked before the name.
            self.unsupported_ranked(
                "table functions",
                (Clause::From, start, Reverse(usize::MAX)),
                at,
            );
        }
        let path = self.source_path()?;
        if let Some((first, _)) = parts.first() {
            if !first.eq_ignore_ascii_case("s3object") {
                let error = SelectError::at(
                    ErrorCode::ParseUnsupportedSyntax,
                    format!("FROM must name S3Object, not {first}."),
                    Some(at),
                );
                self.refuse_ranked((Clause::From, start, Reverse(usize::MAX)), error);
            } else if let Some((_, second_at)) = parts.get(1) {
                let error = SelectError::at(
                    ErrorCode::ParseInvalidPathComponent,
                    "A FROM path must start with a wildcard: write S3Object[*].path, not S3Object.path.",
                    Some(*second_at),
                );
                self.refuse_ranked((Clause::From, start, Reverse(usize::MAX)), error);
            } else if !path.is_empty() && path.first() != Some(&PathStep::Wildcard) {
                let error = SelectError::at(
                    ErrorCode::ParseInvalidPathComponent,
                    "A FROM path must start with [*]: write S3Object[*].path.",
                    Some(at),
                );
                self.refuse_ranked((Clause::From, start, Reverse(usize::MAX)), error);
            }
        }
        let alias = self.alias(NOT_A_TABLE_ALIAS, start)?;
        if alias.is_some() && self.kind_at(0) == Some(K::LeftParen) {
            let error = SelectError::at(
                ErrorCode::ParseUnsupportedAlias,
                "Column lists in a table alias are not supported.",
                self.tokens
                    .get(self.next.saturating_sub(1))
                    .map(super::position_of),
            );
            self.advance();
            loop {
                self.object_name_part()?;
                if self.eat(K::Comma).is_none() {
                    break;
                }
            }
            self.expect(K::RightParen, ")")?;
            self.refuse(start, start, error);
        }
        self.leave();
        Ok(ast::From { path, alias })
    }

    /// One part of the source's name (its text unquoted, and where it is).
    fn object_name_part(&mut self) -> Result<(String, Position)> {
        match self.peek() {
            Some(t) if super::names_a_field(t.kind) => {
                self.advance();
                Ok((wyvern_lexer::unquote(self.text(t)), super::position_of(t)))
            }
            _ => Err(self.expected(Expected::Token("S3Object"))),
        }
    }

    /// The FROM path after S3Object: `[*]`, `.*`, `[0]`, `['k']`, `.name`, `."Name"`.
    fn source_path(&mut self) -> Result<Vec<PathStep>> {
        let mut path = Vec::new();
        loop {
            if self.eat(K::LeftBracket).is_some() {
                path.push(self.bracket(true)?);
            } else if self.kind_at(0) == Some(K::Dot) && self.kind_at(1) == Some(K::Star) {
                self.next += 2;
                path.push(PathStep::Wildcard);
            } else if !path.is_empty() && self.eat(K::Dot).is_some() {
                match self.peek() {
                    Some(t) if super::names_a_field(t.kind) => {
                        self.advance();
                        path.push(PathStep::Field(self.name_unchecked(t)));
                    }
                    _ => return Err(self.expected(Expected::Token("a name after '.'"))),
                }
            } else {
                return Ok(path);
            }
        }
    }
}
