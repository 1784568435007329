//! The connection panel: the practice account in this browser, guest, sign in (with the
//! new-password challenge) or pasted keys; once connected, who and until when, Sign out, and the
//! practice account's Reset.

use crate::effect::effect;
use crate::state::live::{ConfigState, Connection, Live};
use crate::ui::event::handler;
use crate::ui::tab::tab;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use std::time::Duration;
use wyvern_protocol::live::Mode;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Way {
    Practice,
    Guest,
    SignIn,
    Keys,
}

/// `59:12` (minutes:seconds) until `expiration`.
fn countdown(expiration: f64, now: f64) -> String {
    let left = ((expiration - now) / 1000.0).max(0.0) as u64;
    if left >= 3600 {
        format!("{}:{:02}:{:02}", left / 3600, left / 60 % 60, left % 60)
    } else {
        format!("{}:{:02}", left / 60, left % 60)
    }
}

/// A text input bound to a signal, so a failed attempt never loses what was typed.
fn bound(
    label: &'static str,
    id: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input id=id type=kind autocomplete=autocomplete spellcheck="false" prop:value=move || value.get() on:input=handler(move |e| value.set(event_target_value(&e)))/>
        </label>
    }
}

/// The panel's body: the ways in, or the connection; in live mode's wasm part (src/lazy.rs).
#[component]
pub fn ConnectionBody(live: Live) -> impl IntoView {
    let way = RwSignal::new(Way::Guest);
    // With no class, the practice account is the way in.
    effect(move |_| {
        if live.config.get() == ConfigState::Missing {
            way.set(Way::Practice);
        }
    });
    let confirm_reset = RwSignal::new(false);
    let was_reset = RwSignal::new(false);
    let (user, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (key_id, secret, token) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let new_password = RwSignal::new(String::new());
    // Once connected, the secrets live in the worker only: forget the typed copies.
    effect(move |_| {
        if matches!(live.connection.get(), Connection::Connected(_)) {
            for s in [password, secret, token, new_password] {
                s.set(String::new());
            }
        }
    });
    let now = RwSignal::new(js_sys::Date::now());
    let _ = set_interval_with_handle(move || now.set(js_sys::Date::now()), Duration::from_secs(1));
    let has_config = move || matches!(live.config.get(), ConfigState::Ready(_));
    let submit = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        match way.get_untracked() {
            Way::Practice => live.connect_practice(),
            Way::Guest => live.connect_guest(),
            Way::SignIn => live.sign_in(&user.get_untracked(), &password.get_untracked()),
            Way::Keys => live.connect_keys(
                &key_id.get_untracked(),
                &secret.get_untracked(),
                &token.get_untracked(),
            ),
        }
    };
    let submit_password = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        live.new_password(&new_password.get_untracked());
    };
    let failure = move || {
        live.failure.get().map(|f| {
            let detail = if f.status > 0 {
                format!(" (HTTP {})", f.status)
            } else {
                String::new()
            };
            view! {
                <p class="error live-error" role="alert" id="connect-error">
                    <strong>{f.code}</strong>{detail}": "{f.message}
                </p>
            }
        })
    };
    let form = move || {
        let w = way.get();
        let fields = match w {
            Way::Practice | Way::Guest => EitherOf3::A(view! {
                <p class="hint">{if w == Way::Practice {
                    "A practice AWS account inside this page: Parameter Store, S3 with S3 Select and the Dragon API answer the same signed requests AWS would, with AWS's errors. Nothing leaves your browser, and what you change stays until you reset it."
                } else {
                    "A temporary identity from the class's identity pool: read the dragon data, run S3 Select, read Parameter Store. No account needed."
                }}</p>
            }),
            Way::SignIn => EitherOf3::B(view! {
                {bound("User name", "signin-user", "text", "username", user)}
                {bound("Password", "signin-password", "password", "current-password", password)}
                <p class="hint">"Your class account (the user pool). Signed in, you can also use the Dragon API and write parameters."</p>
            }),
            Way::Keys => EitherOf3::C(view! {
                {bound("Access key ID", "keys-id", "text", "off", key_id)}
                {bound("Secret access key", "keys-secret", "password", "off", secret)}
                {bound("Session token (optional)", "keys-token", "password", "off", token)}
                {move || (!has_config()).then(|| bound("Region", "keys-region", "text", "off", live.region))}
                <p class="hint">"Your own keys, checked with STS GetCallerIdentity. They stay in this tab's memory."</p>
            }),
        };
        let disabled = move || {
            live.connection.get() == Connection::Connecting
                || (!matches!(way.get(), Way::Keys | Way::Practice) && !has_config())
        };
        let label = match w {
            Way::Practice => "Open the practice account",
            Way::Guest => "Connect as guest",
            Way::SignIn => "Sign in",
            Way::Keys => "Use these keys",
        };
        view! {
            <form class="connect-form" on:submit=handler(submit)>
                {fields}
                <label class="check" class:hidden=w == Way::Practice>
                    <input type="checkbox" id="remember" prop:checked=move || live.remember.get() on:change=handler(move |e| live.remember.set(event_target_checked(&e)))/>
                    <span>"Remember on this device (temporary credentials only, until this tab closes)"</span>
                </label>
                <button type="submit" class="primary" id="connect" disabled=disabled>
                    {move || if live.connection.get() == Connection::Connecting { "Connecting…" } else { label }}
                </button>
            </form>
        }
    };
    let body = move || match live.connection.get() {
        Connection::Connected(c) => {
            let who = match c.mode {
                Mode::Guest => "Guest".to_string(),
                Mode::SignIn => format!("Signed in as {}", c.user),
                Mode::Keys => "Your keys".to_string(),
                Mode::Practice => "Practice account (in this browser)".to_string(),
            };
            let reset = (c.mode == Mode::Practice).then(|| view! {
                <button class="secondary danger" id="practice-reset" class:hidden=move || confirm_reset.get() on:click=handler(move |_| { was_reset.set(false); confirm_reset.set(true) })>"Reset…"</button>
                <span class="confirm" role="alertdialog" class:hidden=move || !confirm_reset.get()>
                    "Back to the start? Your parameters, objects and reports go. "
                    <button class="primary danger" id="practice-reset-confirm" on:click=handler(move |_| live.reset_practice(move || { confirm_reset.set(false); was_reset.set(true) }))>"Reset"</button>
                    <button class="secondary" on:click=handler(move |_| confirm_reset.set(false))>"Keep them"</button>
                </span>
                <span class="hint" id="practice-was-reset" class:hidden=move || !was_reset.get()>"The practice account is back to its start."</span>
            });
            let expiry = c.expiration.map(|e| view! {
                <span class="chip" id="expiry" title="Temporary credentials renew by themselves five minutes before they expire">
                    "expires in " {move || countdown(e, now.get())} " · renews automatically"
                </span>
            });
            let no_identity = c.identity_id.is_none();
            EitherOf3::A(view! {
                <div class="connected">
                    <span class="dot" aria-hidden="true"></span>
                    <strong id="who">{who}</strong>
                    <span class="chip mono" id="identity" title="Identity" class:hidden=no_identity>{c.identity_id.unwrap_or_default()}</span>
                    <span class="chip mono" title="Access key ID (the secret never leaves this tab)">{c.access_key_id}</span>
                    {expiry}
                    {reset}
                    <button class="secondary" id="sign-out" on:click=handler(move |_| live.sign_out())>"Sign out"</button>
                </div>
            })
        }
        Connection::NewPassword => EitherOf3::B(view! {
            <form class="connect-form" on:submit=handler(submit_password)>
                <p>"Your account needs a new password before its first sign-in."</p>
                {bound("New password", "new-password", "password", "new-password", new_password)}
                <button type="submit" class="primary" id="set-password">"Set password and sign in"</button>
            </form>
        }),
        _ => EitherOf3::C(view! {
            <div class="tabs" role="tablist">
                {tab(way, Way::Practice, "Practice account", "way-practice")}
                {tab(way, Way::Guest, "Guest", "way-guest")}
                {tab(way, Way::SignIn, "Sign in", "way-signin")}
                {tab(way, Way::Keys, "Your keys", "way-keys")}
            </div>
            {form}
        }),
    };
    view! {
        {body}
        {failure}
    }
}

