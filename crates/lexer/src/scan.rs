//! The scanner: one token at a time from a cursor over the text, which keeps the line and column.

use crate::{is_reserved, Token, TokenKind};

/// The tokens of `source`, trivia included, in order; they cover the text without gaps.
pub fn tokens(source: &str) -> Lexer<'_> {
    Lexer {
        source,
        pos: 0,
        line: 1,
        column: 1,
    }
}

/// An iterator over the tokens of a text (see [`tokens`]).
#[derive(Debug, Clone)]
pub struct Lexer<'a> {
    source: &'a str,
    /// Byte offset of the next character (always on a character boundary).
    pos: usize,
    line: u32,
    column: u32,
}

fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_word_part(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Lexer<'_> {
    /// The line and column of the next character (after the last token: just past the text).
    pub fn location(&self) -> (u32, u32) {
        (self.line, self.column)
    }

    fn peek(&self) -> Option<char> {
        self.source.get(self.pos..)?.chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line = self.line.saturating_add(1);
            self.column = 1;
        } else {
            self.column = self.column.saturating_add(1);
        }
        Some(c)
    }

    fn bump_while(&mut self, keep: impl Fn(char) -> bool) {
        while self.peek().is_some_and(&keep) {
            self.bump();
        }
    }

    /// Consumes `c` if it comes next.
    fn eat(&mut self, c: char) -> bool {
        let here = self.peek() == Some(c);
        if here {
            self.bump();
        }
        here
    }

    /// After an opening quote: up to and including the closing one (a doubled quote is part of
    /// the content).
    fn quoted(&mut self, quote: char) -> bool {
        while let Some(c) = self.bump() {
            if c == quote && !self.eat(quote) {
                return true;
            }
        }
        false
    }

    /// After `/*`: up to and including the first `*/`.
    fn block_comment(&mut self) -> bool {
        while let Some(c) = self.bump() {
            if c == '*' && self.eat('/') {
                return true;
            }
        }
        false
    }

    /// After a number's first character (a digit, or the `.` of `.5`): the other digits, an
    /// optional fraction and exponent. `0x` and hex digits are read as one (invalid) number.
    fn number(&mut self, first: char) {
        if first == '0' && self.eat('x') {
            self.bump_while(|c| c.is_ascii_hexdigit());
            return;
        }
        self.bump_while(|c| c.is_ascii_digit());
        if first != '.' && self.eat('.') {
            self.bump_while(|c| c.is_ascii_digit());
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let mut ahead = self.clone();
            ahead.bump();
            if matches!(ahead.peek(), Some('+' | '-')) {
                ahead.bump();
            }
            if ahead.peek().is_some_and(|c| c.is_ascii_digit()) {
                *self = ahead;
                self.bump_while(|c| c.is_ascii_digit());
            }
        }
    }

    /// The kind of the token starting with `first` (already consumed), consuming the rest of it.
    fn kind_after(&mut self, first: char) -> TokenKind {
        use TokenKind as K;
        match first {
            c if c.is_whitespace() => {
                self.bump_while(char::is_whitespace);
                K::Whitespace
            }
            '-' if self.eat('-') => {
                self.bump_while(|c| c != '\n');
                K::LineComment
            }
            '/' if self.eat('*') => {
                if self.block_comment() {
                    K::BlockComment
                } else {
                    K::UnterminatedComment
                }
            }
            '\'' | '"' | '`' => match (self.quoted(first), first) {
                (false, _) => K::UnterminatedQuote,
                (true, '\'') => K::String,
                (true, '"') => K::QuotedIdentifier,
                (true, _) => K::Timestamp,
            },
            'N' | 'n' | 'X' | 'x' if self.peek() == Some('\'') => {
                self.bump();
                if self.quoted('\'') {
                    K::PrefixedString
                } else {
                    K::UnterminatedQuote
                }
            }
            c if is_word_start(c) => {
                let start = self.pos - c.len_utf8();
                self.bump_while(is_word_part);
                if is_reserved(self.source.get(start..self.pos).unwrap_or("")) {
                    K::Keyword
                } else {
                    K::Identifier
                }
            }
            c if c.is_ascii_digit() => {
                self.number(c);
                K::Number
            }
            '.' if self.peek().is_some_and(|c| c.is_ascii_digit()) => {
                self.number('.');
                K::Number
            }
            '.' => K::Dot,
            '(' => K::LeftParen,
            ')' => K::RightParen,
            '[' => K::LeftBracket,
            ']' => K::RightBracket,
            ',' => K::Comma,
            ';' => K::Semicolon,
            '*' => K::Star,
            '+' => K::Plus,
            '-' => K::Minus,
            '/' => K::Slash,
            '%' => K::Percent,
            '|' if self.eat('|') => K::Concat,
            '=' if self.eat('=') || self.eat('>') => K::OtherOperator,
            '=' => K::Eq,
            '!' if self.eat('=') => K::NotEq,
            '<' if self.eat('>') => K::NotEq,
            '<' if self.eat('=') => {
                if self.eat('>') {
                    K::OtherOperator
                } else {
                    K::LtEq
                }
            }
            '<' if self.eat('<') => K::OtherOperator,
            '<' => K::Lt,
            '>' if self.eat('=') => K::GtEq,
            '>' if self.eat('>') => K::OtherOperator,
            '>' => K::Gt,
            ':' => {
                self.eat(':');
                K::OtherOperator
            }
            '~' | '^' | '&' | '|' | '!' | '#' | '@' | '?' | '{' | '}' | '$' | '\\' => {
                K::OtherOperator
            }
            _ => K::Unknown,
        }
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let (start, line, column) = (self.pos, self.line, self.column);
        let first = self.bump()?;
        let kind = self.kind_after(first);
        Some(Token {
            kind,
            start,
            end: self.pos,
            line,
            column,
        })
    }
}
