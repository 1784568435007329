//! Wyvern's page: mounts the app and nothing else.

mod app;
mod model;
mod net;
mod state;
mod ui;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
