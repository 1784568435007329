//! Wyvern's page: mounts the app and nothing else.

mod app;
mod examples;
mod live;
mod live_run;
mod model;
mod net;
mod records;
mod run;
mod ui;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
