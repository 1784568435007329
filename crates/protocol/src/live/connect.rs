//! Connecting, and who is connected: the ways in, the session the page shows, and the
//! credentials "remember on this device" keeps in sessionStorage.

use crate::codec::{field, flag, maybe_num, maybe_text, text, Fields};
use wasm_bindgen::JsValue;
use wyvern_settings::ClassConfig;

#[derive(Debug, Clone, PartialEq)]
pub struct Connect {
    /// The class's config.json (or only a region, for pasted keys on a site without one).
    pub config: ClassConfig,
    /// The learner asked to be remembered on this device.
    pub remember: bool,
    pub login: Login,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Login {
    /// An unauthenticated identity of the class's identity pool.
    Guest,
    /// The class's user pool (which may ask for a new password first).
    SignIn { username: String, password: String },
    /// Keys the learner pasted.
    Keys(Keys),
    /// Credentials remembered on this device, taken up again.
    Restore(Remembered),
    /// The practice account in this browser (crates/sandbox in its own worker), with its
    /// public practice keys: no class and no AWS account needed.
    Practice,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Keys {
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Empty for long-term keys.
    pub session_token: String,
}

/// How a session was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Guest,
    SignIn,
    Keys,
    Practice,
}

/// Who is connected, as the page shows it (no secret in it).
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub mode: Mode,
    /// The user name when signed in, the caller's ARN for pasted keys, else empty.
    pub user: String,
    pub identity_id: Option<String>,
    pub access_key_id: String,
    /// Milliseconds since 1970; `None` for keys that do not expire.
    pub expiration: Option<f64>,
}

/// What "remember on this device" keeps.
#[derive(Debug, Clone, PartialEq)]
pub enum Remember {
    /// The learner did not ask.
    NotAsked,
    /// Temporary credentials, for sessionStorage (they stop working by themselves).
    Keep(Box<Remembered>),
    /// Long-term keys (no session token) are never stored: they stay in the worker's memory
    /// until sign-out or the tab closes.
    LongTermKeys,
}

/// A session as sessionStorage keeps it, enough to reconnect without signing in again.
#[derive(Debug, Clone, PartialEq)]
pub struct Remembered {
    pub mode: Mode,
    pub identity_id: Option<String>,
    /// For a signed-in session: the user and the id token that authorises the Dragon API.
    pub username: String,
    pub id_token: String,
    pub keys: Keys,
    pub expiration: Option<f64>,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Guest => "guest",
            Mode::SignIn => "signin",
            Mode::Keys => "keys",
            Mode::Practice => "practice",
        }
    }
    fn from_name(name: &str) -> Mode {
        match name {
            "guest" => Mode::Guest,
            "signin" => Mode::SignIn,
            "practice" => Mode::Practice,
            _ => Mode::Keys,
        }
    }
}

impl Keys {
    fn write(&self, m: Fields) -> Fields {
        m.text("accessKeyId", &self.access_key_id)
            .text("secretAccessKey", &self.secret_access_key)
            .text("sessionToken", &self.session_token)
    }
    fn read(msg: &JsValue) -> Keys {
        Keys {
            access_key_id: text(msg, "accessKeyId"),
            secret_access_key: text(msg, "secretAccessKey"),
            session_token: text(msg, "sessionToken"),
        }
    }
}

impl Remembered {
    /// The object sessionStorage keeps (as JSON), and the message carries.
    pub fn to_js(&self) -> JsValue {
        self.keys
            .write(Fields::plain())
            .text("mode", self.mode.name())
            .maybe_text("identityId", self.identity_id.as_deref())
            .text("username", &self.username)
            .text("idToken", &self.id_token)
            .maybe_num("expiration", self.expiration)
            .build()
    }
    pub fn from_js(v: &JsValue) -> Remembered {
        Remembered {
            mode: Mode::from_name(&text(v, "mode")),
            identity_id: maybe_text(v, "identityId"),
            username: text(v, "username"),
            id_token: text(v, "idToken"),
            keys: Keys::read(v),
            expiration: maybe_num(v, "expiration"),
        }
    }
}

impl Connect {
    pub(super) fn write(&self, m: Fields) -> Fields {
        let config = self
            .config
            .members()
            .iter()
            .fold(Fields::plain(), |c, (k, v)| c.text(k, v))
            .build();
        let m = m.set("config", &config).flag("remember", self.remember);
        match &self.login {
            Login::Guest => m.text("login", "guest"),
            Login::SignIn { username, password } => m
                .text("login", "signin")
                .text("username", username)
                .text("password", password),
            Login::Keys(keys) => keys.write(m.text("login", "keys")),
            Login::Restore(saved) => m.text("login", "restore").set("saved", &saved.to_js()),
            Login::Practice => m.text("login", "practice"),
        }
    }
    pub(super) fn read(msg: &JsValue) -> Option<Connect> {
        let config = field(msg, "config");
        Some(Connect {
            config: ClassConfig::read(|k| maybe_text(&config, k)),
            remember: flag(msg, "remember"),
            login: match text(msg, "login").as_str() {
                "guest" => Login::Guest,
                "signin" => Login::SignIn {
                    username: text(msg, "username"),
                    password: text(msg, "password"),
                },
                "keys" => Login::Keys(Keys::read(msg)),
                "restore" => Login::Restore(Remembered::from_js(&field(msg, "saved"))),
                "practice" => Login::Practice,
                _ => return None,
            },
        })
    }
}

impl Session {
    pub(super) fn write(&self, m: Fields) -> Fields {
        m.text("mode", self.mode.name())
            .text("user", &self.user)
            .maybe_text("identityId", self.identity_id.as_deref())
            .text("accessKeyId", &self.access_key_id)
            .maybe_num("expiration", self.expiration)
    }
    pub(super) fn read(msg: &JsValue) -> Session {
        Session {
            mode: Mode::from_name(&text(msg, "mode")),
            user: text(msg, "user"),
            identity_id: maybe_text(msg, "identityId"),
            access_key_id: text(msg, "accessKeyId"),
            expiration: maybe_num(msg, "expiration"),
        }
    }
}

impl Remember {
    pub(super) fn write(&self, m: Fields) -> Fields {
        match self {
            Remember::NotAsked => m,
            Remember::Keep(saved) => m.set("remember", &saved.to_js()),
            Remember::LongTermKeys => m.flag("notRemembered", true),
        }
    }
    pub(super) fn read(msg: &JsValue) -> Remember {
        let saved = field(msg, "remember");
        if saved.is_object() {
            Remember::Keep(Box::new(Remembered::from_js(&saved)))
        } else if flag(msg, "notRemembered") {
            Remember::LongTermKeys
        } else {
            Remember::NotAsked
        }
    }
}
