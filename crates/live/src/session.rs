//! The session's life: announcing who is connected, refreshing credentials (on demand, on a
//! timer five minutes before expiry, and when a service says they expired), and signing out.

use crate::call::{CallError, Shared};
use crate::clock::{epoch_ms, now, now_ms, sleep};
use crate::identity::identity_credentials;
use crate::post;
use crate::state::{Config, Mode, Session};
use serde_json::{json, Value};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use wyvern_aws::cognito::CredentialCache;
use wyvern_aws::retry::{needs_refresh, REFRESH_AHEAD};
use wyvern_aws::Credentials;

fn expiration_ms(c: &Credentials) -> Value {
    c.expiration.map_or(Value::Null, |e| json!(epoch_ms(e)))
}

/// What "remember on this device" keeps in sessionStorage (the learner opted in).
fn remembered(s: &Session, c: &Credentials) -> Value {
    let (mode, username, id_token) = match &s.mode {
        Mode::Guest => ("guest", "", ""),
        Mode::SignedIn { username, id_token } => ("signin", username.as_str(), id_token.as_str()),
        Mode::Keys => ("keys", "", ""),
    };
    json!({
        "mode": mode, "identityId": s.identity_id, "username": username, "idToken": id_token,
        "accessKeyId": c.access_key_id, "secretAccessKey": c.secret_access_key,
        "sessionToken": c.session_token, "expiration": expiration_ms(c),
    })
}

/// Why "remember on this device" kept nothing, for the page to show.
const NOT_REMEMBERED: &str = "Long-term keys (without a session token) are not remembered on this device: they stay in this tab's memory until you sign out or close it.";

/// Tells the page who is connected and until when; with `remember`, the credentials to keep in
/// sessionStorage, if they are temporary (otherwise `notRemembered` says why not).
pub fn announce(shared: &Shared, kind: &str, id: u64, remember: bool, label: Option<&str>) {
    let st = shared.borrow();
    let Some(s) = st.session.as_ref() else {
        return;
    };
    let Some(c) = s.cache.current() else {
        return;
    };
    let (mode, user) = match &s.mode {
        Mode::Guest => ("guest", String::new()),
        Mode::SignedIn { username, .. } => ("signin", username.clone()),
        Mode::Keys => ("keys", label.unwrap_or_default().to_string()),
    };
    let mut msg = json!({
        "type": kind, "id": id, "mode": mode, "user": user, "identityId": s.identity_id,
        "accessKeyId": c.access_key_id, "expiration": expiration_ms(c),
        "hasIdToken": matches!(s.mode, Mode::SignedIn { .. }),
    });
    if !remember {
        return post::send(msg);
    }
    if c.may_be_remembered() {
        return post::send_with_remembered(msg, remembered(s, c));
    }
    msg["notRemembered"] = json!(NOT_REMEMBERED);
    post::send(msg);
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
        let result = if mode == Mode::Keys {
            Err(CallError::local(
                "ExpiredToken",
                "The pasted credentials have expired: paste new ones.",
            ))
        } else {
            identity_credentials(&shared, 0, &config, &mode, identity_id).await
        };
        let remember = {
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
            st.remember
        };
        let (credentials, _) = result?;
        announce(&shared, "credentials", 0, remember, None);
        arm_refresh_timer(&shared);
        Ok(credentials)
    })
}

/// The service said the credentials expired: forget them so the next attempt refreshes.
/// Returns whether a refresh is possible (not for pasted keys).
pub fn invalidate(shared: &Shared) -> bool {
    let mut st = shared.borrow_mut();
    match st.session.as_mut() {
        Some(s) if s.mode != Mode::Keys => {
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
