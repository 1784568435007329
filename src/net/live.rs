//! A client for the live-mode worker (crates/live), started on first use so the offline page
//! never downloads it. Requests and answers are crates/protocol's `ToLive` and `FromLive`;
//! each answer goes to the handler of the request it belongs to, everything else (inspector
//! records, renewed credentials) to the broadcast.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageChannel, MessageEvent, MessagePort, Worker};
use wyvern_protocol::live::{FromLive, Request, ToLive};

/// The worker script scripts/build-site.py writes next to index.html (the loader shim of crates/live).
const WORKER_SCRIPT: &str = "./wyvern-live_loader.js";

type Handler = Rc<dyn Fn(FromLive)>;
/// The handlers of the requests under way, by id: a few at a time, so a list (a `HashMap`
/// would link a hasher into the page's wasm for nothing).
type Handlers = Rc<RefCell<Vec<(u64, Handler)>>>;

pub struct LiveClient {
    worker: Worker,
    next_id: Cell<u64>,
    ready: Rc<Cell<bool>>,
    /// Requests made before the worker said it was listening.
    queue: Rc<RefCell<Vec<JsValue>>>,
    handlers: Handlers,
}

impl LiveClient {
    /// Starts the worker; `broadcast` gets the messages that answer no request under way.
    pub fn spawn(broadcast: impl Fn(FromLive) + 'static) -> Result<LiveClient, String> {
        let worker =
            Worker::new(WORKER_SCRIPT).map_err(|e| format!("Live mode could not start: {e:?}"))?;
        let ready = Rc::new(Cell::new(false));
        let queue: Rc<RefCell<Vec<JsValue>>> = Rc::default();
        let handlers: Handlers = Rc::default();
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
                    super::post_to(&w, &m);
                }
                return;
            }
            let handler = msg.answers().and_then(|id| {
                let mut list = h.borrow_mut();
                let at = list.iter().position(|(i, _)| *i == id)?;
                if msg.is_last() {
                    Some(list.swap_remove(at).1)
                } else {
                    Some(list[at].1.clone())
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
            super::post_to(&self.worker, &msg);
        } else {
            self.queue.borrow_mut().push(msg);
        }
    }

    /// A channel to this worker on which the engine worker reads a live object by byte ranges
    /// (crates/protocol's `ranges`): the engine's end.
    pub fn ranges_port(&self) -> Option<MessagePort> {
        let channel = MessageChannel::new().ok()?;
        self.post(ToLive::Ranges(channel.port1()));
        Some(channel.port2())
    }

    /// Sends a request; `on_msg` gets each answer to it. Returns the request's id.
    pub fn send(&self, request: Request, on_msg: impl Fn(FromLive) + 'static) -> u64 {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        self.handlers.borrow_mut().push((id, Rc::new(on_msg)));
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
