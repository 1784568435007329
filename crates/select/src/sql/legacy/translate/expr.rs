//! Expressions: the dispatch over sqlparser's expression kinds, and the operators (arithmetic,
//! comparison, AND/OR/NOT, `||`, IS, BETWEEN, IN, LIKE, CASE, CAST).

use super::super::ast::{BinaryOp, CastType, Expr, IsTest, UnaryOp};
use super::{single_ident, Translator};
use crate::error::{ErrorCode, Result};
use sqlparser::ast as sp;
use sqlparser::ast::Spanned;
use sqlparser::tokenizer::Span;

impl Translator<'_> {
    pub(super) fn boxed(&self, e: &sp::Expr) -> Result<Box<Expr>> {
        Ok(Box::new(self.expr(e)?))
    }

    /// Recurses as deep as the expression: its arms that recurse stay in this one frame, and
    /// work that does not recurse is done in helpers.
    pub(super) fn expr(&self, e: &sp::Expr) -> Result<Expr> {
        use sp::Expr as E;
        // Spans are computed only where they are kept: sqlparser derives a span from the whole
        // subtree, which recurses as deep as the expression and costs quadratic time on chains.
        let at = || self.pos(e.span());
        Ok(match e {
            E::Identifier(ident) => self.identifier(ident)?,
            E::CompoundIdentifier(idents) => self.compound_identifier(idents, e)?,
            E::JsonAccess { value, path } => self.json_access(value, path, e)?,
            E::CompoundFieldAccess { root, access_chain } => {
                self.field_access(root, access_chain, e)?
            }
            E::Value(v) => Expr::Literal(self.literal(&v.value, e.span())?),
            E::Nested(inner) => self.expr(inner)?,
            E::UnaryOp { op, expr } => {
                let op = self.unary_op(op, e)?;
                // Fold `-<number>` so that i64::MIN can be written.
                if let (UnaryOp::Neg, E::Value(v)) = (op, expr.as_ref()) {
                    if let sp::Value::Number(n, _) = &v.value {
                        return Ok(Expr::Literal(self.number(&format!("-{n}"), e.span())?));
                    }
                }
                Expr::Unary(op, self.boxed(expr)?)
            }
            E::BinaryOp { left, op, right } => Expr::Binary(
                self.binary_op(op, e)?,
                self.boxed(left)?,
                self.boxed(right)?,
            ),
            E::IsNull(x) => self.is(x, IsTest::Null, false)?,
            E::IsNotNull(x) => self.is(x, IsTest::Null, true)?,
            E::IsTrue(x) => self.is(x, IsTest::True, false)?,
            E::IsNotTrue(x) => self.is(x, IsTest::True, true)?,
            E::IsFalse(x) => self.is(x, IsTest::False, false)?,
            E::IsNotFalse(x) => self.is(x, IsTest::False, true)?,
            E::Between {
                expr,
                negated,
                low,
                high,
            } => Expr::Between {
                expr: self.boxed(expr)?,
                low: self.boxed(low)?,
                high: self.boxed(high)?,
                negated: *negated,
            },
            E::InList {
                expr,
                list,
                negated,
            } => Expr::InList {
                expr: self.boxed(expr)?,
                list: list.iter().map(|x| self.expr(x)).collect::<Result<_>>()?,
                negated: *negated,
            },
            E::InSubquery { .. } | E::Subquery(_) | E::Exists { .. } => {
                return Err(self.unsupported("subqueries", e.span()))
            }
            E::Like {
                negated,
                any,
                expr,
                pattern,
                escape_char,
            } => {
                if *any {
                    return Err(self.unsupported("LIKE ANY", e.span()));
                }
                Expr::Like {
                    expr: self.boxed(expr)?,
                    pattern: self.boxed(pattern)?,
                    escape: self.boxed_opt(escape_char.as_deref())?,
                    negated: *negated,
                    at: at(),
                    compiled: None,
                }
            }
            E::Case {
                operand,
                conditions,
                else_result,
                ..
            } => Expr::Case {
                operand: self.boxed_opt(operand.as_deref())?,
                whens: conditions
                    .iter()
                    .map(|c| Ok((self.expr(&c.condition)?, self.expr(&c.result)?)))
                    .collect::<Result<_>>()?,
                otherwise: self.boxed_opt(else_result.as_deref())?,
            },
            E::Cast {
                kind,
                expr,
                data_type,
                format,
            } => {
                if !matches!(kind, sp::CastKind::Cast) || format.is_some() {
                    return Err(self.unsupported("this form of CAST", e.span()));
                }
                Expr::Cast {
                    expr: self.boxed(expr)?,
                    to: self.cast_type(data_type, e.span())?,
                    at: at(),
                }
            }
            E::Extract { field, expr, .. } => self.extract(field, expr, e)?,
            E::Substring {
                expr,
                substring_from,
                substring_for,
                ..
            } => self.substring(expr, substring_from.as_deref(), substring_for.as_deref(), e)?,
            E::Trim {
                trim_where,
                trim_what,
                expr,
                trim_characters,
            } => self.trim(
                trim_where.as_ref(),
                trim_what.as_deref(),
                expr,
                trim_characters.is_some(),
                e,
            )?,
            E::Function(f) => self.function(f, e.span())?,
            E::Wildcard(_) | E::QualifiedWildcard(..) => {
                return Err(self.err(
                    ErrorCode::ParseInvalidContextForWildcardInSelectList,
                    "* is not allowed here.",
                    e.span(),
                ))
            }
            E::TypedString(_) => {
                return Err(self.unsupported(
                    "typed literals; write CAST('…' AS TYPE) or a `timestamp` literal",
                    e.span(),
                ))
            }
            E::Interval(_) => return Err(self.unsupported("INTERVAL; use DATE_ADD", e.span())),
            _ => {
                return Err(self.err(
                    ErrorCode::ParseUnsupportedSyntax,
                    "S3 Select does not support this expression.",
                    e.span(),
                ))
            }
        })
    }

    fn boxed_opt(&self, e: Option<&sp::Expr>) -> Result<Option<Box<Expr>>> {
        e.map(|e| self.boxed(e)).transpose()
    }

    /// `x IS [NOT] NULL / TRUE / FALSE`.
    fn is(&self, x: &sp::Expr, test: IsTest, negated: bool) -> Result<Expr> {
        Ok(Expr::Is {
            expr: self.boxed(x)?,
            test,
            negated,
        })
    }

    fn unary_op(&self, op: &sp::UnaryOperator, e: &sp::Expr) -> Result<UnaryOp> {
        match op {
            sp::UnaryOperator::Minus => Ok(UnaryOp::Neg),
            sp::UnaryOperator::Plus => Ok(UnaryOp::Plus),
            sp::UnaryOperator::Not => Ok(UnaryOp::Not),
            _ => Err(self.err(
                ErrorCode::ParseUnknownOperator,
                "This operator is not part of S3 Select.",
                e.span(),
            )),
        }
    }

    fn binary_op(&self, op: &sp::BinaryOperator, e: &sp::Expr) -> Result<BinaryOp> {
        use sp::BinaryOperator as B;
        Ok(match op {
            B::Plus => BinaryOp::Add,
            B::Minus => BinaryOp::Sub,
            B::Multiply => BinaryOp::Mul,
            B::Divide => BinaryOp::Div,
            B::Modulo => BinaryOp::Mod,
            B::Eq => BinaryOp::Eq,
            B::NotEq => BinaryOp::NotEq,
            B::Lt => BinaryOp::Lt,
            B::LtEq => BinaryOp::LtEq,
            B::Gt => BinaryOp::Gt,
            B::GtEq => BinaryOp::GtEq,
            B::And => BinaryOp::And,
            B::Or => BinaryOp::Or,
            B::StringConcat => BinaryOp::Concat,
            _ => {
                return Err(self.err(
                    ErrorCode::ParseUnknownOperator,
                    "This operator is not part of S3 Select; it has + - * / % || = <> != < <= > >= AND OR NOT LIKE IN BETWEEN IS.",
                    e.span(),
                ))
            }
        })
    }

    fn cast_type(&self, t: &sp::DataType, span: Span) -> Result<CastType> {
        use sp::DataType as D;
        Ok(match t {
            D::Bool | D::Boolean => CastType::Bool,
            D::Int(_) | D::Integer(_) | D::SmallInt(_) | D::BigInt(_) | D::TinyInt(_) => CastType::Int,
            D::Float(_) | D::Double(_) | D::DoublePrecision | D::Real => CastType::Float,
            D::Decimal(_) | D::Numeric(_) | D::Dec(_) => CastType::Decimal,
            D::String(_) | D::Varchar(_) | D::Char(_) | D::Text | D::CharacterVarying(_) | D::Character(_) => CastType::String,
            D::Timestamp(_, _) => CastType::Timestamp,
            D::Custom(name, _)
                if single_ident(name).is_some_and(|i| i.value.eq_ignore_ascii_case("string")) =>
            {
                CastType::String
            }
            _ => {
                return Err(self.err(
                    ErrorCode::ParseExpectedTypeName,
                    "That is not an S3 Select type; use BOOL, INT, INTEGER, FLOAT, DECIMAL, NUMERIC, STRING or TIMESTAMP.",
                    span,
                ))
            }
        })
    }
}
