//! Highlighting for an SQL editor: each piece of the text with the CSS class that colours it,
//! from the same tokens the engine parses, so the editor and the engine read words alike.
//! (The page's editor draws these as a coloured copy under its textarea.)

use crate::{tokens, Token, TokenKind};

/// A run of the text and its class ("" for plain text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece<'a> {
    pub text: &'a str,
    pub class: &'static str,
}

/// The class of a token; `called` is whether a `(` follows it (a function call).
fn class(kind: TokenKind, called: bool) -> &'static str {
    use TokenKind::*;
    match kind {
        Keyword | Identifier if called => "tok-fn",
        Keyword => "tok-kw",
        Identifier | QuotedIdentifier => "tok-name",
        String => "tok-str",
        Number => "tok-num",
        Timestamp => "tok-ts",
        LineComment | BlockComment => "tok-comment",
        PrefixedString | OtherOperator | Unknown | UnterminatedQuote | UnterminatedComment => {
            "tok-bad"
        }
        _ => "",
    }
}

/// The text cut into pieces that cover it exactly, in order. Neighbouring pieces of the same
/// class are joined, so plain text and punctuation stay one run.
pub fn pieces(sql: &str) -> Vec<Piece<'_>> {
    let all: Vec<Token> = tokens(sql).collect();
    // (start, end, class) of each run, joined while the class stays the same.
    let mut runs: Vec<(usize, usize, &'static str)> = Vec::new();
    for (i, t) in all.iter().enumerate() {
        let called = all
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .find(|n| !n.is_trivia())
            .is_some_and(|n| n.kind == TokenKind::LeftParen);
        let class = class(t.kind, called);
        match runs.last_mut() {
            Some(last) if last.2 == class => last.1 = t.end,
            _ => runs.push((t.start, t.end, class)),
        }
    }
    runs.into_iter()
        .map(|(start, end, class)| Piece {
            text: sql.get(start..end).unwrap_or_default(),
            class,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(sql: &str) -> Vec<(&str, &'static str)> {
        pieces(sql).into_iter().map(|p| (p.text, p.class)).collect()
    }

    #[test]
    fn every_class() {
        assert_eq!(
            classes("SELECT UPPER(s.\"A b\"), 1.5, 'x''y', `2020T` FROM S3Object s -- hi"),
            [
                ("SELECT", "tok-kw"),
                (" ", ""),
                ("UPPER", "tok-fn"),
                ("(", ""),
                ("s", "tok-name"),
                (".", ""),
                ("\"A b\"", "tok-name"),
                ("), ", ""),
                ("1.5", "tok-num"),
                (", ", ""),
                ("'x''y'", "tok-str"),
                (", ", ""),
                ("`2020T`", "tok-ts"),
                (" ", ""),
                ("FROM", "tok-kw"),
                (" ", ""),
                ("S3Object", "tok-name"),
                (" ", ""),
                ("s", "tok-name"),
                (" ", ""),
                ("-- hi", "tok-comment"),
            ]
        );
    }

    #[test]
    fn keywords_called_like_functions_are_functions() {
        let c = classes("CAST (x AS INT)");
        assert_eq!(c[0], ("CAST", "tok-fn"));
        assert!(c.contains(&("AS", "tok-kw")));
    }

    #[test]
    fn text_being_typed_is_covered_and_marked() {
        for sql in ["SELECT 'open", "/* open", "SELECT § ~", "", "\u{feff}é\r\n"] {
            let joined: String = pieces(sql).iter().map(|p| p.text).collect();
            assert_eq!(joined, sql);
        }
        assert_eq!(classes("SELECT 'open").last(), Some(&("'open", "tok-bad")));
    }
}
