//! SQL text → checked AST: tokenize with `wyvern-lexer`, bound the nesting depth, then parse
//! S3 Select's dialect by recursive descent straight into our AST (`ast`).

pub mod ast;
mod depth;
mod parser;
pub mod signatures;

use crate::error::{ErrorCode, Position, Result, SelectError};
use wyvern_lexer::{Token, TokenKind};

pub use depth::MAX_EXPRESSION_DEPTH;

/// S3's limit on the expression length.
pub const MAX_EXPRESSION_BYTES: usize = 256 * 1024;

/// Where a token starts, as errors report it.
fn position_of(token: &Token) -> Position {
    Position {
        line: token.line.into(),
        column: token.column.into(),
    }
}

/// The tokens the grammar reads (no whitespace or comments), and the position just past the
/// text (where errors about a missing end point). Unfinished quotes and comments are refused
/// here, before any parsing, wherever they are.
fn significant_tokens(sql: &str) -> Result<(Vec<Token>, Position)> {
    let mut lexer = wyvern_lexer::tokens(sql);
    let mut tokens = Vec::new();
    let mut previous = None;
    for token in lexer.by_ref() {
        let after = previous.replace(token.kind);
        match token.kind {
            // `._` (as in `._1`) continues only a name, `]` or `)`: elsewhere S3 Select's
            // tokenizer does not know where the name would start.
            TokenKind::Dot
                if sql
                    .get(token.end..)
                    .is_some_and(|rest| rest.starts_with('_'))
                    && !matches!(
                        after,
                        Some(
                            TokenKind::Identifier
                                | TokenKind::Keyword
                                | TokenKind::QuotedIdentifier
                                | TokenKind::Timestamp
                                | TokenKind::RightBracket
                                | TokenKind::RightParen
                        )
                    ) =>
            {
                return Err(SelectError::at(
                    ErrorCode::LexerInvalidChar,
                    "Unexpected character '_' after '.': a path step follows a name.",
                    Some(position_of(&token)),
                ))
            }
            TokenKind::UnterminatedQuote => {
                return Err(SelectError::at(
                    ErrorCode::LexerInvalidLiteral,
                    "This quoted text has no closing quote.",
                    Some(position_of(&token)),
                ))
            }
            TokenKind::UnterminatedComment => {
                let (line, column) = lexer.location();
                return Err(SelectError::at(
                    ErrorCode::LexerInvalidChar,
                    "This /* comment has no closing */.",
                    Some(Position {
                        line: line.into(),
                        column: column.into(),
                    }),
                ));
            }
            _ if token.is_trivia() => {}
            _ => tokens.push(token),
        }
    }
    let (line, column) = lexer.location();
    let end = Position {
        line: line.into(),
        column: column.into(),
    };
    Ok((tokens, end))
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
    let (tokens, end) = significant_tokens(sql)?;
    depth::check(sql, &tokens)?;
    parser::Parser::new(sql, &tokens, end).statement()
}
