//! The SQL editor: a textarea with line numbers; Ctrl/Cmd+Enter runs the query.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

#[component]
pub fn SqlEditor(sql: RwSignal<String>, on_run: Callback<()>) -> impl IntoView {
    let gutter = NodeRef::<html::Pre>::new();
    let numbers = move || {
        let n = sql.with(|s| s.split('\n').count());
        (1..=n).map(|i| format!("{i}\n")).collect::<String>()
    };
    let on_keydown = move |e: ev::KeyboardEvent| {
        if (e.ctrl_key() || e.meta_key()) && e.key() == "Enter" {
            e.prevent_default();
            on_run.run(());
        }
    };
    let on_scroll = move |e: ev::Event| {
        let area: web_sys::HtmlTextAreaElement = event_target(&e);
        if let Some(g) = gutter.get() {
            g.set_scroll_top(area.scroll_top());
        }
    };
    view! {
        <div class="editor">
            <pre class="gutter" node_ref=gutter aria-hidden="true">{numbers}</pre>
            <textarea
                id="sql"
                aria-label="SQL expression"
                spellcheck="false"
                autocomplete="off"
                prop:value=move || sql.get()
                on:input=move |e| sql.set(event_target_value(&e))
                on:keydown=on_keydown
                on:scroll=on_scroll
            ></textarea>
        </div>
    }
}
