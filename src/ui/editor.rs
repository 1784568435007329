//! The SQL editor: a textarea with line numbers and highlighting; Ctrl/Cmd+Enter runs the query.
//!
//! The highlighting is a coloured copy of the text under the textarea (whose own text is
//! transparent), drawn with DOM calls from the engine's tokenizer: the textarea keeps native
//! editing, undo, IME and accessibility.

use crate::effect::effect;
use crate::net::engine::{FunctionDoc, Shape};
use crate::ui::completion::{Completer, CompletionList};
use crate::ui::event::handler;
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wyvern_lexer::calls::{byte_offset, call_at};
use wyvern_lexer::from::from_clause;
use wyvern_lexer::highlight::pieces;

/// The editor's textarea (one per page), for what changes its text from outside.
pub fn editor_area() -> Option<web_sys::HtmlTextAreaElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id("sql")?
        .dyn_into()
        .ok()
}

/// Longer text is shown without colours: repainting it on every key would be slow.
const MAX_HIGHLIGHTED_BYTES: usize = 64 * 1024;

/// Replaces `pre`'s content with `sql` in coloured runs (text nodes, never markup).
fn paint(pre: &web_sys::HtmlPreElement, sql: &str) {
    let Some(doc) = pre.owner_document() else {
        return;
    };
    pre.set_text_content(None);
    if sql.len() > MAX_HIGHLIGHTED_BYTES {
        pre.set_text_content(Some(sql));
        return;
    }
    for piece in pieces(sql) {
        let node: web_sys::Node = if piece.class.is_empty() {
            doc.create_text_node(piece.text).into()
        } else {
            let Ok(span) = doc.create_element("span") else {
                continue;
            };
            span.set_class_name(piece.class);
            span.set_text_content(Some(piece.text));
            span.into()
        };
        let _ = pre.append_child(&node);
    }
    // A final line break needs a line after it, as the textarea shows one.
    let _ = pre.append_child(&doc.create_text_node("\n"));
}

#[component]
pub fn SqlEditor(
    sql: RwSignal<String>,
    on_run: Callback<()>,
    /// The dialect's functions: the one the cursor is in is explained under the editor.
    functions: RwSignal<Vec<FunctionDoc>>,
    /// The data's shape: its paths are completed.
    shape: RwSignal<Option<Shape>>,
    /// Asks for the data's shape (when completion wants paths and there are none yet).
    on_sample: Callback<()>,
) -> impl IntoView {
    let completer = Completer::new();
    // The FROM clause whose paths were last asked for, and whether they are still awaited (the
    // list is proposed again when they come).
    // ("" for a query with no FROM clause yet; a signal only read untracked.)
    let asked_from = RwSignal::new(None::<String>);
    let waiting = StoredValue::new(false);
    let propose = move || {
        let from = sql.with_untracked(|s| from_clause(s)).unwrap_or_default();
        let other_from = asked_from.with_untracked(|a| a.as_deref() != Some(from.as_str()));
        if !waiting.get_value() && (other_from || shape.with_untracked(Option::is_none)) {
            asked_from.set(Some(from));
            waiting.set_value(true);
            on_sample.run(());
        }
        functions.with_untracked(|f| {
            let names: Vec<&str> = f.iter().map(|f| f.name.as_str()).collect();
            shape.with_untracked(|shape| {
                let paths: Vec<&str> = shape
                    .iter()
                    .flat_map(|s| s.paths.iter().map(|p| p.path.as_str()))
                    .collect();
                sql.with_untracked(|s| completer.propose(s, &paths, &names))
            })
        });
    };
    // The cursor, as a byte offset of the text.
    let cursor = RwSignal::new(0usize);
    let track_cursor = move |e: ev::Event| {
        let area: web_sys::HtmlTextAreaElement = event_target(&e);
        let at = area.selection_start().ok().flatten().unwrap_or(0) as usize;
        cursor.set(sql.with_untracked(|s| byte_offset(s, at)));
    };
    let help = move || {
        let name = sql.with(|s| call_at(s, cursor.get()).map(str::to_ascii_uppercase))?;
        functions.with(|all| {
            all.iter().find(|f| f.name == name).map(|f| {
                format!(
                    "{} — {} Example: {} → {}",
                    f.usage, f.about, f.example, f.answer
                )
            })
        })
    };
    let gutter = NodeRef::<html::Pre>::new();
    let colours = NodeRef::<html::Pre>::new();
    let numbers = move || {
        let n = sql.with(|s| s.split('\n').count());
        (1..=n).map(|i| format!("{i}\n")).collect::<String>()
    };
    effect(move |_| {
        let text = sql.get();
        if let Some(pre) = colours.get() {
            paint(&pre, &text);
        }
    });
    let on_keydown = move |e: ev::KeyboardEvent| {
        if completer.key(&e.key(), sql) {
            e.prevent_default();
        } else if e.ctrl_key() && e.code() == "Space" {
            e.prevent_default();
            propose();
        } else if (e.ctrl_key() || e.meta_key()) && e.key() == "Enter" {
            e.prevent_default();
            on_run.run(());
        }
    };
    // A new shape (the one asked for, or one the data-shape panel asked for): propose again.
    effect(move |_| {
        let some = shape.with(|s| s.as_ref().is_some_and(|s| !s.paths.is_empty()));
        if waiting.get_value() {
            waiting.set_value(false);
            if some {
                propose();
            }
        }
    });
    // Typing a `.`, or more of a word while the list is open, proposes again.
    let on_input = move |e: ev::Event| {
        sql.set(event_target_value(&e));
        let typed = e.dyn_ref::<web_sys::InputEvent>().and_then(|i| i.data());
        if typed.as_deref() == Some(".") || completer.is_open() {
            propose();
        }
    };
    let on_scroll = move |e: ev::Event| {
        let area: web_sys::HtmlTextAreaElement = event_target(&e);
        if let Some(g) = gutter.get() {
            g.set_scroll_top(area.scroll_top());
        }
        if let Some(c) = colours.get() {
            c.set_scroll_top(area.scroll_top());
            c.set_scroll_left(area.scroll_left());
        }
    };
    view! {
        <div class="editor">
            <pre class="gutter" node_ref=gutter aria-hidden="true">{numbers}</pre>
            <div class="code">
                <pre class="highlight" id="sql-highlight" node_ref=colours aria-hidden="true"></pre>
                <textarea
                    id="sql"
                    aria-label="SQL expression"
                    spellcheck="false"
                    autocomplete="off"
                    aria-autocomplete="list"
                    aria-controls="completions"
                    prop:value=move || sql.get()
                    on:input=handler(on_input)
                    on:blur=handler(move |_| completer.close())
                    on:keydown=handler(on_keydown)
                    on:keyup=handler(move |e: ev::KeyboardEvent| track_cursor(e.into()))
                    on:click=handler(move |e: ev::MouseEvent| track_cursor(e.into()))
                    on:scroll=handler(on_scroll)
                ></textarea>
            </div>
        </div>
        <CompletionList completer=completer sql=sql functions=functions/>
        <p class="hint fn-doc" id="fn-doc" aria-live="polite">{help}</p>
    }
}
