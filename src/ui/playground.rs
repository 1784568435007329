//! The S3 Select playground: data source (bundled, a file, or an S3 object live), serialization,
//! examples, the SQL editor and the results, wired to the engine worker and to live mode.

use super::format::{count, one_decimal};
use crate::effect::effect;
use crate::model::examples::Example;
use crate::model::records::RecordSplitter;
use crate::model::{settings_for_file, Dataset, View};
use crate::net::engine::{EngineClient, FromEngine, FunctionDoc, Shape, Source};
use crate::net::page;
use crate::state::athena::{Athena, Progress as AthenaProgress};
use crate::state::live::Live;
use crate::state::live_select::S3Choice;
use crate::state::live_select::{compare_note, LiveSelect, LocalPurpose};
use crate::state::run::{CappedText, Outputs, RunState, TABLE_ROWS};
use crate::ui::controls::{DataControls, SerializationControls};
use crate::ui::detection::DetectionPanel;
use crate::ui::editor::SqlEditor;
use crate::ui::error_view::ErrorView;
use crate::ui::event::handler;
use crate::ui::examples_list::ExamplesList;
use crate::ui::history::HistoryPanel;
use crate::ui::results::{Results, Tab};
use crate::ui::s3_source::S3Source;
use crate::ui::shape::ShapePanel;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;

