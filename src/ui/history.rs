//! The queries run on the current dataset, newest first, kept in this browser: search them,
//! restore one with a click, clear them all.

use crate::model::history::History;
use crate::model::View;
use crate::ui::event::handler;
use leptos::prelude::*;

/// Where the browser keeps the history.
pub const STORAGE_KEY: &str = "wyvern-history";

/// The history kept in this browser.
pub fn load() -> History {
    crate::net::page::stored(STORAGE_KEY)
        .map(|t| History::from_text(&t))
        .unwrap_or_default()
}

/// Records a run and keeps the history.
pub fn record(history: RwSignal<History>, dataset: &str, sql: &str) {
    history.update(|h| h.record(dataset, sql));
    history.with_untracked(|h| crate::net::page::store(STORAGE_KEY, Some(&h.to_text())));
}

/// The first line of a query, cut short, for the list.
fn headline(sql: &str) -> String {
    let first = sql.lines().next().unwrap_or_default();
    let cut: String = first.chars().take(60).collect();
    if cut.len() < sql.trim_end().len() {
        format!("{cut} …")
    } else {
        cut
    }
}

#[component]
pub fn HistoryPanel(
    view: RwSignal<View>,
    sql: RwSignal<String>,
    history: RwSignal<History>,
) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let items = move || {
        let dataset = view.with(|v| v.dataset.id());
        history.with(|h| {
            search.with(|s| {
                h.matching(dataset, s)
                    .into_iter()
                    .map(|e| {
                        let text = e.sql.clone();
                        let title = e.sql.clone();
                        view! {
                            <li>
                                <button class="link history-item" title=title on:click=handler(move |_| sql.set(text.clone()))>
                                    {headline(&e.sql)}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let clear = move |_| {
        history.set(History::default());
        crate::net::page::store(STORAGE_KEY, None);
    };
    view! {
        <details class="panel history" id="history" open>
            <summary>"History"</summary>
            <input
                type="search"
                id="history-search"
                aria-label="Search your queries"
                placeholder="Search your queries"
                prop:value=move || search.get()
                on:input=handler(move |e| search.set(event_target_value(&e)))
            />
            <ul class="history-list" id="history-list">{items}</ul>
            <p class="hint">"The queries you run on this dataset, kept in this browser only."</p>
            <button class="secondary" id="history-clear" on:click=handler(clear)>"Clear history"</button>
        </details>
    }
}
