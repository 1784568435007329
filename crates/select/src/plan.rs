//! Binding: resolving every name in the query against the input format (and, for CSV with
//! FileHeaderInfo USE, the header row), and naming the output columns.

use crate::error::{ErrorCode, Result, SelectError};
use crate::sql::ast::{self, Aggregate, Binding, Expr, Name, PathStep, Projection};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKind {
    /// CSV, with the header names when FileHeaderInfo is USE.
    Csv {
        header: Option<Vec<String>>,
    },
    Json,
}

#[derive(Debug, Clone)]
pub enum Output {
    Star,
    /// The JSON output names and the expressions of the SELECT list.
    Columns {
        names: Vec<String>,
        exprs: Vec<Expr>,
    },
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub output: Output,
    pub selection: Option<Expr>,
    /// FROM path steps after the leading `[*]`.
    pub from_steps: Vec<PathStep>,
    /// Aggregates by slot: the function and its argument (`None` for COUNT(*)).
    pub aggregates: Vec<(Aggregate, Option<Expr>)>,
    pub limit: Option<u64>,
    pub reads: Reads,
}

/// How much of each input record the query reads, so the rest can be skipped.
#[derive(Debug, Clone, Default)]
pub struct Reads {
    /// CSV: the number of leading fields read (`None`: all).
    pub csv_fields: Option<usize>,
    /// JSON: records can be read member by member (every path starts at a top-level field).
    pub json_members: bool,
}

impl Plan {
    pub fn is_aggregate(&self) -> bool {
        !self.aggregates.is_empty()
    }
}

pub fn check_from(query: &ast::Query, csv: bool) -> Result<()> {
    if csv && query.from.path.len() > 1 {
        return Err(SelectError::new(
            ErrorCode::UnsupportedSyntax,
            "FROM paths such as S3Object[*].name work only with JSON input; CSV rows are flat.",
        ));
    }
    Ok(())
}

pub fn bind(query: &ast::Query, input: &InputKind) -> Result<Plan> {
    check_from(query, matches!(input, InputKind::Csv { .. }))?;
    let binder = Binder {
        from: &query.from,
        input,
    };
    let mut aggregates = Vec::new();
    let output = match &query.projection {
        Projection::Star => Output::Star,
        Projection::Items(items) => {
            let mut names = Vec::with_capacity(items.len());
            let mut exprs = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let mut e = item.expr.clone();
                binder.bind_expr(&mut e)?;
                e.walk_mut(&mut |x| {
                    if let Expr::Aggregate {
                        function,
                        arg,
                        slot,
                        ..
                    } = x
                    {
                        *slot = aggregates.len();
                        aggregates.push((*function, arg.as_deref().cloned()));
                    }
                });
                let name = item
                    .alias
                    .clone()
                    .unwrap_or_else(|| binder.column_name(&item.expr, i));
                names.push(name);
                exprs.push(e);
            }
            Output::Columns { names, exprs }
        }
    };
    let selection = match &query.selection {
        Some(w) => {
            let mut e = w.clone();
            binder.bind_expr(&mut e)?;
            Some(e)
        }
        None => None,
    };
    let from_steps: Vec<PathStep> = query.from.path.iter().skip(1).cloned().collect();
    let reads = reads(&output, selection.as_ref(), from_steps.is_empty());
    Ok(Plan {
        output,
        selection,
        from_steps,
        aggregates,
        limit: query.limit,
        reads,
    })
}

struct Binder<'a> {
    from: &'a ast::From,
    input: &'a InputKind,
}

