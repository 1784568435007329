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

impl Chart {
    /// The chart for `table`, if its shape suggests one. `parse` reads a number as the results
    /// show it (the page passes JavaScript's parser, which it already has).
    pub fn of(table: &Table, parse: &dyn Fn(&str) -> Option<f64>) -> Option<Chart> {
        // Each number column with its values, read once.
        let numeric: Vec<(&String, Vec<Option<f64>>)> = table
            .columns
            .iter()
            .filter_map(|c| Some((c, numbers(table, c, parse)?)))
            .collect();
        let (first_number, values) = numeric.first()?;
        // One row of several numbers (MIN, MAX, AVG …): a bar per column.
        if let ([row], true) = (table.rows.as_slice(), numeric.len() >= 2) {
            let bars = numeric
                .iter()
                .filter_map(|(c, _)| {
                    let cell = table.get(row, c);
                    let Cell::Number(s) = cell else { return None };
                    Some(Bar {
                        label: (*c).clone(),
                        value: parse(s)?,
                        text: s.clone(),
                    })
                })
                .collect();
            return Some(Chart::Bars {
                value_name: "value".into(),
                label_name: "column".into(),
                bars,
                more: 0,
            });
        }
        let label = table.columns.iter().find(|c| {
            !numeric.iter().any(|(n, _)| n == c)
                && table
                    .rows
                    .iter()
                    .all(|r| label_text(table.get(r, c)).is_some())
        });
        if let Some(label) = label {
            let bars: Vec<Bar> = table
                .rows
                .iter()
                .zip(values)
                .filter_map(|(row, v)| {
                    Some(Bar {
                        label: label_text(table.get(row, label))?,
                        value: (*v)?,
                        text: number_text(table.get(row, first_number)),
                    })
                })
                .collect();
            let more = bars.len().saturating_sub(MAX_BARS);
            return Some(Chart::Bars {
                value_name: (*first_number).clone(),
                label_name: label.clone(),
                bars: bars.into_iter().take(MAX_BARS).collect(),
                more,
            });
        }
        let present: Vec<f64> = values
            .iter()
            .flatten()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        (present.len() >= 2).then(|| histogram(first_number, &present))
    }
}

/// A step of 1, 2 or 5 times a power of ten near `raw`, as (mantissa, exponent).
fn nice_step(raw: f64) -> (i64, i32) {
    let mut exp = 0i32;
    let mut r = raw;
    while r >= 10.0 && exp < 300 {
        r /= 10.0;
        exp += 1;
    }
    while r < 1.0 && exp > -300 {
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

/// `k × m × 10^exp`, as close to that decimal as a float gets (so it prints short).
fn step_value(k: i64, m: i64, exp: i32) -> f64 {
    let n = (k * m) as f64;
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
    let (m, exp) = nice_step(((hi - lo) / wanted).max(f64::MIN_POSITIVE));
    let width = step_value(1, m, exp);
    let first = (lo / width).floor() as i64;
    let bins = (((hi / width).floor() as i64 - first) + 1).clamp(1, 200) as usize;
    let edges: Vec<f64> = (0..=bins as i64)
        .map(|i| step_value(first + i, m, exp))
        .collect();
    let mut counts = vec![0u64; bins];
    for v in values {
        let i = (((v / width).floor() as i64) - first).clamp(0, bins as i64 - 1) as usize;
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
}
