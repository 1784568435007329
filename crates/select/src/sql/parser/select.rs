//! The query and its clauses: SELECT list, WHERE, LIMIT (FROM is in `source.rs`); and the
//! clauses S3 Select does not have (WITH, DISTINCT, GROUP BY, HAVING, set operations, ORDER BY,
//! OFFSET), read so that a syntax error after them still comes first, then refused.

use super::{ast, Clause, Expected, Parser};
use crate::error::{ErrorCode, Position, Result, SelectError};
use ast::{PathStep, Projection};
use std::cmp::Reverse;
use wyvern_lexer::{Token, TokenKind as K};

/// Words that end a SELECT item where an alias could stand (SQL keywords of the clauses that
/// may follow it).
const NOT_A_COLUMN_ALIAS: &[&str] = &[
    "analyze",
    "cluster",
    "distribute",
    "end",
    "except",
    "exclude",
    "explain",
    "fetch",
    "from",
    "group",
    "having",
    "intersect",
    "into",
    "lateral",
    "limit",
    "minus",
    "offset",
    "order",
    "returning",
    "select",
    "sort",
    "top",
    "union",
    "values",
    "view",
    "where",
    "with",
];

/// One SELECT list item as read.
enum Item {
    Star(Position),
    /// `name.*`: `*` if the name is the FROM alias (checked once FROM is read); `name` is
    /// `None` for a longer prefix (`a.b.*`).
    Qualified {
        name: Option<String>,
        at: Position,
        start: usize,
        end: usize,
    },
    Expr(ast::SelectItem),
}

impl<'a> Parser<'a> {
    /// `[WITH …] body [UNION …] [ORDER BY …] [LIMIT n] [OFFSET n]`.
    pub fn query(&mut self) -> Result<ast::Query> {
        self.enter()?;
        if let Some(with) = self.eat_word("with") {
            self.with_clause(with)?;
        }
        let body_at = self.here();
        let mut query = self.query_body()?;
        while ["union", "except", "intersect", "minus"]
            .iter()
            .any(|w| self.peek_word(w))
        {
            self.advance();
            let _ = self.eat_word("all").or_else(|| self.eat_word("distinct"));
            let outer = self.refusal.take();
            self.query_body()?;
            self.refusal = outer;
            let error = SelectError::at(
                ErrorCode::UnsupportedSyntax,
                "S3 Select does not support set operations (UNION, INTERSECT, EXCEPT) or VALUES. It runs SELECT … FROM S3Object … WHERE … LIMIT … only.",
                Some(body_at),
            );
            self.refuse_ranked((Clause::SetOperation, 0, Reverse(usize::MAX)), error);
        }
        if self.peek_word("order") && self.word_at(1, "by") {
            self.next += 2;
            self.order_by()?;
        }
        query.limit = self.limit_and_offset()?;
        self.leave();
        Ok(query)
    }

    /// `WITH name AS (query), …`: read, then refused.
    fn with_clause(&mut self, with: &Token) -> Result<()> {
        loop {
            self.advance();
            self.expect_word("as")?;
            self.expect(K::LeftParen, "(")?;
            self.in_clause(Clause::With, |p| p.subquery())?;
            self.expect(K::RightParen, ")")?;
            if self.eat(K::Comma).is_none() {
                break;
            }
        }
        let at = Some(super::position_of(with));
        self.in_clause(Clause::With, |p| {
            p.unsupported("WITH", with.start, p.last_end(), at)
        });
        Ok(())
    }

    /// SELECT …, or a query in parentheses (refused).
    fn query_body(&mut self) -> Result<ast::Query> {
        if let Some(open) = self.eat(K::LeftParen) {
            let at = self.here();
            self.subquery()?;
            self.expect(K::RightParen, ")")?;
            let error = SelectError::at(
                ErrorCode::UnsupportedSyntax,
                "S3 Select does not support subqueries. It runs SELECT … FROM S3Object … WHERE … LIMIT … only.",
                Some(at),
            );
            self.refuse_ranked(
                (Clause::SetOperation, open.start, Reverse(usize::MAX)),
                error,
            );
            return Ok(empty_query());
        }
        if self.eat_word("select").is_none() {
            return Err(self.expected(Expected::Token("SELECT")));
        }
        self.select()
    }

