//! The app: layout, shared state, and the wiring between the controls and the engine worker.

use crate::examples::Example;
use crate::model::{settings_for_file, Dataset, View};
use crate::net::engine::{EngineClient, EngineError, EngineEvent, RunSource, RunStats};
use crate::net::page;
use crate::ui::bench::BenchPage;
use crate::ui::controls::{DataControls, SerializationControls};
use crate::ui::editor::SqlEditor;
use crate::ui::error_view::ErrorView;
use crate::ui::examples_list::ExamplesList;
use crate::ui::results::{Results, Tab};
use crate::ui::table::Table;
use leptos::prelude::*;
use std::rc::Rc;

/// Rows shown in the table (the raw output and the download are complete).
const TABLE_ROWS: usize = 500;
/// Raw output shown on the page; beyond this, download it.
const RAW_PREVIEW_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq)]
enum RunState {
    Idle,
    Running {
        id: f64,
        read: f64,
        total: f64,
        records: f64,
    },
    Done,
    Failed {
        error: EngineError,
        sql: String,
    },
    Cancelled,
}

#[component]
pub fn App() -> impl IntoView {
    let theme = page::stored_theme().unwrap_or_else(|| {
        if page::prefers_dark() {
            "dark"
        } else {
            "light"
        }
        .into()
    });
    page::set_theme(&theme);
    if page::pathname().ends_with("bench.html") {
        return view! { <BenchPage/> }.into_any();
    }
    view! { <Playground/> }.into_any()
}

