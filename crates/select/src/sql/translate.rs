//! sqlparser's AST → our AST. Everything S3 Select refuses is refused here, with S3's code.

use super::ast::{
    self, Aggregate, BinaryOp, CastType, Expr, Function, IsTest, Name, PathStep, Projection,
    TrimSide, UnaryOp,
};
use super::dialect::{IS_MISSING_FN, IS_NOT_MISSING_FN};
use super::reserved::is_reserved;
use super::PositionMap;
use crate::error::{ErrorCode, Position, Result, SelectError};
use crate::timestamp::{DatePart, Timestamp};
use crate::value::{parse_number, Number, Value};
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

    fn json_path_elem(&self, elem: &sp::JsonPathElem, allow_wildcard: bool) -> Result<PathStep> {
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
                _ => Err(self.err(
                    ErrorCode::ParseInvalidPathComponent,
                    "Use [number] or ['name'] in a path.",
                    key.span(),
                )),
            },
            _ => Err(self.err(
                ErrorCode::ParseInvalidPathComponent,
                "Use [number] or ['name'] in a path.",
                key.span(),
            )),
        }
    }

    fn name(&self, ident: &sp::Ident) -> Result<Name> {
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

    fn boxed(&self, e: &sp::Expr) -> Result<Box<Expr>> {
        Ok(Box::new(self.expr(e)?))
    }

    pub fn expr(&self, e: &sp::Expr) -> Result<Expr> {
        use sp::Expr as E;
        // Spans are computed only where they are kept: sqlparser derives a span from the whole
        // subtree, which recurses as deep as the expression and costs quadratic time on chains.
        let at = || self.pos(e.span());
        Ok(match e {
            E::Identifier(ident) => self.identifier(ident)?,
            E::CompoundIdentifier(idents) => {
                let Some((first, rest)) = idents.split_first() else {
                    return Err(self.err(
                        ErrorCode::ParseInvalidPathComponent,
                        "Paths must start at a name.",
                        e.span(),
                    ));
                };
                let root = self.name(first)?;
                let steps = rest
                    .iter()
                    .map(|i| self.name(i).map(PathStep::Field))
                    .collect::<Result<_>>()?;
                Expr::Path {
                    root,
                    steps,
                    at: at(),
                    binding: ast::Binding::Unbound,
                }
            }
            E::JsonAccess { value, path } => {
                let mut base = self.expr(value)?;
                let Expr::Path { steps, .. } = &mut base else {
                    return Err(self.err(
                        ErrorCode::ParseInvalidPathComponent,
                        "Paths must start at a name.",
                        e.span(),
                    ));
                };
                for elem in &path.path {
                    steps.push(self.json_path_elem(elem, false)?);
                }
                base
            }
            E::CompoundFieldAccess { root, access_chain } => {
                let mut base = self.expr(root)?;
                let Expr::Path { steps, .. } = &mut base else {
                    return Err(self.err(
                        ErrorCode::ParseInvalidPathComponent,
                        "Paths must start at a name.",
                        e.span(),
                    ));
                };
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
                base
            }
            E::Value(v) => Expr::Literal(self.literal(&v.value, e.span())?),
            E::Nested(inner) => self.expr(inner)?,
            E::UnaryOp { op, expr } => {
                let op = match op {
                    sp::UnaryOperator::Minus => UnaryOp::Neg,
                    sp::UnaryOperator::Plus => UnaryOp::Plus,
                    sp::UnaryOperator::Not => UnaryOp::Not,
                    _ => {
                        return Err(self.err(
                            ErrorCode::ParseUnknownOperator,
                            "This operator is not part of S3 Select.",
                            e.span(),
                        ))
                    }
                };
                // Fold `-<number>` so that i64::MIN can be written.
                if let (UnaryOp::Neg, E::Value(v)) = (op, expr.as_ref()) {
                    if let sp::Value::Number(n, _) = &v.value {
                        return Ok(Expr::Literal(self.number(&format!("-{n}"), e.span())?));
                    }
                }
                Expr::Unary(op, self.boxed(expr)?)
            }
            E::BinaryOp { left, op, right } => {
                let op = match op {
                    sp::BinaryOperator::Plus => BinaryOp::Add,
                    sp::BinaryOperator::Minus => BinaryOp::Sub,
                    sp::BinaryOperator::Multiply => BinaryOp::Mul,
                    sp::BinaryOperator::Divide => BinaryOp::Div,
                    sp::BinaryOperator::Modulo => BinaryOp::Mod,
                    sp::BinaryOperator::Eq => BinaryOp::Eq,
                    sp::BinaryOperator::NotEq => BinaryOp::NotEq,
                    sp::BinaryOperator::Lt => BinaryOp::Lt,
                    sp::BinaryOperator::LtEq => BinaryOp::LtEq,
                    sp::BinaryOperator::Gt => BinaryOp::Gt,
                    sp::BinaryOperator::GtEq => BinaryOp::GtEq,
                    sp::BinaryOperator::And => BinaryOp::And,
                    sp::BinaryOperator::Or => BinaryOp::Or,
                    sp::BinaryOperator::StringConcat => BinaryOp::Concat,
                    _ => {
                        return Err(self.err(
                            ErrorCode::ParseUnknownOperator,
                            "This operator is not part of S3 Select; it has + - * / % || = <> != < <= > >= AND OR NOT LIKE IN BETWEEN IS.",
                            e.span(),
                        ))
                    }
                };
                Expr::Binary(op, self.boxed(left)?, self.boxed(right)?)
            }
            E::IsNull(x) => Expr::Is {
                expr: self.boxed(x)?,
                test: IsTest::Null,
                negated: false,
            },
            E::IsNotNull(x) => Expr::Is {
                expr: self.boxed(x)?,
                test: IsTest::Null,
                negated: true,
            },
            E::IsTrue(x) => Expr::Is {
                expr: self.boxed(x)?,
                test: IsTest::True,
                negated: false,
            },
            E::IsNotTrue(x) => Expr::Is {
                expr: self.boxed(x)?,
                test: IsTest::True,
                negated: true,
            },
            E::IsFalse(x) => Expr::Is {
                expr: self.boxed(x)?,
                test: IsTest::False,
                negated: false,
            },
            E::IsNotFalse(x) => Expr::Is {
                expr: self.boxed(x)?,
                test: IsTest::False,
                negated: true,
            },
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
                    escape: match escape_char {
                        Some(x) => Some(self.boxed(x)?),
                        None => None,
                    },
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
                operand: match operand {
                    Some(o) => Some(self.boxed(o)?),
                    None => None,
                },
                whens: conditions
                    .iter()
                    .map(|c| Ok((self.expr(&c.condition)?, self.expr(&c.result)?)))
                    .collect::<Result<_>>()?,
                otherwise: match else_result {
                    Some(x) => Some(self.boxed(x)?),
                    None => None,
                },
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
            E::Extract { field, expr, .. } => {
                let part = self.datetime_field(field, e.span())?;
                Expr::Call {
                    function: Function::Extract(part),
                    args: vec![self.expr(expr)?],
                    at: at(),
                }
            }
            E::Substring {
                expr,
                substring_from,
                substring_for,
                ..
            } => {
                let mut args = vec![self.expr(expr)?];
                match substring_from {
                    Some(f) => args.push(self.expr(f)?),
                    None => {
                        return Err(self.err(
                            ErrorCode::EvaluatorInvalidArguments,
                            "SUBSTRING needs a start position.",
                            e.span(),
                        ))
                    }
                }
                if let Some(f) = substring_for {
                    args.push(self.expr(f)?);
                }
                Expr::Call {
                    function: Function::Substring,
                    args,
                    at: at(),
                }
            }
            E::Trim {
                trim_where,
                trim_what,
                expr,
                trim_characters,
            } => {
                if trim_characters.is_some() {
                    return Err(self.err(
                        ErrorCode::EvaluatorInvalidArguments,
                        "Write TRIM(BOTH 'chars' FROM string).",
                        e.span(),
                    ));
                }
                let side = match trim_where {
                    Some(sp::TrimWhereField::Leading) => TrimSide::Leading,
                    Some(sp::TrimWhereField::Trailing) => TrimSide::Trailing,
                    _ => TrimSide::Both,
                };
                let mut args = vec![self.expr(expr)?];
                if let Some(w) = trim_what {
                    args.push(self.expr(w)?);
                }
                Expr::Call {
                    function: Function::Trim(side),
                    args,
                    at: at(),
                }
            }
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

    fn identifier(&self, ident: &sp::Ident) -> Result<Expr> {
        let at = self.pos(ident.span);
        match ident.quote_style {
            Some('`') => {
                let ts = Timestamp::parse(&ident.value).ok_or_else(|| {
                    self.err(
                        ErrorCode::LexerInvalidLiteral,
                        format!(
                            "`{}` is not a timestamp; write e.g. `2007-04-05T14:30Z`.",
                            ident.value
                        ),
                        ident.span,
                    )
                })?;
                Ok(Expr::Literal(Value::Timestamp(ts)))
            }
            None if ident.value.eq_ignore_ascii_case("missing") => {
                Ok(Expr::Literal(Value::Missing))
            }
            None if ident.value.eq_ignore_ascii_case("null") => Ok(Expr::Literal(Value::Null)),
            _ => Ok(Expr::Path {
                root: self.name(ident)?,
                steps: vec![],
                at,
                binding: ast::Binding::Unbound,
            }),
        }
    }

    fn literal(&self, v: &sp::Value, span: sqlparser::tokenizer::Span) -> Result<Value> {
        Ok(match v {
            sp::Value::Number(n, _) => self.number(n, span)?,
            sp::Value::SingleQuotedString(s) => Value::String(s.clone()),
            sp::Value::Boolean(b) => Value::Bool(*b),
            sp::Value::Null => Value::Null,
            _ => {
                return Err(self.err(
                    ErrorCode::LexerInvalidLiteral,
                    "This kind of literal is not part of S3 Select.",
                    span,
                ))
            }
        })
    }

    fn number(&self, n: &str, span: sqlparser::tokenizer::Span) -> Result<Value> {
        match parse_number(n) {
            Some(Number::Int(i)) => Ok(Value::Int(i)),
            Some(Number::Float(_)) if n.bytes().all(|c| c.is_ascii_digit() || c == b'-') => {
                Err(self.err(
                    ErrorCode::IntegerOverflow,
                    format!("{n} does not fit in a 64-bit integer."),
                    span,
                ))
            }
            Some(Number::Float(f)) => Ok(Value::Float(f)),
            None => Err(self.err(
                ErrorCode::LexerInvalidLiteral,
                format!("{n} is not a number."),
                span,
            )),
        }
    }

    fn cast_type(&self, t: &sp::DataType, span: sqlparser::tokenizer::Span) -> Result<CastType> {
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

    fn datetime_field(
        &self,
        f: &sp::DateTimeField,
        span: sqlparser::tokenizer::Span,
    ) -> Result<DatePart> {
        // Named without sqlparser's Display, which would pull its whole printer into the wasm.
        let name = match f {
            sp::DateTimeField::Custom(i) => i.value.clone(),
            sp::DateTimeField::Year => "year".into(),
            sp::DateTimeField::Month => "month".into(),
            sp::DateTimeField::Day => "day".into(),
            sp::DateTimeField::Hour => "hour".into(),
            sp::DateTimeField::Minute => "minute".into(),
            sp::DateTimeField::Second => "second".into(),
            sp::DateTimeField::TimezoneHour => "timezone_hour".into(),
            sp::DateTimeField::TimezoneMinute => "timezone_minute".into(),
            _ => "That".into(),
        };
        DatePart::from_name(&name).ok_or_else(|| {
            self.err(
                ErrorCode::ParseExpectedDatePart,
                format!("{name} is not a date part; use YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, TIMEZONE_HOUR or TIMEZONE_MINUTE."),
                span,
            )
        })
    }

    fn date_part_arg(&self, arg: &sp::Expr, allow_tz: bool) -> Result<DatePart> {
        let part = match arg {
            sp::Expr::Identifier(i) if i.quote_style.is_none() => DatePart::from_name(&i.value),
            _ => None,
        };
        match part {
            Some(DatePart::TimezoneHour | DatePart::TimezoneMinute) if !allow_tz => None,
            p => p,
        }
        .ok_or_else(|| {
            self.err(
                ErrorCode::ParseExpectedDatePart,
                "Expected a date part: YEAR, MONTH, DAY, HOUR, MINUTE or SECOND.",
                arg.span(),
            )
        })
    }

    fn function(&self, f: &sp::Function, span: sqlparser::tokenizer::Span) -> Result<Expr> {
        let at = self.pos(span);
        let name = f
            .name
            .0
            .iter()
            .filter_map(|p| p.as_ident().map(|i| i.value.as_str()))
            .collect::<Vec<_>>()
            .join(".");
        let is_internal = single_ident(&f.name).is_some_and(|i| i.quote_style.is_none());
        if f.over.is_some()
            || f.filter.is_some()
            || !f.within_group.is_empty()
            || !matches!(f.parameters, sp::FunctionArguments::None)
        {
            return Err(self.unsupported("window functions and aggregate modifiers", span));
        }
        let (args, distinct, star) = match &f.args {
            sp::FunctionArguments::None => (vec![], false, false),
            sp::FunctionArguments::Subquery(q) => {
                return Err(self.unsupported("subqueries", q.span()))
            }
            sp::FunctionArguments::List(list) => {
                if !list.clauses.is_empty() {
                    return Err(self.unsupported("clauses inside a function call", span));
                }
                let distinct = matches!(
                    list.duplicate_treatment,
                    Some(sp::DuplicateTreatment::Distinct)
                );
                let mut exprs = vec![];
                let mut star = false;
                for a in &list.args {
                    match a {
                        sp::FunctionArg::Unnamed(sp::FunctionArgExpr::Expr(e)) => exprs.push(e),
                        sp::FunctionArg::Unnamed(sp::FunctionArgExpr::Wildcard) => star = true,
                        _ => {
                            return Err(self.err(
                                ErrorCode::ParseUnsupportedCallWithStar,
                                "Unsupported function argument.",
                                span,
                            ))
                        }
                    }
                }
                (exprs, distinct, star)
            }
        };
        let lower = name.to_ascii_lowercase();
        if is_internal && (name == IS_MISSING_FN || name == IS_NOT_MISSING_FN) {
            // The dialect always builds these with one argument.
            if let [arg] = args.as_slice() {
                return Ok(Expr::Is {
                    expr: self.boxed(arg)?,
                    test: IsTest::Missing,
                    negated: name == IS_NOT_MISSING_FN,
                });
            }
        }
        let arity = |n: std::ops::RangeInclusive<usize>| -> Result<()> {
            if n.contains(&args.len()) {
                Ok(())
            } else {
                Err(self.err(
                    ErrorCode::EvaluatorInvalidArguments,
                    format!(
                        "{} takes {} argument(s), not {}.",
                        name.to_uppercase(),
                        if n.start() == n.end() {
                            n.start().to_string()
                        } else {
                            format!("{} to {}", n.start(), n.end())
                        },
                        args.len()
                    ),
                    span,
                ))
            }
        };
        let aggregate = match lower.as_str() {
            "avg" => Some(Aggregate::Avg),
            "count" => Some(Aggregate::Count),
            "max" => Some(Aggregate::Max),
            "min" => Some(Aggregate::Min),
            "sum" => Some(Aggregate::Sum),
            _ => None,
        };
        if distinct {
            return Err(self.unsupported("DISTINCT inside a function call", span));
        }
        if let Some(agg) = aggregate {
            if star {
                if agg != Aggregate::Count || !args.is_empty() {
                    return Err(self.err(
                        ErrorCode::ParseUnsupportedCallWithStar,
                        format!("Only COUNT takes *, not {}.", name.to_uppercase()),
                        span,
                    ));
                }
                return Ok(Expr::Aggregate {
                    function: agg,
                    arg: None,
                    at,
                    slot: 0,
                });
            }
            let [arg] = args.as_slice() else {
                return Err(self.err(
                    ErrorCode::ParseNonUnaryAgregateFunctionCall,
                    format!("{} takes exactly one argument.", name.to_uppercase()),
                    span,
                ));
            };
            let arg = self.expr(arg)?;
            if arg.contains_aggregate() {
                return Err(self.err(
                    ErrorCode::UnsupportedSyntax,
                    "Aggregate functions cannot be nested.",
                    span,
                ));
            }
            return Ok(Expr::Aggregate {
                function: agg,
                arg: Some(Box::new(arg)),
                at,
                slot: 0,
            });
        }
        if star {
            return Err(self.err(
                ErrorCode::ParseUnsupportedCallWithStar,
                format!("{} does not take *.", name.to_uppercase()),
                span,
            ));
        }
        let function = match lower.as_str() {
            "cast" => {
                return Err(self.err(
                    ErrorCode::ParseCastArity,
                    "CAST takes one value and a type: CAST(expression AS type).",
                    span,
                ));
            }
            "char_length" | "character_length" => {
                arity(1..=1)?;
                Function::CharLength
            }
            "lower" => {
                arity(1..=1)?;
                Function::Lower
            }
            "upper" => {
                arity(1..=1)?;
                Function::Upper
            }
            "substring" => {
                arity(2..=3)?;
                Function::Substring
            }
            "trim" => {
                arity(1..=1)?;
                Function::Trim(TrimSide::Both)
            }
            "coalesce" => {
                arity(1..=usize::MAX)?;
                Function::Coalesce
            }
            "nullif" => {
                arity(2..=2)?;
                Function::NullIf
            }
            "date_add" => {
                arity(3..=3)?;
                // cannot fail: arity(3..=3) checked args.len() == 3.
                let part = self.date_part_arg(args[0], false)?;
                let rest = args[1..]
                    .iter()
                    .map(|a| self.expr(a))
                    .collect::<Result<_>>()?;
                return Ok(Expr::Call {
                    function: Function::DateAdd(part),
                    args: rest,
                    at,
                });
            }
            "date_diff" => {
                arity(3..=3)?;
                // cannot fail: arity(3..=3) checked args.len() == 3.
                let part = self.date_part_arg(args[0], false)?;
                let rest = args[1..]
                    .iter()
                    .map(|a| self.expr(a))
                    .collect::<Result<_>>()?;
                return Ok(Expr::Call {
                    function: Function::DateDiff(part),
                    args: rest,
                    at,
                });
            }
            "to_string" => {
                arity(2..=2)?;
                Function::ToString
            }
            "to_timestamp" => {
                arity(1..=2)?;
                Function::ToTimestamp
            }
            "utcnow" => {
                arity(0..=0)?;
                Function::UtcNow
            }
            _ => {
                return Err(self.err(
                    ErrorCode::UnsupportedFunction,
                    format!("S3 Select has no function {}.", name.to_uppercase()),
                    span,
                ))
            }
        };
        let args = args.iter().map(|a| self.expr(a)).collect::<Result<_>>()?;
        Ok(Expr::Call { function, args, at })
    }
}