    /// After SELECT: the list, FROM, WHERE, GROUP BY, HAVING.
    fn select(&mut self) -> Result<ast::Query> {
        let select_token = self.next.checked_sub(1).and_then(|i| self.tokens.get(i));
        let select_at = select_token.map(super::position_of);
        // SELECT ALL is refused too (as S3 does): only a plain SELECT is supported.
        if self
            .eat_word("distinct")
            .or_else(|| self.eat_word("all"))
            .is_some()
        {
            let start = select_token.map_or(0, |t| t.start);
            self.in_clause(Clause::Distinct, |p| {
                p.unsupported("DISTINCT", start, usize::MAX, select_at)
            });
        }
        let mut items = vec![self.in_clause(Clause::Select, |p| p.select_item())?];
        while self.eat(K::Comma).is_some() {
            items.push(self.in_clause(Clause::Select, |p| p.select_item())?);
        }
        let from = match self.eat_word("from") {
            Some(_) => Some(self.in_clause(Clause::From, |p| p.source())?),
            None => None,
        };
        let selection = match self.eat_word("where") {
            Some(_) => Some(self.in_clause(Clause::Where, |p| p.where_clause())?),
            None => None,
        };
        if self.peek_word("group") && self.word_at(1, "by") {
            self.next += 2;
            let (at, start) = (self.here(), self.peek().map_or(0, |t| t.start));
            self.expr_list()?;
            self.in_clause(Clause::GroupBy, |p| {
                p.unsupported("GROUP BY", start, usize::MAX, Some(at))
            });
        }
        if let Some(having) = self.eat_word("having") {
            let condition = self.expr()?;
            self.in_clause(Clause::Having, |p| {
                p.unsupported("HAVING", having.start, usize::MAX, Some(condition.at))
            });
        }
        let from = match from {
            Some(from) => from,
            None => {
                let error = SelectError::at(
                    ErrorCode::ParseSelectMissingFrom,
                    "The query has no FROM clause; write FROM S3Object.",
                    select_at,
                );
                self.refuse_ranked((Clause::From, 0, Reverse(usize::MAX)), error);
                ast::From {
                    path: vec![],
                    alias: None,
                }
            }
        };
        let projection = self.projection(items, &from);
        Ok(ast::Query {
            projection,
            from,
            selection,
            limit: None,
        })
    }

    /// Comma-separated expressions (GROUP BY, ORDER BY), for clauses that are refused.
    fn expr_list(&mut self) -> Result<()> {
        loop {
            self.expr()?;
            if self.eat(K::Comma).is_none() {
                return Ok(());
            }
        }
    }

    /// One SELECT list item: `*`, `alias.*`, or an expression with an optional alias.
    fn select_item(&mut self) -> Result<Item> {
        if let Some(star) = self.eat(K::Star) {
            return Ok(Item::Star(super::position_of(star)));
        }
        if self.kind_at(0) == Some(K::LeftParen)
            && self.kind_at(1) == Some(K::Star)
            && self.kind_at(2) == Some(K::RightParen)
        {
            // `(*)`, which SQL reads as `*`.
            let at = self.peek_nth(1).map(super::position_of);
            self.next += 3;
            return Ok(Item::Star(at.unwrap_or(self.end)));
        }
        if let Some(item) = self.qualified_wildcard()? {
            return Ok(item);
        }
        let start = self.peek().map_or(0, |t| t.start);
        let first = self.peek().filter(|_| self.peek_word("from"));
        let expr = self.expr()?;
        if first.is_some_and(|from| expr.end == from.end) {
            // `SELECT FROM …`: the list is missing.
            return Err(self.expected(Expected::Expression));
        }
        let alias = self.alias(NOT_A_COLUMN_ALIAS, start)?;
        Ok(Item::Expr(ast::SelectItem {
            expr: expr.expr,
            alias: alias.map(|a| a.text),
        }))
    }

