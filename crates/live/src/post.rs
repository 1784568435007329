//! Messages to the page: JSON text (one `type` each), and the one that carries a Blob.

use serde_json::{json, Value};
use wasm_bindgen::JsValue;

pub fn send(msg: Value) {
    let _ = crate::clock::scope().post_message(&JsValue::from_str(&msg.to_string()));
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
    set("reason", &reason.into());
    let _ = crate::clock::scope().post_message(&msg);
}
