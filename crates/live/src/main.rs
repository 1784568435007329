//! Wyvern's live mode, in its own Web Worker so the offline page never loads it: the page posts
//! requests (crates/protocol's `ToLive`) and gets `FromLive` messages back: the answers, the
//! inspector's records, renewed credentials. The credentials stay in this worker.

mod athena;
mod call;
mod clock;
mod connect;
mod dragons;
mod exchange;
mod identity;
mod objects;
mod parameters;
mod post;
mod practice;
mod ranges;
mod select;
mod session;
mod state;

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::MessageEvent;
use wyvern_protocol::live::{FromLive, Request, ToLive};

fn dispatch(shared: &call::Shared, msg: ToLive) {
    let (id, request) = match msg {
        ToLive::Request { id, request } => (id, request),
        ToLive::Cancel { id } => return objects::cancel(shared, id),
        ToLive::SignOut => return session::sign_out(shared),
        ToLive::Ranges(port) => return ranges::listen(shared, port),
    };
    let shared = shared.clone();
    match request {
        Request::Connect(c) => spawn_local(connect::connect(shared, id, *c)),
        Request::NewPassword { password } => {
            spawn_local(connect::new_password(shared, id, password))
        }
        Request::Select(s) => spawn_local(select::select(shared, id, s)),
        Request::List {
            bucket,
            prefix,
            token,
        } => spawn_local(objects::list(shared, id, bucket, prefix, token)),
        Request::GetObject {
            bucket,
            key,
            first_bytes,
        } => spawn_local(objects::get_object(
            shared,
            id,
            bucket,
            key,
            first_bytes.map(|n| n as u64),
        )),
        Request::PutObject { bucket, key, blob } => {
            spawn_local(objects::put_object(shared, id, bucket, key, blob))
        }
        Request::Parameters(c) => spawn_local(parameters::parameters(shared, id, c)),
        Request::Athena(q) => spawn_local(athena::athena(shared, id, q)),
        Request::Dragons(c) => spawn_local(dragons::dragons(shared, id, c)),
        Request::ResetPractice => spawn_local(connect::reset_practice(shared, id)),
    }
}

fn main() {
    let shared: call::Shared = Rc::new(RefCell::new(state::State::default()));
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        match ToLive::from_js(&ev.data()) {
            Some(msg) => dispatch(&shared, msg),
            None => post::error(
                0,
                &call::CallError::local("BadRequest", "Not a request live mode knows."),
            ),
        }
    });
    clock::scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    post::send(FromLive::Ready);
}