    /// `name.*` (or `a.b.*`) at the start of an item; `None`, having read nothing, otherwise.
    fn qualified_wildcard(&mut self) -> Result<Option<Item>> {
        let is_name = |k| {
            matches!(
                k,
                Some(K::Keyword | K::Identifier | K::QuotedIdentifier | K::String)
            )
        };
        let mut n = 0;
        while is_name(self.kind_at(n)) && self.kind_at(n + 1) == Some(K::Dot) {
            n += 2;
        }
        if n == 0 || self.kind_at(n) != Some(K::Star) {
            return Ok(None);
        }
        let name = self.peek().filter(|_| n == 2).map(|t| {
            let text = self.text(t);
            match t.kind {
                K::QuotedIdentifier | K::String => wyvern_lexer::unquote(text),
                _ => text.to_string(),
            }
        });
        let (at, start) = (self.here(), self.peek().map_or(0, |t| t.start));
        self.next += n + 1;
        let end = self.last_end();
        Ok(Some(Item::Qualified {
            name,
            at,
            start,
            end,
        }))
    }

    /// An optional alias: `AS name` or a bare name (not one of `reserved`).
    pub(super) fn alias(
        &mut self,
        reserved: &[&str],
        item_start: usize,
    ) -> Result<Option<ast::Name>> {
        let explicit = self.eat_word("as").is_some();
        let Some(token) = self.peek() else {
            return match explicit {
                true => Err(self.expected(Expected::Token("a name after AS"))),
                false => Ok(None),
            };
        };
        let fits = match token.kind {
            K::Keyword | K::Identifier => {
                explicit
                    || !reserved
                        .iter()
                        .any(|w| self.text(token).eq_ignore_ascii_case(w))
            }
            K::QuotedIdentifier | K::Timestamp | K::String => true,
            _ => false,
        };
        if !fits {
            return match explicit {
                true => Err(self.expected(Expected::Token("a name after AS"))),
                false => Ok(None),
            };
        }
        self.advance();
        // An alias is checked before its expression.
        let before = self.refusal.take();
        let name = self.name(token);
        if let Some((_, error)) = self.refusal.take() {
            self.refuse_ranked((self.clause, item_start, Reverse(usize::MAX)), error);
        }
        if let Some((rank, error)) = before {
            self.refuse_ranked(rank, error);
        }
        Ok(Some(name))
    }

    /// The checked SELECT list.
    fn projection(&mut self, items: Vec<Item>, from: &ast::From) -> Projection {
        let total = items.len();
        let mut out = Vec::new();
        let mut star = None;
        for item in items {
            match item {
                Item::Star(at) => star = Some(at),
                Item::Qualified {
                    name,
                    at,
                    start,
                    end,
                } => {
                    let names_the_row = name.is_some_and(|n| {
                        from.alias
                            .as_ref()
                            .map_or(n.eq_ignore_ascii_case("s3object"), |a| a.matches(&n))
                    });
                    if !names_the_row {
                        let error = SelectError::at(
                            ErrorCode::ParseInvalidContextForWildcardInSelectList,
                            "Only the FROM alias can be followed by .* in the SELECT list.",
                            Some(at),
                        );
                        self.in_clause(Clause::Select, |p| p.refuse(start, end, error));
                    }
                    star = Some(at);
                }
                Item::Expr(e) => out.push(e),
            }
        }
        let late = (Clause::Select, usize::MAX, Reverse(0));
        match star {
            Some(at) if !out.is_empty() || total > 1 => {
                let error = SelectError::at(
                    ErrorCode::ParseAsteriskIsNotAloneInSelectList,
                    "* must be the only item in the SELECT list.",
                    Some(at),
                );
                self.refuse_ranked(late, error);
                Projection::Star
            }
            Some(_) => Projection::Star,
            None => {
                let aggregates = out.iter().filter(|i| i.expr.contains_aggregate()).count();
                if aggregates > 0 && aggregates < out.len() {
                    let error = SelectError::new(
                        ErrorCode::UnsupportedSyntax,
                        "Aggregate and non-aggregate expressions cannot be mixed in the SELECT list (there is no GROUP BY).",
                    );
                    self.refuse_ranked(late, error);
                }
                Projection::Items(out)
            }
        }
    }

