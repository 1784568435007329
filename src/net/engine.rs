//! A client for the engine's Web Worker (crates/worker): posts run/cancel requests and
//! turns the worker's replies into `EngineEvent`s.

use js_sys::{Object, Reflect};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker};

/// The worker script trunk writes next to index.html (the loader shim of crates/worker).
const WORKER_SCRIPT: &str = "./wyvern-worker_loader.js";

#[derive(Debug, Clone, PartialEq)]
pub struct RunStats {
    pub bytes_scanned: f64,
    pub bytes_processed: f64,
    pub bytes_returned: f64,
    pub records: f64,
    pub elapsed_ms: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EngineError {
    pub code: String,
    pub message: String,
    /// 1-based; 0 when the error has no position in the SQL.
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EngineEvent {
    Ready,
    Started {
        id: f64,
        total: f64,
    },
    Output {
        id: f64,
        raw: String,
        table: String,
    },
    Progress {
        id: f64,
        read: f64,
        total: f64,
        records: f64,
    },
    Done {
        id: f64,
        stats: RunStats,
    },
    Error {
        id: f64,
        error: EngineError,
    },
    Cancelled {
        id: f64,
    },
}

/// What a run reads.
pub enum RunSource {
    Url(String),
    File(File),
}

fn num(v: &JsValue, k: &str) -> f64 {
    Reflect::get(v, &k.into())
        .ok()
        .and_then(|x| x.as_f64())
        .unwrap_or(0.0)
}

fn text(v: &JsValue, k: &str) -> String {
    Reflect::get(v, &k.into())
        .ok()
        .and_then(|x| x.as_string())
        .unwrap_or_default()
}

fn event_from(data: &JsValue) -> Option<EngineEvent> {
    let id = num(data, "id");
    Some(match text(data, "type").as_str() {
        "ready" => EngineEvent::Ready,
        "started" => EngineEvent::Started {
            id,
            total: num(data, "total"),
        },
        "output" => EngineEvent::Output {
            id,
            raw: text(data, "raw"),
            table: text(data, "table"),
        },
        "progress" => EngineEvent::Progress {
            id,
            read: num(data, "read"),
            total: num(data, "total"),
            records: num(data, "records"),
        },
        "done" => EngineEvent::Done {
            id,
            stats: RunStats {
                bytes_scanned: num(data, "bytes_scanned"),
                bytes_processed: num(data, "bytes_processed"),
                bytes_returned: num(data, "bytes_returned"),
                records: num(data, "records"),
                elapsed_ms: num(data, "elapsed_ms"),
            },
        },
        "error" => EngineEvent::Error {
            id,
            error: EngineError {
                code: text(data, "code"),
                message: text(data, "message"),
                line: num(data, "line") as u32,
                column: num(data, "column") as u32,
            },
        },
        "cancelled" => EngineEvent::Cancelled { id },
        _ => return None,
    })
}

pub struct EngineClient {
    worker: Worker,
    next_id: Cell<f64>,
    ready: Rc<Cell<bool>>,
    /// Requests made before the worker said it was listening.
    queue: Rc<RefCell<Vec<Object>>>,
}

impl EngineClient {
    pub fn spawn(on_event: impl Fn(EngineEvent) + 'static) -> Result<EngineClient, String> {
        let worker =
            Worker::new(WORKER_SCRIPT).map_err(|e| format!("The engine could not start: {e:?}"))?;
        let ready = Rc::new(Cell::new(false));
        let queue: Rc<RefCell<Vec<Object>>> = Rc::default();
        let (w, r, q) = (worker.clone(), ready.clone(), queue.clone());
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(event) = event_from(&ev.data()) else {
                return;
            };
            if event == EngineEvent::Ready {
                r.set(true);
                for msg in q.borrow_mut().drain(..) {
                    let _ = w.post_message(&msg);
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

    fn send(&self, msg: Object) {
        if self.ready.get() {
            let _ = self.worker.post_message(&msg);
        } else {
            self.queue.borrow_mut().push(msg);
        }
    }

    fn message(&self, kind: &str) -> (f64, Object) {
        let id = self.next_id.get();
        self.next_id.set(id + 1.0);
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"type".into(), &kind.into());
        let _ = Reflect::set(&msg, &"id".into(), &id.into());
        (id, msg)
    }

    /// Starts a query; returns its id.
    pub fn run(&self, sql: &str, input: &str, output: &str, source: RunSource) -> f64 {
        let (id, msg) = self.message("run");
        for (k, v) in [("sql", sql), ("input", input), ("output", output)] {
            let _ = Reflect::set(&msg, &k.into(), &v.into());
        }
        match source {
            RunSource::Url(url) => {
                let _ = Reflect::set(&msg, &"url".into(), &url.into());
            }
            RunSource::File(file) => {
                let _ = Reflect::set(&msg, &"file".into(), &file.into());
            }
        }
        self.send(msg);
        id
    }

    pub fn cancel(&self, id: f64) {
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"type".into(), &"cancel".into());
        let _ = Reflect::set(&msg, &"id".into(), &id.into());
        self.send(msg);
    }
}
