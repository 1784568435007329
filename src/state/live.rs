//! Live mode's shared state: config.json, the connection, and the request inspector's records.
//! The live worker is started on first use (Connect), so offline use never downloads it.

use crate::net::live::{list_of, num_of, text_of, LiveClient, LiveMsg, Request};
use crate::net::page;
use leptos::prelude::*;
use std::rc::Rc;
use wyvern_settings::ClassConfig;

/// The instructor's config.json: its text, passed to the live worker as it is, and its fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SiteConfig {
    pub json: String,
    pub class: ClassConfig,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConfigState {
    Loading,
    /// No config.json beside index.html: offline only (pasted keys still work).
    Missing,
    Invalid(String),
    Ready(Box<SiteConfig>),
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
        ConfigState::Ready(Box::new(SiteConfig {
            class: ClassConfig::read(|k| {
                js_sys::Reflect::get(&v, &k.into())
                    .ok()
                    .and_then(|m| m.as_string())
            }),
            json: text,
        }))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Connected {
    /// "guest", "signin" or "keys".
    pub mode: String,
    pub user: String,
    pub identity_id: String,
    pub access_key_id: String,
    /// Milliseconds since the epoch; `None` for keys that do not expire.
    pub expiration: Option<f64>,
    pub has_id_token: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    Disconnected,
    Connecting,
    /// The user pool wants a new password before signing in.
    NewPassword,
    Connected(Connected),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub code: String,
    pub message: String,
    pub service: String,
    pub status: u16,
    pub request_id: String,
}

impl Failure {
    pub fn from_msg(m: &LiveMsg) -> Failure {
        Failure {
            code: m.text("code"),
            message: m.text("message"),
            service: m.text("service"),
            status: m.num("status").unwrap_or(0.0) as u16,
            request_id: m.text("requestId"),
        }
    }
}

/// One request and its answer, as the inspector shows them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Exchange {
    pub seq: u64,
    pub attempt: u32,
    pub service: String,
    pub operation: String,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: String,
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signature: String,
    pub status: u16,
    pub response_headers: Vec<(String, String)>,
    pub response_body: String,
    pub failure: String,
    pub ms: f64,
    pub frames: Vec<String>,
    pub cli: String,
    pub boto3: String,
}

fn pairs(v: &wasm_bindgen::JsValue, key: &str) -> Vec<(String, String)> {
    list_of(v, key)
        .iter()
        .map(|p| {
            let a = js_sys::Array::from(p);
            (
                a.get(0).as_string().unwrap_or_default(),
                a.get(1).as_string().unwrap_or_default(),
            )
        })
        .collect()
}

impl Exchange {
    fn from_msg(m: &LiveMsg) -> Exchange {
        let d = &m.data;
        Exchange {
            seq: num_of(d, "seq").unwrap_or(0.0) as u64,
            attempt: num_of(d, "attempt").unwrap_or(1.0) as u32,
            service: text_of(d, "service"),
            operation: text_of(d, "operation"),
            method: text_of(d, "method"),
            url: text_of(d, "url"),
            request_headers: pairs(d, "requestHeaders"),
            request_body: text_of(d, "requestBody"),
            canonical_request: text_of(d, "canonicalRequest"),
            string_to_sign: text_of(d, "stringToSign"),
            signature: text_of(d, "signature"),
            status: num_of(d, "status").unwrap_or(0.0) as u16,
            response_headers: pairs(d, "responseHeaders"),
            response_body: text_of(d, "responseBody"),
            failure: text_of(d, "failure"),
            ms: num_of(d, "ms").unwrap_or(0.0),
            frames: Vec::new(),
            cli: text_of(d, "cli"),
            boto3: text_of(d, "boto3"),
        }
    }
}

/// The inspector keeps this many exchanges, newest first.
const EXCHANGES_KEPT: usize = 200;
const REMEMBER_KEY: &str = "wyvern-credentials";

#[derive(Clone, Copy)]
pub struct Live {
    pub config: RwSignal<ConfigState>,
    pub connection: RwSignal<Connection>,
    pub failure: RwSignal<Option<Failure>>,
    pub exchanges: RwSignal<Vec<Exchange>>,
    pub remember: RwSignal<bool>,
    /// The region for pasted keys when there is no config.json.
    pub region: RwSignal<String>,
    client: StoredValue<Option<Rc<LiveClient>>, LocalStorage>,
}

