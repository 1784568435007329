//! The example queries; choosing one loads its SQL and dataset.

use crate::model::examples::{Example, EXAMPLES};
use crate::ui::event::handler;
use leptos::prelude::*;

#[component]
pub fn ExamplesList(on_pick: Callback<&'static Example>) -> impl IntoView {
    view! {
        <details class="panel examples" open>
            <summary>"Examples"</summary>
            <ul id="examples">
                {EXAMPLES
                    .iter()
                    .map(|ex| {
                        view! {
                            <li>
                                <button class="link" title=ex.sql on:click=handler(move |_| on_pick.run(ex))>
                                    {ex.title}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </details>
    }
}
