//! A bound on how deep an expression can nest, checked on the tokens before anything recursive
//! runs. The parser limits its own recursion (parentheses, CASE, calls, unary operators), but a
//! flat chain such as `1+1+…+1` or `a OR b OR …` parses in a loop into a tree as deep as the
//! chain is long, and every later pass (binding, evaluation, even dropping the tree) recurses
//! over it: 20,000 terms overflowed the stack. Counting operators per nesting level gives an
//! upper bound on the tree's depth without building it.

use super::position_of;
use crate::error::{ErrorCode, Result, SelectError};
use wyvern_lexer::{Token, TokenKind};

/// The deepest expression accepted: far beyond hand-written queries, and within a browser
/// worker's 1 MiB stack with room to spare (an optimised build needs about 1.4 KB a level).
pub const MAX_EXPRESSION_DEPTH: usize = 500;

/// True for a token that can add a level to the expression tree.
fn nests(sql: &str, token: &Token) -> bool {
    use TokenKind as K;
    match token.kind {
        K::Plus
        | K::Minus
        | K::Star
        | K::Slash
        | K::Percent
        | K::Concat
        | K::Eq
        | K::NotEq
        | K::Lt
        | K::Gt
        | K::LtEq
        | K::GtEq
        | K::OtherOperator => true,
        K::Keyword => [
            "and", "or", "not", "is", "like", "between", "in", "escape", "case", "cast",
        ]
        .iter()
        .any(|k| token.text(sql).eq_ignore_ascii_case(k)),
        _ => false,
    }
}

/// True for a keyword that starts a clause (at the outermost level, a new expression).
fn starts_clause(sql: &str, token: &Token) -> bool {
    token.kind == TokenKind::Keyword
        && ["select", "from", "where", "limit"]
            .iter()
            .any(|k| token.text(sql).eq_ignore_ascii_case(k))
}

/// Fails (`ParseUnsupportedSyntax`, with the position) at the first token that would make an
/// expression nest deeper than [`MAX_EXPRESSION_DEPTH`].
pub fn check(sql: &str, tokens: &[Token]) -> Result<()> {
    // Operators counted at each open bracket level; a comma starts a new item at its level.
    // Invariant: depth == (levels.len() - 1) + sum(levels), and levels is never empty (only a
    // closing bracket pops, and only above the first level), so the subtractions and
    // `levels[0]` below cannot fail.
    let mut levels: Vec<usize> = vec![0];
    let mut depth = 0usize;
    for t in tokens {
        match t.kind {
            TokenKind::LeftParen | TokenKind::LeftBracket => {
                levels.push(0);
                depth += 1;
            }
            TokenKind::RightParen | TokenKind::RightBracket if levels.len() > 1 => {
                depth -= 1 + levels.pop().unwrap_or(0);
            }
            // Each clause starts a new expression.
            _ if levels.len() == 1 && starts_clause(sql, t) => {
                depth = 0;
                levels[0] = 0;
            }
            TokenKind::Comma => {
                if let Some(top) = levels.last_mut() {
                    depth -= *top;
                    *top = 0;
                }
            }
            _ if nests(sql, t) => {
                if let Some(top) = levels.last_mut() {
                    *top += 1;
                }
                depth += 1;
            }
            _ => {}
        }
        if depth > MAX_EXPRESSION_DEPTH {
            let at = position_of(t);
            return Err(SelectError::at(
                ErrorCode::ParseUnsupportedSyntax,
                format!(
                    "The expression nests more than {MAX_EXPRESSION_DEPTH} operators deep; \
                     split it or use IN (…) for long lists of alternatives."
                ),
                Some(at),
            ));
        }
    }
    Ok(())
}
