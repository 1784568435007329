//! The function call a cursor is in, for the editor's line of documentation: the innermost
//! `NAME(` … `)` around a byte offset, or the name the cursor is on when a `(` follows it.

use crate::{tokens, TokenKind};

/// Words that a `(` may follow without a call (`SELECT (a + b)`, `IN (1, 2)`).
const NOT_CALLS: [&str; 16] = [
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "AS", "BETWEEN", "LIKE", "IS", "WHEN",
    "THEN", "ELSE", "LIMIT", "ESCAPE",
];

fn is_callee(kind: TokenKind, text: &str) -> bool {
    kind == TokenKind::Identifier
        || (kind == TokenKind::Keyword && !NOT_CALLS.iter().any(|w| w.eq_ignore_ascii_case(text)))
}

fn is_trivia(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Whitespace | TokenKind::LineComment | TokenKind::BlockComment
    )
}

/// The name of the call around byte `offset` of `sql` (as written), if any.
pub fn call_at(sql: &str, offset: usize) -> Option<&str> {
    let all: Vec<_> = tokens(sql).filter(|t| !is_trivia(t.kind)).collect();
    // Each open parenthesis: the name it calls, if a name comes right before it.
    let mut open: Vec<Option<&str>> = Vec::new();
    for (i, t) in all.iter().enumerate() {
        // Tokens after the cursor, and a parenthesis right at it, are not around it.
        if t.start > offset
            || (t.start == offset && !matches!(t.kind, TokenKind::Identifier | TokenKind::Keyword))
        {
            break;
        }
        let named = is_callee(t.kind, t.text(sql));
        let called = all
            .get(i + 1)
            .is_some_and(|n| n.kind == TokenKind::LeftParen);
        // On the name itself (or right after it).
        if named && called && offset <= t.end {
            return Some(t.text(sql));
        }
        match t.kind {
            TokenKind::LeftParen => {
                let name = i
                    .checked_sub(1)
                    .and_then(|p| all.get(p))
                    .filter(|p| is_callee(p.kind, p.text(sql)))
                    .map(|p| p.text(sql));
                open.push(name);
            }
            TokenKind::RightParen => {
                open.pop();
            }
            _ => {}
        }
    }
    open.into_iter().rev().flatten().next()
}

/// The byte offset of a UTF-16 position in `text` (a textarea's `selectionStart`).
pub fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_innermost_call_around_the_cursor() {
        let sql = "SELECT UPPER(SUBSTRING(s.name, 2)), CAST(s.n AS INT) FROM S3Object s";
        let at = |needle: &str| sql.find(needle).unwrap();
        assert_eq!(call_at(sql, at("UPPER") + 2), Some("UPPER"), "on the name");
        assert_eq!(call_at(sql, at("SUBSTRING")), Some("SUBSTRING"));
        assert_eq!(
            call_at(sql, at("s.name")),
            Some("SUBSTRING"),
            "inside the inner call"
        );
        assert_eq!(
            call_at(sql, at(")), CAST") + 1),
            Some("UPPER"),
            "back in the outer one"
        );
        assert_eq!(call_at(sql, at("AS INT")), Some("CAST"));
        assert_eq!(call_at(sql, at("FROM")), None, "outside every call");
        assert_eq!(call_at(sql, 0), None);
        assert_eq!(
            call_at("SELECT (1 + 2) FROM S3Object", 9),
            None,
            "a parenthesis is no call"
        );
        assert_eq!(
            call_at("SELECT LOWER(", 13),
            Some("LOWER"),
            "an unclosed call"
        );
        assert_eq!(call_at("", 5), None);
    }

    #[test]
    fn utf16_positions_become_byte_offsets() {
        assert_eq!(byte_offset("abc", 2), 2);
        assert_eq!(byte_offset("é😀x", 1), 2);
        assert_eq!(byte_offset("é😀x", 3), 6);
        assert_eq!(byte_offset("é😀x", 99), 7);
    }
}
