//! Every token class, positions (multi-byte characters, CRLF) and text that does not end well.

use crate::{tokens, unquote, Token, TokenKind as K};

/// (kind, text) of every token, trivia included.
fn lex(sql: &str) -> Vec<(K, &str)> {
    tokens(sql).map(|t| (t.kind, t.text(sql))).collect()
}

/// The tokens that are not trivia.
fn significant(sql: &str) -> Vec<(K, &str)> {
    tokens(sql)
        .filter(|t| !t.is_trivia())
        .map(|t| (t.kind, t.text(sql)))
        .collect()
}

#[test]
fn words_are_keywords_or_identifiers() {
    assert_eq!(
        lex("select From s3object _1 x9 Count"),
        [
            (K::Keyword, "select"),
            (K::Whitespace, " "),
            (K::Keyword, "From"),
            (K::Whitespace, " "),
            (K::Identifier, "s3object"),
            (K::Whitespace, " "),
            (K::Identifier, "_1"),
            (K::Whitespace, " "),
            (K::Identifier, "x9"),
            (K::Whitespace, " "),
            (K::Keyword, "Count"),
        ]
    );
}

#[test]
fn quoted_tokens_keep_their_quotes_and_unquote() {
    let sql = r#"'it''s' "A ""b""" `2007-04-05T14:30Z` ''"#;
    assert_eq!(
        significant(sql),
        [
            (K::String, "'it''s'"),
            (K::QuotedIdentifier, r#""A ""b""""#),
            (K::Timestamp, "`2007-04-05T14:30Z`"),
            (K::String, "''"),
        ]
    );
    assert_eq!(unquote("'it''s'"), "it's");
    assert_eq!(unquote(r#""A ""b""""#), r#"A "b""#);
    assert_eq!(unquote("`t`"), "t");
    assert_eq!(unquote("''"), "");
    assert_eq!(unquote("plain"), "plain");
}

#[test]
fn numbers() {
    assert_eq!(
        significant("1 12.5 .5 1. 1e10 2.5E-3 7e+2"),
        [
            (K::Number, "1"),
            (K::Number, "12.5"),
            (K::Number, ".5"),
            (K::Number, "1."),
            (K::Number, "1e10"),
            (K::Number, "2.5E-3"),
            (K::Number, "7e+2"),
        ]
    );
    // A number ends where its digits do; `0x…` is one (invalid) number.
    assert_eq!(
        significant("0x1F 1abc 1e"),
        [
            (K::Number, "0x1F"),
            (K::Number, "1"),
            (K::Identifier, "abc"),
            (K::Number, "1"),
            (K::Identifier, "e"),
        ]
    );
    assert_eq!(
        significant("N'a' x'1F' n"),
        [
            (K::PrefixedString, "N'a'"),
            (K::PrefixedString, "x'1F'"),
            (K::Identifier, "n"),
        ]
    );
    // An exponent needs digits: `1e-` is 1e, then a minus.
    assert_eq!(
        significant("1e-"),
        [(K::Number, "1"), (K::Identifier, "e"), (K::Minus, "-")]
    );
    assert_eq!(
        significant("s.a[0]"),
        [
            (K::Identifier, "s"),
            (K::Dot, "."),
            (K::Identifier, "a"),
            (K::LeftBracket, "["),
            (K::Number, "0"),
            (K::RightBracket, "]"),
        ]
    );
}

#[test]
fn operators_and_punctuation() {
    let kinds: Vec<K> = tokens("( ) [ ] , . ; * + - / % || = != <> < <= > >=")
        .filter(|t| !t.is_trivia())
        .map(|t| t.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            K::LeftParen,
            K::RightParen,
            K::LeftBracket,
            K::RightBracket,
            K::Comma,
            K::Dot,
            K::Semicolon,
            K::Star,
            K::Plus,
            K::Minus,
            K::Slash,
            K::Percent,
            K::Concat,
            K::Eq,
            K::NotEq,
            K::NotEq,
            K::Lt,
            K::LtEq,
            K::Gt,
            K::GtEq,
        ]
    );
    // Operators S3 Select does not have are kept whole, to be named in errors.
    assert_eq!(
        significant("a == b <=> c :: d ~ e | f ! g << h"),
        [
            (K::Identifier, "a"),
            (K::OtherOperator, "=="),
            (K::Identifier, "b"),
            (K::OtherOperator, "<=>"),
            (K::Identifier, "c"),
            (K::OtherOperator, "::"),
            (K::Identifier, "d"),
            (K::OtherOperator, "~"),
            (K::Identifier, "e"),
            (K::OtherOperator, "|"),
            (K::Identifier, "f"),
            (K::OtherOperator, "!"),
            (K::Identifier, "g"),
            (K::OtherOperator, "<<"),
            (K::Identifier, "h"),
        ]
    );
    assert_eq!(
        significant("a=-1"),
        [
            (K::Identifier, "a"),
            (K::Eq, "="),
            (K::Minus, "-"),
            (K::Number, "1")
        ]
    );
}

#[test]
fn comments_and_whitespace_are_trivia() {
    assert_eq!(
        lex("a -- rest\n/* x\n y */b\t\u{a0}"),
        [
            (K::Identifier, "a"),
            (K::Whitespace, " "),
            (K::LineComment, "-- rest"),
            (K::Whitespace, "\n"),
            (K::BlockComment, "/* x\n y */"),
            (K::Identifier, "b"),
            (K::Whitespace, "\t\u{a0}"),
        ]
    );
    // Block comments do not nest: the first `*/` ends one.
    assert_eq!(
        lex("/* a /* b */ c */"),
        [
            (K::BlockComment, "/* a /* b */"),
            (K::Whitespace, " "),
            (K::Identifier, "c"),
            (K::Whitespace, " "),
            (K::Star, "*"),
            (K::Slash, "/"),
        ]
    );
    assert_eq!(lex("--"), [(K::LineComment, "--")]);
}

#[test]
fn unfinished_text_becomes_a_token_not_a_failure() {
    assert_eq!(
        lex("a 'open"),
        [
            (K::Identifier, "a"),
            (K::Whitespace, " "),
            (K::UnterminatedQuote, "'open")
        ]
    );
    assert_eq!(lex("\"x\"\"y"), [(K::UnterminatedQuote, "\"x\"\"y")]);
    assert_eq!(lex("`2020"), [(K::UnterminatedQuote, "`2020")]);
    assert_eq!(lex("'"), [(K::UnterminatedQuote, "'")]);
    assert_eq!(
        lex("/* never closed"),
        [(K::UnterminatedComment, "/* never closed")]
    );
    assert_eq!(lex("/*/"), [(K::UnterminatedComment, "/*/")]);
    assert_eq!(
        lex("a § é"),
        [
            (K::Identifier, "a"),
            (K::Whitespace, " "),
            (K::Unknown, "§"),
            (K::Whitespace, " "),
            (K::Unknown, "é"),
        ]
    );
}

#[test]
fn positions_count_characters_and_lines() {
    let sql = "SELECT 'é€𝄞', x\r\n  FROM\nS3Object";
    let at: Vec<(&str, u32, u32)> = tokens(sql)
        .filter(|t| !t.is_trivia())
        .map(|t| (t.text(sql), t.line, t.column))
        .collect();
    assert_eq!(
        at,
        [
            ("SELECT", 1, 1),
            ("'é€𝄞'", 1, 8),
            (",", 1, 13),
            ("x", 1, 15),
            ("FROM", 2, 3),
            ("S3Object", 3, 1),
        ]
    );
    // Byte spans cover the text without gaps.
    let all: Vec<Token> = tokens(sql).collect();
    assert_eq!(all.first().map(|t| t.start), Some(0));
    assert!(all.windows(2).all(|w| w[0].end == w[1].start));
    assert_eq!(all.last().map(|t| t.end), Some(sql.len()));
    let mut lexer = tokens(sql);
    lexer.by_ref().for_each(drop);
    assert_eq!(lexer.location(), (3, 9));
}

#[test]
fn any_text_is_covered_and_lexing_ends() {
    // Every prefix of a text with every class in it (cut inside multi-byte characters too, on
    // character boundaries) tokenizes into spans that cover it.
    let sql = "SELECT \"a\"\"b\", 'c''d', `t`, 1.5e3, x || y /* c */ -- d\n§é<=>::";
    for (cut, _) in sql.char_indices() {
        let text = &sql[..cut];
        let mut end = 0;
        for t in tokens(text) {
            assert_eq!(t.start, end, "{text:?}");
            assert!(t.end > t.start);
            end = t.end;
        }
        assert_eq!(end, text.len());
    }
}