fn connected_from(m: &LiveMsg) -> Connected {
    Connected {
        mode: m.text("mode"),
        user: m.text("user"),
        identity_id: m.text("identityId"),
        access_key_id: m.text("accessKeyId"),
        expiration: m.num("expiration"),
        has_id_token: m.get("hasIdToken").as_bool().unwrap_or(false),
    }
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
            client: StoredValue::new_local(None),
        };
        wasm_bindgen_futures::spawn_local(async move {
            let state = ConfigState::from_text(page::fetch_config().await);
            live.config.set(state);
            live.restore();
        });
        live
    }

    pub fn site(&self) -> Option<SiteConfig> {
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
                self.failure.set(Some(Failure {
                    code: "WorkerFailed".into(),
                    message: e,
                    service: String::new(),
                    status: 0,
                    request_id: String::new(),
                }));
                None
            }
        }
    }

    fn on_broadcast(&self, m: &LiveMsg) {
        match m.kind.as_str() {
            "exchange" => self.exchanges.update(|list| {
                let e = Exchange::from_msg(m);
                list.insert(0, e);
                list.truncate(EXCHANGES_KEPT);
            }),
            "frames" => {
                let seq = m.num("seq").unwrap_or(0.0) as u64;
                let lines: Vec<String> = list_of(&m.data, "lines")
                    .iter()
                    .filter_map(|l| l.as_string())
                    .collect();
                self.exchanges.update(|list| {
                    if let Some(e) = list.iter_mut().find(|e| e.seq == seq) {
                        e.frames.extend(lines);
                    }
                });
            }
            "credentials" => {
                if matches!(self.connection.get_untracked(), Connection::Connected(_)) {
                    self.connection
                        .set(Connection::Connected(connected_from(m)));
                    self.store(m);
                }
            }
            _ => {}
        }
    }

    /// Keeps the credentials in sessionStorage, only if the learner opted in and they are
    /// temporary (the worker never hands over a long-term secret key to keep).
    fn store(&self, m: &LiveMsg) {
        if !m.get("notRemembered").is_undefined() {
            page::session_remove(REMEMBER_KEY);
            self.remember.set(false);
        }
        let saved = m.get("remember");
        if self.remember.get_untracked() && !saved.is_undefined() {
            if let Ok(text) = js_sys::JSON::stringify(&saved) {
                page::session_set(REMEMBER_KEY, &text.as_string().unwrap_or_default());
            }
        }
    }

    fn config_value(&self) -> wasm_bindgen::JsValue {
        if let Some(site) = self.site() {
            return js_sys::JSON::parse(&site.json).unwrap_or(wasm_bindgen::JsValue::NULL);
        }
        let config = js_sys::Object::new();
        let region = self.region.get_untracked();
        let _ = js_sys::Reflect::set(&config, &"region".into(), &region.trim().into());
        config.into()
    }

    fn on_connect_answer(&self, m: LiveMsg) {
        match m.kind.as_str() {
            "connected" => {
                self.failure.set(None);
                self.connection
                    .set(Connection::Connected(connected_from(&m)));
                self.store(&m);
            }
            "challenge" => self.connection.set(Connection::NewPassword),
            "error" => {
                self.failure.set(Some(Failure::from_msg(&m)));
                let pending_password = self.connection.get_untracked() == Connection::NewPassword
                    && m.text("code") != "NoChallenge";
                self.connection.set(if pending_password {
                    Connection::NewPassword
                } else {
                    Connection::Disconnected
                });
            }
            _ => {}
        }
    }

    fn start(&self, req: Request) {
        let Some(client) = self.client() else { return };
        self.failure.set(None);
        if self.connection.get_untracked() != Connection::NewPassword {
            self.connection.set(Connection::Connecting);
        }
        let me = *self;
        let req = req
            .value("config", &self.config_value())
            .flag("remember", self.remember.get_untracked());
        client.send(req, move |m| me.on_connect_answer(m));
    }

    pub fn connect_guest(&self) {
        self.start(Request::new("connect").text("mode", "guest"));
    }

    pub fn sign_in(&self, username: &str, password: &str) {
        self.start(
            Request::new("connect")
                .text("mode", "signin")
                .text("username", username)
                .text("password", password),
        );
    }

    pub fn new_password(&self, password: &str) {
        let Some(client) = self.client() else { return };
        let me = *self;
        client.send(
            Request::new("new_password").text("password", password),
            move |m| me.on_connect_answer(m),
        );
    }

    pub fn connect_keys(&self, access_key_id: &str, secret: &str, token: &str) {
        self.start(
            Request::new("connect")
                .text("mode", "keys")
                .text("accessKeyId", access_key_id)
                .text("secretAccessKey", secret)
                .text("sessionToken", token),
        );
    }

    /// Reconnects from sessionStorage, when the learner asked to be remembered.
    fn restore(&self) {
        let Some(text) = page::session_get(REMEMBER_KEY) else {
            return;
        };
        let Ok(saved) = js_sys::JSON::parse(&text) else {
            return;
        };
        self.remember.set(true);
        let mut req = Request::new("connect")
            .text("mode", "keys")
            .text("restoreMode", &text_of(&saved, "mode"));
        for key in [
            "accessKeyId",
            "secretAccessKey",
            "sessionToken",
            "identityId",
            "username",
            "idToken",
        ] {
            req = req.text(key, &text_of(&saved, key));
        }
        if let Some(e) = num_of(&saved, "expiration") {
            req = req.num("expiration", e);
        }
        self.start(req);
    }

    pub fn sign_out(&self) {
        if let Some(c) = self.client.get_value() {
            c.tell(Request::new("sign_out"));
        }
        page::session_remove(REMEMBER_KEY);
        self.connection.set(Connection::Disconnected);
        self.failure.set(None);
    }

    /// Sends a request for a panel; `None` when live mode could not start.
    pub fn send(&self, req: Request, on_msg: impl Fn(LiveMsg) + 'static) -> Option<u64> {
        Some(self.client()?.send(req, on_msg))
    }

    pub fn cancel(&self, id: u64) {
        if let Some(c) = self.client.get_value() {
            c.cancel(id);
        }
    }

    pub fn is_connected(&self) -> bool {
        matches!(self.connection.get(), Connection::Connected(_))
    }
}
