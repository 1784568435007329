//! The Athena panel: the S3 Select query beside its Athena (Trino) translation, which the
//! learner may edit, run in the class's workgroup: its state while it runs, what it scanned and
//! cost, Athena's error, its rows.

use super::format::{bytes, count};
use crate::state::athena::{Athena, Progress, SHOWN_ROWS};
use crate::state::live::Live;
use crate::ui::event::handler;
use leptos::prelude::*;
use wyvern_protocol::live::cost_usd;

/// "USD 0.000050": integer formatting (the page has no float formatting).
fn usd(scanned: f64) -> String {
    let micro = (cost_usd(scanned.max(0.0) as u64) * 1e6).round() as u64;
    format!("USD {}.{:06}", micro / 1_000_000, micro % 1_000_000)
}

#[component]
pub fn AthenaPanel(
    live: Live,
    athena: Athena,
    /// Translates the editor's query (then runs it, if true).
    on_translate: Callback<bool>,
) -> impl IntoView {
    let where_ = move || {
        live.site()
            .map(|s| {
                format!(
                    "workgroup {} · database {}",
                    s.athena_workgroup, s.athena_database
                )
            })
            .unwrap_or_default()
    };
    let running = move || matches!(athena.progress.get(), Progress::Running { .. });
    let busy = move || athena.busy();
    let status = move || match athena.progress.get() {
        Progress::Idle => String::new(),
        Progress::Translating { .. } => "Translating…".into(),
        Progress::Running { state, scanned, .. } => format!(
            "{state}…{}",
            scanned
                .map(|b| format!(" scanned {}", bytes(b)))
                .unwrap_or_default()
        ),
        Progress::Done {
            scanned,
            engine_ms,
            more,
        } => {
            let scanned = scanned.unwrap_or(0.0);
            let rows = athena.total_rows.get();
            format!(
                "SUCCEEDED: {} rows{} · {} ms on Athena · scanned {} · about {} (Athena bills at least 10 MB a query)",
                count(rows as f64),
                if more { " (more in the result file)" } else { "" },
                count(engine_ms.unwrap_or(0.0)),
                bytes(scanned),
                usd(scanned)
            )
        }
        Progress::Failed(_) => "FAILED".into(),
        Progress::Stopping { .. } => "Stopping the query on Athena…".into(),
        Progress::Cancelled => "CANCELLED (stopped on Athena too)".into(),
    };
    let error = move || match athena.progress.get() {
        Progress::Failed(e) => Some(view! {
            <div class="error" role="alert" id="athena-error">
                <div class="error-head"><span class="error-code">{e.code}</span></div>
                <p class="error-message">{e.message}</p>
            </div>
        }),
        _ => None,
    };
    let untranslated = move || {
        athena.untranslated.get().map(|e| {
            view! { <p class="note warn" id="athena-untranslated">{format!("{}: {}", e.code, e.message)}</p> }
        })
    };
    let shown_note = move || {
        let total = athena.total_rows.get();
        (total > SHOWN_ROWS).then(|| {
            view! { <p class="hint">{format!("The first {SHOWN_ROWS} of {} rows.", count(total as f64))}</p> }
        })
    };
    view! {
        <section class="panel athena" id="athena">
            <div class="query-bar">
                <h2>"Athena"</h2>
                <span class="hint">{where_}</span>
                <button class="secondary" id="athena-translate" disabled=busy on:click=handler(move |_| on_translate.run(false))>"Translate the query"</button>
                <button class="primary" id="athena-run" disabled=busy on:click=handler(move |_| athena.run(live))>"Run on Athena"</button>
            </div>
            <p class="hint">"Athena (AWS's SQL engine, Trino) asks the same question of a table of the object's records. Edit its SQL freely; the notes say where the two dialects differ."</p>
            <div class="athena-sides">
                <div>
                    <h3>"S3 Select"</h3>
                    <pre class="mono" id="athena-from">{move || athena.from_sql.get()}</pre>
                </div>
                <div>
                    <h3>"Athena"</h3>
                    <textarea id="athena-sql" class="mono" spellcheck="false" aria-label="Athena SQL"
                        prop:value=move || athena.sql.get()
                        on:input=handler(move |e| athena.sql.set(event_target_value(&e)))></textarea>
                </div>
            </div>
            {untranslated}
            <ul class="athena-notes" id="athena-notes">
                {move || athena.notes.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
            </ul>
            <div class="status-bar">
                <span id="athena-status">{status}</span>
                {move || running().then(|| view! { <button class="secondary" id="athena-cancel" on:click=handler(move |_| athena.cancel(live))>"Cancel"</button> })}
            </div>
            {error}
            {shown_note}
            <div class="table-wrap">
                <table id="athena-table">
                    <thead><tr>{move || athena.columns.get().into_iter().map(|c| view! { <th>{c}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {move || athena.rows.get().into_iter().map(|row| view! {
                            <tr>{row.into_iter().map(|v| match v {
                                Some(v) => view! { <td>{v}</td> }.into_any(),
                                None => view! { <td class="null">"NULL"</td> }.into_any(),
                            }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
