//! What the worker remembers between messages: the connection (config, mode, credentials) and
//! the calls under way. Credentials live here, in the worker's memory, and nowhere else unless
//! the learner asked to be remembered on this device.

use std::collections::HashMap;
use web_sys::AbortController;
use wyvern_aws::cognito::CredentialCache;
use wyvern_aws::request::Endpoint;
use wyvern_settings::ClassConfig;

/// The instructor's config.json (no secrets in it): its one definition, with what the worker
/// derives from it.
#[derive(Debug, Clone, Default)]
pub struct Config(pub ClassConfig);

impl std::ops::Deref for Config {
    type Target = ClassConfig;
    fn deref(&self) -> &ClassConfig {
        &self.0
    }
}

impl Config {
    fn custom_endpoint(&self) -> Option<String> {
        (!self.endpoint.is_empty()).then(|| self.endpoint.clone())
    }

    pub fn endpoint(&self) -> Endpoint {
        Endpoint {
            region: self.region.clone(),
            custom: self.custom_endpoint(),
        }
    }

    /// The only origins live mode may call. The page's CSP does not reach a worker's fetches
    /// in every browser, so the worker holds itself to the same list.
    pub fn origins(&self) -> Vec<String> {
        let mut list = self.endpoint().origins();
        if !self.dragon_api_url.is_empty() {
            let api = wyvern_aws::url::origin(&self.dragon_api_url);
            if !list.contains(&api) {
                list.push(api);
            }
        }
        list
    }

    pub fn target(&self) -> wyvern_aws::snippets::Target {
        wyvern_aws::snippets::Target {
            region: self.region.clone(),
            endpoint: self.custom_endpoint(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// An unauthenticated identity of the identity pool.
    Guest,
    /// Signed in to the user pool; the id token authorises the Dragon API too.
    SignedIn { username: String, id_token: String },
    /// Keys pasted by the learner: nothing to refresh.
    Keys,
    /// The practice account in this browser, with its public keys (nothing to refresh).
    Practice,
}

impl Mode {
    /// Credentials that cannot be renewed (pasted keys, the practice account's).
    pub fn has_fixed_keys(&self) -> bool {
        matches!(self, Mode::Keys | Mode::Practice)
    }
}

pub struct Session {
    pub config: Config,
    pub mode: Mode,
    pub identity_id: Option<String>,
    pub cache: CredentialCache,
    /// Bumped by Sign out, so answers to calls made before it are dropped.
    pub generation: u32,
}

/// A sign-in waiting for the learner's new password.
pub struct Challenge {
    pub config: Config,
    pub username: String,
    pub session: String,
}

#[derive(Default)]
pub struct State {
    pub session: Option<Session>,
    pub challenge: Option<Challenge>,
    pub aborts: HashMap<u64, AbortController>,
    /// Milliseconds to add to the local clock (learned from servers' Date headers).
    pub clock_offset_ms: i64,
    pub generation: u32,
    /// The learner opted in to keeping credentials in sessionStorage.
    pub remember: bool,
    /// Numbers the inspector's exchanges.
    pub next_exchange: u64,
    /// Where requests may go (from the config of the latest connect).
    pub allowed_origins: Vec<String>,
    /// Refresh timer armed for this generation and expiry (so only one is pending).
    pub refresh_timer: Option<(u32, u64)>,
    /// The practice account's worker, once started (it answers while the mode is `Practice`).
    pub practice: Option<std::rc::Rc<crate::practice::Practice>>,
}

impl State {
    /// The practice account, when the session is a practice one: requests go to it, not out.
    pub fn practice_answers(&self) -> Option<std::rc::Rc<crate::practice::Practice>> {
        let session = self.session.as_ref()?;
        (session.mode == Mode::Practice)
            .then(|| self.practice.clone())
            .flatten()
    }
}
