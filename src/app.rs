//! The app: the header with its sections (S3 Select, Parameter Store, Dragon API), the live-mode
//! connection panel and the request inspector around them.

use crate::effect::effect;
use crate::lazy::{self, later};
use crate::net::page;
use crate::state::live::Live;
use crate::ui::connection::ConnectionPanel;
use crate::ui::event::handler;
use crate::ui::playground::Playground;
use crate::ui::tab::tab;
use leptos::prelude::*;

/// The page's sections.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Section {
    Select,
    Parameters,
    Dragons,
}

#[component]
pub fn App() -> impl IntoView {
    let theme = page::stored_theme().unwrap_or_else(|| {
        if page::prefers_dark() {
            "dark"
        } else {
            "light"
        }
        .into()
    });
    page::set_theme(&theme);
    let live = Live::new();
    let section = RwSignal::new(Section::Select);
    // Parameter Store and the Dragon API need a connection: with no class, the practice account.
    effect(move |_| {
        if section.get() != Section::Select {
            lazy::run(lazy::practice_by_default(live));
        }
    });
    let toggle_theme = move |_| {
        let dark = page::stored_theme().as_deref() == Some("dark")
            || (page::stored_theme().is_none() && page::prefers_dark());
        page::set_theme(if dark { "light" } else { "dark" });
    };
    view! {
        <div class="app">
            <header class="top">
                <div class="brand">
                    <svg class="logo" viewBox="0 0 64 64" aria-hidden="true">
                        <rect width="64" height="64" rx="14"></rect>
                        <path d="M10 18l10 30 12-18 12 18 10-30-10 8-12-10-12 10z"></path>
                    </svg>
                    <h1>"Wyvern"</h1>
                    <span class="tagline">"S3 Select playground: runs in your browser, offline"</span>
                </div>
                <nav class="tabs sections" role="tablist" aria-label="Sections">
                    {tab(section, Section::Select, "S3 Select", "nav-select")}
                    {tab(section, Section::Parameters, "Parameter Store", "nav-parameters")}
                    {tab(section, Section::Dragons, "Dragon API", "nav-dragons")}
                </nav>
                <button class="secondary" id="theme-toggle" on:click=handler(toggle_theme) title="Switch between dark and light">"◐ Theme"</button>
            </header>
            <div class="conn"><ConnectionPanel live=live/></div>
            <div class="section" class:hidden=move || section.get() != Section::Select>
                <Playground live=live/>
            </div>
            <div class="section" class:hidden=move || section.get() != Section::Parameters>
                {later(move || section.get() == Section::Parameters, move || lazy::parameters(live))}
            </div>
            <div class="section" class:hidden=move || section.get() != Section::Dragons>
                {later(move || section.get() == Section::Dragons, move || lazy::dragons(live))}
            </div>
            <div class="insp">{later(move || live.exchanges.with(|e| !e.is_empty()), move || lazy::inspector(live))}</div>
        </div>
    }
}
