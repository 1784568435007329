//! Expressions by precedence climbing (Pratt): prefixes (literals, names, unary operators,
//! parentheses, CASE and the calls in `calls.rs`), then infix operators while they bind tighter
//! than the caller's: OR < AND < NOT < IS < LIKE < comparisons, BETWEEN, IN < + - < * / % ||.

use super::{ast, Clause, Expected, Parser};
use crate::error::{ErrorCode, Position, Result, SelectError};
use ast::{BinaryOp, Expr, IsTest, UnaryOp};
use wyvern_lexer::TokenKind as K;

/// Binding powers: an operator continues an expression parsed at a lower one.
pub const OR: u8 = 5;
const AND: u8 = 10;
pub const NOT: u8 = 15;
const IS: u8 = 17;
const LIKE: u8 = 19;
pub const COMPARE: u8 = 20;
const PIPE: u8 = 21;
const CARET: u8 = 22;
const AMPERSAND: u8 = 23;
const XOR: u8 = 24;
const ADD: u8 = 30;
const MULTIPLY: u8 = 40;
const POSTFIX: u8 = 50;

/// A parsed expression with what errors about it need: `at` is where it is reported to start
/// (its leftmost operand, as S3 points at it), `start..end` its bytes (to rank refusals), and
/// `number` the text of a lone number literal (so that `-` can fold into it).
pub struct Parsed<'a> {
    pub expr: Expr,
    pub at: Position,
    pub start: usize,
    pub end: usize,
    pub number: Option<&'a str>,
}

/// An infix operator: how tightly it binds, and how it reads.
enum Infix {
    Binary(BinaryOp),
    /// An operator S3 Select does not have; its right operand is still parsed.
    Unknown,
    Is,
    /// `[NOT] IN / BETWEEN / LIKE / …`, the NOT already consumed when `negated`.
    Predicate,
    /// `::type`
    DoubleColon,
    /// An operator SQL knows but that cannot continue an expression here (`@`, `#`, `<<`, …).
    Invalid,
}