#[component]
fn Playground() -> impl IntoView {
    let initial = View::from_fragment(&page::hash()).unwrap_or_default();
    // A link cannot carry a file: fall back to the bundled data in that case.
    let initial = if initial.dataset == Dataset::File {
        View {
            dataset: Dataset::DragonsCsv,
            ..initial
        }
    } else {
        initial
    };
    let view = RwSignal::new(initial);
    let sql = RwSignal::new(view.get_untracked().sql.clone());
    let file_name = RwSignal::new(None::<String>);
    let file = StoredValue::new_local(None::<web_sys::File>);
    let run_state = RwSignal::new(RunState::Idle);
    let engine_ready = RwSignal::new(false);
    let table = RwSignal::new(Table::default());
    let raw_preview = RwSignal::new(String::new());
    let raw_truncated = RwSignal::new(false);
    let raw_parts = StoredValue::new_local(Vec::<String>::new());
    let stats = RwSignal::new(None::<RunStats>);
    let tab = RwSignal::new(Tab::Table);
    let current = StoredValue::new(0.0f64);
    let startup_error = RwSignal::new(None::<String>);

    // Keep the SQL text and the view in step, and the view in the URL.
    Effect::new(move |_| {
        let s = sql.get();
        view.update(|v| v.sql = s);
    });
    Effect::new(move |_| page::replace_hash(&view.with(View::to_fragment)));

    let on_event = move |event: EngineEvent| {
        let is_current = |id: f64| id == current.get_value();
        match event {
            EngineEvent::Ready => engine_ready.set(true),
            EngineEvent::Started { id, total } if is_current(id) => {
                run_state.update(|s| {
                    if let RunState::Running { total: t, .. } = s {
                        *t = total;
                    }
                });
            }
            EngineEvent::Output {
                id,
                raw,
                table: rows,
            } if is_current(id) => {
                if !rows.is_empty() {
                    table.update(|t| t.push_lines(&rows, TABLE_ROWS));
                }
                if !raw.is_empty() {
                    raw_preview.update(|p| {
                        if p.len() < RAW_PREVIEW_BYTES {
                            let room = RAW_PREVIEW_BYTES - p.len();
                            let cut = (0..=room.min(raw.len()))
                                .rev()
                                .find(|i| raw.is_char_boundary(*i))
                                .unwrap_or(0);
                            p.push_str(&raw[..cut]);
                            if cut < raw.len() {
                                raw_truncated.set(true);
                            }
                        } else {
                            raw_truncated.set(true);
                        }
                    });
                    raw_parts.update_value(|parts| parts.push(raw));
                }
            }
            EngineEvent::Progress {
                id,
                read,
                total,
                records,
            } if is_current(id) => {
                run_state.set(RunState::Running {
                    id,
                    read,
                    total,
                    records,
                });
            }
            EngineEvent::Done { id, stats: s } if is_current(id) => {
                stats.set(Some(s));
                run_state.set(RunState::Done);
            }
            EngineEvent::Error { id, error } if is_current(id) => {
                let sql_now = sql.get_untracked();
                run_state.set(RunState::Failed {
                    error,
                    sql: sql_now,
                });
            }
            EngineEvent::Cancelled { id } if is_current(id) => run_state.set(RunState::Cancelled),
            _ => {}
        }
    };
    let engine = match EngineClient::spawn(on_event) {
        Ok(c) => Some(Rc::new(c)),
        Err(e) => {
            startup_error.set(Some(e));
            None
        }
    };
    let engine = StoredValue::new_local(engine);

    let run = Callback::new(move |()| {
        let Some(client) = engine.get_value() else {
            return;
        };
        if let RunState::Running { id, .. } = run_state.get_untracked() {
            client.cancel(id);
        }
        // The editor's text, not the view's copy (that is synced by an effect, which may not have run).
        let mut v = view.get_untracked();
        v.sql = sql.get_untracked();
        let source = match (v.dataset.url(), file.get_value()) {
            (Some(url), _) => RunSource::Url(url.to_string()),
            (None, Some(f)) => RunSource::File(f),
            (None, None) => return,
        };
        table.set(Table::default());
        raw_preview.set(String::new());
        raw_truncated.set(false);
        raw_parts.set_value(Vec::new());
        stats.set(None);
        let id = client.run(&v.sql, &v.input.to_json(), &v.output.to_json(), source);
        current.set_value(id);
        run_state.set(RunState::Running {
            id,
            read: 0.0,
            total: 0.0,
            records: 0.0,
        });
    });
    let cancel = move |_| {
        if let (Some(client), RunState::Running { id, .. }) =
            (engine.get_value(), run_state.get_untracked())
        {
            client.cancel(id);
        }
    };
    let on_file = Callback::new(move |f: web_sys::File| {
        let name = f.name();
        file.set_value(Some(f));
        file_name.set(Some(name.clone()));
        view.update(|v| {
            v.dataset = Dataset::File;
            v.input = settings_for_file(&name);
        });
    });
    let on_pick = Callback::new(move |ex: &'static Example| {
        sql.set(ex.sql.to_string());
        view.update(|v| {
            v.dataset = ex.dataset;
            v.input = ex.dataset.input();
        });
        run.run(());
        // The examples list can be far down the page: bring the editor and results into view.
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    let on_download = Callback::new(move |()| {
        let csv = view.with_untracked(|v| v.output.format == crate::model::Format::Csv);
        let (name, mime) = if csv {
            ("results.csv", "text/csv")
        } else {
            ("results.json", "application/json")
        };
        raw_parts.with_value(|parts| page::download(name, parts, mime));
    });
    let toggle_theme = move |_| {
        let dark = page::stored_theme().as_deref() == Some("dark")
            || (page::stored_theme().is_none() && page::prefers_dark());
        page::set_theme(if dark { "light" } else { "dark" });
    };
    let on_drop = move |e: leptos::ev::DragEvent| {
        e.prevent_default();
        if let Some(f) = e
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|l| l.get(0))
        {
            on_file.run(f);
        }
    };

    // Run the default (or linked) query once the page is up.
    run.run(());

    let status = move || match run_state.get() {
        RunState::Idle => view! { <span id="status">"Ready."</span> }.into_any(),
        RunState::Running {
            read,
            total,
            records,
            ..
        } => {
            let pct = if total > 0.0 {
                (read / total * 100.0).min(100.0)
            } else {
                0.0
            };
            let label = if engine_ready.get() {
                format!("Running… {records} records")
            } else {
                "Starting the engine…".to_string()
            };
            view! {
                <span id="status" class="running">{label}</span>
                <progress id="progress" max="100" value=format!("{pct:.1}")></progress>
                <button class="secondary" id="cancel" on:click=cancel>"Cancel"</button>
            }
            .into_any()
        }
        RunState::Done => view! { <span id="status">"Done."</span> }.into_any(),
        RunState::Cancelled => view! { <span id="status">"Cancelled."</span> }.into_any(),
        RunState::Failed { .. } => {
            view! { <span id="status" class="failed">"Error."</span> }.into_any()
        }
    };
    let error = move || match run_state.get() {
        RunState::Failed { error, sql } => Some(view! { <ErrorView error=error sql=sql/> }),
        _ => None,
    };

    view! {
        <div class="app" on:dragover=|e: leptos::ev::DragEvent| e.prevent_default() on:drop=on_drop>
            <header class="top">
                <div class="brand">
                    <svg class="logo" viewBox="0 0 64 64" aria-hidden="true">
                        <rect width="64" height="64" rx="14"></rect>
                        <path d="M10 18l10 30 12-18 12 18 10-30-10 8-12-10-12 10z"></path>
                    </svg>
                    <h1>"Wyvern"</h1>
                    <span class="tagline">"S3 Select playground: runs in your browser, offline"</span>
                </div>
                <button class="secondary" id="theme-toggle" on:click=toggle_theme title="Switch between dark and light">"◐ Theme"</button>
            </header>
            {move || startup_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <aside class="side">
                <DataControls view=view file_name=file_name on_file=on_file/>
                <SerializationControls view=view/>
                <ExamplesList on_pick=on_pick/>
            </aside>
            <main class="main">
                <section class="panel query">
                    <div class="query-bar">
                        <h2>"SQL"</h2>
                        <span class="hint">"Ctrl/⌘ + Enter runs"</span>
                        <button id="run" class="primary" on:click=move |_| run.run(())>"Run"</button>
                    </div>
                    <SqlEditor sql=sql on_run=run/>
                    <div class="status-bar">{status}</div>
                    {error}
                </section>
                <Results table=table raw_preview=raw_preview raw_truncated=raw_truncated stats=stats tab=tab table_limit=TABLE_ROWS on_download=on_download/>
            </main>
        </div>
    }
}
