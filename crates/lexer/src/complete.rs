//! Completion for the SQL editor: what may be typed at the cursor in S3 Select's dialect. After
//! `alias.` (or deeper in a path) the data's own paths; elsewhere the word's prefix matched
//! against the dialect's keywords, its functions and the data's top-level fields; inside a
//! string, a quoted name or a comment, nothing.

use crate::{tokens, TokenKind};

/// The words of the dialect's statements (its functions come from the engine's table).
pub const KEYWORDS: [&str; 26] = [
    "SELECT", "FROM", "WHERE", "LIMIT", "AS", "AND", "OR", "NOT", "IN", "BETWEEN", "LIKE",
    "ESCAPE", "IS", "NULL", "MISSING", "CASE", "WHEN", "THEN", "ELSE", "END", "TRUE", "FALSE",
    "S3Object", "INT", "FLOAT", "STRING",
];

/// Suggestions at most.
pub const MAX_ITEMS: usize = 16;

/// What a proposal is: taking a function writes its call, the others their word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Keyword,
    Function,
    /// A field or a step of a path, from the data's shape.
    Field,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub text: String,
    pub kind: Kind,
}

/// What completion proposes: each item replaces the text from `start` to the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completion {
    pub start: usize,
    pub items: Vec<Item>,
}

impl Completion {
    /// The items' words, in order.
    pub fn words(&self) -> Vec<&str> {
        self.items.iter().map(|i| i.text.as_str()).collect()
    }
}

/// The suggestions for the cursor at byte `offset` of `sql`, given the data's paths (as the
/// shape names them: `s.loc.city`, `s.tags[*]`) and the dialect's function names.
pub fn complete(sql: &str, offset: usize, paths: &[&str], functions: &[&str]) -> Completion {
    let offset = offset.min(sql.len());
    let none = Completion {
        start: offset,
        items: Vec::new(),
    };
    // Inside a string, a quoted name, a timestamp or a comment: nothing to propose.
    let inside = tokens(sql).find(|t| {
        t.start < offset && offset < t.end
            || (t.end == offset && t.start < offset && !closed(t.kind, t.text(sql)))
    });
    if let Some(t) = inside {
        if matches!(
            t.kind,
            TokenKind::String
                | TokenKind::QuotedIdentifier
                | TokenKind::Timestamp
                | TokenKind::LineComment
                | TokenKind::BlockComment
                | TokenKind::UnterminatedQuote
                | TokenKind::UnterminatedComment
        ) {
            return none;
        }
    }
    // The path being typed: letters, digits, `_`, dots and `[*]` right before the cursor.
    let before = &sql[..offset];
    let path_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '*'))
        .last()
        .map_or(offset, |(i, _)| i);
    let typed = &sql[path_start..offset];
    let word_start = typed
        .rfind('.')
        .map_or(path_start, |dot| path_start + dot + 1);
    let word = &sql[word_start..offset];
    let starts = |candidate: &str| {
        candidate.len() > word.len()
            && candidate.is_char_boundary(word.len())
            && candidate[..word.len()].eq_ignore_ascii_case(word)
    };
    let mut items: Vec<Item> = Vec::new();
    let mut add = |text: &str, kind: Kind| {
        if starts(text) && !items.iter().any(|i| i.text == text) && items.len() < MAX_ITEMS {
            items.push(Item {
                text: text.to_string(),
                kind,
            });
        }
    };
    if let Some(dot) = typed.rfind('.') {
        // `s.lo|` → the next step of each path under `s.`.
        let parent = &typed[..=dot];
        // Paths sampled from a query with no alias yet (`SELECT s.` before its FROM) are bare:
        // match them without the typed alias.
        let unaliased = parent.split_once('.').map_or("", |(_, rest)| rest);
        let aliased = paths.iter().any(|p| p.starts_with(parent));
        for p in paths {
            let rest = if aliased {
                p.strip_prefix(parent)
            } else {
                let bare = !unaliased.is_empty() || !p.contains(['.', '[']);
                p.strip_prefix(unaliased).filter(|_| bare)
            };
            if let Some(rest) = rest {
                let step = rest.split(['.', '[']).next().unwrap_or(rest);
                add(step, Kind::Field);
            }
        }
    } else {
        if word.is_empty() {
            return none;
        }
        for k in KEYWORDS {
            add(k, Kind::Keyword);
        }
        for f in functions {
            add(f, Kind::Function);
        }
        for p in paths {
            // Fields named without an alias (`SELECT name FROM S3Object`).
            if !p.contains('.') && !p.contains('[') {
                add(p, Kind::Field);
            }
        }
    }
    Completion {
        start: word_start,
        items,
    }
}

