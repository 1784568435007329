//! SQL text → checked AST: tokenize and parse with `sqlparser` through our dialect, then translate.

//! The sqlparser-based parser this crate used before its own, kept for the differential test
//! (`tests.rs`) while both exist.

mod depth;
mod dialect;
mod translate;

use super::ast;

use crate::error::{ErrorCode, Position, Result, SelectError};
use dialect::S3SelectDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, Tokenizer, TokenizerError};

use super::MAX_EXPRESSION_BYTES;

/// Maps positions in the text handed to sqlparser back to the user's text (`.*` in a FROM path
/// is rewritten to `[*]`, one character longer).
#[derive(Debug, Default)]
pub struct PositionMap {
    /// (line, column in the rewritten text) of each inserted character.
    inserted: Vec<(u64, u64)>,
}

impl PositionMap {
    pub fn original(&self, line: u64, column: u64) -> Position {
        let shift = self
            .inserted
            .iter()
            .filter(|(l, c)| *l == line && *c < column)
            .count() as u64;
        Position {
            line,
            column: column.saturating_sub(shift),
        }
    }
}

/// Rewrites `.*` path steps after FROM into `[*]`, which sqlparser understands, outside quotes.
fn rewrite_object_wildcards(sql: &str) -> (String, PositionMap) {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut map = PositionMap::default();
    let chars: Vec<char> = sql.chars().collect();
    let (mut line, mut col) = (1u64, 1u64);
    let mut quote: Option<char> = None;
    let mut after_from = false;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else if c == '\'' || c == '"' || c == '`' {
            quote = Some(c);
        } else if c.is_ascii_alphabetic()
            // cannot fail: chars[i - 1] is read only when i > 0, and chars[i..] with i < len.
            && (i == 0 || !(chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '_'))
        {
            let word: String = chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            after_from = word.eq_ignore_ascii_case("from")
                || (after_from
                    && !word.eq_ignore_ascii_case("where")
                    && !word.eq_ignore_ascii_case("limit"));
        } else if after_from && c == '.' && chars.get(i + 1) == Some(&'*') {
            out.push_str("[*]");
            map.inserted.push((line, col + 2));
            col += 3;
            i += 2;
            continue;
        }
        out.push(c);
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
        i += 1;
    }
    (out, map)
}

/// Finds sqlparser's " at Line: L, Column: C" suffix. sqlparser 0.63's `ParserError` carries only
/// a String: the failing token's span is written into its text alone (the parser's index after a
/// failure need not point at that token), so a parser error's position is read back from it.
fn parser_error_position(message: &str) -> (String, Option<(u64, u64)>) {
    if let Some(idx) = message.rfind(" at Line: ") {
        // Slicing cannot fail: idx starts an ASCII match, so idx and its end are boundaries.
        let tail = &message[idx + " at Line: ".len()..];
        let mut parts = tail.split(", Column: ");
        let line = parts.next().and_then(|l| l.trim().parse().ok());
        let col = parts.next().and_then(|c| c.trim().parse().ok());
        if let (Some(l), Some(c)) = (line, col) {
            return (message[..idx].to_string(), Some((l, c)));
        }
    }
    (message.to_string(), None)
}

/// The position just after the last character (where "found: EOF" errors point).
fn end_position(sql: &str) -> Position {
    let line = sql.matches('\n').count() as u64 + 1;
    let last = sql.rsplit('\n').next().unwrap_or("");
    Position {
        line,
        column: last.chars().count() as u64 + 1,
    }
}

/// The code of a tokenizer error: an unfinished literal, or a character S3 Select does not know.
fn lexer_code(message: &str) -> ErrorCode {
    if message.contains("Unterminated") || message.contains("close delimiter") {
        ErrorCode::LexerInvalidLiteral
    } else {
        ErrorCode::LexerInvalidChar
    }
}

/// The error for a message from sqlparser and the place (in the rewritten text) it names.
fn located(
    code: ErrorCode,
    text: &str,
    at: Option<(u64, u64)>,
    map: &PositionMap,
    sql: &str,
) -> SelectError {
    let text = text.replace("sql parser error: ", "");
    let pos = match at {
        Some((l, c)) => Some(map.original(l, c)),
        None if text.ends_with("found: EOF") => Some(end_position(sql)),
        None => None,
    };
    SelectError::at(code, format!("Could not parse the SQL: {text}"), pos)
}

/// A tokenizer error, which carries its position (line 0: none).
fn tokenizer_error(err: TokenizerError, map: &PositionMap, sql: &str) -> SelectError {
    let at = err.location;
    let at = (at.line > 0).then_some((at.line, at.column));
    located(lexer_code(&err.message), &err.message, at, map, sql)
}

