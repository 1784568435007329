//! The only code that talks to browser APIs beyond the DOM: the workers, the page's URL and
//! storage, and the Blob store that keeps a run's output.

pub mod engine;
pub mod live;
pub mod output_store;
pub mod page;

/// Posts a message to a worker, transferring the `MessagePort` it carries under `port`, if any
/// (a port cannot be cloned, only handed over).
fn post_to(worker: &web_sys::Worker, msg: &wasm_bindgen::JsValue) {
    let port = js_sys::Reflect::get(msg, &"port".into()).unwrap_or_default();
    let transfer = if port.is_object() {
        js_sys::Array::of1(&port)
    } else {
        js_sys::Array::new()
    };
    let _ = worker.post_message_with_transfer(msg, &transfer);
}
