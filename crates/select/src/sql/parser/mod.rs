//! A recursive-descent parser for S3 Select's dialect, from the lexer's tokens straight to our
//! AST. This file: the cursor over the tokens, the recursion budget, and how errors are made.
//!
//! Errors come in two kinds, reported in the order S3 (and this engine before it) reports them:
//! a *syntax* error stops the parse at once; a *refusal* (well-formed SQL that S3 Select does
//! not support: an unknown function, ORDER BY, a reserved word as a name, …) is recorded and
//! parsing goes on, so that a syntax error anywhere in the statement still comes first. Of the
//! refusals, the one reported is the first in the order the statement is checked: clause by
//! clause (see [`Clause`]), and within a clause the outermost, leftmost construct.

mod calls;
mod expr;
mod forms;
mod names;
mod select;
mod source;

use super::ast;
use super::position_of;
use crate::error::{ErrorCode, Position, Result, SelectError};
use std::cmp::Reverse;
use wyvern_lexer::{Token, TokenKind};

/// How many nested constructs (sub-expressions, queries, types) the parser enters before it
/// refuses the statement: bounds its recursion, hence its stack, whatever the input.
const RECURSION_LIMIT: usize = 64;

/// The parts of a statement, in the order their refusals are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Clause {
    With,
    OrderBy,
    Limit,
    SetOperation,
    Distinct,
    GroupBy,
    Having,
    From,
    Select,
    Where,
}

/// Which refusal is reported first: by clause, then outermost and leftmost (an earlier start,
/// and for the same start the longer construct).
type Rank = (Clause, usize, Reverse<usize>);

pub struct Parser<'a> {
    sql: &'a str,
    tokens: &'a [Token],
    /// Index of the next token.
    next: usize,
    /// Where the text ends (errors about a missing token at the end point here).
    end: Position,
    /// The clause being parsed, which ranks its refusals.
    clause: Clause,
    /// The first refusal so far, with its rank.
    refusal: Option<(Rank, SelectError)>,
    /// Nested constructs being parsed (see [`RECURSION_LIMIT`]).
    depth: usize,
}

/// What a syntax error says was expected, which also decides its code.
#[derive(Debug, Clone, Copy)]
pub enum Expected {
    Expression,
    /// A keyword (AS, FROM, AND, THEN, …) that a construct needs.
    Keyword(&'static str),
    /// A token that may not come here, whatever was expected (`)`, a name, the end…).
    Token(&'static str),
    TypeName,
    LeftParenAfterCast,
}

impl<'a> Parser<'a> {
    pub fn new(sql: &'a str, tokens: &'a [Token], end: Position) -> Self {
        Parser {
            sql,
            tokens,
            next: 0,
            end,
            clause: Clause::Select,
            refusal: None,
            depth: 0,
        }
    }

    // --- the cursor ---

    fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.next)
    }

