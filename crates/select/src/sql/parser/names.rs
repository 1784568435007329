//! Words in expressions (names, keyword literals, calls), paths (`a.b`, `a[0]`, `a['k']`,
//! `a."B"`), names with their reserved-word check, and number and timestamp literals.

use super::expr::Parsed;
use super::{ast, Expected, Parser};
use crate::error::{ErrorCode, Position, SelectError};
use crate::timestamp::Timestamp;
use crate::value::{parse_number, Number, Value};
use ast::{Binding, Expr, Name, PathStep};
use wyvern_lexer::{is_reserved, unquote, Token, TokenKind as K};

impl<'a> Parser<'a> {
    /// An expression that starts with a word: a literal keyword, a construct of its own (CASE,
    /// CAST, …), a call, or a name.
    pub(super) fn word(&mut self) -> crate::error::Result<Parsed<'a>> {
        let Some(token) = self.peek() else {
            return Err(self.expected(Expected::Expression));
        };
        let (start, at) = (token.start, super::position_of(token));
        let text = self.text(token);
        let literal = |expr| Parsed {
            expr: Expr::Literal(expr),
            at,
            start,
            end: token.end,
            number: None,
        };
        match token.kind {
            K::Timestamp if self.kind_at(1) != Some(K::Dot) => {
                self.advance();
                let value = self.timestamp(token);
                return Ok(literal(value));
            }
            K::Keyword | K::Identifier => {
                let word = text.to_ascii_lowercase();
                match word.as_str() {
                    "true" | "false" | "null" => {
                        self.advance();
                        return Ok(literal(match word.as_str() {
                            "true" => Value::Bool(true),
                            "false" => Value::Bool(false),
                            _ => Value::Null,
                        }));
                    }
                    "missing" if self.kind_at(1) != Some(K::Dot) => {
                        self.advance();
                        return Ok(literal(Value::Missing));
                    }
                    "case" | "cast" | "extract" | "substring" | "position" | "not" => {
                        return self.construct_or_name(&word)
                    }
                    "trim" => return self.trim(),
                    "exists" | "interval" => return self.refused_prefix(&word),
                    _ if word.starts_with('_')
                        && token.kind == K::Identifier
                        && self.kind_at(1) == Some(K::String) =>
                    {
                        // `_charset'text'`, a string introducer: not in S3 Select.
                        self.advance();
                        let value_at = self.here();
                        self.advance();
                        self.unsupported_expression(start, value_at);
                        return Ok(self.placeholder(start, value_at));
                    }
                    _ if self.kind_at(1) == Some(K::String) && is_type_name(&word) => {
                        // `DATE '2020-01-01'`: a typed literal.
                        self.advance();
                        let value = self.advance();
                        let value_at = value.map_or(at, super::position_of);
                        self.unsupported(
                            "typed literals; write CAST('…' AS TYPE) or a `timestamp` literal",
                            start,
                            self.last_end(),
                            Some(value_at),
                        );
                        return Ok(self.placeholder(start, value_at));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        self.name_or_call()
    }

    /// A word that starts a construct of its own (CASE, CAST, EXTRACT, SUBSTRING, POSITION).
    /// If the construct does not parse, the word is read as a name or a call instead, as SQL
    /// parsers do (it is then refused as a reserved word); if that fails too, the construct's
    /// error is the one reported.
    fn construct_or_name(&mut self, word: &str) -> crate::error::Result<Parsed<'a>> {
        let (next, depth) = (self.next, self.depth);
        let outer = self.refusal.take();
        let construct = match word {
            "case" => self.case(),
            "cast" => self.cast(),
            "extract" => self.extract(),
            "substring" => self.substring(),
            "position" => self.position(),
            _ => self.not(),
        };
        let result = match construct {
            Ok(parsed) => Ok(parsed),
            Err(error) => {
                (self.next, self.depth, self.refusal) = (next, depth, None);
                self.name_or_call().map_err(|_| error)
            }
        };
        if let Some((rank, error)) = outer {
            self.refuse_ranked(rank, error);
        }
        result
    }

    /// `NOT x`.
    fn not(&mut self) -> crate::error::Result<Parsed<'a>> {
        let start = self.advance().map_or(0, |t| t.start);
        let operand = self.subexpr(super::expr::NOT)?;
        Ok(Parsed {
            expr: Expr::Unary(ast::UnaryOp::Not, Box::new(operand.expr)),
            start,
            end: self.last_end(),
            number: None,
            ..operand
        })
    }

    /// A call `name(…)`, or a name.
    fn name_or_call(&mut self) -> crate::error::Result<Parsed<'a>> {
        if self.kind_at(1) == Some(K::LeftParen) {
            return self.call();
        }
        let Some(token) = self.advance() else {
            return Err(self.expected(Expected::Expression));
        };
        let (start, at) = (token.start, super::position_of(token));
        let root = self.name(token);
        Ok(Parsed {
            expr: Expr::Path {
                root,
                steps: vec![],
                at: Some(at),
                binding: Binding::Unbound,
            },
            at,
            start,
            end: token.end,
            number: None,
        })
    }

