//! Wyvern's page: mounts the app and nothing else.

mod app;
mod effect;
mod lazy;
mod model;
mod net;
mod state;
mod ui;

/// Talc instead of the default dlmalloc: smaller in the page's wasm, and the page is single-threaded.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    leptos::mount::mount_to_body(app::App);
}
