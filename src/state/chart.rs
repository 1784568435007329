//! A chart of the results when their shape suggests one: a label column and a number column
//! (bars), one row of several numbers (bars per column, as aggregates give), or one number
//! column over many rows (a histogram).

use super::table::{Cell, Table};

/// Bars drawn at most (the rest are left out, and the chart says so).
pub const MAX_BARS: usize = 40;

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The value as the results show it (the chart prints this, not a reformatted float).
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    Bars {
        /// What the bars measure, and what labels them.
        value_name: String,
        label_name: String,
        bars: Vec<Bar>,
        /// Rows left out beyond [`MAX_BARS`].
        more: usize,
    },
    Histogram {
        column: String,
        /// Bin edges: `edges[i]..edges[i + 1]` holds `counts[i]` values (the last bin includes
        /// its upper edge).
        edges: Vec<f64>,
        counts: Vec<u64>,
    },
}

/// A column's values when every present value is a number (NULL and MISSING are skipped).
fn numbers(
    table: &Table,
    column: &str,
    parse: &dyn Fn(&str) -> Option<f64>,
) -> Option<Vec<Option<f64>>> {
    let mut any = false;
    let mut out = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        match table.get(row, column) {
            Cell::Number(s) => {
                out.push(Some(parse(s)?));
                any = true;
            }
            Cell::Null | Cell::Missing => out.push(None),
            _ => return None,
        }
    }
    any.then_some(out)
}

fn label_text(c: &Cell) -> Option<String> {
    match c {
        Cell::Text(s) => Some(s.clone()),
        Cell::Bool(b) => Some(b.to_string()),
        Cell::Null => Some("NULL".into()),
        Cell::Missing => Some("MISSING".into()),
        _ => None,
    }
}

fn number_text(c: &Cell) -> String {
    match c {
        Cell::Number(s) => s.clone(),
        _ => String::new(),
    }
}

/// The chart a table's shape suggests, decided apart from drawing it up: the page asks on every
/// table whether there is one, and draws it (in the chart's own wasm part) only when shown.
enum Kind<'t> {
    /// One row of several numbers (MIN, MAX, AVG …): a bar per column.
    Columns(&'t [(String, Cell)], Vec<&'t String>),
    /// A label column and a number column: a bar per row.
    Labelled {
        label: &'t String,
        number: &'t String,
        values: Vec<Option<f64>>,
    },
    /// One number column over many rows.
    Histogram(&'t String, Vec<f64>),
}

fn kind<'t>(table: &'t Table, parse: &dyn Fn(&str) -> Option<f64>) -> Option<Kind<'t>> {
    // Each number column with its values, read once.
    let mut numeric: Vec<(&String, Vec<Option<f64>>)> = table
        .columns
        .iter()
        .filter_map(|c| Some((c, numbers(table, c, parse)?)))
        .collect();
    if numeric.is_empty() {
        return None;
    }
    if let ([row], true) = (table.rows.as_slice(), numeric.len() >= 2) {
        return Some(Kind::Columns(
            row,
            numeric.into_iter().map(|(c, _)| c).collect(),
        ));
    }
    let label = table.columns.iter().find(|c| {
        !numeric.iter().any(|(n, _)| n == c)
            && table
                .rows
                .iter()
                .all(|r| label_text(table.get(r, c)).is_some())
    });
    let (number, values) = numeric.swap_remove(0);
    if let Some(label) = label {
        return Some(Kind::Labelled {
            label,
            number,
            values,
        });
    }
    let present: Vec<f64> = values
        .into_iter()
        .flatten()
        .filter(|v| v.is_finite())
        .collect();
    (present.len() >= 2).then_some(Kind::Histogram(number, present))
}

impl Chart {
    /// Whether `table`'s shape suggests a chart: `of` gives one exactly when this is true.
    pub fn exists(table: &Table, parse: &dyn Fn(&str) -> Option<f64>) -> bool {
        kind(table, parse).is_some()
    }

    /// The chart for `table`, if its shape suggests one. `parse` reads a number as the results
    /// show it (the page passes JavaScript's parser, which it already has).
    pub fn of(table: &Table, parse: &dyn Fn(&str) -> Option<f64>) -> Option<Chart> {
        Some(match kind(table, parse)? {
            Kind::Columns(row, columns) => Chart::Bars {
                value_name: "value".into(),
                label_name: "column".into(),
                bars: columns
                    .into_iter()
                    .filter_map(|c| {
                        let Cell::Number(s) = table.get(row, c) else {
                            return None;
                        };
                        Some(Bar {
                            label: c.clone(),
                            value: parse(s)?,
                            text: s.clone(),
                        })
                    })
                    .collect(),
                more: 0,
            },
            Kind::Labelled {
                label,
                number,
                values,
            } => {
                let mut bars: Vec<Bar> = table
                    .rows
                    .iter()
                    .zip(values)
                    .filter_map(|(row, v)| {
                        Some(Bar {
                            label: label_text(table.get(row, label))?,
                            value: v?,
                            text: number_text(table.get(row, number)),
                        })
                    })
                    .collect();
                let more = bars.len().saturating_sub(MAX_BARS);
                bars.truncate(MAX_BARS);
                Chart::Bars {
                    value_name: number.clone(),
                    label_name: label.clone(),
                    bars,
                    more,
                }
            }
            Kind::Histogram(column, present) => histogram(column, &present),
        })
    }
}

