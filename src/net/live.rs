//! A client for the live-mode worker (crates/live), started on first use so the offline page
//! never downloads it. Requests are JSON text; each answer is routed to the handler of the
//! request it belongs to, and inspector records to the inspector.

use js_sys::{Object, Reflect, JSON};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// The worker script trunk writes next to index.html (the loader shim of crates/live).
const WORKER_SCRIPT: &str = "./wyvern-live_loader.js";

/// One message from the worker: its `type`, the request `id` it answers, and its fields.
#[derive(Clone, Debug)]
pub struct LiveMsg {
    pub kind: String,
    pub id: u64,
    pub data: JsValue,
}

pub fn field(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub fn text_of(v: &JsValue, key: &str) -> String {
    let f = field(v, key);
    f.as_string()
        .or_else(|| {
            // A number as JS writes it (Rust's float formatting would weigh on the page).
            f.as_f64()?;
            js_sys::JSON::stringify(&f).ok()?.as_string()
        })
        .unwrap_or_default()
}

pub fn num_of(v: &JsValue, key: &str) -> Option<f64> {
    field(v, key).as_f64()
}

pub fn list_of(v: &JsValue, key: &str) -> Vec<JsValue> {
    let f = field(v, key);
    if js_sys::Array::is_array(&f) {
        js_sys::Array::from(&f).iter().collect()
    } else {
        Vec::new()
    }
}

impl LiveMsg {
    pub fn text(&self, key: &str) -> String {
        text_of(&self.data, key)
    }
    pub fn num(&self, key: &str) -> Option<f64> {
        num_of(&self.data, key)
    }
    pub fn get(&self, key: &str) -> JsValue {
        field(&self.data, key)
    }
    /// Messages after which no more come for the same request.
    fn is_final(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "end"
                | "error"
                | "cancelled"
                | "result"
                | "listing"
                | "object"
                | "connected"
                | "challenge"
                | "invalid"
        )
    }
}

/// A request under construction: `Request::new("select").text("sql", ..)`.
pub struct Request(Object);

impl Request {
    pub fn new(op: &str) -> Request {
        let o = Object::new();
        let _ = Reflect::set(&o, &"op".into(), &op.into());
        Request(o)
    }
    pub fn text(self, key: &str, value: &str) -> Self {
        let _ = Reflect::set(&self.0, &key.into(), &value.into());
        self
    }
    pub fn flag(self, key: &str, value: bool) -> Self {
        let _ = Reflect::set(&self.0, &key.into(), &value.into());
        self
    }
    pub fn num(self, key: &str, value: f64) -> Self {
        let _ = Reflect::set(&self.0, &key.into(), &value.into());
        self
    }
    pub fn value(self, key: &str, value: &JsValue) -> Self {
        let _ = Reflect::set(&self.0, &key.into(), value);
        self
    }
}

type Handler = Rc<dyn Fn(LiveMsg)>;

pub struct LiveClient {
    worker: Worker,
    next_id: Cell<u64>,
    ready: Rc<Cell<bool>>,
    queue: Rc<RefCell<Vec<String>>>,
    handlers: Rc<RefCell<HashMap<u64, Handler>>>,
}

fn parse(data: &JsValue) -> Option<LiveMsg> {
    let value = match data.as_string() {
        Some(text) => JSON::parse(&text).ok()?,
        None => data.clone(),
    };
    Some(LiveMsg {
        kind: text_of(&value, "type"),
        id: num_of(&value, "id").unwrap_or(0.0) as u64,
        data: value,
    })
}

impl LiveClient {
    /// Starts the worker; `broadcast` gets the messages that belong to no request (inspector
    /// records, credential refreshes) and every message after its request's handler.
    pub fn spawn(broadcast: impl Fn(&LiveMsg) + 'static) -> Result<LiveClient, String> {
        let worker =
            Worker::new(WORKER_SCRIPT).map_err(|e| format!("Live mode could not start: {e:?}"))?;
        let ready = Rc::new(Cell::new(false));
        let queue: Rc<RefCell<Vec<String>>> = Rc::default();
        let handlers: Rc<RefCell<HashMap<u64, Handler>>> = Rc::default();
        let (w, r, q, h) = (
            worker.clone(),
            ready.clone(),
            queue.clone(),
            handlers.clone(),
        );
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(msg) = parse(&ev.data()) else {
                return;
            };
            if msg.kind == "ready" {
                r.set(true);
                for text in q.borrow_mut().drain(..) {
                    let _ = w.post_message(&text.into());
                }
                return;
            }
            let handler = h.borrow().get(&msg.id).cloned();
            if let (Some(handler), true) = (handler, msg.id != 0) {
                if !matches!(msg.kind.as_str(), "exchange" | "frames") {
                    if msg.is_final() {
                        h.borrow_mut().remove(&msg.id);
                    }
                    handler(msg.clone());
                }
            }
            broadcast(&msg);
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

    fn post(&self, text: String) {
        if self.ready.get() {
            let _ = self.worker.post_message(&text.into());
        } else {
            self.queue.borrow_mut().push(text);
        }
    }

    /// Sends a request; `on_msg` gets each answer to it. Returns the request's id.
    pub fn send(&self, req: Request, on_msg: impl Fn(LiveMsg) + 'static) -> u64 {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let _ = Reflect::set(&req.0, &"id".into(), &(id as f64).into());
        self.handlers.borrow_mut().insert(id, Rc::new(on_msg));
        if let Ok(text) = JSON::stringify(&req.0) {
            self.post(text.as_string().unwrap_or_default());
        }
        id
    }

    /// A request with no answer (cancel, sign out).
    pub fn tell(&self, req: Request) {
        if let Ok(text) = JSON::stringify(&req.0) {
            self.post(text.as_string().unwrap_or_default());
        }
    }

    pub fn cancel(&self, id: u64) {
        self.tell(Request::new("cancel").num("target", id as f64));
    }
}
