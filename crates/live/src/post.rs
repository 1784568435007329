//! Messages to the page: JSON text (one `type` each), and the one that carries a Blob. Every
//! text in them is scrubbed of the credentials' secret key and session token first.

use serde_json::{json, Value};
use std::cell::RefCell;
use wasm_bindgen::JsValue;
use wyvern_aws::{redact, Credentials};

thread_local! {
    /// Secret keys and session tokens signed with since the last sign-out: an answer to a
    /// request signed before a refresh may still echo the old ones.
    static SECRETS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Adds `c`'s secrets to those no message may carry.
pub fn hide(c: &Credentials) {
    SECRETS.with_borrow_mut(|list| {
        for secret in c.secrets() {
            if !list.contains(&secret) {
                list.push(secret);
            }
        }
    });
}

/// Sign out: the worker keeps no secret, not even to scrub it.
pub fn forget_secrets() {
    SECRETS.with_borrow_mut(Vec::clear);
}

fn scrubbed(mut msg: Value) -> Value {
    SECRETS.with_borrow(|list| redact::scrub(&mut msg, list));
    msg
}

fn deliver(msg: &Value) {
    let _ = crate::clock::scope().post_message(&JsValue::from_str(&msg.to_string()));
}

pub fn send(msg: Value) {
    deliver(&scrubbed(msg));
}

/// `msg` scrubbed, with the credentials the learner asked to keep (sessionStorage) as they are.
pub fn send_with_remembered(msg: Value, remembered: Value) {
    let mut msg = scrubbed(msg);
    msg["remember"] = remembered;
    deliver(&msg);
}

/// A failed request, with the service's code and message when there was one.
pub fn error(id: u64, e: &crate::call::CallError) {
    use crate::call::CallError;
    let msg = match e {
        CallError::Aws(a) => json!({
            "type": "error", "id": id, "code": a.code, "message": a.message,
            "service": a.service, "status": a.status, "requestId": a.request_id,
        }),
        CallError::Network(text) => json!({
            "type": "error", "id": id, "code": "NetworkError",
            "message": format!("No answer from the service: {text}. Check the endpoint, your connection, and the service's CORS rules."),
        }),
        CallError::Aborted => json!({ "type": "cancelled", "id": id }),
        CallError::Local { code, message } => json!({
            "type": "error", "id": id, "code": code, "message": message,
        }),
    };
    send(msg);
}

/// A downloaded object, handed on to the engine as a Blob (no copy through JSON).
pub fn object(id: u64, blob: &web_sys::Blob, reason: &str) {
    let msg = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(&msg, &k.into(), v);
    };
    set("type", &"object".into());
    set("id", &(id as f64).into());
    set("blob", blob);
    let reason = scrubbed(Value::from(reason));
    set("reason", &reason.as_str().unwrap_or_default().into());
    let _ = crate::clock::scope().post_message(&msg);
}