impl Binder<'_> {
    /// Does this root name denote the row itself?
    fn is_row_name(&self, root: &Name) -> bool {
        if let Some(alias) = &self.from.alias {
            return if alias.quoted || root.quoted {
                alias.text == root.text
            } else {
                alias.text.eq_ignore_ascii_case(&root.text)
            };
        }
        if root.matches("S3Object") {
            return true;
        }
        match self.from.path.last() {
            Some(PathStep::Field(last)) if self.from.path.len() > 1 => root.matches(&last.text),
            Some(PathStep::Wildcard | PathStep::Index(_)) => root.text == "_1",
            _ => false,
        }
    }

    fn bind_expr(&self, e: &mut Expr) -> Result<()> {
        self.bind_paths(e)?;
        compile_like_patterns(e)
    }

    fn bind_paths(&self, e: &mut Expr) -> Result<()> {
        let mut result = Ok(());
        e.walk_mut(&mut |x| {
            if result.is_err() {
                return;
            }
            if let Expr::Path {
                root,
                steps,
                at,
                binding,
            } = x
            {
                result = self.bind_path(root, steps, *at).map(|(r, s, b)| {
                    *root = r;
                    *steps = s;
                    *binding = b;
                });
            }
        });
        result
    }

    fn bind_path(
        &self,
        root: &Name,
        steps: &[PathStep],
        at: Option<crate::Position>,
    ) -> Result<(Name, Vec<PathStep>, Binding)> {
        match self.input {
            InputKind::Json => {
                let b = if self.is_row_name(root) {
                    Binding::Row
                } else {
                    Binding::RowField
                };
                Ok((root.clone(), steps.to_vec(), b))
            }
            InputKind::Csv { header } => {
                let (column, rest) = if self.is_row_name(root) {
                    match steps.split_first() {
                        Some((PathStep::Field(n), rest)) => (n.clone(), rest),
                        _ => {
                            return Err(SelectError::at(
                                ErrorCode::EvaluatorBindingDoesNotExist,
                                format!(
                                    "{} is the whole CSV row; name a column, e.g. {}._1.",
                                    root.text, root.text
                                ),
                                at,
                            ))
                        }
                    }
                } else {
                    (root.clone(), steps)
                };
                let index = csv_column(&column, header.as_deref(), at)?;
                Ok((column, rest.to_vec(), Binding::CsvField(index)))
            }
        }
    }

    /// The JSON output key of an unaliased SELECT item: the last name in its path, else `_N`.
    fn column_name(&self, e: &Expr, index: usize) -> String {
        if let Expr::Path { root, steps, .. } = e {
            match steps.last() {
                Some(PathStep::Field(n)) => return n.text.clone(),
                Some(_) => {}
                None if !self.is_row_name(root) => return root.text.clone(),
                // `SELECT id FROM S3Object[*].Rules[*].id`: the row, named after the path's end.
                None => {
                    if let Some(PathStep::Field(last)) = self.from.path.last() {
                        if self.from.path.len() > 1 && root.matches(&last.text) {
                            return root.text.clone();
                        }
                    }
                }
            }
        }
        format!("_{}", index + 1)
    }
}

fn positional(name: &str) -> Option<Option<usize>> {
    let digits = name.strip_prefix('_')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse::<usize>().ok().and_then(|n| n.checked_sub(1)))
}

fn csv_column(
    name: &Name,
    header: Option<&[String]>,
    at: Option<crate::Position>,
) -> Result<usize> {
    if !name.quoted {
        if let Some(index) = positional(&name.text) {
            return index.ok_or_else(|| {
                SelectError::at(
                    ErrorCode::InvalidColumnIndex,
                    format!(
                        "{} is not a column: CSV columns are numbered from _1.",
                        name.text
                    ),
                    at,
                )
            });
        }
    }
    let Some(header) = header else {
        return Err(SelectError::at(
            ErrorCode::MissingHeaderName,
            format!("There is no column named {}: without FileHeaderInfo USE, refer to CSV columns as _1, _2, …", name.text),
            at,
        ));
    };
    let mut found = None;
    for (i, h) in header.iter().enumerate() {
        if name.matches(h) {
            if found.is_some() {
                return Err(SelectError::at(
                    ErrorCode::AmbiguousFieldName,
                    format!("{} matches more than one header when case is ignored; put it in double quotes to match exactly.", name.text),
                    at,
                ));
            }
            found = Some(i);
        }
    }
    found.ok_or_else(|| {
        let hint = if name.quoted {
            " (quoted names match case exactly)"
        } else {
            ""
        };
        SelectError::at(
            ErrorCode::MissingHeaderName,
            format!(
                "The header row has no column {}{hint}.{}",
                name.text,
                header_as_read(&name.text, header)
            ),
            at,
        )
    })
}

