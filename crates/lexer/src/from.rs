//! The FROM clause of a query, read from its tokens: what the data-shape sample reads, and what
//! the editor's completion compares to know whether its sample still fits the query.

use crate::{tokens, TokenKind};

/// The FROM clause of `sql` (its path and alias, comments left out), `None` when there is none.
/// Rebuilt from tokens, so nothing in it (a `--` comment, say) can swallow a clause that a
/// caller puts after it (the data-shape sample's LIMIT).
pub fn from_clause(sql: &str) -> Option<String> {
    let mut depth = 0i32;
    let mut clause: Option<Vec<&str>> = None;
    for t in tokens(sql) {
        match t.kind {
            TokenKind::LeftParen => depth += 1,
            TokenKind::RightParen => depth -= 1,
            _ => {}
        }
        let text = t.text(sql);
        let ends = depth == 0
            && (t.kind == TokenKind::Semicolon
                || (t.kind == TokenKind::Keyword
                    && ["WHERE", "LIMIT", "GROUP", "ORDER", "HAVING", "UNION"]
                        .iter()
                        .any(|w| w.eq_ignore_ascii_case(text))));
        match &mut clause {
            None if t.kind == TokenKind::Keyword
                && text.eq_ignore_ascii_case("FROM")
                && depth == 0 =>
            {
                clause = Some(Vec::new())
            }
            Some(_) if ends => break,
            Some(words) => match t.kind {
                TokenKind::LineComment
                | TokenKind::BlockComment
                | TokenKind::UnterminatedComment => words.push(" "),
                _ => words.push(text),
            },
            None => {}
        }
    }
    let clause = clause.map(|w| w.concat()).unwrap_or_default();
    let clause = clause.split_whitespace().collect::<Vec<_>>().join(" ");
    (!clause.is_empty()).then_some(clause)
}

/// The alias of a FROM clause (`S3Object[*] AS d` → `d`); `None` when it has none.
pub fn alias(from: &str) -> Option<&str> {
    let words: Vec<(TokenKind, &str)> = tokens(from)
        .filter(|t| {
            !matches!(
                t.kind,
                TokenKind::Whitespace | TokenKind::LineComment | TokenKind::BlockComment
            )
        })
        .map(|t| (t.kind, t.text(from)))
        .collect();
    match words.as_slice() {
        [.., (prev, _), (TokenKind::Identifier, name)]
            if !matches!(prev, TokenKind::Dot) && words.len() > 1 =>
        {
            Some(name)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clause_is_rebuilt_without_comments_and_ends_where_the_next_clause_starts() {
        assert_eq!(
            from_clause("select s.a from S3Object[*].items s where s.a > 1").as_deref(),
            Some("S3Object[*].items s")
        );
        assert_eq!(
            from_clause("SELECT (SELECT 1 FROM x) FROM S3Object AS d -- note\n LIMIT 3").as_deref(),
            Some("S3Object AS d")
        );
        assert_eq!(from_clause("SELECT s.name"), None);
        assert_eq!(from_clause("not sql at all"), None);
    }

    #[test]
    fn the_alias_is_the_last_word_after_the_path() {
        assert_eq!(alias("S3Object[*][*] s"), Some("s"));
        assert_eq!(alias("S3Object AS d"), Some("d"));
        assert_eq!(alias("S3Object"), None);
        assert_eq!(alias("S3Object[*].items"), None);
    }
}