fn parse_error(err: ParserError, map: &PositionMap, sql: &str) -> SelectError {
    let (code, raw) = match &err {
        // sqlparser raises this variant only from its own tokenizing, which is not used here.
        ParserError::TokenizerError(m) => (lexer_code(m), m),
        ParserError::ParserError(m) => {
            let found_char = m
                .rsplit("found: ")
                .next()
                .and_then(|f| f.split(" at Line").next())
                .map(str::trim)
                .filter(|f| f.chars().count() == 1);
            let code = if found_char.is_some_and(|f| {
                !f.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "(),.*+-/%<>=!|'\"`[];_".contains(c))
            }) {
                ErrorCode::LexerInvalidChar
            } else if m.contains("Expected: an expression") || m.contains("Expected an expression")
            {
                ErrorCode::ParseExpectedExpression
            } else if m.contains("Expected: (") && m.to_ascii_lowercase().contains("cast") {
                ErrorCode::ParseExpectedLeftParenAfterCast
            } else if m.contains("Expected: AS")
                || m.contains("Expected: THEN")
                || m.contains("Expected: END")
                || m.contains("Expected: FROM")
                || m.contains("Expected: AND")
            {
                ErrorCode::ParseExpectedKeyword
            } else if m.contains("Expected: WHEN") {
                ErrorCode::ParseExpectedWhenClause
            } else if m.contains("Expected: ,") {
                ErrorCode::ParseExpectedArgumentDelimiter
            } else if m.contains("Expected: a data type") {
                ErrorCode::ParseExpectedTypeName
            } else {
                ErrorCode::ParseUnexpectedToken
            };
            (code, m)
        }
        ParserError::RecursionLimitExceeded => {
            return SelectError::new(
                ErrorCode::ParseUnsupportedSyntax,
                "The expression is nested too deeply.",
            );
        }
    };
    let (text, at) = parser_error_position(raw);
    located(code, &text, at, map, sql)
}

/// Parses one S3 Select statement.
pub fn parse(sql: &str) -> Result<ast::Query> {
    if sql.len() > MAX_EXPRESSION_BYTES {
        return Err(SelectError::new(
            ErrorCode::ExpressionTooLong,
            format!(
                "The SQL expression is {} bytes; S3 Select accepts at most 256 KB.",
                sql.len()
            ),
        ));
    }
    if sql.trim().is_empty() {
        return Err(SelectError::new(
            ErrorCode::ParseEmptySelect,
            "The SQL expression is empty; write SELECT … FROM S3Object.",
        ));
    }
    let (text, map) = rewrite_object_wildcards(sql);
    let dialect = S3SelectDialect;
    let tokens = Tokenizer::new(&dialect, &text)
        .tokenize_with_location()
        .map_err(|e| tokenizer_error(e, &map, sql))?;
    depth::check(&tokens, &map)?;
    let mut parser = Parser::new(&dialect)
        .with_recursion_limit(64)
        .with_tokens_with_locations(tokens);
    // Only a query is parsed (not sqlparser's whole statement grammar, which would add DDL
    // and its printing to the browser's wasm): other statements are refused up front.
    let first = parser.peek_token();
    match &first.token {
        Token::EOF | Token::SemiColon => {
            return Err(SelectError::new(
                ErrorCode::ParseEmptySelect,
                "The SQL expression is empty.",
            ))
        }
        Token::Word(w)
            if !matches!(
                w.keyword,
                Keyword::SELECT | Keyword::WITH | Keyword::NoKeyword
            ) =>
        {
            let at = map.original(first.span.start.line, first.span.start.column);
            return Err(SelectError::at(
                ErrorCode::ParseUnsupportedSelect,
                "Only SELECT statements are supported.",
                Some(at),
            ));
        }
        _ => {}
    }
    let query = parser
        .parse_query()
        .map_err(|e| parse_error(e, &map, sql))?;
    let mut after_semicolon = false;
    while parser.consume_token(&Token::SemiColon) {
        after_semicolon = true;
    }
    let next = parser.peek_token();
    if next.token != Token::EOF && !after_semicolon {
        let e = parser
            .expected::<()>("end of statement", next)
            .err()
            .unwrap_or(ParserError::ParserError("unexpected text".into()));
        return Err(parse_error(e, &map, sql));
    }
    if next.token != Token::EOF {
        let at = map.original(next.span.start.line, next.span.start.column);
        return Err(SelectError::at(
            ErrorCode::ParseUnexpectedToken,
            "Only one statement is allowed; remove the ';' and what follows.",
            Some(at),
        ));
    }
    translate::Translator { positions: &map }.query(&query)
}