/// The header's names as read, invisible characters shown, and the setting that likely put
/// them there (a wrong RecordDelimiter leaves ␍ on the last name, a wrong FieldDelimiter reads
/// the whole line as one name, a byte order mark sticks to the first).
fn header_as_read(wanted: &str, header: &[String]) -> String {
    use crate::detect::show_invisible;
    const SHOWN: usize = 20;
    let shown = |n: &str| {
        let s = show_invisible(n);
        if s.chars().count() > 40 {
            format!("{}…", s.chars().take(40).collect::<String>())
        } else {
            s
        }
    };
    let mut names: Vec<String> = header
        .iter()
        .take(SHOWN)
        .map(|n| format!("\"{}\"", shown(n)))
        .collect();
    if header.len() > SHOWN {
        names.push(format!("… {} more", header.len() - SHOWN));
    }
    let mut out = if header.is_empty() {
        " The header row is empty.".to_string()
    } else {
        format!(" The header's names as read: {}.", names.join(", "))
    };
    let last = header.last().map(String::as_str).unwrap_or_default();
    let first = header.first().map(String::as_str).unwrap_or_default();
    let wanted_lower = wanted.to_lowercase();
    if last.ends_with('\r') {
        out.push_str(" The last name ends in ␍ (a carriage return): the lines end in \\r\\n, so set RecordDelimiter to \\r\\n.");
    } else if let (1, Some(d)) = (
        header.len(),
        [',', ';', '\t', '|']
            .into_iter()
            .find(|d| first.contains(*d)),
    ) {
        let d = if d == '\t' {
            "\\t".to_string()
        } else {
            d.to_string()
        };
        out.push_str(&format!(
            " The whole line was read as one name, and it contains '{d}': set FieldDelimiter to '{d}'."
        ));
    } else if first.starts_with('\u{feff}') {
        out.push_str(" The first name starts with a byte order mark (⟨BOM⟩): refer to that column as _1, or save the file without the mark.");
    } else if let Some(h) = header.iter().find(|h| {
        let t = h.trim_matches(|c: char| c.is_whitespace() || c == '\'' || c == '`');
        t.len() != h.len() && t.to_lowercase() == wanted_lower
    }) {
        let quoted = h.trim().starts_with('\'');
        if quoted {
            out.push_str(&format!(
                " The name \"{}\" is wrapped in ' quotes: set QuoteCharacter to '.",
                shown(h)
            ));
        } else {
            out.push_str(&format!(
                " The name \"{}\" has spaces around it: write it in double quotes exactly, s.\"{}\".",
                shown(h),
                h.replace('"', "\"\"")
            ));
        }
    } else if header.iter().all(|h| {
        let t = h.trim();
        !t.is_empty() && t.parse::<f64>().is_ok()
    }) {
        out.push_str(" The names are numbers, so the first line is probably data: set FileHeaderInfo to NONE and refer to columns as _1, _2, ….");
    }
    out
}

fn reads(output: &Output, selection: Option<&Expr>, flat_from: bool) -> Reads {
    let mut csv_max = Some(0usize);
    let mut members = true;
    let mut visit = |e: &Expr| {
        if let Expr::Path {
            root,
            steps,
            binding,
            ..
        } = e
        {
            match binding {
                // cannot overflow: i is a header index or `n - 1` for some n: usize.
                Binding::CsvField(i) => csv_max = csv_max.map(|m| m.max(i + 1)),
                Binding::Row => members &= matches!(steps.first(), Some(PathStep::Field(_))),
                Binding::RowField => {
                    let _ = root;
                }
                Binding::Unbound => {}
            }
        }
    };
    if let Some(w) = selection {
        w.walk(&mut visit);
    }
    match output {
        Output::Star => csv_max = None,
        Output::Columns { exprs, .. } => exprs.iter().for_each(|e| e.walk(&mut visit)),
    }
    // `SELECT *` with no WHERE reads every record whole: nothing to skip.
    let whole = matches!(output, Output::Star) && selection.is_none();
    Reads {
        csv_fields: csv_max,
        json_members: members && flat_from && !whole,
    }
}

/// Compiles each LIKE whose pattern and escape are literals, once instead of per row.
fn compile_like_patterns(e: &mut Expr) -> Result<()> {
    let mut result = Ok(());
    e.walk_mut(&mut |x| {
        if let Expr::Like {
            pattern,
            escape,
            compiled,
            at,
            ..
        } = x
        {
            let escape = match escape.as_deref() {
                None => None,
                Some(Expr::Literal(v)) => Some(v),
                Some(_) => return,
            };
            if let (Expr::Literal(p), true) = (pattern.as_ref(), result.is_ok()) {
                match crate::eval::functions::compile_like(p, escape, *at) {
                    Ok(c) => *compiled = c.map(Box::new),
                    Err(err) => result = Err(err),
                }
            }
        }
    });
    result
}
