//! A tab button: selected when `current` holds `value`, selects it when clicked.

use crate::ui::event::handler;
use leptos::prelude::*;

pub fn tab<T: Copy + PartialEq + Send + Sync + 'static>(
    current: RwSignal<T>,
    value: T,
    label: &'static str,
    id: &'static str,
) -> impl IntoView {
    view! {
        <button
            type="button"
            id=id
            role="tab"
            class=move || if current.get() == value { "tab active" } else { "tab" }
            aria-selected=move || (current.get() == value).to_string()
            on:click=handler(move |_| current.set(value))
        >{label}</button>
    }
}
