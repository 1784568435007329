//! Live mode's shared state: config.json, the connection, and the request inspector's records.
//! The live worker is started on first use (Connect), so offline use never downloads it.

use crate::net::live::LiveClient;
use crate::net::page;
use leptos::prelude::*;
use std::rc::Rc;
use wyvern_protocol::live::{
    Connect, Exchange, FromLive, Keys, LiveError, Login, Mode, Remember, Remembered, Request,
    Session,
};
use wyvern_settings::ClassConfig;

#[derive(Debug, Clone, PartialEq)]
pub enum ConfigState {
    Loading,
    /// No config.json beside index.html: offline only (pasted keys still work).
    Missing,
    Invalid(String),
    /// The instructor's config.json (the live worker gets it with each Connect).
    Ready(Box<ClassConfig>),
}

impl ConfigState {
    /// What config.json's text (`None`: no file) tells the page.
    pub fn from_text(text: Option<String>) -> ConfigState {
        let Some(text) = text else {
            return ConfigState::Missing;
        };
        let Ok(v) = js_sys::JSON::parse(&text) else {
            return ConfigState::Invalid("config.json is not valid JSON.".into());
        };
        if !v.is_object() {
            return ConfigState::Invalid("config.json must hold a JSON object.".into());
        }
        // The site ships an empty config.json: offline until an instructor fills it in.
        if js_sys::Object::keys(&v.clone().into()).length() == 0 {
            return ConfigState::Missing;
        }
        ConfigState::Ready(Box::new(ClassConfig::read(|k| {
            js_sys::Reflect::get(&v, &k.into())
                .ok()
                .and_then(|m| m.as_string())
        })))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    Disconnected,
    Connecting,
    /// The user pool wants a new password before signing in.
    NewPassword,
    Connected(Session),
}

/// An exchange as the inspector shows it: the worker's record, and the event-stream frames
/// that came after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspected {
    pub exchange: Exchange,
    pub frames: Vec<String>,
}

/// The inspector keeps this many exchanges, newest first.
const EXCHANGES_KEPT: usize = 200;
const REMEMBER_KEY: &str = "wyvern-credentials";

#[derive(Clone, Copy)]
pub struct Live {
    pub config: RwSignal<ConfigState>,
    pub connection: RwSignal<Connection>,
    pub failure: RwSignal<Option<LiveError>>,
    pub exchanges: RwSignal<Vec<Inspected>>,
    pub remember: RwSignal<bool>,
    /// The region for pasted keys when there is no config.json.
    pub region: RwSignal<String>,
    /// How many times the practice account was put back to its seed: the panels drop what
    /// they listed from it.
    pub resets: RwSignal<u32>,
    client: StoredValue<Option<Rc<LiveClient>>, LocalStorage>,
}

impl Live {
    pub fn new() -> Live {
        let live = Live {
            config: RwSignal::new(ConfigState::Loading),
            connection: RwSignal::new(Connection::Disconnected),
            failure: RwSignal::new(None),
            exchanges: RwSignal::new(Vec::new()),
            remember: RwSignal::new(false),
            region: RwSignal::new("us-east-1".into()),
            resets: RwSignal::new(0),
            client: StoredValue::new_local(None),
        };
        wasm_bindgen_futures::spawn_local(async move {
            let state = ConfigState::from_text(page::fetch_config().await);
            live.config.set(state);
            // Remembered credentials: live mode's part reconnects.
            if page::session_get(REMEMBER_KEY).is_some() {
                crate::lazy::run(crate::lazy::restore(live));
            }
        });
        live
    }

    /// The class the panels work in: the practice account's while connected to it, else
    /// config.json's.
    pub fn site(&self) -> Option<ClassConfig> {
        if self.practising() {
            return Some(ClassConfig::practice());
        }
        match self.config.get_untracked() {
            ConfigState::Ready(c) => Some(*c),
            _ => None,
        }
    }

    /// The live worker, started on first use.
    pub fn client(&self) -> Option<Rc<LiveClient>> {
        if let Some(c) = self.client.get_value() {
            return Some(c);
        }
        let me = *self;
        match LiveClient::spawn(move |m| me.on_broadcast(m)) {
            Ok(c) => {
                let c = Rc::new(c);
                self.client.set_value(Some(c.clone()));
                Some(c)
            }
            Err(e) => {
                self.failure.set(Some(LiveError::local("WorkerFailed", e)));
                None
            }
        }
    }

    fn on_broadcast(&self, m: FromLive) {
        match m {
            FromLive::Exchange(exchange) => self.exchanges.update(|list| {
                let record = Inspected {
                    exchange: *exchange,
                    frames: Vec::new(),
                };
                list.insert(0, record);
                list.truncate(EXCHANGES_KEPT);
            }),
            FromLive::Frames { seq, lines } => self.exchanges.update(|list| {
                if let Some(e) = list.iter_mut().find(|e| e.exchange.seq == seq) {
                    e.frames.extend(lines);
                }
            }),
            FromLive::Renewed { session, remember } => {
                if matches!(self.connection.get_untracked(), Connection::Connected(_)) {
                    self.connection.set(Connection::Connected(session));
                    self.store(remember);
                }
            }
            _ => {}
        }
    }

