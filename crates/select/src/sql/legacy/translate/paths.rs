//! Names and paths: identifiers (reserved words refused unless quoted), `a.b`, `a[0]`,
//! `a['k']`, and the FROM path's `[*]`.

use super::super::ast::{Binding, Expr, Name, PathStep};
use super::{Err, Translator};
use crate::error::{ErrorCode, Result};
use crate::value::Value;
use sqlparser::ast as sp;
use sqlparser::ast::Spanned;
use wyvern_lexer::is_reserved;

impl Translator<'_> {
    pub(super) fn json_path_elem(
        &self,
        elem: &sp::JsonPathElem,
        allow_wildcard: bool,
    ) -> Result<PathStep> {
        match elem {
            sp::JsonPathElem::Dot { key, quoted } => Ok(PathStep::Field(Name {
                text: key.clone(),
                quoted: *quoted,
            })),
            sp::JsonPathElem::Bracket { key } | sp::JsonPathElem::ColonBracket { key } => {
                self.bracket(key, allow_wildcard)
            }
        }
    }

    fn bracket(&self, key: &sp::Expr, allow_wildcard: bool) -> Result<PathStep> {
        let not_a_step = || {
            self.err(
                ErrorCode::ParseInvalidPathComponent,
                "Use [number] or ['name'] in a path.",
                key.span(),
            )
        };
        match key {
            sp::Expr::Wildcard(_) if allow_wildcard => Ok(PathStep::Wildcard),
            sp::Expr::Wildcard(_) => Err(self.err(
                ErrorCode::ParseInvalidPathComponent,
                "Wildcards ([*], .*) are allowed only in the FROM path.",
                key.span(),
            )),
            sp::Expr::Value(v) => match &v.value {
                sp::Value::Number(n, _) => n.parse::<i64>().map(PathStep::Index).map_err(|_| {
                    self.err(
                        ErrorCode::ParseInvalidPathComponent,
                        format!("An index must be a whole number, not {n}."),
                        key.span(),
                    )
                }),
                sp::Value::SingleQuotedString(s) => Ok(PathStep::Field(Name {
                    text: s.clone(),
                    quoted: true,
                })),
                _ => Err(not_a_step()),
            },
            _ => Err(not_a_step()),
        }
    }

    pub(super) fn name(&self, ident: &sp::Ident) -> Result<Name> {
        match ident.quote_style {
            None => {
                if is_reserved(&ident.value) {
                    return Err(self.err(
                        ErrorCode::ParseUnExpectedKeyword,
                        format!("{} is a reserved word; to use it as a name, put it in double quotes: \"{}\".", ident.value, ident.value),
                        ident.span,
                    ));
                }
                Ok(Name {
                    text: ident.value.clone(),
                    quoted: false,
                })
            }
            Some('"') => Ok(Name {
                text: ident.value.clone(),
                quoted: true,
            }),
            Some(_) => Err(self.err(
                ErrorCode::ParseExpectedIdentForAlias,
                "Expected a name here.",
                ident.span,
            )),
        }
    }

    /// A lone identifier: a name, or the literals MISSING, NULL and `timestamp`.
    pub(super) fn identifier(&self, ident: &sp::Ident) -> Result<Expr> {
        let at = self.pos(ident.span);
        match ident.quote_style {
            Some('`') => Ok(Expr::Literal(self.timestamp(ident)?)),
            None if ident.value.eq_ignore_ascii_case("missing") => {
                Ok(Expr::Literal(Value::Missing))
            }
            None if ident.value.eq_ignore_ascii_case("null") => Ok(Expr::Literal(Value::Null)),
            _ => Ok(Expr::Path {
                root: self.name(ident)?,
                steps: vec![],
                at,
                binding: Binding::Unbound,
            }),
        }
    }

    /// `a.b.c`.
    pub(super) fn compound_identifier(&self, idents: &[sp::Ident], e: &sp::Expr) -> Result<Expr> {
        let Some((first, rest)) = idents.split_first() else {
            return Err(self.not_a_path(e));
        };
        let root = self.name(first)?;
        let steps = rest
            .iter()
            .map(|i| self.name(i).map(PathStep::Field))
            .collect::<Result<_>>()?;
        Ok(Expr::Path {
            root,
            steps,
            at: self.pos(e.span()),
            binding: Binding::Unbound,
        })
    }

    /// `value[0]['k']…`, as sqlparser reads brackets after a name.
    pub(super) fn json_access(
        &self,
        value: &sp::Expr,
        path: &sp::JsonPath,
        e: &sp::Expr,
    ) -> Result<Expr> {
        let mut base = self.expr(value)?;
        let steps = self.steps_of(&mut base, e)?;
        for elem in &path.path {
            steps.push(self.json_path_elem(elem, false)?);
        }
        Ok(base)
    }

    /// `root.a[0]…`, as sqlparser reads a mix of dots and subscripts.
    pub(super) fn field_access(
        &self,
        root: &sp::Expr,
        access_chain: &[sp::AccessExpr],
        e: &sp::Expr,
    ) -> Result<Expr> {
        let mut base = self.expr(root)?;
        let steps = self.steps_of(&mut base, e)?;
        for access in access_chain {
            match access {
                sp::AccessExpr::Dot(sp::Expr::Identifier(i)) => {
                    steps.push(PathStep::Field(self.name(i)?))
                }
                sp::AccessExpr::Subscript(sp::Subscript::Index { index }) => {
                    steps.push(self.bracket(index, false)?)
                }
                _ => {
                    return Err(self.err(
                        ErrorCode::ParseInvalidPathComponent,
                        "Unsupported path step.",
                        e.span(),
                    ))
                }
            }
        }
        Ok(base)
    }

    /// The steps of `base`, which more steps extend; refused unless it is a path.
    fn steps_of<'b>(&self, base: &'b mut Expr, e: &sp::Expr) -> Result<&'b mut Vec<PathStep>> {
        match base {
            Expr::Path { steps, .. } => Ok(steps),
            _ => Err(self.not_a_path(e)),
        }
    }

    fn not_a_path(&self, e: &sp::Expr) -> Err {
        self.err(
            ErrorCode::ParseInvalidPathComponent,
            "Paths must start at a name.",
            e.span(),
        )
    }
}