    /// Path steps after an expression: `.name`, `."Name"`, `[0]`, `['key']`. Only a path (a
    /// name, perhaps in parentheses) can take them.
    pub(super) fn postfix(&mut self, mut base: Parsed<'a>) -> crate::error::Result<Parsed<'a>> {
        let read = self.tokens.get(..self.next).unwrap_or_default();
        let base_first = read.partition_point(|t| t.start < base.start);
        let mut after_bracket = false;
        let mut refused = false;
        loop {
            let step = match self.kind_at(0) {
                Some(K::Dot) => {
                    self.advance();
                    let Some(token) = self.peek() else {
                        return Err(self.expected(Expected::Token("a name after '.'")));
                    };
                    match token.kind {
                        K::Keyword | K::Identifier | K::QuotedIdentifier | K::Timestamp
                            if self.kind_at(1) == Some(K::LeftParen) && !after_bracket =>
                        {
                            // `a.b(…)`: a call of a function with a qualified name.
                            self.advance();
                            self.advance();
                            if self.eat(K::RightParen).is_none() {
                                loop {
                                    self.expr()?;
                                    if self.eat(K::Comma).is_none() {
                                        break;
                                    }
                                }
                                self.expect(K::RightParen, ")")?;
                            }
                            let name = read
                                .get(base_first..)
                                .unwrap_or_default()
                                .iter()
                                .take_while(|t| t.kind != K::LeftParen)
                                .map(|t| self.text(t))
                                .collect::<String>();
                            let error = SelectError::at(
                                ErrorCode::UnsupportedFunction,
                                format!("S3 Select has no function {}.", name.to_uppercase()),
                                Some(base.at),
                            );
                            self.refuse(base.start, self.last_end(), error);
                            return Ok(self.placeholder(base.start, base.at));
                        }
                        K::Keyword | K::Identifier | K::QuotedIdentifier | K::Timestamp => {
                            self.advance();
                            let name = if after_bracket {
                                self.name_unchecked(token)
                            } else {
                                self.name(token)
                            };
                            PathStep::Field(name)
                        }
                        K::Star => {
                            self.advance();
                            let error = SelectError::at(
                                ErrorCode::ParseInvalidContextForWildcardInSelectList,
                                "* is not allowed here.",
                                Some(base.at),
                            );
                            self.refuse(base.start, self.last_end(), error);
                            PathStep::Wildcard
                        }
                        _ => return Err(self.expected(Expected::Token("a name after '.'"))),
                    }
                }
                Some(K::LeftBracket) => {
                    self.advance();
                    let step = self.bracket(false)?;
                    after_bracket = true;
                    step
                }
                _ => return Ok(base),
            };
            match &mut base.expr {
                Expr::Path { steps, .. } => steps.push(step),
                _ if !refused => {
                    refused = true;
                    let error = SelectError::at(
                        ErrorCode::ParseInvalidPathComponent,
                        "Paths must start at a name.",
                        Some(base.at),
                    );
                    // Checked after what the base itself holds, before the steps.
                    let rank = (self.clause, base.end, std::cmp::Reverse(usize::MAX));
                    self.refuse_ranked(rank, error);
                }
                _ => {}
            }
            base.end = self.last_end();
            base.number = None;
        }
    }

    /// After `[`: `*` (where allowed), a whole number or a quoted name, then `]`.
    pub(super) fn bracket(&mut self, allow_wildcard: bool) -> crate::error::Result<PathStep> {
        let Some(token) = self.peek() else {
            return Err(self.expected(Expected::Expression));
        };
        let key_at = super::position_of(token);
        let step = if token.kind == K::Star {
            self.advance();
            if !allow_wildcard {
                let error = SelectError::at(
                    ErrorCode::ParseInvalidPathComponent,
                    "Wildcards ([*], .*) are allowed only in the FROM path.",
                    Some(key_at),
                );
                self.refuse(token.start, token.end, error);
            }
            PathStep::Wildcard
        } else {
            let key = self.expr()?;
            let text = self.text(token);
            match (&key.expr, token.kind) {
                (Expr::Literal(_), K::Number) if key.number.is_some() => {
                    match text.parse::<i64>() {
                        Ok(i) => PathStep::Index(i),
                        Err(_) => {
                            let error = SelectError::at(
                                ErrorCode::ParseInvalidPathComponent,
                                format!("An index must be a whole number, not {text}."),
                                Some(key.at),
                            );
                            self.refuse(key.start, key.end, error);
                            PathStep::Index(0)
                        }
                    }
                }
                (Expr::Literal(Value::String(s)), K::String) if key.end == token.end => {
                    PathStep::Field(Name {
                        text: s.clone(),
                        quoted: true,
                    })
                }
                _ => {
                    let error = SelectError::at(
                        ErrorCode::ParseInvalidPathComponent,
                        "Use [number] or ['name'] in a path.",
                        Some(key.at),
                    );
                    self.refuse(key.start, key.end, error);
                    PathStep::Index(0)
                }
            }
        };
        self.expect(K::RightBracket, "]")?;
        Ok(step)
    }

    /// A name as written; a reserved word is refused unless quoted, and only double quotes
    /// make a name (backticks make a timestamp).
    pub(super) fn name(&mut self, token: &Token) -> Name {
        let text = self.text(token);
        let at = Some(super::position_of(token));
        match token.kind {
            K::Keyword | K::Identifier if is_reserved(text) => {
                let error = SelectError::at(
                    ErrorCode::ParseUnExpectedKeyword,
                    format!("{text} is a reserved word; to use it as a name, put it in double quotes: \"{text}\"."),
                    at,
                );
                self.refuse(token.start, token.end, error);
            }
            K::Timestamp | K::String => {
                let error = SelectError::at(
                    ErrorCode::ParseExpectedIdentForAlias,
                    "Expected a name here.",
                    at,
                );
                self.refuse(token.start, token.end, error);
            }
            _ => {}
        }
        self.name_unchecked(token)
    }

    /// A name as written, reserved words allowed (in FROM paths and after a `[…]` step).
    pub(super) fn name_unchecked(&mut self, token: &Token) -> Name {
        let text = self.text(token);
        match token.kind {
            K::QuotedIdentifier | K::Timestamp | K::String => Name {
                text: unquote(text),
                quoted: true,
            },
            _ => Name {
                text: text.to_string(),
                quoted: false,
            },
        }
    }

    /// A number as written (with its sign, when a minus sign is folded into it). Errors are
    /// refusals of the construct starting at `start`.
    pub(super) fn number(&mut self, n: &str, start: usize, at: Position) -> Value {
        let refuse = |code, message: String| SelectError::at(code, message, Some(at));
        let error = match parse_number(n) {
            Some(Number::Int(i)) => return Value::Int(i),
            Some(Number::Float(_)) if n.bytes().all(|c| c.is_ascii_digit() || c == b'-') => refuse(
                ErrorCode::IntegerOverflow,
                format!("{n} does not fit in a 64-bit integer."),
            ),
            Some(Number::Float(f)) => return Value::Float(f),
            None => refuse(
                ErrorCode::LexerInvalidLiteral,
                format!("{n} is not a number."),
            ),
        };
        self.refuse(start, self.last_end(), error);
        Value::Null
    }

    /// A timestamp in backticks: `` `2007-04-05T14:30Z` ``.
    fn timestamp(&mut self, token: &Token) -> Value {
        let text = unquote(self.text(token));
        match Timestamp::parse(&text) {
            Some(ts) => Value::Timestamp(ts),
            None => {
                let error = SelectError::at(
                    ErrorCode::LexerInvalidLiteral,
                    format!("`{text}` is not a timestamp; write e.g. `2007-04-05T14:30Z`."),
                    Some(super::position_of(token)),
                );
                self.refuse(token.start, token.end, error);
                Value::Null
            }
        }
    }
}

/// Type names that make a typed literal before a string (`DATE '…'`), as SQL has them.
fn is_type_name(word: &str) -> bool {
    const TYPES: &[&str] = &[
        "bigint",
        "bool",
        "boolean",
        "char",
        "character",
        "date",
        "datetime",
        "dec",
        "decimal",
        "double",
        "float",
        "int",
        "integer",
        "numeric",
        "real",
        "smallint",
        "string",
        "text",
        "time",
        "timestamp",
        "tinyint",
        "varchar",
    ];
    TYPES.contains(&word)
}
