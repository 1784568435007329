//! sqlparser's AST → our AST. Everything S3 Select refuses is refused here, with S3's code.
//! This file: the Translator and the query's clauses (SELECT list, FROM, WHERE, LIMIT); the
//! expressions inside them are in the files below.

mod calls;
mod expr;
mod literals;
mod paths;

use super::ast::{self, PathStep, Projection};
use super::PositionMap;
use crate::error::{ErrorCode, Position, Result, SelectError};
use sqlparser::ast as sp;
use sqlparser::ast::Spanned;

pub struct Translator<'m> {
    pub positions: &'m PositionMap,
}

type Err = SelectError;

/// The name's only part, when it has exactly one and it is an identifier.
fn single_ident(name: &sp::ObjectName) -> Option<&sp::Ident> {
    match name.0.as_slice() {
        [only] => only.as_ident(),
        _ => None,
    }
}

impl Translator<'_> {
    fn pos(&self, span: sqlparser::tokenizer::Span) -> Option<Position> {
        let start = span.start;
        (start.line > 0).then(|| self.positions.original(start.line, start.column))
    }

    fn err(
        &self,
        code: ErrorCode,
        msg: impl Into<String>,
        span: sqlparser::tokenizer::Span,
    ) -> Err {
        SelectError::at(code, msg, self.pos(span))
    }

    fn unsupported(&self, what: &str, span: sqlparser::tokenizer::Span) -> Err {
        self.err(
            ErrorCode::UnsupportedSyntax,
            format!("S3 Select does not support {what}. It runs SELECT … FROM S3Object … WHERE … LIMIT … only."),
            span,
        )
    }

    pub fn query(&self, q: &sp::Query) -> Result<ast::Query> {
        if let Some(w) = &q.with {
            return Err(self.unsupported("WITH", w.span()));
        }
        if let Some(o) = &q.order_by {
            return Err(self.unsupported("ORDER BY", o.span()));
        }
        if q.fetch.is_some()
            || !q.locks.is_empty()
            || q.for_clause.is_some()
            || q.settings.is_some()
            || q.format_clause.is_some()
            || !q.pipe_operators.is_empty()
        {
            return Err(self.unsupported("this clause", q.span()));
        }
        let limit = match &q.limit_clause {
            None => None,
            Some(sp::LimitClause::LimitOffset {
                limit,
                offset,
                limit_by,
            }) => {
                if let Some(o) = offset {
                    return Err(self.unsupported("OFFSET", o.value.span()));
                }
                if let Some(e) = limit_by.first() {
                    return Err(self.unsupported("LIMIT BY", e.span()));
                }
                match limit {
                    Some(e) => Some(self.limit(e)?),
                    None => None,
                }
            }
            Some(sp::LimitClause::OffsetCommaLimit { offset, .. }) => {
                return Err(self.unsupported("LIMIT offset, count", offset.span()))
            }
        };
        let select = match q.body.as_ref() {
            sp::SetExpr::Select(s) => s,
            sp::SetExpr::Query(inner) => return Err(self.unsupported("subqueries", inner.span())),
            other => {
                return Err(self.unsupported(
                    "set operations (UNION, INTERSECT, EXCEPT) or VALUES",
                    other.span(),
                ))
            }
        };
        let mut query = self.select(select)?;
        query.limit = limit;
        Ok(query)
    }

    fn limit(&self, e: &sp::Expr) -> Result<u64> {
        match e {
            sp::Expr::Value(v) => match &v.value {
                sp::Value::Number(n, _) => n.parse::<u64>().map_err(|_| {
                    self.err(
                        ErrorCode::ParseExpectedNumber,
                        format!("LIMIT takes a whole number, not {n}."),
                        e.span(),
                    )
                }),
                _ => Err(self.err(
                    ErrorCode::ParseExpectedNumber,
                    "LIMIT takes a whole number.",
                    e.span(),
                )),
            },
            sp::Expr::UnaryOp {
                op: sp::UnaryOperator::Minus,
                ..
            } => Err(self.err(
                ErrorCode::EvaluatorNegativeLimit,
                "LIMIT must not be negative.",
                e.span(),
            )),
            _ => Err(self.err(
                ErrorCode::ParseExpectedNumber,
                "LIMIT takes a whole number literal.",
                e.span(),
            )),
        }
    }

    fn select(&self, s: &sp::Select) -> Result<ast::Query> {
        if let Some(d) = &s.distinct {
            let _ = d;
            return Err(self.unsupported("DISTINCT", s.select_token.0.span));
        }
        if s.top.is_some()
            || s.into.is_some()
            || !s.lateral_views.is_empty()
            || s.prewhere.is_some()
            || !s.connect_by.is_empty()
            || !s.cluster_by.is_empty()
            || !s.distribute_by.is_empty()
            || !s.sort_by.is_empty()
            || !s.named_window.is_empty()
            || s.qualify.is_some()
            || s.value_table_mode.is_some()
            || s.exclude.is_some()
        {
            return Err(self.unsupported("this clause", s.span()));
        }
        match &s.group_by {
            sp::GroupByExpr::Expressions(exprs, _) if exprs.is_empty() => {}
            g => return Err(self.unsupported("GROUP BY", g.span())),
        }
        if let Some(h) = &s.having {
            return Err(self.unsupported("HAVING", h.span()));
        }
        let from = match s.from.as_slice() {
            [] => {
                return Err(self.err(
                    ErrorCode::ParseSelectMissingFrom,
                    "The query has no FROM clause; write FROM S3Object.",
                    s.span(),
                ));
            }
            [one] => self.from(one)?,
            [_, second, ..] => {
                return Err(self.err(
                    ErrorCode::MultipleDataSourcesUnsupported,
                    "S3 Select queries one object: use a single FROM S3Object.",
                    second.span(),
                ));
            }
        };
        let projection = self.projection(&s.projection, &from)?;
        let selection = match &s.selection {
            Some(e) => {
                let e = self.expr(e)?;
                if e.contains_aggregate() {
                    return Err(SelectError::new(
                        ErrorCode::UnsupportedSyntax,
                        "Aggregate functions are not allowed in WHERE.",
                    ));
                }
                Some(e)
            }
            None => None,
        };
        Ok(ast::Query {
            projection,
            from,
            selection,
            limit: None,
        })
    }

    fn from(&self, t: &sp::TableWithJoins) -> Result<ast::From> {
        if let Some(j) = t.joins.first() {
            return Err(self.unsupported("joins", j.relation.span()));
        }
        let sp::TableFactor::Table {
            name,
            alias,
            json_path,
            args,
            ..
        } = &t.relation
        else {
            return Err(self.unsupported(
                "this FROM clause (subqueries or table functions)",
                t.relation.span(),
            ));
        };
        if args.is_some() {
            return Err(self.unsupported("table functions", t.relation.span()));
        }
        let parts: Vec<&sp::Ident> = name.0.iter().filter_map(|p| p.as_ident()).collect();
        let Some(first) = parts.first() else {
            return Err(self.unsupported("this FROM clause", name.span()));
        };
        if !first.value.eq_ignore_ascii_case("s3object") {
            return Err(self.err(
                ErrorCode::ParseUnsupportedSyntax,
                format!("FROM must name S3Object, not {}.", first.value),
                first.span,
            ));
        }
        if let [_, second, ..] = parts.as_slice() {
            return Err(self.err(
                ErrorCode::ParseInvalidPathComponent,
                "A FROM path must start with a wildcard: write S3Object[*].path, not S3Object.path.",
                second.span,
            ));
        }
        let mut path = Vec::new();
        if let Some(jp) = json_path {
            for elem in &jp.path {
                path.push(self.json_path_elem(elem, true)?);
            }
            if path.first() != Some(&PathStep::Wildcard) {
                return Err(self.err(
                    ErrorCode::ParseInvalidPathComponent,
                    "A FROM path must start with [*]: write S3Object[*].path.",
                    name.span(),
                ));
            }
        }
        let alias = match alias {
            Some(a) => {
                if !a.columns.is_empty() {
                    return Err(self.err(
                        ErrorCode::ParseUnsupportedAlias,
                        "Column lists in a table alias are not supported.",
                        a.name.span,
                    ));
                }
                Some(self.name(&a.name)?)
            }
            None => None,
        };
        Ok(ast::From { path, alias })
    }

    fn projection(&self, items: &[sp::SelectItem], from: &ast::From) -> Result<Projection> {
        let mut out = Vec::new();
        let mut star = None;
        for item in items {
            match item {
                sp::SelectItem::Wildcard(_) => star = Some(item.span()),
                sp::SelectItem::QualifiedWildcard(kind, _) => {
                    let ok = match kind {
                        sp::SelectItemQualifiedWildcardKind::ObjectName(n) => single_ident(n)
                            .is_some_and(|i| {
                                from.alias
                                    .as_ref()
                                    .map_or(i.value.eq_ignore_ascii_case("s3object"), |a| {
                                        a.matches(&i.value)
                                    })
                            }),
                        sp::SelectItemQualifiedWildcardKind::Expr(_) => false,
                    };
                    if !ok {
                        return Err(self.err(
                            ErrorCode::ParseInvalidContextForWildcardInSelectList,
                            "Only the FROM alias can be followed by .* in the SELECT list.",
                            item.span(),
                        ));
                    }
                    star = Some(item.span());
                }
                sp::SelectItem::UnnamedExpr(e) => out.push(ast::SelectItem {
                    expr: self.expr(e)?,
                    alias: None,
                }),
                sp::SelectItem::ExprWithAlias { expr, alias } => {
                    let alias = self.name(alias)?;
                    out.push(ast::SelectItem {
                        expr: self.expr(expr)?,
                        alias: Some(alias.text),
                    });
                }
                other => return Err(self.unsupported("this SELECT item", other.span())),
            }
        }
        match star {
            Some(span) if !out.is_empty() || items.len() > 1 => Err(self.err(
                ErrorCode::ParseAsteriskIsNotAloneInSelectList,
                "* must be the only item in the SELECT list.",
                span,
            )),
            Some(_) => Ok(Projection::Star),
            None if out.is_empty() => Err(SelectError::new(
                ErrorCode::ParseEmptySelect,
                "The SELECT list is empty.",
            )),
            None => {
                let aggregates = out.iter().filter(|i| i.expr.contains_aggregate()).count();
                if aggregates > 0 && aggregates < out.len() {
                    return Err(SelectError::new(
                        ErrorCode::UnsupportedSyntax,
                        "Aggregate and non-aggregate expressions cannot be mixed in the SELECT list (there is no GROUP BY).",
                    ));
                }
                Ok(Projection::Items(out))
            }
        }
    }
}