/// A step of 1, 2 or 5 times a power of ten near `raw`, as (mantissa, exponent); the exponent
/// stays within a float's (1e308 is the largest power of ten it holds).
fn nice_step(raw: f64) -> (i64, i32) {
    let mut exp = 0i32;
    let mut r = raw;
    while r >= 10.0 && exp < 307 {
        r /= 10.0;
        exp += 1;
    }
    while r < 1.0 && exp > -307 {
        r *= 10.0;
        exp -= 1;
    }
    let m = if r <= 1.0 {
        1
    } else if r <= 2.0 {
        2
    } else if r <= 5.0 {
        5
    } else {
        exp += 1;
        1
    };
    (m, exp)
}

/// `k × m × 10^exp`, as close to that decimal as a float gets (so it prints short). `k` is a
/// whole number, held as a float so that no value, however large, can overflow it.
fn step_value(k: f64, m: i64, exp: i32) -> f64 {
    let n = k * m as f64;
    if exp >= 0 {
        n * 10f64.powi(exp)
    } else {
        n / 10f64.powi(-exp)
    }
}

fn histogram(column: &str, values: &[f64]) -> Chart {
    let (lo, hi) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    // About 1 + log2(n) bins (Sturges), between 5 and 20.
    let wanted = (usize::BITS - values.len().leading_zeros() + 1).clamp(5, 20) as f64;
    // Values all alike: one bin, a step of the value's own size.
    // (Each end divided first: the span of -1e308 and 1e308 is more than a float holds.)
    let step = if hi > lo {
        hi / wanted - lo / wanted
    } else {
        lo.abs().max(1.0) / wanted
    };
    let (m, exp) = nice_step(step);
    let width = step_value(1.0, m, exp);
    let first = (lo / width).floor();
    let bins = ((hi / width).floor() - first + 1.0).clamp(1.0, 200.0) as usize;
    let edges: Vec<f64> = (0..=bins)
        .map(|i| step_value(first + i as f64, m, exp))
        .collect();
    let mut counts = vec![0u64; bins];
    for v in values {
        let i = ((v / width).floor() - first).clamp(0.0, (bins - 1) as f64) as usize;
        counts[i] += 1;
    }
    Chart::Histogram {
        column: column.to_string(),
        edges,
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(columns: &[&str], rows: &[&[Cell]]) -> Table {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| {
                    columns
                        .iter()
                        .map(|c| c.to_string())
                        .zip(r.iter().cloned())
                        .collect()
                })
                .collect(),
        }
    }
    fn num(s: &str) -> Cell {
        Cell::Number(s.into())
    }
    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }
    fn parse(s: &str) -> Option<f64> {
        s.parse().ok()
    }

    #[test]
    fn a_label_and_a_number_give_bars() {
        let t = table(
            &["family", "n"],
            &[&[text("red"), num("12")], &[text("blue"), num("3.5")]],
        );
        let Some(Chart::Bars {
            bars,
            label_name,
            value_name,
            more,
        }) = Chart::of(&t, &parse)
        else {
            panic!("bars expected");
        };
        assert_eq!(
            (label_name.as_str(), value_name.as_str(), more),
            ("family", "n", 0)
        );
        assert_eq!(
            bars[0],
            Bar {
                label: "red".into(),
                value: 12.0,
                text: "12".into()
            }
        );
        assert_eq!(bars[1].value, 3.5);
    }

    #[test]
    fn one_row_of_aggregates_gives_a_bar_per_column() {
        let t = table(&["min", "max", "avg"], &[&[num("1"), num("9"), num("4.5")]]);
        let Some(Chart::Bars { bars, .. }) = Chart::of(&t, &parse) else {
            panic!()
        };
        assert_eq!(
            bars.iter().map(|b| b.label.as_str()).collect::<Vec<_>>(),
            ["min", "max", "avg"]
        );
    }

    #[test]
    fn one_number_column_gives_a_histogram_of_every_value() {
        let rows: Vec<Vec<Cell>> = (0..100).map(|i| vec![num(&(i * 3).to_string())]).collect();
        let refs: Vec<&[Cell]> = rows.iter().map(|r| r.as_slice()).collect();
        let t = table(&["age"], &refs);
        let Some(Chart::Histogram { edges, counts, .. }) = Chart::of(&t, &parse) else {
            panic!()
        };
        assert_eq!(counts.iter().sum::<u64>(), 100);
        assert_eq!(edges.len(), counts.len() + 1);
        assert!(edges[0] <= 0.0 && *edges.last().unwrap() >= 297.0);
        assert!((5..=20).contains(&counts.len()), "{} bins", counts.len());
        // Edges are round numbers.
        assert!(edges.iter().all(|e| e.fract() == 0.0), "{edges:?}");
    }

    #[test]
    fn small_steps_print_short() {
        let t = table(&["x"], &[&[num("0.1")], &[num("0.35")], &[num("0.7")]]);
        let Some(Chart::Histogram { edges, .. }) = Chart::of(&t, &parse) else {
            panic!()
        };
        assert!(edges.contains(&0.3) || edges.contains(&0.2), "{edges:?}");
    }

    #[test]
    fn no_chart_without_numbers_or_for_a_single_value() {
        assert_eq!(Chart::of(&table(&["a"], &[&[text("x")]]), &parse), None);
        assert_eq!(Chart::of(&table(&["n"], &[&[num("3")]]), &parse), None);
        assert_eq!(Chart::of(&Table::default(), &parse), None);
        // A column mixing numbers and text is not numeric.
        let t = table(&["v"], &[&[num("1")], &[text("x")]]);
        assert_eq!(Chart::of(&t, &parse), None);
    }

    #[test]
    fn nulls_are_skipped_and_bars_are_capped() {
        let rows: Vec<Vec<Cell>> = (0..60)
            .map(|i| {
                vec![
                    text(&format!("d{i}")),
                    if i == 0 { Cell::Null } else { num("1") },
                ]
            })
            .collect();
        let refs: Vec<&[Cell]> = rows.iter().map(|r| r.as_slice()).collect();
        let Some(Chart::Bars { bars, more, .. }) = Chart::of(&table(&["d", "n"], &refs), &parse)
        else {
            panic!()
        };
        assert_eq!((bars.len(), more), (MAX_BARS, 59 - MAX_BARS));
        assert_eq!(bars[0].label, "d1");
    }

    #[test]
    fn exists_says_whether_of_gives_a_chart() {
        // Every mix of up to three columns of one kind each, over 0 to 3 rows.
        let kinds = [
            num("1"),
            num("2.5"),
            text("a"),
            Cell::Null,
            Cell::Missing,
            num("x"),
        ];
        let mut tables = 0;
        for columns in 1..=3 {
            for rows in 0..=3 {
                for pick in 0..kinds.len().pow(columns as u32) {
                    let names: Vec<String> = (0..columns).map(|c| format!("c{c}")).collect();
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    // Column c holds kind (pick / 6^c) % 6, its first row a number too when
                    // rows vary (so a column can mix NULLs and numbers).
                    let row_cells: Vec<Vec<Cell>> = (0..rows)
                        .map(|r| {
                            (0..columns)
                                .map(|c| {
                                    let k = (pick / kinds.len().pow(c as u32)) % kinds.len();
                                    if r == 0 && k >= 3 {
                                        num("7")
                                    } else {
                                        kinds[k].clone()
                                    }
                                })
                                .collect()
                        })
                        .collect();
                    let row_refs: Vec<&[Cell]> = row_cells.iter().map(Vec::as_slice).collect();
                    let t = table(&names, &row_refs);
                    assert_eq!(
                        Chart::exists(&t, &parse),
                        Chart::of(&t, &parse).is_some(),
                        "{t:?}"
                    );
                    tables += 1;
                }
            }
        }
        assert!(tables > 900);
    }

    #[test]
    fn a_histogram_of_equal_or_extreme_values_holds_each_value_in_its_bin() {
        // Equal values once made a step of 1e-300, and the bins' index overflowed.
        for values in [
            vec![7.0, 7.0],
            vec![0.0, 0.0, 0.0],
            vec![-3.5, -3.5],
            vec![1e300, 1e300],
            vec![-1e308, 1e308],
            vec![1e18, 1e18 + 4096.0],
            vec![0.1, 0.2, 0.30000000000000004],
        ] {
            let Chart::Histogram { edges, counts, .. } = histogram("n", &values) else {
                unreachable!()
            };
            assert_eq!(edges.len(), counts.len() + 1, "{values:?}");
            assert!(edges.iter().all(|e| e.is_finite()), "{values:?}: {edges:?}");
            assert!(
                edges.windows(2).all(|w| w[0] < w[1]),
                "{values:?}: {edges:?}"
            );
            assert_eq!(
                counts.iter().sum::<u64>(),
                values.len() as u64,
                "{values:?}"
            );
            let (lo, hi) = (edges[0], edges[edges.len() - 1]);
            assert!(
                values.iter().all(|v| lo <= *v && *v <= hi),
                "{values:?}: {edges:?}"
            );
        }
    }
}
