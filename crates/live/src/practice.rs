//! The practice account's worker (crates/practice), started by the first practice connect and
//! kept for the tab's life (its state is saved as it changes). In practice mode every request,
//! signed exactly as for AWS, is posted to it instead of fetched, and its answer comes back as
//! a response the rest of live mode reads as it reads the network's.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};
use wyvern_protocol::practice::{FromPractice, HttpRequest, ToPractice};
use wyvern_transport::{Answer, TransportError};

/// Beside the live worker's own loader (a worker's URLs resolve against its script).
const WORKER_SCRIPT: &str = "./wyvern-practice_loader.js";

/// Calls waiting for their answer: the function that resolves each one's promise.
type Waiting = Rc<RefCell<HashMap<u64, js_sys::Function>>>;

pub struct Practice {
    worker: Worker,
    /// Settles once the worker has loaded the saved account (rejected if it could not start).
    ready: js_sys::Promise,
    waiting: Waiting,
    next_id: Cell<u64>,
}

fn stopped() -> TransportError {
    TransportError::Failed("the practice account's worker stopped (reload the page)".into())
}

impl Practice {
    pub fn start() -> Result<Practice, TransportError> {
        let worker = Worker::new(WORKER_SCRIPT).map_err(|e| {
            TransportError::Failed(format!("the practice account could not start: {e:?}"))
        })?;
        let waiting: Waiting = Rc::default();
        let (mut resolve, mut reject) = (None, None);
        let ready = js_sys::Promise::new(&mut |yes, no| {
            resolve = Some(yes);
            reject = Some(no);
        });
        let (resolve, reject) = (resolve.unwrap_throw(), reject.unwrap_throw());
        let calls = waiting.clone();
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            let data = ev.data();
            let id = match FromPractice::from_js(&data) {
                Some(FromPractice::Ready) => {
                    let _ = resolve.call0(&JsValue::NULL);
                    return;
                }
                Some(FromPractice::Answer { id, .. } | FromPractice::Reset { id }) => id,
                None => return,
            };
            if let Some(settle) = calls.borrow_mut().remove(&id) {
                let _ = settle.call1(&JsValue::NULL, &data);
            }
        });
        // A worker that fails to load or crashes answers nothing again: every waiting call ends.
        let calls = waiting.clone();
        let onerror = Closure::<dyn Fn()>::new(move || {
            let _ = reject.call0(&JsValue::NULL);
            for (_, settle) in calls.borrow_mut().drain() {
                let _ = settle.call1(&JsValue::NULL, &JsValue::UNDEFINED);
            }
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        onmessage.forget();
        onerror.forget();
        Ok(Practice {
            worker,
            ready,
            waiting,
            next_id: Cell::new(0),
        })
    }

    /// Waits until the saved account is loaded.
    pub async fn ready(&self) -> Result<(), TransportError> {
        JsFuture::from(self.ready.clone())
            .await
            .map(|_| ())
            .map_err(|_| stopped())
    }

    /// Posts a message built for a fresh id and waits for the answer to it.
    async fn ask(
        &self,
        message: impl FnOnce(u64) -> ToPractice,
    ) -> Result<FromPractice, TransportError> {
        self.ready().await?;
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        let answered = js_sys::Promise::new(&mut |settle, _| {
            self.waiting.borrow_mut().insert(id, settle);
        });
        if self.worker.post_message(&message(id).to_js()).is_err() {
            self.waiting.borrow_mut().remove(&id);
            return Err(stopped());
        }
        let data = JsFuture::from(answered).await.map_err(|_| stopped())?;
        FromPractice::from_js(&data).ok_or_else(stopped)
    }

    /// Sends a signed request to the practice account (as `transport::send` sends to AWS).
    pub async fn send(&self, req: &HttpRequest) -> Result<Answer, TransportError> {
        let request = req.clone();
        match self.ask(|id| ToPractice::Call { id, request }).await? {
            FromPractice::Answer { response, .. } => {
                Answer::made(response.status, response.headers, &response.body)
            }
            _ => Err(stopped()),
        }
    }

    /// Puts the practice account back to its seed.
    pub async fn reset(&self) -> Result<(), TransportError> {
        match self.ask(|id| ToPractice::Reset { id }).await? {
            FromPractice::Reset { .. } => Ok(()),
            _ => Err(stopped()),
        }
    }
}