    fn peek_nth(&self, n: usize) -> Option<&'a Token> {
        self.tokens.get(self.next + n)
    }

    fn advance(&mut self) -> Option<&'a Token> {
        let token = self.tokens.get(self.next)?;
        self.next += 1;
        Some(token)
    }

    fn text(&self, token: &Token) -> &'a str {
        token.text(self.sql)
    }

    fn kind_at(&self, n: usize) -> Option<TokenKind> {
        self.peek_nth(n).map(|t| t.kind)
    }

    /// True if the `n`th token from here is the word `word` (unquoted, any case).
    fn word_at(&self, n: usize, word: &str) -> bool {
        self.peek_nth(n).is_some_and(|t| {
            matches!(t.kind, TokenKind::Keyword | TokenKind::Identifier)
                && self.text(t).eq_ignore_ascii_case(word)
        })
    }

    fn peek_word(&self, word: &str) -> bool {
        self.word_at(0, word)
    }

    /// Consumes the word `word` if it comes next.
    fn eat_word(&mut self, word: &str) -> Option<&'a Token> {
        if self.peek_word(word) {
            self.advance()
        } else {
            None
        }
    }

    /// Consumes a token of `kind` if it comes next.
    fn eat(&mut self, kind: TokenKind) -> Option<&'a Token> {
        if self.kind_at(0) == Some(kind) {
            self.advance()
        } else {
            None
        }
    }

    fn expect(&mut self, kind: TokenKind, what: &'static str) -> Result<&'a Token> {
        match self.eat(kind) {
            Some(t) => Ok(t),
            None => Err(self.expected(Expected::Token(what))),
        }
    }

    fn expect_word(&mut self, word: &'static str) -> Result<&'a Token> {
        match self.eat_word(word) {
            Some(t) => Ok(t),
            None => Err(self.expected(Expected::Keyword(word))),
        }
    }

    /// The byte offset where the last consumed token ends (a construct's end).
    fn last_end(&self) -> usize {
        self.next
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |t| t.end)
    }

    // --- errors ---

    /// Where the next token starts, or the end of the text.
    fn here(&self) -> Position {
        self.peek().map_or(self.end, position_of)
    }

    /// A syntax error at the next token: `what` was expected.
    fn expected(&self, what: Expected) -> SelectError {
        let Some(found) = self.peek() else {
            return SelectError::at(
                code_for(what),
                format!("{}, but the statement ends.", describe(what)),
                Some(self.end),
            );
        };
        let text = self.text(found);
        let code = if is_stray_character(found, text) {
            ErrorCode::LexerInvalidChar
        } else {
            code_for(what)
        };
        SelectError::at(
            code,
            format!("{}, found {text}.", describe(what)),
            Some(position_of(found)),
        )
    }

    /// Records a refusal of the construct spanning bytes `start..end`; the first one in
    /// checking order is reported once the whole statement has parsed.
    fn refuse(&mut self, start: usize, end: usize, error: SelectError) {
        self.refuse_ranked((self.clause, start, Reverse(end)), error);
    }

    fn refuse_ranked(&mut self, rank: Rank, error: SelectError) {
        if self.refusal.as_ref().is_none_or(|(r, _)| rank < *r) {
            self.refusal = Some((rank, error));
        }
    }

    /// Refuses a construct S3 Select does not have (`UnsupportedSyntax`).
    fn unsupported(&mut self, what: &str, start: usize, end: usize, at: Option<Position>) {
        let error = SelectError::at(
            ErrorCode::UnsupportedSyntax,
            format!(
                "S3 Select does not support {what}. It runs SELECT … FROM S3Object … WHERE … LIMIT … only."
            ),
            at,
        );
        self.refuse(start, end, error);
    }

    /// Enters a nested construct; fails past [`RECURSION_LIMIT`]. Pair with [`Self::leave`].
    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > RECURSION_LIMIT {
            return Err(SelectError::at(
                ErrorCode::ParseUnsupportedSyntax,
                "The expression is nested too deeply.",
                Some(self.here()),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

/// A single character that no S3 Select token starts with (`§`, `@`, `#`, `~`, …): reported as
/// such wherever the parser meets it.
/// Tokens that can name a source or a field: words (reserved or not), quoted names, and
/// backtick text, which S3 Select reads as a name there.
fn names_a_field(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Keyword
            | TokenKind::Identifier
            | TokenKind::QuotedIdentifier
            | TokenKind::Timestamp
    )
}

fn is_stray_character(token: &Token, text: &str) -> bool {
    let mut chars = text.chars();
    let single = chars.next().filter(|_| chars.as_str().is_empty());
    matches!(token.kind, TokenKind::Unknown | TokenKind::OtherOperator)
        && single.is_some_and(|c| !"|!".contains(c))
}

fn code_for(what: Expected) -> ErrorCode {
    match what {
        Expected::Expression => ErrorCode::ParseExpectedExpression,
        Expected::Keyword("when") => ErrorCode::ParseExpectedWhenClause,
        Expected::Keyword("as" | "then" | "end" | "from" | "and") => {
            ErrorCode::ParseExpectedKeyword
        }
        Expected::Keyword(_) => ErrorCode::ParseUnexpectedToken,
        Expected::Token(_) => ErrorCode::ParseUnexpectedToken,
        Expected::TypeName => ErrorCode::ParseExpectedTypeName,
        Expected::LeftParenAfterCast => ErrorCode::ParseExpectedLeftParenAfterCast,
    }
}

fn describe(what: Expected) -> String {
    match what {
        Expected::Expression => "Expected an expression".into(),
        Expected::Keyword(k) => format!("Expected {}", k.to_ascii_uppercase()),
        Expected::Token(t) => format!("Expected {t}"),
        Expected::TypeName => "Expected a type name".into(),
        Expected::LeftParenAfterCast => "Expected ( after CAST".into(),
    }
}

impl Parser<'_> {
    /// The whole statement: one query, optionally followed by semicolons.
    pub fn statement(mut self) -> Result<ast::Query> {
        match self.peek() {
            None => {
                return Err(SelectError::new(
                    ErrorCode::ParseEmptySelect,
                    "The SQL expression is empty.",
                ))
            }
            Some(t) if t.kind == TokenKind::Semicolon => {
                return Err(SelectError::new(
                    ErrorCode::ParseEmptySelect,
                    "The SQL expression is empty.",
                ))
            }
            Some(t)
                if (t.kind == TokenKind::Keyword || is_statement_keyword(self.text(t)))
                    && !self.peek_word("select")
                    && !self.peek_word("with") =>
            {
                return Err(SelectError::at(
                    ErrorCode::ParseUnsupportedSelect,
                    "Only SELECT statements are supported.",
                    Some(position_of(t)),
                ));
            }
            Some(_) => {}
        }
        let query = self.query()?;
        let mut after_semicolon = false;
        while self.eat(TokenKind::Semicolon).is_some() {
            after_semicolon = true;
        }
        if let Some(next) = self.peek() {
            if !after_semicolon {
                return Err(self.expected(Expected::Token("the end of the statement")));
            }
            return Err(SelectError::at(
                ErrorCode::ParseUnexpectedToken,
                "Only one statement is allowed; remove the ';' and what follows.",
                Some(position_of(next)),
            ));
        }
        match self.refusal {
            Some((_, error)) => Err(error),
            None => Ok(query),
        }
    }
}

/// Words that start a statement other than a query (refused up front as not a SELECT).
fn is_statement_keyword(word: &str) -> bool {
    const STATEMENTS: &[&str] = &[
        "alter",
        "analyze",
        "begin",
        "call",
        "close",
        "commit",
        "copy",
        "create",
        "deallocate",
        "declare",
        "delete",
        "describe",
        "drop",
        "execute",
        "explain",
        "fetch",
        "grant",
        "insert",
        "merge",
        "open",
        "prepare",
        "replace",
        "revoke",
        "rollback",
        "set",
        "show",
        "start",
        "truncate",
        "update",
        "use",
        "values",
        "table",
    ];
    STATEMENTS.iter().any(|s| word.eq_ignore_ascii_case(s))
}
