//! A bound on how deep an expression can nest, checked on the tokens before anything recursive
//! runs. sqlparser limits nesting through parentheses, CASE and calls, but a flat chain such as
//! `1+1+…+1` or `a OR b OR …` parses in a loop into a tree as deep as the chain is long, and
//! every later pass (translation, binding, evaluation, even dropping the tree) recurses over it:
//! 20,000 terms overflowed the stack. Counting operators per nesting level gives an upper bound
//! on the tree's depth without building it.

use super::PositionMap;
use crate::error::{ErrorCode, Result, SelectError};
use crate::sql::MAX_EXPRESSION_DEPTH;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// True for a token that can add a level to the expression tree.
fn nests(token: &Token) -> bool {
    match token {
        Token::Plus
        | Token::Minus
        | Token::Mul
        | Token::Div
        | Token::Mod
        | Token::StringConcat
        | Token::Eq
        | Token::DoubleEq
        | Token::Neq
        | Token::Lt
        | Token::Gt
        | Token::LtEq
        | Token::GtEq
        | Token::Spaceship
        | Token::Caret
        | Token::Ampersand
        | Token::Pipe
        | Token::Tilde
        | Token::ExclamationMark => true,
        Token::Word(w) => matches!(
            w.keyword,
            Keyword::AND
                | Keyword::OR
                | Keyword::NOT
                | Keyword::IS
                | Keyword::LIKE
                | Keyword::BETWEEN
                | Keyword::IN
                | Keyword::ESCAPE
                | Keyword::CASE
                | Keyword::CAST
        ),
        _ => false,
    }
}

/// Fails (`ParseUnsupportedSyntax`, with the position) at the first token that would make an
/// expression nest deeper than [`MAX_EXPRESSION_DEPTH`].
pub fn check(tokens: &[TokenWithSpan], map: &PositionMap) -> Result<()> {
    // Operators counted at each open bracket level; a comma starts a new item at its level.
    // Invariant: depth == (levels.len() - 1) + sum(levels), and levels is never empty (only a
    // closing bracket pops, and only above the first level), so the subtractions and
    // `levels[0]` below cannot fail.
    let mut levels: Vec<usize> = vec![0];
    let mut depth = 0usize;
    for t in tokens {
        match &t.token {
            Token::LParen | Token::LBracket | Token::LBrace => {
                levels.push(0);
                depth += 1;
            }
            Token::RParen | Token::RBracket | Token::RBrace if levels.len() > 1 => {
                depth -= 1 + levels.pop().unwrap_or(0);
            }
            // Each clause starts a new expression.
            Token::Word(w)
                if levels.len() == 1
                    && matches!(
                        w.keyword,
                        Keyword::SELECT | Keyword::FROM | Keyword::WHERE | Keyword::LIMIT
                    ) =>
            {
                depth = 0;
                levels[0] = 0;
            }
            Token::Comma => {
                if let Some(top) = levels.last_mut() {
                    depth -= *top;
                    *top = 0;
                }
            }
            tok if nests(tok) => {
                if let Some(top) = levels.last_mut() {
                    *top += 1;
                }
                depth += 1;
            }
            _ => {}
        }
        if depth > MAX_EXPRESSION_DEPTH {
            let at = map.original(t.span.start.line, t.span.start.column);
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
