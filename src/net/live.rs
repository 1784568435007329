//! A client for the live-mode worker (crates/live), started on first use so the offline page
//! never downloads it. Requests and answers are crates/protocol's `ToLive` and `FromLive`;
//! each answer goes to the handler of the request it belongs to, everything else (inspector
//! records, renewed credentials) to the broadcast.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};
use wyvern_protocol::live::{FromLive, Request, ToLive};

/// The worker script trunk writes next to index.html (the loader shim of crates/live).
const WORKER_SCRIPT: &str = "./wyvern-live_loader.js";

type Handler = Rc<dyn Fn(FromLive)>;

pub struct LiveClient {
    worker: Worker,
    next_id: Cell<u64>,
    ready: Rc<Cell<bool>>,
    /// Requests made before the worker said it was listening.
    queue: Rc<RefCell<Vec<JsValue>>>,
    handlers: Rc<RefCell<HashMap<u64, Handler>>>,
}

impl LiveClient {
    /// Starts the worker; `broadcast` gets the messages that answer no request under way.
    pub fn spawn(broadcast: impl Fn(FromLive) + 'static) -> Result<LiveClient, String> {
        let worker =
            Worker::new(WORKER_SCRIPT).map_err(|e| format!("Live mode could not start: {e:?}"))?;
        let ready = Rc::new(Cell::new(false));
        let queue: Rc<RefCell<Vec<JsValue>>> = Rc::default();
        let handlers: Rc<RefCell<HashMap<u64, Handler>>> = Rc::default();
        let (w, r, q, h) = (
            worker.clone(),
            ready.clone(),
            queue.clone(),
            handlers.clone(),
        );
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(msg) = FromLive::from_js(&ev.data()) else {
                return;
            };
            if matches!(msg, FromLive::Ready) {
                r.set(true);
                for m in q.borrow_mut().drain(..) {
                    let _ = w.post_message(&m);
                }
                return;
            }
            let handler = msg.answers().and_then(|id| {
                let mut list = h.borrow_mut();
                if msg.is_last() {
                    list.remove(&id)
                } else {
                    list.get(&id).cloned()
                }
            });
            match handler {
                Some(handler) => handler(msg),
                None => broadcast(msg),
            }
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        Ok(LiveClient {
            worker,
            next_id: Cell::new(1),
            ready,
            queue,
            handlers,
        })
    }

    fn post(&self, msg: ToLive) {
        let msg = msg.to_js();
        if self.ready.get() {
            let _ = self.worker.post_message(&msg);
        } else {
            self.queue.borrow_mut().push(msg);
        }
    }

    /// Sends a request; `on_msg` gets each answer to it. Returns the request's id.
    pub fn send(&self, request: Request, on_msg: impl Fn(FromLive) + 'static) -> u64 {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        self.handlers.borrow_mut().insert(id, Rc::new(on_msg));
        self.post(ToLive::Request { id, request });
        id
    }

    pub fn cancel(&self, id: u64) {
        self.post(ToLive::Cancel { id });
    }

    pub fn sign_out(&self) {
        self.post(ToLive::SignOut);
    }
}
