//! The session's life: announcing who is connected, refreshing credentials (on demand, on a
//! timer five minutes before expiry, and when a service says they expired), and signing out.

use crate::call::{CallError, Shared};
use crate::clock::{epoch_ms, now, now_ms, sleep};
use crate::identity::identity_credentials;
use crate::post;
use crate::state::{Config, Mode, Session};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use wyvern_aws::cognito::CredentialCache;
use wyvern_aws::retry::{needs_refresh, REFRESH_AHEAD};
use wyvern_aws::Credentials;
use wyvern_protocol::live::{self as wire, FromLive, Keys, Remember, Remembered};

fn expiration_ms(c: &Credentials) -> Option<f64> {
    c.expiration.map(epoch_ms)
}

fn wire_mode(mode: &Mode) -> wire::Mode {
    match mode {
        Mode::Guest => wire::Mode::Guest,
        Mode::SignedIn { .. } => wire::Mode::SignIn,
        Mode::Keys => wire::Mode::Keys,
        Mode::Practice => wire::Mode::Practice,
    }
}

/// What "remember on this device" keeps in sessionStorage (the learner opted in).
fn remembered(s: &Session, c: &Credentials) -> Remembered {
    let (username, id_token) = match &s.mode {
        Mode::SignedIn { username, id_token } => (username.clone(), id_token.clone()),
        _ => Default::default(),
    };
    Remembered {
        mode: wire_mode(&s.mode),
        identity_id: s.identity_id.clone(),
        username,
        id_token,
        keys: Keys {
            access_key_id: c.access_key_id.clone(),
            secret_access_key: c.secret_access_key.clone(),
            session_token: c.session_token.clone().unwrap_or_default(),
        },
        expiration: expiration_ms(c),
    }
}

/// Tells the page who is connected and until when: as the answer to request `id`, or (`None`)
/// after a refresh. When the learner asked, with the credentials to keep in sessionStorage if
/// they are temporary.
pub fn announce(shared: &Shared, id: Option<u64>, label: Option<&str>) {
    let st = shared.borrow();
    let Some(s) = st.session.as_ref() else {
        return;
    };
    let Some(c) = s.cache.current() else {
        return;
    };
    let user = match &s.mode {
        Mode::Guest => String::new(),
        Mode::SignedIn { username, .. } => username.clone(),
        Mode::Keys | Mode::Practice => label.unwrap_or_default().to_string(),
    };
    let session = wire::Session {
        mode: wire_mode(&s.mode),
        user,
        identity_id: s.identity_id.clone(),
        access_key_id: c.access_key_id.clone(),
        expiration: expiration_ms(c),
    };
    let remember = if !st.remember {
        Remember::NotAsked
    } else if c.may_be_remembered() {
        Remember::Keep(Box::new(remembered(s, c)))
    } else {
        Remember::LongTermKeys
    };
    post::send(match id {
        Some(id) => FromLive::Connected {
            id,
            session,
            remember,
        },
        None => FromLive::Renewed { session, remember },
    });
}

/// New credentials for the session, hidden from every message to the page from now on.
pub fn store(s: &mut Session, c: Credentials) {
    post::hide(&c);
    s.cache.refreshed(c);
}

type Pending<T> = Pin<Box<dyn Future<Output = T>>>;

/// Renews the session's credentials (boxed: calls made during the refresh go through `call`,
/// which may itself ask for a refresh).
pub fn refresh(shared: Shared) -> Pending<Result<Credentials, CallError>> {
    Box::pin(async move {
        let (config, mode, identity_id, generation) = {
            let st = shared.borrow();
            let Some(s) = st.session.as_ref() else {
                return Err(CallError::local("NotConnected", "Not connected."));
            };
            (
                s.config.clone(),
                s.mode.clone(),
                s.identity_id.clone(),
                s.generation,
            )
        };
        let result = if mode.has_fixed_keys() {
            Err(CallError::local(
                "ExpiredToken",
                "The pasted credentials have expired: paste new ones.",
            ))
        } else {
            identity_credentials(&shared, 0, &config, &mode, identity_id).await
        };
        {
            let mut st = shared.borrow_mut();
            let Some(s) = st.session.as_mut().filter(|s| s.generation == generation) else {
                return Err(CallError::local("NotConnected", "Signed out."));
            };
            match &result {
                Ok((c, identity)) => {
                    store(s, c.clone());
                    s.identity_id = Some(identity.clone());
                }
                Err(_) => s.cache.refresh_failed(),
            }
        }
        let (credentials, _) = result?;
        announce(&shared, None, None);
        arm_refresh_timer(&shared);
        Ok(credentials)
    })
}

/// The service said the credentials expired: forget them so the next attempt refreshes.
/// Returns whether a refresh is possible (not for pasted keys).
pub fn invalidate(shared: &Shared) -> bool {
    let mut st = shared.borrow_mut();
    match st.session.as_mut() {
        Some(s) if !s.mode.has_fixed_keys() => {
            s.cache.invalidate();
            true
        }
        _ => false,
    }
}

/// Refreshes in the background five minutes before expiry, so the countdown the page shows
/// renews by itself and calls never wait for it.
pub fn arm_refresh_timer(shared: &Shared) {
    let (generation, expiration) = {
        let st = shared.borrow();
        let Some(s) = st.session.as_ref() else { return };
        let Some(e) = s.cache.current().and_then(|c| c.expiration) else {
            return;
        };
        (s.generation, e)
    };
    let token = (generation, epoch_ms(expiration) as u64);
    shared.borrow_mut().refresh_timer = Some(token);
    let due = epoch_ms(expiration) - REFRESH_AHEAD.as_millis() as f64 - now_ms();
    // Never sooner than 15 s: short-lived credentials are renewed by the next call instead.
    let wait = Duration::from_millis(due.max(15_000.0) as u64);
    let shared = shared.clone();
    wasm_bindgen_futures::spawn_local(async move {
        sleep(wait).await;
        if shared.borrow().refresh_timer != Some(token) {
            return;
        }
        let stale = shared
            .borrow()
            .session
            .as_ref()
            .and_then(|s| {
                s.cache
                    .current()
                    .map(|c| needs_refresh(c.expiration, now()))
            })
            .unwrap_or(false);
        if stale {
            let _ = crate::call::credentials(&shared).await;
        }
    });
}

pub fn install(shared: &Shared, config: Config, mode: Mode, remember: bool) {
    let mut st = shared.borrow_mut();
    st.generation += 1;
    let generation = st.generation;
    st.remember = remember;
    st.challenge = None;
    st.session = Some(Session {
        config,
        mode,
        identity_id: None,
        cache: CredentialCache::default(),
        generation,
    });
}

pub fn drop_session(shared: &Shared) {
    let mut st = shared.borrow_mut();
    st.session = None;
    st.generation += 1;
}

pub fn sign_out(shared: &Shared) {
    let mut st = shared.borrow_mut();
    st.session = None;
    st.challenge = None;
    st.generation += 1;
    st.refresh_timer = None;
    for (_, abort) in st.aborts.drain() {
        abort.abort();
    }
    post::forget_secrets();
}
