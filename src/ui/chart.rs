//! The results as an inline SVG chart: horizontal bars (a label per row, or a column per bar) or
//! a histogram. Every mark carries its figures in a `<title>`, shown on hover.
//!
//! The SVG is laid out here as a list of marks and drawn with the DOM's own calls (svg.rs):
//! the same chart as Leptos views cost about 10 KB of the page's wasm. Text goes in as text
//! nodes, never as markup.

use super::svg::{draw, Mark};
use crate::state::chart::{Bar, Chart};
use leptos::html;
use leptos::prelude::*;

// Coordinates are whole pixels (i32): printing floats would add Rust's float formatting, about
// 30 KB, to the page. The chart is laid out for the width it gets, so text keeps its size.
const MIN_WIDTH: i32 = 280;
const MAX_WIDTH: i32 = 760;
const VALUE_WIDTH: i32 = 64;
const ROW: i32 = 24;

/// A position as a whole pixel.
fn px(x: f64) -> i32 {
    x.round() as i32
}

/// A number as JavaScript prints it (short, and without Rust's float formatting in the page).
fn js_number(x: f64) -> String {
    js_sys::Number::from(x)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

fn short(label: &str) -> String {
    if label.chars().count() > 22 {
        format!("{}…", label.chars().take(21).collect::<String>())
    } else {
        label.to_string()
    }
}

/// Horizontal bars: the label, the bar from zero, the value.
fn bar_marks(bars: &[Bar], width: i32) -> (i32, Vec<Mark>) {
    let label_width = (width * 3 / 10).min(170);
    let lo = bars.iter().fold(0f64, |m, b| m.min(b.value));
    let hi = bars.iter().fold(0f64, |m, b| m.max(b.value));
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    let area = (width - label_width - VALUE_WIDTH) as f64;
    let x = |v: f64| label_width + px((v - lo) / span * area);
    let mut marks = Vec::new();
    for (i, b) in bars.iter().enumerate() {
        let y = 4 + ROW * i as i32;
        let (x0, x1) = (x(0f64.min(b.value)), x(0f64.max(b.value)));
        let tip = format!("{}: {}", b.label, b.text);
        marks.push(Mark::text(
            "chart-label",
            label_width - 6,
            y + 16,
            "end",
            short(&b.label),
        ));
        marks.push(Mark::rect(x0, y + 3, (x1 - x0).max(1), ROW - 6, tip));
        marks.push(Mark::text(
            "chart-value",
            x1 + 6,
            y + 16,
            "start",
            b.text.clone(),
        ));
    }
    (ROW * bars.len() as i32 + 8, marks)
}

/// A histogram: a column per bin with its count above, the range's ends below.
fn histogram_marks(edges: &[f64], counts: &[u64], width: i32) -> (i32, Vec<Mark>) {
    const BASE: i32 = 190;
    let top = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let step = (width - 20) as f64 / counts.len().max(1) as f64;
    let mut marks = Vec::new();
    for (i, &n) in counts.iter().enumerate() {
        let h = px(n as f64 / top * (BASE - 20) as f64);
        let (x, next) = (10 + px(step * i as f64), 10 + px(step * (i + 1) as f64));
        let edge = |j: usize| js_number(edges.get(j).copied().unwrap_or_default());
        let tip = format!("{} to {}: {n}", edge(i), edge(i + 1));
        marks.push(Mark::rect(
            x + 1,
            BASE - h,
            (next - x - 2).max(1),
            h.max(1),
            tip,
        ));
        marks.push(Mark::text(
            "chart-value",
            (x + next) / 2,
            BASE - h - 4,
            "middle",
            n.to_string(),
        ));
    }
    let end = |e: Option<&f64>| e.copied().map(js_number).unwrap_or_default();
    marks.push(Mark::axis(10, width - 10, BASE));
    marks.push(Mark::text(
        "chart-label",
        10,
        BASE + 18,
        "start",
        end(edges.first()),
    ));
    marks.push(Mark::text(
        "chart-label",
        width - 10,
        BASE + 18,
        "end",
        end(edges.last()),
    ));
    (BASE + 30, marks)
}

fn caption(chart: &Chart) -> String {
    match chart {
        Chart::Bars {
            value_name,
            label_name,
            more: 0,
            ..
        } => format!("{value_name} by {label_name}"),
        Chart::Bars {
            value_name,
            label_name,
            more,
            ..
        } => format!(
            "{value_name} by {label_name} (the first bars; {more} more rows are in the table)"
        ),
        Chart::Histogram { column, counts, .. } => {
            format!(
                "How the values of {column} are spread ({} bins)",
                counts.len()
            )
        }
    }
}

#[component]
pub fn ChartView(chart: Chart) -> impl IntoView {
    let text = caption(&chart);
    let label = text.clone();
    let holder = NodeRef::<html::Div>::new();
    holder.on_load(move |div| {
        let width = div.client_width().clamp(MIN_WIDTH, MAX_WIDTH);
        let (height, marks) = match &chart {
            Chart::Bars { bars, .. } => bar_marks(bars, width),
            Chart::Histogram { edges, counts, .. } => histogram_marks(edges, counts, width),
        };
        draw(&div, width, height, &label, &marks);
    });
    view! {
        <figure class="chart">
            <div node_ref=holder></div>
            <figcaption class="hint">{text}</figcaption>
        </figure>
    }
}

/// Reads a number as the results show it.
pub fn parse_number(s: &str) -> Option<f64> {
    let n = js_sys::Number::parse_float(s);
    n.is_finite().then_some(n)
}
