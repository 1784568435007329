//! The S3 Select SQL tokenizer. It reads any text into tokens, each with its kind, byte span and
//! the line and column where it starts, and never fails: what S3 Select cannot read becomes an
//! `Unknown` or `Unterminated…` token, so the parser can report it where it stands and an editor
//! can highlight text that is still being typed. Comments and whitespace are tokens too
//! ([`Token::is_trivia`]); the parser skips them.
//!
//! ```
//! use wyvern_lexer::{tokens, TokenKind};
//! let sql = "SELECT s.\"A b\" FROM S3Object s -- note";
//! let kinds: Vec<TokenKind> = tokens(sql).filter(|t| !t.is_trivia()).map(|t| t.kind).collect();
//! assert_eq!(
//!     kinds,
//!     [
//!         TokenKind::Keyword, TokenKind::Identifier, TokenKind::Dot,
//!         TokenKind::QuotedIdentifier, TokenKind::Keyword, TokenKind::Identifier,
//!         TokenKind::Identifier,
//!     ]
//! );
//! ```

pub mod calls;
pub mod complete;
pub mod from;
pub mod highlight;
mod keywords;
mod scan;

pub use keywords::is_reserved;
pub use scan::{tokens, Lexer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Spaces, tabs, line breaks and any other Unicode whitespace.
    Whitespace,
    /// `-- …` up to the end of the line (the line break is not part of it).
    LineComment,
    /// `/* … */` (not nested: the first `*/` ends it).
    BlockComment,
    /// A reserved word (see [`is_reserved`]), in any case.
    Keyword,
    /// Any other word: a letter or `_`, then letters, digits and `_` (ASCII).
    Identifier,
    /// `"…"`, with `""` for a quote inside: a name matched exactly.
    QuotedIdentifier,
    /// `'…'`, with `''` for a quote inside.
    String,
    /// Digits with an optional fraction and exponent (`1`, `1.5`, `.5`, `1e-3`); also `0x` and
    /// hex digits, which is not a valid number (the parser says so).
    Number,
    /// `N'…'` or `X'…'`: a string with a prefix, which SQL has and S3 Select does not.
    PrefixedString,
    /// `` `…` ``: a timestamp literal such as `` `2007-04-05T14:30Z` ``.
    Timestamp,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Dot,
    Semicolon,
    Star,
    Plus,
    Minus,
    Slash,
    Percent,
    /// `||`
    Concat,
    Eq,
    /// `!=` or `<>`
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    /// An operator S3 Select does not have, kept whole so that it can be named: `~`, `^`, `&`,
    /// `|`, `!`, `:`, `::`, `==`, `=>`, `<=>`, `<<`, `>>`, `#`, `@`, `?`, `{`, `}`, `$`, `\`.
    OtherOperator,
    /// A character that starts no token (`§`, `é`, a control character, …).
    Unknown,
    /// A string, quoted identifier or timestamp with no closing quote: it runs to the end.
    UnterminatedQuote,
    /// A block comment with no `*/`: it runs to the end.
    UnterminatedComment,
}

/// One token: its kind, where it is in the text (bytes `start..end`), and the 1-based line and
/// column (in characters; only `\n` starts a line) of its first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
}

impl Token {
    /// The token's text in `source` (the text it was read from); empty if `source` is another.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.start..self.end).unwrap_or("")
    }

    /// Whitespace and comments, which the grammar ignores.
    pub fn is_trivia(&self) -> bool {
        matches!(
            self.kind,
            TokenKind::Whitespace | TokenKind::LineComment | TokenKind::BlockComment
        )
    }
}

/// The content of a quoted token's text (string, quoted identifier or timestamp): the quotes
/// around it removed and each doubled quote inside made single. Other text comes back as is.
pub fn unquote(text: &str) -> String {
    let mut chars = text.chars();
    let quote = match chars.next() {
        Some(q @ ('\'' | '"' | '`')) => q,
        _ => return text.to_string(),
    };
    let inner = chars.as_str().strip_suffix(quote).unwrap_or(chars.as_str());
    let mut out = String::with_capacity(inner.len());
    let mut pending_quote = false;
    for c in inner.chars() {
        // Of each pair of quotes inside, keep one.
        if c == quote && !pending_quote {
            pending_quote = true;
            continue;
        }
        pending_quote = false;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