/// Whether a token that ends at the cursor is closed (a closed string ends before the cursor).
fn closed(kind: TokenKind, text: &str) -> bool {
    match kind {
        TokenKind::String => text.len() >= 2 && text.ends_with('\''),
        TokenKind::QuotedIdentifier => text.len() >= 2 && text.ends_with('"'),
        TokenKind::Timestamp => text.len() >= 2 && text.ends_with('`'),
        TokenKind::BlockComment => true,
        // A line comment runs to the end of the line: a cursor at its end is still in it; so
        // is one at the end of an unterminated quote or comment.
        TokenKind::LineComment | TokenKind::UnterminatedQuote | TokenKind::UnterminatedComment => {
            false
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths() -> Vec<&'static str> {
        vec![
            "s.name",
            "s.loc",
            "s.loc.city",
            "s.loc.country",
            "s.tags",
            "s.tags[*]",
            "wings",
        ]
    }

    fn functions() -> Vec<&'static str> {
        vec!["UPPER", "UTCNOW", "LOWER", "CAST"]
    }

    fn at_end(sql: &str) -> Completion {
        complete(sql, sql.len(), &paths(), &functions())
    }

    #[test]
    fn a_prefix_proposes_keywords_functions_and_fields() {
        let c = at_end("SELECT u");
        assert_eq!(c.words(), ["UPPER", "UTCNOW"]);
        assert_eq!(c.start, 7);
        assert_eq!(at_end("SELECT * fr").words(), ["FROM"]);
        assert_eq!(at_end("SELECT w").words(), ["WHERE", "WHEN", "wings"]);
        assert!(at_end("SELECT ").items.is_empty(), "no word, no list");
        assert!(
            at_end("SELECT FROM").items.is_empty(),
            "a whole word proposes nothing more"
        );
    }

    #[test]
    fn after_the_alias_the_datas_paths() {
        let c = at_end("SELECT s.");
        assert_eq!(c.words(), ["name", "loc", "tags"]);
        assert_eq!(c.start, "SELECT s.".len());
        assert_eq!(at_end("SELECT s.lo").words(), ["loc"]);
        assert_eq!(at_end("SELECT s.loc.").words(), ["city", "country"]);
        assert_eq!(at_end("SELECT s.loc.ci").words(), ["city"]);
        let aliased: Vec<&str> = paths()
            .into_iter()
            .filter(|p| p.starts_with("s."))
            .collect();
        assert!(
            complete("SELECT d.", 9, &aliased, &[]).items.is_empty(),
            "another alias has no paths here"
        );
        // Sampled before the query had a FROM clause: bare paths, matched under any alias.
        let bare = ["name", "loc", "loc.city"];
        assert_eq!(
            complete("SELECT s.", 9, &bare, &[]).words(),
            ["name", "loc"]
        );
        assert_eq!(complete("SELECT s.loc.c", 14, &bare, &[]).words(), ["city"]);
    }

    #[test]
    fn inside_a_string_a_quoted_name_or_a_comment_nothing() {
        assert!(at_end("SELECT * FROM S3Object s WHERE s.name = 'u")
            .items
            .is_empty());
        assert!(at_end("SELECT \"u").items.is_empty());
        assert!(at_end("SELECT 1 -- u").items.is_empty());
        let sql = "SELECT 'up' , u";
        assert_eq!(
            complete(sql, 10, &paths(), &functions()).words(),
            Vec::<&str>::new()
        );
        assert_eq!(
            at_end(sql).words(),
            ["UPPER", "UTCNOW"],
            "after a closed string"
        );
    }

    #[test]
    fn the_middle_of_a_word_completes_what_is_before_the_cursor() {
        let sql = "SELECT lowxx";
        let c = complete(sql, "SELECT low".len(), &paths(), &functions());
        assert_eq!((c.start, c.words()), (7, vec!["LOWER"]));
        assert_eq!(c.items[0].kind, Kind::Function);
        assert!(complete("", 10, &paths(), &functions()).items.is_empty());
    }
}
