//! A client for the engine's Web Worker (crates/worker): posts run/cancel requests and hands
//! on the worker's replies, both as crates/protocol defines them.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// The worker script scripts/build-site.py writes next to index.html (the loader shim of crates/worker).
const WORKER_SCRIPT: &str = "./wyvern-worker_loader.js";

pub use wyvern_protocol::engine::{
    AthenaTranslation, Detected, EngineError, FromEngine, FunctionDoc, RunStats, Shape, Source,
};
use wyvern_protocol::engine::{Run, ToEngine};

pub struct EngineClient {
    worker: Worker,
    next_id: Cell<f64>,
    ready: Rc<Cell<bool>>,
    /// Requests made before the worker said it was listening.
    queue: Rc<RefCell<Vec<JsValue>>>,
}

impl EngineClient {
    pub fn spawn(on_event: impl Fn(FromEngine) + 'static) -> Result<EngineClient, String> {
        let worker =
            Worker::new(WORKER_SCRIPT).map_err(|e| format!("The engine could not start: {e:?}"))?;
        let ready = Rc::new(Cell::new(false));
        let queue: Rc<RefCell<Vec<JsValue>>> = Rc::default();
        let (w, r, q) = (worker.clone(), ready.clone(), queue.clone());
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(event) = FromEngine::from_js(&ev.data()) else {
                return;
            };
            if matches!(event, FromEngine::Ready { .. }) {
                r.set(true);
                for msg in q.borrow_mut().drain(..) {
                    super::post_to(&w, &msg);
                }
            }
            on_event(event);
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        Ok(EngineClient {
            worker,
            next_id: Cell::new(1.0),
            ready,
            queue,
        })
    }

    fn send(&self, msg: ToEngine) {
        let msg = msg.to_js();
        if self.ready.get() {
            super::post_to(&self.worker, &msg);
        } else {
            self.queue.borrow_mut().push(msg);
        }
    }

    fn new_id(&self) -> f64 {
        let id = self.next_id.get();
        self.next_id.set(id + 1.0);
        id
    }

    /// Starts a query; returns its id.
    pub fn run(&self, sql: &str, input: &str, output: &str, source: Source) -> f64 {
        self.send_run(sql, input, output, source, ToEngine::Run)
    }

    /// Samples the fields `sql`'s FROM clause yields; the answer is a `Shaped` with this id.
    pub fn shape(&self, sql: &str, input: &str, source: Source) -> f64 {
        self.send_run(sql, input, "", source, ToEngine::Shape)
    }

    fn send_run(
        &self,
        sql: &str,
        input: &str,
        output: &str,
        source: Source,
        kind: fn(Run) -> ToEngine,
    ) -> f64 {
        let id = self.new_id();
        self.send(kind(Run {
            id,
            sql: sql.to_string(),
            input: input.to_string(),
            output: output.to_string(),
            source,
        }));
        id
    }

    /// Asks for the settings that read `file`; the answer is a `Detected` with the returned id.
    /// `size`: the whole object's, when `file` is only its start.
    pub fn detect(&self, file: web_sys::File, size: Option<f64>) -> f64 {
        let id = self.new_id();
        self.send(ToEngine::Detect { id, file, size });
        id
    }

    /// Asks for `sql` in Athena's SQL, for a table named `table` of the object `input` (the
    /// InputSerialization JSON text, as a run takes it) reads; the answer is an `Athena` with
    /// the returned id.
    pub fn to_athena(&self, sql: &str, table: &str, input: &str) -> f64 {
        let id = self.new_id();
        self.send(ToEngine::ToAthena {
            id,
            sql: sql.to_string(),
            table: table.to_string(),
            input: input.to_string(),
        });
        id
    }

    pub fn cancel(&self, id: f64) {
        self.send(ToEngine::Cancel { id });
    }
}
