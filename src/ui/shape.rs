//! The data's shape: the fields and paths the query's FROM clause yields in a sample of the
//! current data, with the types seen and MISSING / NULL counts; a click puts a path into the
//! editor at the cursor. Sampled by the engine worker when the panel is open.

use crate::effect::effect;
use crate::model::View;
use crate::net::engine::Shape;
use crate::ui::editor::editor_area;
use crate::ui::event::handler;
use leptos::prelude::*;

/// Inserts `text` at the editor's cursor (replacing a selection) and keeps the editor's text.
fn insert_at_cursor(sql: RwSignal<String>, text: &str) {
    let Some(area) = editor_area() else {
        return;
    };
    let _ = area.set_range_text_with_start_and_end_and_mode(
        text,
        area.selection_start().ok().flatten().unwrap_or(0),
        area.selection_end().ok().flatten().unwrap_or(0),
        "end",
    );
    sql.set(area.value());
    let _ = area.focus();
}

#[component]
pub fn ShapePanel(
    view: RwSignal<View>,
    sql: RwSignal<String>,
    shape: RwSignal<Option<Shape>>,
    /// Asks the engine for the shape (the panel was opened, or the data changed).
    on_sample: Callback<()>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    // Other data, or other settings (not each keystroke in the editor): the shape is stale
    // (the editor's completion reads it too); sample again while the panel is open.
    effect(move |was: Option<_>| {
        let now = view.with(|v| (v.dataset, v.input.to_json()));
        if was.is_some_and(|w| w != now) {
            shape.set(None);
            if open.get_untracked() {
                on_sample.run(());
            }
        }
        now
    });
    let body = move || {
        shape.get().map(|s| {
            let rows = s
                .paths
                .into_iter()
                .map(|p| {
                    let path = p.path.clone();
                    view! {
                        <li>
                            <button class="link mono shape-path" title="Put it into the editor" on:click=handler(move |_| insert_at_cursor(sql, &path))>{p.path}</button>
                            <span class="hint">{p.types}</span>
                            <span class="hint shape-absent">{p.absent}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <p class="hint" id="shape-note">{s.note}</p>
                <ul class="shape-list" id="shape-list">{rows}</ul>
            }
        })
    };
    view! {
        <details class="panel shape" id="shape" on:toggle=handler(move |e| {
            let now = event_target::<web_sys::HtmlDetailsElement>(&e).open();
            open.set(now);
            if now {
                on_sample.run(());
            }
        })>
            <summary>"Data shape"</summary>
            <p class="hint">"The fields your FROM clause reads, from the first records: click one to put it into the query."</p>
            {body}
            <button class="secondary" id="shape-refresh" class:hidden=move || !open.get() on:click=handler(move |_| on_sample.run(()))>"Sample again"</button>
        </details>
    }
}