/// The panel's head, in the page's own wasm; its body comes with live mode's part when the
/// panel opens.
#[component]
pub fn ConnectionPanel(live: Live) -> impl IntoView {
    // Offline (no class config), the panel stays one line until the learner asks for it.
    let asked = RwSignal::new(false);
    // Open once asked, connected, or with a class config (valid or not). While config.json is
    // still being looked for, the panel shows open (the page does not jump when it is found) but
    // its body, live mode's part, is not fetched yet.
    let open = move |while_loading: bool| {
        asked.get()
            || live.connection.get() != Connection::Disconnected
            || match live.config.get() {
                ConfigState::Missing => false,
                ConfigState::Loading => while_loading,
                ConfigState::Ready(_) | ConfigState::Invalid(_) => true,
            }
    };
    let expanded = Signal::derive(move || open(true));
    let wanted = move || open(false);
    let config_note = move || {
        match live.config.get() {
        ConfigState::Loading => "Looking for config.json…".to_string(),
        ConfigState::Missing => "No class environment here (no config.json beside this page): the practice account in this browser answers instead, or your own AWS keys.".to_string(),
        ConfigState::Invalid(why) => format!("config.json could not be used: {why}"),
        ConfigState::Ready(c) => {
            let place = if c.endpoint.is_empty() { format!("AWS {}", c.region) } else { format!("{} ({})", c.endpoint, c.region) };
            format!("Class environment: {place}.")
        }
    }
    };
    view! {
        <section class="panel connection" id="connection">
            <div class="connection-head">
                <h2>"Live mode"</h2>
                <span class="hint" id="config-note">{config_note}</span>
                <button class="secondary" id="live-expand" class:hidden=move || expanded.get() on:click=handler(move |_| asked.set(true))>"Practice account or your own AWS keys…"</button>
            </div>
            <div class:hidden=move || !expanded.get()>
                {crate::lazy::later(wanted, move || crate::lazy::connection(live))}
            </div>
        </section>
    }
}
