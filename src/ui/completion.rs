//! Completion in the SQL editor (Ctrl+Space, and as a path is typed after a `.`): the dialect's
//! words, its functions with their usage and the data's paths, from `wyvern_lexer::complete`, in
//! a list under the editor. Arrows choose, Enter or Tab takes, Escape closes; the textarea keeps
//! the focus throughout.

use crate::effect::effect;
use crate::net::engine::FunctionDoc;
use crate::ui::editor::editor_area;
use crate::ui::event::handler;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wyvern_lexer::calls::byte_offset;
use wyvern_lexer::complete::{complete, Completion, Kind};

/// UTF-16 units in `text` (a textarea counts positions so).
fn utf16_len(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

#[derive(Clone, Copy)]
pub struct Completer {
    list: RwSignal<Option<Completion>>,
    chosen: RwSignal<usize>,
}

impl Completer {
    pub fn new() -> Completer {
        Completer {
            list: RwSignal::new(None),
            chosen: RwSignal::new(0),
        }
    }

    pub fn close(&self) {
        self.list.set(None);
    }

    pub fn is_open(&self) -> bool {
        self.list.with_untracked(Option::is_some)
    }

    /// Proposes what fits at the editor's cursor; closes when nothing does.
    pub fn propose(&self, sql: &str, paths: &[&str], functions: &[&str]) {
        let Some(area) = editor_area() else { return };
        let at = area.selection_start().ok().flatten().unwrap_or(0) as usize;
        let found = complete(sql, byte_offset(sql, at), paths, functions);
        self.chosen.set(0);
        self.list.set((!found.items.is_empty()).then_some(found));
    }

    /// Takes item `i`: it replaces the word before the cursor; a function is written as its
    /// call, with the cursor between the parentheses.
    fn take(&self, sql: RwSignal<String>, i: usize) {
        let (Some(area), Some(c)) = (editor_area(), self.list.get_untracked()) else {
            return;
        };
        let Some(item) = c.items.get(i) else { return };
        let start = sql.with_untracked(|s| utf16_len(s.get(..c.start).unwrap_or_default()));
        let end = area.selection_start().ok().flatten().unwrap_or(start);
        let call = item.kind == Kind::Function;
        let text = if call {
            format!("{}()", item.text)
        } else {
            item.text.clone()
        };
        let _ = area.set_range_text_with_start_and_end_and_mode(&text, start, end, "end");
        if call {
            let inside = start + utf16_len(&item.text) + 1;
            let _ = area.set_selection_range(inside, inside);
        }
        sql.set(area.value());
        self.close();
        let _ = area.focus();
    }

    /// A key while the list is open: true when it was the list's (the editor ignores it).
    pub fn key(&self, key: &str, sql: RwSignal<String>) -> bool {
        let Some(count) = self
            .list
            .with_untracked(|l| l.as_ref().map(|c| c.items.len()))
        else {
            return false;
        };
        match key {
            "ArrowDown" => self.chosen.update(|i| *i = (*i + 1) % count),
            "ArrowUp" => self.chosen.update(|i| *i = (*i + count - 1) % count),
            "Enter" | "Tab" => self.take(sql, self.chosen.get_untracked()),
            "Escape" => self.close(),
            _ => return false,
        }
        true
    }
}

/// A `<span>` with a class and its text (never markup).
fn span(doc: &web_sys::Document, class: &str, text: &str) -> Option<web_sys::Element> {
    let span = doc.create_element("span").ok()?;
    span.set_class_name(class);
    span.set_text_content(Some(text));
    Some(span)
}

/// The list under the editor, drawn with DOM calls (a few short items, redrawn as they change:
/// lighter in the page's wasm than a templated list). Its items are not focusable: the keys that
/// move through it go to the textarea, which points at the chosen one with
/// `aria-activedescendant`.
#[component]
pub fn CompletionList(
    completer: Completer,
    sql: RwSignal<String>,
    functions: RwSignal<Vec<FunctionDoc>>,
) -> impl IntoView {
    effect(move |_| {
        let chosen = completer.chosen.get();
        let open = completer.list.with(Option::is_some);
        // Found by id rather than a NodeRef: effects run once the view is in the page.
        let Some(ul) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("completions"))
        else {
            return;
        };
        ul.set_text_content(None);
        // Shown while it has items; the textarea points at the chosen one.
        let _ = ul.class_list().toggle_with_force("hidden", !open);
        if let Some(area) = editor_area() {
            let _ = match open {
                true => {
                    area.set_attribute("aria-activedescendant", &format!("completion-{chosen}"))
                }
                false => area.remove_attribute("aria-activedescendant"),
            };
        }
        let Some(doc) = ul.owner_document() else {
            return;
        };
        completer.list.with(|c| {
            for (i, item) in c.iter().flat_map(|c| c.items.iter()).enumerate() {
                // A function shows how it is called.
                let usage = functions.with_untracked(|all| {
                    all.iter()
                        .find(|f| item.kind == Kind::Function && f.name == item.text)
                        .map_or(String::new(), |f| f.usage.clone())
                });
                let Ok(li) = doc.create_element("li") else {
                    return;
                };
                li.set_id(&format!("completion-{i}"));
                let _ = li.set_attribute("role", "option");
                let _ =
                    li.set_attribute("aria-selected", if i == chosen { "true" } else { "false" });
                for part in [
                    span(&doc, "completion-word", &item.text),
                    span(&doc, "hint", &usage),
                ]
                .into_iter()
                .flatten()
                {
                    let _ = li.append_child(&part);
                }
                let _ = ul.append_child(&li);
            }
        });
    });
    // A click takes the item under it; the textarea keeps the focus.
    let on_mousedown = move |e: ev::MouseEvent| {
        e.prevent_default();
        let item = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("li").ok().flatten())
            .and_then(|li| li.id().strip_prefix("completion-")?.parse().ok());
        if let Some(i) = item {
            completer.take(sql, i);
        }
    };
    view! {
        <ul class="completions hidden" id="completions" role="listbox" aria-label="Completions"
            on:mousedown=handler(on_mousedown)></ul>
    }
}