#[component]
pub fn Playground(live: Live) -> impl IntoView {
    let initial = View::from_fragment(&page::hash()).unwrap_or_default();
    // A link never carries the learner's file: it waits for the receiver to open theirs.
    let linked_file = initial.dataset == Dataset::File;
    // Nor a connection: a live object's query opens on the bundled copy of the course's object
    // (the dragons JSON document), read as that needs.
    let initial = if initial.dataset == Dataset::S3 {
        View {
            dataset: Dataset::DragonsJson,
            input: Dataset::DragonsJson.input(),
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
    let outputs = Outputs::new();
    let tab = RwSignal::new(Tab::Table);
    let current = StoredValue::new(0.0f64);
    let startup_error = RwSignal::new(None::<String>);
    let choice = S3Choice::new();
    // The local engine's run that checks S3 Select's answer, and what it output.
    let compare_id = StoredValue::new(0.0f64);
    let compare_copy = StoredValue::new(CappedText::default());
    // The settings detected in the opened file, the detection awaited, and a run asked for meanwhile.
    let detected = RwSignal::new(None::<crate::net::engine::Detected>);
    let detect_id = StoredValue::new(-1.0f64);
    // The data's shape for its panel, the sample awaited, and a live object's first bytes.
    let shape = RwSignal::new(None::<Shape>);
    // The dialect's functions, documented by the engine, for the editor's line of help.
    let functions = RwSignal::new(Vec::<FunctionDoc>::new());
    let shape_id = StoredValue::new(-1.0f64);
    let object_start = StoredValue::new_local(None::<web_sys::File>);
    let run_after_detect = RwSignal::new(false);
    let history = RwSignal::new(crate::ui::history::load());
    // The page's own first run (the default or linked query) is not one the learner ran.
    let record_runs = StoredValue::new(false);
    let athena = Athena::new();

    // Keep the SQL text and the view in step, and the view in the URL.
    effect(move |_| {
        let s = sql.get();
        view.update(|v| v.sql = s);
    });
    effect(move |_| page::replace_hash(&view.with(View::to_fragment)));

    let on_event = move |event: FromEngine| {
        let is_current = |id: f64| id == current.get_value();
        let is_compare = |id: f64| id == compare_id.get_value();
        match event {
            FromEngine::Ready { functions: docs } => {
                functions.set(docs);
                engine_ready.set(true)
            }
            FromEngine::Output { id, raw, .. } if is_compare(id) => {
                compare_copy.update_value(|c| c.push(&raw));
            }
            FromEngine::Done { id, .. } if is_compare(id) => {
                let output = view.with_untracked(|v| v.output.clone());
                let note = outputs.raw_copy.with_value(|s3| {
                    let s3 = s3.as_ref().and_then(CappedText::text);
                    compare_copy.with_value(|local| compare_note(s3, local.text(), &output))
                });
                outputs.note.set(Some(note));
            }
            FromEngine::Error { id, error } if is_compare(id) => {
                outputs.note.set(Some(crate::state::run::Note {
                    id: "compare-note",
                    kind: "warn",
                    text: format!(
                        "The local engine refused the query: {}: {}",
                        error.code, error.message
                    ),
                }));
            }
            FromEngine::Started { id, total } if is_current(id) => {
                run_state.update(|s| {
                    if let RunState::Running { total: t, .. } = s {
                        *t = total;
                    }
                });
            }
            FromEngine::Output {
                id,
                raw,
                table: rows,
            } if is_current(id) => {
                // The engine posts whole records of its JSON table run.
                let records = RecordSplitter::json_lines().push(&rows);
                outputs.table.update(|t| {
                    for r in records.iter().take(TABLE_ROWS.saturating_sub(t.rows.len())) {
                        t.push_json(r);
                    }
                });
                outputs.push_raw(raw);
            }
            FromEngine::Progress {
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
                    live: false,
                });
            }
            FromEngine::Done { id, stats: s } if is_current(id) => {
                outputs.stats.set(Some(s));
                run_state.set(RunState::Done);
            }
            FromEngine::Error { id, error } if is_current(id) => {
                let sql_now = sql.get_untracked();
                run_state.set(RunState::Failed {
                    error,
                    sql: sql_now,
                });
            }
            FromEngine::Cancelled { id } if is_current(id) => run_state.set(RunState::Cancelled),
            FromEngine::Shaped { id, shape: s } if id == shape_id.get_value() => shape.set(Some(s)),
            FromEngine::Athena { id, translation } => crate::lazy::run(
                crate::lazy::athena_translated(athena, live, id, translation),
            ),
            FromEngine::Detected { id, detection } if id == detect_id.get_value() => {
                detect_id.set_value(-1.0);
                // Bundled data chosen meanwhile keeps its own settings.
                if view.with_untracked(|v| matches!(v.dataset, Dataset::File | Dataset::S3)) {
                    if let Some(input) = detection.input.clone() {
                        view.update(|v| v.input = input);
                    }
                    detected.set(Some(detection));
                }
            }
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

    // The local engine on a downloaded object: the answer itself, or a check of S3's.
    let local = Callback::new(move |(source, purpose): (Source, LocalPurpose)| {
        let Some(client) = engine.get_value() else {
            return;
        };
        let v = view.get_untracked();
        let (input, output) = (v.input.to_json(), v.output.to_json());
        let id = client.run(&v.sql, &input, &output, source);
        match purpose {
            LocalPurpose::Fallback => {
                current.set_value(id);
                run_state.set(RunState::started(id, false));
            }
            LocalPurpose::Compare => {
                compare_copy.set_value(Default::default());
                compare_id.set_value(id);
            }
        }
    });

    let cancel_running = move || match (engine.get_value(), run_state.get_untracked()) {
        (_, RunState::Running { id, .. }) if id < 0.0 => {
            run_after_detect.set(false);
            run_state.set(RunState::Cancelled);
        }
        (_, RunState::Running { id, live: true, .. }) => {
            crate::lazy::run(crate::lazy::cancel(live, id as u64))
        }
        (Some(client), RunState::Running { id, .. }) => client.cancel(id),
        _ => {}
    };
    let run = Callback::new(move |()| {
        cancel_running();
        // The editor's text, not the view's copy (that is synced by an effect, which may not have run).
        let mut v = view.get_untracked();
        v.sql = sql.get_untracked();
        if record_runs.get_value() {
            crate::ui::history::record(history, v.dataset.id(), &v.sql);
        }
        record_runs.set_value(true);
        outputs.clear();
        current.set_value(-1.0);
        compare_id.set_value(-1.0);
        if matches!(v.dataset, Dataset::File | Dataset::S3) && detect_id.get_value() >= 0.0 {
            // The settings read from the content are on their way: run with them.
            run_after_detect.set(true);
            run_state.set(RunState::started(-1.0, false));
            return;
        }
        if v.dataset == Dataset::S3 {
            let select = LiveSelect {
                live,
                choice,
                outputs,
                run_state,
                local,
            };
            crate::lazy::run(crate::lazy::live_select(select, v));
            return;
        }
        let Some(client) = engine.get_value() else {
            return;
        };
        let source = match (v.dataset.url(), file.get_value()) {
            (Some(url), _) => Source::Url(url.to_string()),
            (None, Some(f)) => Source::File(f),
            (None, None) => return,
        };
        let id = client.run(&v.sql, &v.input.to_json(), &v.output.to_json(), source);
        current.set_value(id);
        run_state.set(RunState::started(id, false));
    });
    let cancel = move |_| cancel_running();
    // The editor's query in Athena's words, over the class's table for the data's format.
    let to_athena = Callback::new(move |then_run: bool| {
        let (Some(client), Some(site)) = (engine.get_value(), live.site()) else {
            return;
        };
        let (query, input) = (
            sql.get_untracked(),
            view.with_untracked(|v| v.input.clone()),
        );
        let table = if input.format == crate::model::Format::Csv {
            site.athena_csv_table
        } else {
            site.athena_json_table
        };
        spawn_local(async move {
            // A query under way is stopped first: the panel follows one run at a time.
            if crate::lazy::athena_cancel(athena, live).await.is_err() {
                return;
            }
            let id = client.to_athena(&query, &table, &input.to_json());
            athena.from_sql.set(query);
            athena
                .progress
                .set(AthenaProgress::Translating { id, then_run });
        });
    });
    // Settings from the file's name at once, then from its content when the engine answers.
    let on_file = Callback::new(move |f: web_sys::File| {
        let name = f.name();
        detected.set(None);
        if let Some(client) = engine.get_value() {
            detect_id.set_value(client.detect(f.clone(), None));
        }
        file.set_value(Some(f));
        shape.set(None);
        file_name.set(Some(name.clone()));
        view.update(|v| {
            v.dataset = Dataset::File;
            v.input = settings_for_file(&name);
        });
    });
    // An S3 object's first bytes (its whole size beside them): its settings from its content.
    let on_object_start = Callback::new(move |(f, size): (web_sys::File, Option<f64>)| {
        detected.set(None);
        object_start.set_value(Some(f.clone()));
        shape.set(None);
        if let Some(client) = engine.get_value() {
            detect_id.set_value(client.detect(f, size));
        }
    });
    // The shape is sampled from what a run reads: the bundled data, the file, or the first bytes
    // of the live object.
    let sample = Callback::new(move |()| {
        let Some(client) = engine.get_value() else {
            return;
        };
        let v = view.get_untracked();
        let source = match (v.dataset, v.dataset.url()) {
            (_, Some(url)) => file_source(Some(url), None),
            (Dataset::File, None) => file_source(None, file.get_value()),
            (_, None) => file_source(None, object_start.get_value()),
        };
        let Some(source) = source else {
            shape.set(None);
            return;
        };
        shape_id.set_value(client.shape(&sql.get_untracked(), &v.input.to_json(), source));
    });
    effect(move |_| {
        if detected.with(Option::is_some) && run_after_detect.get_untracked() {
            run_after_detect.set(false);
            run.run(());
        }
    });
    let on_pick = Callback::new(move |ex: &'static Example| {
        sql.set(ex.sql.to_string());
        view.update(|v| {
            // A live object stays the source: the examples' data is the same dragons.
            if v.dataset != Dataset::S3 {
                v.dataset = ex.dataset;
            }
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
        outputs.raw_whole.update_value(|w| {
            if let Some(blob) = w.blob(mime) {
                page::download(name, &blob);
            }
        });
    });
    // A file dropped anywhere on the page is opened (whatever section is showing).
    let _ = window_event_listener(leptos::ev::dragover, |e| e.prevent_default());
    let _ = window_event_listener(leptos::ev::drop, move |e| {
        e.prevent_default();
        if let Some(f) = e
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|l| l.get(0))
        {
            on_file.run(f);
        }
    });

    // Run the default (or linked) query once the page is up, unless it needs a file.
    if linked_file {
        record_runs.set_value(true);
        outputs.note.set(Some(crate::state::run::Note {
            id: "link-file-note",
            kind: "warn",
            text: "This link's query ran on a local file, which a link never carries. Open your own file (or drop it here) to run it.".into(),
        }));
    } else {
        run.run(());
    }

    // One shape of view for every state (each shape costs the page's wasm its own code).
    let status = move || {
        let (class, label, progress) = match run_state.get() {
            RunState::Idle => ("", "Ready.".to_string(), None),
            RunState::Running {
                read,
                total,
                records,
                live: from_s3,
                ..
            } => {
                let label = if from_s3 {
                    format!("S3 Select: streaming… {} records", count(records))
                } else if engine_ready.get() {
                    format!("Running… {} records", count(records))
                } else {
                    "Starting the engine…".to_string()
                };
                let pct = if total > 0.0 {
                    (read / total * 100.0).min(100.0)
                } else {
                    0.0
                };
                ("running", label, Some((!from_s3).then(|| one_decimal(pct))))
            }
            RunState::Done => ("", "Done.".to_string(), None),
            RunState::Cancelled => ("", "Cancelled.".to_string(), None),
            RunState::Failed { .. } => ("failed", "Error.".to_string(), None),
        };
        let running = progress.is_some();
        let bar = progress
            .flatten()
            .map(|pct| view! { <progress id="progress" max="100" value=pct></progress> });
        view! {
            <span id="status" class=class>{label}</span>
            {bar}
            {running.then(|| view! { <button class="secondary" id="cancel" on:click=handler(cancel)>"Cancel"</button> })}
        }
    };
    let error = move || match run_state.get() {
        RunState::Failed { error, sql } => Some(view! { <ErrorView error=error sql=sql/> }),
        _ => None,
    };
    let note = move || {
        outputs.note.get().map(|n| {
            view! { <p class=format!("note {}", n.kind) id=n.id role="status">{n.text}</p> }
        })
    };

    // Athena, when connected to a class whose config.json names its workgroup.
    let has_athena = move || {
        live.is_connected()
            && live.site().is_some_and(|s| {
                ![
                    &s.athena_workgroup,
                    &s.athena_database,
                    &s.athena_json_table,
                ]
                .iter()
                .any(|v| v.is_empty())
            })
    };

    view! {
        <div class="playground">
            {move || startup_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <aside class="side">
                <DataControls view=view file_name=file_name on_file=on_file>
                    <S3Source live=live view=view choice=choice on_object_start=on_object_start/>
                </DataControls>
                <SerializationControls view=view detected=detected/>
                {move || {
                    let showing = view.with(|v| matches!(v.dataset, Dataset::File | Dataset::S3));
                    detected.get().filter(|_| showing).map(|d| view! { <DetectionPanel detected=d/> })
                }}
                <ShapePanel view=view sql=sql shape=shape on_sample=sample/>
                <HistoryPanel view=view sql=sql history=history/>
                <ExamplesList on_pick=on_pick/>
            </aside>
            <main class="main">
                <section class="panel query">
                    <div class="query-bar">
                        <h2>"SQL"</h2>
                        <span class="hint">"Ctrl/⌘ + Enter runs"</span>
                        <button id="run" class="primary" on:click=handler(move |_| run.run(()))>"Run"</button>
                        {move || has_athena().then(|| view! {
                            <button id="run-athena" class="secondary" disabled=move || athena.busy() on:click=handler(move |_| {
                                to_athena.run(true);
                                // The panel is below the results: bring it into view.
                                if let Some(panel) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("athena")) {
                                    panel.scroll_into_view();
                                }
                            })>"Run on Athena"</button>
                        })}
                    </div>
                    <SqlEditor sql=sql on_run=run functions=functions shape=shape on_sample=sample/>
                    <div class="status-bar">{status}</div>
                    {error}
                    {note}
                </section>
                <Results table=outputs.table raw_preview=outputs.raw_preview raw_truncated=outputs.raw_truncated stats=outputs.stats tab=tab table_limit=TABLE_ROWS on_download=on_download/>
                {move || has_athena().then(|| crate::lazy::later(|| true, move || crate::lazy::athena(live, athena, to_athena)))}
            </main>
        </div>
    }
}

/// What a run or a sample reads: a path of the site, else a File.
fn file_source(url: Option<&str>, file: Option<web_sys::File>) -> Option<Source> {
    match (url, file) {
        (Some(url), _) => Some(Source::Url(url.to_string())),
        (None, Some(f)) => Some(Source::File(f)),
        (None, None) => None,
    }
}
