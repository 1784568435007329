//! Live mode's panels (and the results' chart), in wasm parts of their own that the page loads on first need
//! (`#[wasm_split]`, the mechanism of Leptos's `#[lazy]`; scripts/build-site.py splits the wasm
//! and names the part): the offline playground never downloads them.

use crate::effect::effect;
use crate::model::View;
use crate::net::engine::{AthenaTranslation, EngineError};
use crate::state::athena::Athena;
use crate::state::live::Live;
use crate::state::live_select::{LiveSelect, S3Choice};
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use std::future::Future;
use std::pin::Pin;

/// What `load` makes, once `wanted` is (and from then on: the panel is made once and keeps its
/// state). Nothing shows while its part downloads. A signal and a task rather than Leptos's
/// `Suspend`, whose rendering code would weigh more in the page's wasm.
pub fn later<F>(
    wanted: impl Fn() -> bool + Send + Sync + 'static,
    load: impl Fn() -> F + Send + Sync + 'static,
) -> impl IntoView
where
    F: Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
{
    // Boxed, every panel's closures are of one type: the body and its view are compiled once.
    later_boxed(
        Box::new(wanted),
        Box::new(move || -> Loading { Box::pin(load()) }),
    )
}

type Loading = Pin<Box<dyn Future<Output = Result<AnyView, SplitLoaderError>>>>;

fn later_boxed(
    wanted: Box<dyn Fn() -> bool + Send + Sync>,
    load: Box<dyn Fn() -> Loading + Send + Sync>,
) -> impl IntoView {
    let made = StoredValue::new_local(None::<AnyView>);
    let ready = RwSignal::new(false);
    // The panel is made under the caller's owner, not the effect's (which cleans up what it
    // owns whenever it runs again): its signals and effects go when the page drops it.
    let owner = Owner::current().unwrap_or_default();
    effect(move |asked: Option<bool>| {
        if asked == Some(true) || !wanted() {
            return asked == Some(true);
        }
        let making = owner.with(|| ScopedFuture::new_untracked(load()));
        leptos::task::spawn_local(async move {
            // Not downloaded (offline, say): a note in its place, and the page lives on.
            let view = making.await.unwrap_or_else(|_| {
                view! { <p class="error" role="alert">"This part of the page could not be downloaded: reload the page to try again."</p> }
                    .into_any()
            });
            made.set_value(Some(view));
            ready.set(true);
        });
        true
    });
    move || {
        ready
            .get()
            .then(|| made.try_update_value(Option::take).flatten())
    }
}

#[wasm_split(live_ui, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn parameters(live: Live) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <crate::ui::parameters::ParameterPanel live=live/> }.into_any())
}

#[wasm_split(live_ui, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn dragons(live: Live) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <crate::ui::dragons::DragonPanel live=live/> }.into_any())
}

#[wasm_split(live_ui, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn inspector(live: Live) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <crate::ui::inspector::Inspector live=live/> }.into_any())
}

#[wasm_split(live_ui, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn connection(live: Live) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <crate::ui::connection::ConnectionBody live=live/> }.into_any())
}

#[wasm_split(live_ui, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn athena(
    live: Live,
    athena: Athena,
    on_translate: Callback<bool>,
) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <crate::ui::athena::AthenaPanel live=live athena=athena on_translate=on_translate/> }.into_any())
}

#[wasm_split(live_ui, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn s3_details(
    live: Live,
    view: RwSignal<View>,
    choice: S3Choice,
    on_object_start: Callback<(web_sys::File, Option<f64>)>,
) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <crate::ui::s3_source::S3Details live=live view=view choice=choice on_object_start=on_object_start/> }.into_any())
}

/// Runs a call into a part; one that could not be downloaded is logged (the loader said why).
pub fn run(call: impl Future<Output = Result<(), SplitLoaderError>> + 'static) {
    // Boxed, the task that awaits it is compiled once for all the calls.
    run_boxed(Box::pin(call))
}

fn run_boxed(call: Pin<Box<dyn Future<Output = Result<(), SplitLoaderError>>>>) {
    leptos::task::spawn_local(async move {
        if call.await.is_err() {
            web_sys::console::error_1(&"A part of the page could not be downloaded.".into());
        }
    });
}

// Live mode's state: what starts the live worker and talks to it is called from here only, so
// it is in the part too.

#[wasm_split(live_ui, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn prefill(live: Live, choice: S3Choice) -> Result<(), SplitLoaderError> {
    crate::ui::s3_source::prefill(live, choice);
    Ok(())
}

#[wasm_split(live_ui, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn practice_by_default(live: Live) -> Result<(), SplitLoaderError> {
    live.practice_by_default();
    Ok(())
}

#[wasm_split(live_ui, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn restore(live: Live) -> Result<(), SplitLoaderError> {
    live.restore();
    Ok(())
}

#[wasm_split(live_ui, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn cancel(live: Live, id: u64) -> Result<(), SplitLoaderError> {
    live.cancel(id);
    Ok(())
}

#[wasm_split(live_ui, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn live_select(select: LiveSelect, v: View) -> Result<(), SplitLoaderError> {
    select.start(&v);
    Ok(())
}

#[wasm_split(live_ui, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn athena_translated(
    athena: Athena,
    live: Live,
    id: f64,
    answer: Result<AthenaTranslation, EngineError>,
) -> Result<(), SplitLoaderError> {
    athena.translated(live, id, answer);
    Ok(())
}

#[wasm_split(live_ui, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn athena_cancel(athena: Athena, live: Live) -> Result<(), SplitLoaderError> {
    athena.cancel(live);
    Ok(())
}

// The results' chart: its own part, fetched when the Chart tab first shows one.

#[wasm_split(chart, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn chart(table: crate::state::table::Table) -> Result<AnyView, SplitLoaderError> {
    // Drawn up here, in the part: the page itself only asks whether there is one.
    let chart = crate::state::chart::Chart::of(&table, &crate::ui::chart::parse_number);
    Ok(chart
        .map(|chart| view! { <crate::ui::chart::ChartView chart=chart/> })
        .into_any())
}