impl<'a> Parser<'a> {
    pub fn expr(&mut self) -> Result<Parsed<'a>> {
        self.subexpr(0)
    }

    /// An expression whose operators bind tighter than `power`.
    pub fn subexpr(&mut self, power: u8) -> Result<Parsed<'a>> {
        self.enter()?;
        let mut left = self.prefix()?;
        while let Some((next, infix)) = self.next_infix() {
            if power >= next {
                break;
            }
            left = self.infix(left, next, infix)?;
        }
        self.leave();
        Ok(left)
    }

    /// The infix operator that comes next, if any, with its binding power.
    fn next_infix(&self) -> Option<(u8, Infix)> {
        let token = self.peek()?;
        let text = self.text(token);
        Some(match token.kind {
            K::Plus => (ADD, Infix::Binary(BinaryOp::Add)),
            K::Minus => (ADD, Infix::Binary(BinaryOp::Sub)),
            K::Star => (MULTIPLY, Infix::Binary(BinaryOp::Mul)),
            K::Slash => (MULTIPLY, Infix::Binary(BinaryOp::Div)),
            K::Percent => (MULTIPLY, Infix::Binary(BinaryOp::Mod)),
            K::Concat => (MULTIPLY, Infix::Binary(BinaryOp::Concat)),
            K::Eq => (COMPARE, Infix::Binary(BinaryOp::Eq)),
            K::NotEq => (COMPARE, Infix::Binary(BinaryOp::NotEq)),
            K::Lt => (COMPARE, Infix::Binary(BinaryOp::Lt)),
            K::LtEq => (COMPARE, Infix::Binary(BinaryOp::LtEq)),
            K::Gt => (COMPARE, Infix::Binary(BinaryOp::Gt)),
            K::GtEq => (COMPARE, Infix::Binary(BinaryOp::GtEq)),
            K::OtherOperator => match text {
                "==" => (COMPARE, Infix::Binary(BinaryOp::Eq)),
                "~" | "<=>" => (COMPARE, Infix::Unknown),
                "|" => (PIPE, Infix::Unknown),
                "^" => (CARET, Infix::Unknown),
                "&" => (AMPERSAND, Infix::Unknown),
                "::" => (POSTFIX, Infix::DoubleColon),
                "@" => (PIPE, Infix::Invalid),
                "#" | "<<" | ">>" => (CARET, Infix::Invalid),
                "!" => (POSTFIX, Infix::Invalid),
                _ => return None,
            },
            K::Keyword | K::Identifier => {
                let word = text.to_ascii_lowercase();
                match word.as_str() {
                    "or" => (OR, Infix::Binary(BinaryOp::Or)),
                    "and" => (AND, Infix::Binary(BinaryOp::And)),
                    "xor" => (XOR, Infix::Unknown),
                    "is" => (IS, Infix::Is),
                    "in" | "between" => (COMPARE, Infix::Predicate),
                    "like" | "ilike" | "similar" | "regexp" | "rlike" => (LIKE, Infix::Predicate),
                    "not" => match self.peek_nth(1).map(|t| self.text(t).to_ascii_lowercase()) {
                        Some(w) if w == "in" || w == "between" => (COMPARE, Infix::Predicate),
                        Some(w)
                            if ["like", "ilike", "similar", "regexp", "rlike"]
                                .contains(&w.as_str()) =>
                        {
                            (LIKE, Infix::Predicate)
                        }
                        Some(w) if w == "null" => (IS, Infix::Predicate),
                        _ => return None,
                    },
                    _ => return None,
                }
            }
            _ => return None,
        })
    }

    fn infix(&mut self, left: Parsed<'a>, power: u8, infix: Infix) -> Result<Parsed<'a>> {
        if matches!(infix, Infix::Invalid) {
            let error = SelectError::at(
                ErrorCode::ParseUnexpectedToken,
                format!(
                    "{} cannot continue an expression here.",
                    self.peek().map_or("", |t| self.text(t))
                ),
                Some(self.here()),
            );
            return Err(error);
        }
        if !matches!(infix, Infix::Predicate) {
            // (`predicate` reads its own words, NOT included.)
            self.advance();
        }
        let (at, start) = (left.at, left.start);
        let expr = match infix {
            Infix::Binary(op) => {
                let right = self.subexpr(power)?;
                Expr::Binary(op, Box::new(left.expr), Box::new(right.expr))
            }
            Infix::Unknown => {
                let right = self.subexpr(power)?;
                self.refuse(start, right.end, unknown_operator(at));
                right.expr
            }
            Infix::DoubleColon => {
                self.type_name()?;
                self.unsupported("this form of CAST", start, self.last_end(), Some(at));
                left.expr
            }
            Infix::Is => self.is(left.expr, start, at)?,
            Infix::Predicate => self.predicate(left.expr, start, at)?,
            Infix::Invalid => left.expr,
        };
        Ok(Parsed {
            expr,
            at,
            start,
            end: self.last_end(),
            number: None,
        })
    }

    /// After IS: `[NOT] NULL | MISSING | TRUE | FALSE`.
    fn is(&mut self, expr: Expr, start: usize, at: Position) -> Result<Expr> {
        let negated = self.eat_word("not").is_some();
        let test = if self.eat_word("null").is_some() {
            IsTest::Null
        } else if self.eat_word("missing").is_some() {
            IsTest::Missing
        } else if self.eat_word("true").is_some() {
            IsTest::True
        } else if self.eat_word("false").is_some() {
            IsTest::False
        } else if self.eat_word("unknown").is_some() {
            self.unsupported_expression(start, at);
            IsTest::Null
        } else if self.peek_word("distinct") && self.word_at(1, "from") {
            self.next += 2;
            self.subexpr(IS)?;
            self.unsupported_expression(start, at);
            IsTest::Null
        } else {
            return Err(self.expected(Expected::Token(
                "NULL, MISSING, TRUE or FALSE after IS [NOT]",
            )));
        };
        Ok(Expr::Is {
            expr: Box::new(expr),
            test,
            negated,
        })
    }

    /// `[NOT] IN (…)`, `[NOT] BETWEEN … AND …`, `[NOT] LIKE … [ESCAPE …]`, and the forms S3
    /// Select does not have (`ILIKE`, `SIMILAR TO`, `REGEXP`, `NOT NULL`).
    fn predicate(&mut self, expr: Expr, start: usize, at: Position) -> Result<Expr> {
        let negated = self.eat_word("not").is_some();
        let expr = Box::new(expr);
        if self.eat_word("null").is_some() {
            return Ok(Expr::Is {
                expr,
                test: IsTest::Null,
                negated: true,
            });
        }
        if self.eat_word("in").is_some() {
            return self.in_list(expr, negated, start, at);
        }
        if self.eat_word("between").is_some() {
            let low = self.subexpr(COMPARE)?;
            self.expect_word("and")?;
            let high = self.subexpr(COMPARE)?;
            return Ok(Expr::Between {
                expr,
                low: Box::new(low.expr),
                high: Box::new(high.expr),
                negated,
            });
        }
        let like = self.eat_word("like").is_some();
        if !like {
            // ILIKE, SIMILAR TO, REGEXP, RLIKE: read, then refused.
            let similar = self.eat_word("similar").is_some();
            if similar {
                self.expect_word("to")?;
            } else {
                self.advance();
            }
        }
        let any = like && self.eat_word("any").is_some();
        let pattern = self.subexpr(LIKE)?;
        let escape = match self.eat_word("escape") {
            Some(_) => Some(Box::new(self.subexpr(LIKE)?.expr)),
            None => None,
        };
        if !like {
            self.unsupported_expression(start, at);
        } else if any {
            self.unsupported("LIKE ANY", start, self.last_end(), Some(at));
        }
        Ok(Expr::Like {
            expr,
            pattern: Box::new(pattern.expr),
            escape,
            negated,
            at: Some(at),
            compiled: None,
        })
    }

    /// After IN: `(expr, …)`, or a subquery (refused).
    fn in_list(
        &mut self,
        expr: Box<Expr>,
        negated: bool,
        start: usize,
        at: Position,
    ) -> Result<Expr> {
        self.expect(K::LeftParen, "(")?;
        if self.peek_word("select") || self.peek_word("with") {
            self.subquery()?;
            self.expect(K::RightParen, ")")?;
            self.unsupported("subqueries", start, self.last_end(), Some(at));
            return Ok(*expr);
        }
        let mut list = vec![self.expr()?.expr];
        while self.eat(K::Comma).is_some() {
            list.push(self.expr()?.expr);
        }
        self.expect(K::RightParen, ")")?;
        Ok(Expr::InList {
            expr,
            list,
            negated,
        })
    }

    /// Refuses a construct with no S3 Select form (`ParseUnsupportedSyntax`).
    pub(super) fn unsupported_expression(&mut self, start: usize, at: Position) {
        let error = SelectError::at(
            ErrorCode::ParseUnsupportedSyntax,
            "S3 Select does not support this expression.",
            Some(at),
        );
        self.refuse(start, self.last_end(), error);
    }

    /// What starts an expression.
    fn prefix(&mut self) -> Result<Parsed<'a>> {
        let Some(token) = self.peek() else {
            return Err(self.expected(Expected::Expression));
        };
        let start = token.start;
        let here = super::position_of(token);
        let text = self.text(token);
        let primary = match token.kind {
            K::Minus | K::Plus => {
                self.advance();
                let before = self.refusal.take();
                let operand = self.subexpr(MULTIPLY)?;
                let negative = token.kind == K::Minus;
                let folds = negative && operand.number.is_some();
                if folds {
                    // The lone number's own refusal is replaced by the signed number's.
                    self.refusal = None;
                }
                if let Some((rank, error)) = before {
                    self.refuse_ranked(rank, error);
                }
                let expr = match operand.number {
                    // `-<number>` is one literal, so that i64::MIN can be written.
                    Some(n) if folds => {
                        Expr::Literal(self.number(&format!("-{n}"), start, operand.at))
                    }
                    _ => {
                        let op = if negative {
                            UnaryOp::Neg
                        } else {
                            UnaryOp::Plus
                        };
                        Expr::Unary(op, Box::new(operand.expr))
                    }
                };
                return Ok(Parsed {
                    expr,
                    at: operand.at,
                    start,
                    end: self.last_end(),
                    number: None,
                });
            }
            K::OtherOperator if text == "~" => {
                self.advance();
                let operand = self.subexpr(ADD)?;
                self.refuse(start, operand.end, unknown_operator(operand.at));
                return Ok(Parsed { start, ..operand });
            }
            K::Number => {
                self.advance();
                let value = self.number(text, start, here);
                return Ok(Parsed {
                    expr: Expr::Literal(value),
                    at: here,
                    start,
                    end: token.end,
                    number: Some(text),
                });
            }
            K::PrefixedString => {
                self.advance();
                let error = SelectError::at(
                    ErrorCode::LexerInvalidLiteral,
                    "This kind of literal is not part of S3 Select.",
                    Some(here),
                );
                self.refuse(start, token.end, error);
                self.placeholder(start, here)
            }
            K::String => {
                self.advance();
                Parsed {
                    expr: Expr::Literal(crate::value::Value::String(wyvern_lexer::unquote(text))),
                    at: here,
                    start,
                    end: token.end,
                    number: None,
                }
            }
            K::LeftParen => self.parenthesized()?,
            K::LeftBracket => {
                // An array literal: not in S3 Select.
                self.advance();
                let mut at = here;
                if self.eat(K::RightBracket).is_none() {
                    at = self.expr()?.at;
                    while self.eat(K::Comma).is_some() {
                        self.expr()?;
                    }
                    self.expect(K::RightBracket, "]")?;
                }
                self.unsupported_expression(start, at);
                self.placeholder(start, at)
            }
            K::Keyword | K::Identifier | K::QuotedIdentifier | K::Timestamp => self.word()?,
            _ => return Err(self.expected(Expected::Expression)),
        };
        self.postfix(primary)
    }

    /// After `(`: a parenthesized expression, a subquery or a row (both refused).
    fn parenthesized(&mut self) -> Result<Parsed<'a>> {
        let open = self.advance();
        let start = open.map_or(0, |t| t.start);
        if self.peek_word("select") || self.peek_word("with") {
            let at = self.here();
            self.subquery()?;
            self.expect(K::RightParen, ")")?;
            self.unsupported("subqueries", start, self.last_end(), Some(at));
            return Ok(self.placeholder(start, at));
        }
        let inner = self.expr()?;
        if self.eat(K::Comma).is_some() {
            let at = inner.at;
            self.expr()?;
            while self.eat(K::Comma).is_some() {
                self.expr()?;
            }
            self.expect(K::RightParen, ")")?;
            self.unsupported_expression(start, at);
            return Ok(self.placeholder(start, at));
        }
        self.expect(K::RightParen, ")")?;
        Ok(Parsed {
            start,
            end: self.last_end(),
            number: None,
            ..inner
        })
    }

    /// Stands in for a construct already refused: it is never evaluated.
    pub(super) fn placeholder(&self, start: usize, at: Position) -> Parsed<'a> {
        Parsed {
            expr: Expr::Literal(crate::value::Value::Null),
            at,
            start,
            end: self.last_end(),
            number: None,
        }
    }

    /// A query inside another, which is refused as a whole: what is wrong inside it is not
    /// reported (only its syntax errors are).
    pub(super) fn subquery(&mut self) -> Result<()> {
        let outer = self.refusal.take();
        let result = self.query();
        self.refusal = outer;
        result.map(drop)
    }

    /// The clause being parsed, for code that parses in another one (subqueries).
    pub(super) fn in_clause<T>(&mut self, clause: Clause, f: impl FnOnce(&mut Self) -> T) -> T {
        let outer = std::mem::replace(&mut self.clause, clause);
        let out = f(self);
        self.clause = outer;
        out
    }
}

/// The refusal of an operator S3 Select does not have.
fn unknown_operator(at: Position) -> SelectError {
    SelectError::at(
        ErrorCode::ParseUnknownOperator,
        "This operator is not part of S3 Select; it has + - * / % || = <> != < <= > >= AND OR NOT LIKE IN BETWEEN IS.",
        Some(at),
    )
}
