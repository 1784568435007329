//! Wyvern's live mode, in its own Web Worker so the offline page never loads it: the page posts
//! JSON requests (`{"op": "connect" | "select" | "ssm" | ...,"id": n}`) and gets JSON messages
//! back (`connected`, `records`, `stats`, `end`, `result`, `error`, `exchange`, ...). The
//! credentials stay in this worker.

mod call;
mod clock;
mod connect;
mod dragons;
mod exchange;
mod fields;
mod identity;
mod objects;
mod parameters;
mod post;
mod select;
mod session;
mod state;

use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::MessageEvent;

fn dispatch(shared: &call::Shared, msg: Value) {
    let id = msg.get("id").and_then(Value::as_u64).unwrap_or(0);
    let op = msg
        .get("op")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let shared = shared.clone();
    match op.as_str() {
        "connect" => spawn_local(connect::connect(shared, id, msg)),
        "new_password" => spawn_local(connect::new_password(shared, id, msg)),
        "sign_out" => session::sign_out(&shared),
        "select" => spawn_local(select::select(shared, id, msg)),
        "cancel" => {
            let target = msg.get("target").and_then(Value::as_u64).unwrap_or(0);
            objects::cancel(&shared, target);
        }
        "list" => spawn_local(objects::list(shared, id, msg)),
        "get_object" => spawn_local(objects::get_object(shared, id, msg)),
        "ssm" => spawn_local(parameters::ssm(shared, id, msg)),
        "dragons" => spawn_local(dragons::dragons(shared, id, msg)),
        other => post::send(
            json!({"type": "error", "id": id, "code": "BadRequest", "message": format!("unknown op \"{other}\"")}),
        ),
    }
}

fn main() {
    let shared: call::Shared = Rc::new(RefCell::new(state::State::default()));
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some(text) = ev.data().as_string() else {
            return;
        };
        match serde_json::from_str::<Value>(&text) {
            Ok(msg) => dispatch(&shared, msg),
            Err(e) => post::send(
                json!({"type": "error", "id": 0, "code": "BadRequest", "message": e.to_string()}),
            ),
        }
    });
    clock::scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    post::send(json!({"type": "ready"}));
}
