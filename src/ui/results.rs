//! Results: a table (MISSING and NULL shown apart), the raw output bytes, the Stats figures and
//! a download of the raw output.

use super::chart::parse_number;
use super::format::bytes;
use crate::net::engine::RunStats;
use crate::state::chart::Chart;
use crate::state::table::{Cell, Table};
use crate::ui::event::handler;
use leptos::either::{Either, EitherOf4};
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Table,
    Raw,
    Chart,
}

/// A cell's class, hover text and text: one `<td>` shape for every kind (each shape of view
/// costs the page's wasm its own code).
fn cell_parts(c: &Cell) -> (&'static str, &'static str, String) {
    match c {
        Cell::Missing => (
            "missing",
            "MISSING: the field is not there",
            "MISSING".into(),
        ),
        Cell::Null => ("null", "NULL", "NULL".into()),
        Cell::Text(s) => ("", "", s.clone()),
        Cell::Number(s) => ("num", "", s.clone()),
        Cell::Bool(b) => ("bool", "", b.to_string()),
        Cell::Nested(s) => ("nested", "", s.clone()),
    }
}

fn cell_view(c: &Cell) -> impl IntoView {
    let (class, title, text) = cell_parts(c);
    view! { <td class=class title=title>{text}</td> }
}

fn tab_button(
    tab: RwSignal<Tab>,
    which: Tab,
    id: &'static str,
    label: &'static str,
    disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <button role="tab" id=id aria-selected=move || (tab.get() == which).to_string() disabled=disabled on:click=handler(move |_| tab.set(which))>{label}</button>
    }
}

#[component]
pub fn Results(
    table: RwSignal<Table>,
    raw_preview: RwSignal<String>,
    raw_truncated: RwSignal<bool>,
    stats: RwSignal<Option<RunStats>>,
    tab: RwSignal<Tab>,
    table_limit: usize,
    on_download: Callback<()>,
) -> impl IntoView {
    let table_view = move || {
        table.with(|t| {
            if t.rows.is_empty() {
                return EitherOf4::A(view! { <p class="empty" id="no-rows">"No records."</p> });
            }
            let head = t.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view();
            let rows = t
                .rows
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    let cells = t.columns.iter().map(|c| cell_view(t.get(row, c))).collect_view();
                    view! { <tr><td class="rownum">{i + 1}</td>{cells}</tr> }
                })
                .collect_view();
            let more = (t.rows.len() >= table_limit)
                .then(|| view! { <p class="hint">{format!("The table shows the first {table_limit} records; the raw output and the download have them all.")}</p> });
            EitherOf4::B(view! {
                <div class="table-wrap">
                    <table id="results-table">
                        <thead><tr><th class="rownum">"#"</th>{head}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {more}
            })
        })
    };
    let stats_view = move || {
        stats.get().map(|s| {
            view! {
                <dl class="stats" id="stats">
                    <div><dt>"Records"</dt><dd id="stat-records">{super::format::count(s.records)}</dd></div>
                    <div><dt>"Scanned"</dt><dd id="stat-scanned">{bytes(s.bytes_scanned)}</dd></div>
                    <div><dt>"Processed"</dt><dd id="stat-processed">{bytes(s.bytes_processed)}</dd></div>
                    <div><dt>"Returned"</dt><dd id="stat-returned">{bytes(s.bytes_returned)}</dd></div>
                    <div><dt>"Time"</dt><dd id="stat-time">{format!("{} ms", super::format::count(s.elapsed_ms))}</dd></div>
                </dl>
            }
        })
    };
    let body = move || match tab.get() {
        Tab::Table => table_view(),
        Tab::Raw => EitherOf4::C(view! {
            <pre class="raw" id="raw-output">{move || raw_preview.get()}</pre>
            {move || raw_truncated.get().then(|| view! { <p class="hint">"Showing the start of the output; download it for all of it."</p> })}
        }),
        Tab::Chart => EitherOf4::D(match table.with(|t| Chart::exists(t, &parse_number)) {
            // The chart is drawn up and drawn by a wasm part of its own (src/lazy.rs), on first use.
            true => Either::Left(crate::lazy::later(
                || true,
                move || crate::lazy::chart(table.get_untracked()),
            )),
            false => Either::Right(
                view! { <p class="empty" id="no-chart">"No chart for these results: a chart needs a label column and a number column, one row of numbers, or one number column."</p> },
            ),
        }),
    };
    let no_chart = Signal::derive(move || table.with(|t| !Chart::exists(t, &parse_number)));
    view! {
        <section class="results panel">
            <div class="results-bar">
                <div class="tabs" role="tablist">
                    {tab_button(tab, Tab::Table, "tab-table", "Table", Signal::stored(false))}
                    {tab_button(tab, Tab::Raw, "tab-raw", "Raw output", Signal::stored(false))}
                    {tab_button(tab, Tab::Chart, "tab-chart", "Chart", no_chart)}
                </div>
                {stats_view}
                <button class="secondary" id="download" disabled=move || stats.with(Option::is_none) on:click=handler(move |_| on_download.run(()))>"Download"</button>
            </div>
            {body}
        </section>
    }
}
