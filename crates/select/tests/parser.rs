//! The SQL parser on hostile input: it never panics and always returns, on arbitrary text and
//! on the fixture corpus's queries with tokens dropped, doubled, swapped or inserted; and any
//! position it reports lies within the text.

#[path = "common/fixture_format.rs"]
mod fixture_format;

use proptest::prelude::*;
use std::sync::OnceLock;
use wyvern_select::sql::parse;

/// The corpus's queries, split into token texts (whitespace and comments dropped).
fn corpus_tokens() -> &'static [Vec<String>] {
    static TOKENS: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    TOKENS.get_or_init(|| {
        fixture_format::load_all()
            .iter()
            .map(|c| {
                wyvern_lexer::tokens(&c.sql)
                    .filter(|t| !t.is_trivia())
                    .map(|t| t.text(&c.sql).to_string())
                    .collect()
            })
            .collect()
    })
}

/// Tokens to insert: every class, and the words and operators the grammar turns on.
const INSERTS: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "LIMIT",
    "AS",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "CAST",
    "EXTRACT",
    "TRIM",
    "SUBSTRING",
    "FOR",
    "BOTH",
    "NOT",
    "IS",
    "NULL",
    "MISSING",
    "IN",
    "BETWEEN",
    "AND",
    "OR",
    "LIKE",
    "ESCAPE",
    "COUNT",
    "DATE_ADD",
    "(",
    ")",
    "[",
    "]",
    "[*]",
    ".*",
    ".",
    ",",
    ";",
    "*",
    "-",
    "+",
    "||",
    "=",
    "<>",
    "::",
    "~",
    "'s'",
    "'",
    "\"q\"",
    "\"",
    "`2020T`",
    "`",
    "1",
    "-9223372036854775808",
    "1.5e3",
    "0x1F",
    "_1",
    "s",
    "/*",
    "--",
    "§",
];

fn check(sql: &str) {
    if let Err(e) = parse(sql) {
        if let Some(p) = e.position {
            let lines = sql.split('\n').count() as u64;
            assert!(p.line >= 1 && p.line <= lines, "{sql:?}: {p:?}");
            let line = sql.split('\n').nth(p.line as usize - 1).unwrap_or("");
            assert!(
                p.column >= 1 && p.column <= line.chars().count() as u64 + 1,
                "{sql:?}: {p:?}"
            );
        }
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Drop(usize),
    Double(usize),
    Swap(usize),
    Insert(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Drop),
        any::<usize>().prop_map(Edit::Double),
        any::<usize>().prop_map(Edit::Swap),
        (any::<usize>(), 0..INSERTS.len()).prop_map(|(at, t)| Edit::Insert(at, t)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn arbitrary_text_never_panics(sql in any::<String>()) {
        check(&sql);
    }

    #[test]
    fn sql_shaped_text_never_panics(words in prop::collection::vec(0..INSERTS.len(), 0..40)) {
        let sql: Vec<&str> = words.iter().map(|&i| INSERTS[i]).collect();
        check(&sql.join(" "));
        check(&sql.concat());
    }

    #[test]
    fn edited_corpus_queries_never_panic(query in any::<prop::sample::Index>(), edits in prop::collection::vec(edit(), 1..6)) {
        let queries = corpus_tokens();
        let mut tokens = queries[query.index(queries.len())].clone();
        for e in edits {
            let n = tokens.len().max(1);
            match e {
                Edit::Drop(i) if !tokens.is_empty() => { tokens.remove(i % n); }
                Edit::Double(i) if !tokens.is_empty() => { let t = tokens[i % n].clone(); tokens.insert(i % n, t); }
                Edit::Swap(i) if tokens.len() > 1 => { let i = i % (n - 1); tokens.swap(i, i + 1); }
                Edit::Insert(i, t) => tokens.insert(i % (tokens.len() + 1), INSERTS[t].to_string()),
                _ => {}
            }
        }
        check(&tokens.join(" "));
        check(&tokens.join("\n"));
    }
}