    /// After WHERE: the condition, which may not hold an aggregate.
    fn where_clause(&mut self) -> Result<ast::Expr> {
        let condition = self.expr()?;
        if condition.expr.contains_aggregate() {
            let error = SelectError::new(
                ErrorCode::UnsupportedSyntax,
                "Aggregate functions are not allowed in WHERE.",
            );
            self.refuse_ranked((Clause::Where, usize::MAX, Reverse(0)), error);
        }
        Ok(condition.expr)
    }

    /// `ORDER BY expr [ASC | DESC] [NULLS FIRST | LAST], …`: read, then refused.
    fn order_by(&mut self) -> Result<()> {
        let at = Some(self.here());
        let start = self.peek().map_or(0, |t| t.start);
        loop {
            self.expr()?;
            let _ = self.eat_word("asc").or_else(|| self.eat_word("desc"));
            if self.eat_word("nulls").is_some() && self.eat_word("first").is_none() {
                self.expect_word("last")?;
            }
            if self.eat(K::Comma).is_none() {
                break;
            }
        }
        self.in_clause(Clause::OrderBy, |p| {
            p.unsupported("ORDER BY", start, usize::MAX, at)
        });
        Ok(())
    }

    /// `LIMIT n [OFFSET m]` or `OFFSET m [LIMIT n]`: the limit; OFFSET is refused.
    fn limit_and_offset(&mut self) -> Result<Option<u64>> {
        let mut limit = None;
        for _ in 0..2 {
            if self.eat_word("limit").is_some() {
                if self.eat_word("all").is_none() {
                    // Only the value's form is checked: what is inside is never reported.
                    let negative = self.kind_at(0) == Some(K::Minus);
                    let before = self.refusal.take();
                    let value = self.expr()?;
                    self.refusal = before;
                    limit = self.limit_value(value, negative);
                }
            } else if self.eat_word("offset").is_some() {
                let value = self.expr()?;
                let _ = self.eat_word("row").or_else(|| self.eat_word("rows"));
                self.in_clause(Clause::Limit, |p| {
                    p.unsupported("OFFSET", 0, usize::MAX, Some(value.at))
                });
            }
        }
        Ok(limit)
    }

    fn limit_value(&mut self, value: super::expr::Parsed<'a>, negative: bool) -> Option<u64> {
        let (code, message) = match (&value.expr, value.number) {
            (_, Some(n)) => match n.parse::<u64>() {
                Ok(n) => return Some(n),
                Err(_) => (
                    ErrorCode::ParseExpectedNumber,
                    format!("LIMIT takes a whole number, not {n}."),
                ),
            },
            (ast::Expr::Literal(crate::value::Value::String(_)), _) => (
                ErrorCode::ParseExpectedNumber,
                "LIMIT takes a whole number.".to_string(),
            ),
            (ast::Expr::Literal(_) | ast::Expr::Unary(ast::UnaryOp::Neg, _), _) if negative => (
                ErrorCode::EvaluatorNegativeLimit,
                "LIMIT must not be negative.".to_string(),
            ),
            _ => (
                ErrorCode::ParseExpectedNumber,
                "LIMIT takes a whole number literal.".to_string(),
            ),
        };
        let error = SelectError::at(code, message, Some(value.at));
        self.in_clause(Clause::Limit, |p| p.refuse(value.start, value.end, error));
        None
    }
}

/// Stands in for a query that is refused.
pub(super) fn empty_query() -> ast::Query {
    ast::Query {
        projection: Projection::Star,
        from: ast::From {
            path: vec![PathStep::Wildcard],
            alias: None,
        },
        selection: None,
        limit: None,
    }
}
