//! Projection pushdown: the top-level columns a bound query reads, so the others are neither
//! fetched nor decoded. `SELECT *`, a bare row alias or a path that does not start with a
//! field name need every column.

use crate::engine::plan_reads_rows;
use crate::plan::{Output, Plan};
use crate::sql::ast::{Binding, Expr, Name, PathStep};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Projection {
    All,
    /// The columns named (unquoted names match any case, as field lookup does).
    Columns(Vec<Name>),
}

impl Projection {
    pub(crate) fn of(plan: &Plan) -> Projection {
        if !plan_reads_rows(plan) {
            return Projection::Columns(Vec::new());
        }
        // A FROM path (`S3Object[*].items[*]`) roots every other path inside its first field.
        if let Some(first) = plan.from_steps.first() {
            return match first {
                PathStep::Field(name) => Projection::Columns(vec![name.clone()]),
                _ => Projection::All,
            };
        }
        let mut names = Vec::new();
        let mut all = matches!(plan.output, Output::Star);
        let mut visit = |e: &Expr| {
            let Expr::Path {
                root,
                steps,
                binding,
                ..
            } = e
            else {
                return;
            };
            match (binding, steps.first()) {
                (Binding::RowField, _) => names.push(root.clone()),
                (Binding::Row, Some(PathStep::Field(name))) => names.push(name.clone()),
                (Binding::Row, _) => all = true,
                (Binding::Unbound | Binding::CsvField(_), _) => {}
            }
        };
        if let Some(w) = &plan.selection {
            w.walk(&mut visit);
        }
        if let Output::Columns { exprs, .. } = &plan.output {
            exprs.iter().for_each(|e| e.walk(&mut visit));
        }
        for arg in plan.aggregates.iter().filter_map(|(_, a)| a.as_ref()) {
            arg.walk(&mut visit);
        }
        if all {
            Projection::All
        } else {
            Projection::Columns(names)
        }
    }

    pub(crate) fn wants(&self, column: &str) -> bool {
        match self {
            Projection::All => true,
            Projection::Columns(names) => names.iter().any(|n| n.matches(column)),
        }
    }
}