    /// Keeps the credentials in sessionStorage, only if the learner opted in and they are
    /// temporary (the worker never hands over a long-term secret key to keep).
    fn store(&self, remember: Remember) {
        match remember {
            Remember::Keep(saved) if self.remember.get_untracked() => {
                if let Ok(text) = js_sys::JSON::stringify(&saved.to_js()) {
                    page::session_set(REMEMBER_KEY, &text.as_string().unwrap_or_default());
                }
            }
            Remember::LongTermKeys => {
                page::session_remove(REMEMBER_KEY);
                self.remember.set(false);
            }
            _ => {}
        }
    }

    /// The class's config.json, or only the region the learner chose when there is none.
    fn class_config(&self) -> ClassConfig {
        if let Some(site) = self.site() {
            return site;
        }
        let region = self.region.get_untracked();
        ClassConfig::read(|k| (k == "region").then(|| region.clone()))
    }

    fn on_connect_answer(&self, m: FromLive) {
        match m {
            FromLive::Connected {
                session, remember, ..
            } => {
                self.failure.set(None);
                self.connection.set(Connection::Connected(session));
                self.store(remember);
            }
            FromLive::NewPasswordRequired { .. } => self.connection.set(Connection::NewPassword),
            FromLive::Error { error, .. } => {
                let pending_password = self.connection.get_untracked() == Connection::NewPassword
                    && error.code != "NoChallenge";
                self.failure.set(Some(error));
                self.connection.set(if pending_password {
                    Connection::NewPassword
                } else {
                    Connection::Disconnected
                });
            }
            _ => {}
        }
    }

    fn start(&self, login: Login) {
        let Some(client) = self.client() else { return };
        self.failure.set(None);
        if self.connection.get_untracked() != Connection::NewPassword {
            self.connection.set(Connection::Connecting);
        }
        let me = *self;
        let request = Request::Connect(Box::new(Connect {
            config: self.class_config(),
            remember: self.remember.get_untracked(),
            login,
        }));
        client.send(request, move |m| me.on_connect_answer(m));
    }

    pub fn connect_guest(&self) {
        self.start(Login::Guest);
    }

    pub fn sign_in(&self, username: &str, password: &str) {
        self.start(Login::SignIn {
            username: username.into(),
            password: password.into(),
        });
    }

    pub fn new_password(&self, password: &str) {
        let Some(client) = self.client() else { return };
        let me = *self;
        let request = Request::NewPassword {
            password: password.into(),
        };
        client.send(request, move |m| me.on_connect_answer(m));
    }

    pub fn connect_keys(&self, access_key_id: &str, secret: &str, token: &str) {
        self.start(Login::Keys(Keys {
            access_key_id: access_key_id.into(),
            secret_access_key: secret.into(),
            session_token: token.into(),
        }));
    }

    /// Reconnects from sessionStorage, when the learner asked to be remembered.
    pub fn restore(&self) {
        let Some(text) = page::session_get(REMEMBER_KEY) else {
            return;
        };
        let Ok(saved) = js_sys::JSON::parse(&text) else {
            return;
        };
        self.remember.set(true);
        self.start(Login::Restore(Remembered::from_js(&saved)));
    }

    pub fn sign_out(&self) {
        if let Some(c) = self.client.get_value() {
            c.sign_out();
        }
        page::session_remove(REMEMBER_KEY);
        self.connection.set(Connection::Disconnected);
        self.failure.set(None);
    }

    /// Sends a request for a panel; `None` when live mode could not start.
    pub fn send(&self, request: Request, on_msg: impl Fn(FromLive) + 'static) -> Option<u64> {
        Some(self.client()?.send(request, on_msg))
    }

    /// The engine's end of a channel on which it reads a live object by byte ranges.
    pub fn ranges_port(&self) -> Option<web_sys::MessagePort> {
        self.client()?.ranges_port()
    }

    pub fn cancel(&self, id: u64) {
        if let Some(c) = self.client.get_value() {
            c.cancel(id);
        }
    }

    fn practising(&self) -> bool {
        matches!(self.connection.get_untracked(), Connection::Connected(s) if s.mode == Mode::Practice)
    }

    /// The practice account in this browser: what the page offers when there is no class.
    pub fn connect_practice(&self) {
        self.start(Login::Practice);
    }

    /// Opens the practice account for a panel that needs a connection, when the page has no
    /// class and the learner has not connected another way.
    pub fn practice_by_default(&self) {
        if self.config.get_untracked() == ConfigState::Missing
            && self.connection.get_untracked() == Connection::Disconnected
        {
            self.connect_practice();
        }
    }

    /// Puts the practice account back to its seed; `done` runs when it is.
    pub fn reset_practice(&self, done: impl Fn() + 'static) {
        let me = *self;
        let _ = self.send(Request::ResetPractice, move |m| match m {
            FromLive::PracticeReset { .. } => {
                me.resets.update(|n| *n += 1);
                done()
            }
            FromLive::Error { error, .. } => me.failure.set(Some(error)),
            _ => {}
        });
    }

    pub fn is_connected(&self) -> bool {
        matches!(self.connection.get(), Connection::Connected(_))
    }
}
