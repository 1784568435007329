//! Where the bytes come from: a `File` the user chose (it never leaves the browser) or a URL
//! (the bundled datasets), both read as streams so memory stays bounded.

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DedicatedWorkerGlobalScope, File, ReadableStream, ReadableStreamDefaultReader, Response,
};

pub struct Source {
    reader: ReadableStreamDefaultReader,
    /// Total size when known (0 otherwise), for the progress bar.
    pub total: f64,
    /// With gunzip: compressed bytes read so far, and the callback that counts them.
    counted: Option<Counter>,
}

/// Bytes seen by a counting stage, and the JS callback that counts them (kept alive with it).
type Counter = (Rc<Cell<f64>>, Closure<dyn FnMut(JsValue, JsValue)>);

/// A global constructor, e.g. `TransformStream`, called with `args`.
fn construct(name: &str, args: &Array) -> Result<JsValue, String> {
    let ctor: Function = Reflect::get(&js_sys::global(), &name.into())
        .ok()
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| format!("This browser has no {name}."))?;
    Reflect::construct(&ctor, args).map_err(text)
}

/// `stream` through a byte counter and the browser's gzip decoder (DecompressionStream), so the
/// engine wasm needs no gzip code of its own.
fn gunzip(stream: ReadableStream) -> Result<(ReadableStream, Counter), String> {
    let count = Rc::new(Cell::new(0.0));
    let c = count.clone();
    let transform =
        Closure::<dyn FnMut(JsValue, JsValue)>::new(move |chunk: JsValue, controller: JsValue| {
            c.set(
                c.get()
                    + Reflect::get(&chunk, &"byteLength".into())
                        .ok()
                        .and_then(|n| n.as_f64())
                        .unwrap_or(0.0),
            );
            if let Ok(enqueue) =
                Reflect::get(&controller, &"enqueue".into()).and_then(|f| f.dyn_into::<Function>())
            {
                let _ = enqueue.call1(&controller, &chunk);
            }
        });
    let transformer = Object::new();
    let _ = Reflect::set(&transformer, &"transform".into(), transform.as_ref());
    let counter = construct("TransformStream", &Array::of1(&transformer))?;
    let decoder = construct("DecompressionStream", &Array::of1(&"gzip".into()))?;
    let pipe = |s: &JsValue, through: &JsValue| -> Result<JsValue, String> {
        let f: Function = Reflect::get(s, &"pipeThrough".into())
            .map_err(text)?
            .dyn_into()
            .map_err(|_| "no pipeThrough".to_string())?;
        f.call1(s, through).map_err(text)
    };
    let counted = pipe(&stream, &counter)?;
    let out = pipe(&counted, &decoder)?;
    Ok((out.unchecked_into(), (count, transform)))
}

fn text(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "unknown error".to_string())
}

impl Source {
    /// Opens the message's file or URL; with `gunzip`, the bytes come out decompressed.
    pub async fn open(msg: &JsValue, gunzip_it: bool) -> Result<Source, String> {
        let (stream, total) = Self::stream(msg).await?;
        if gunzip_it {
            let (stream, counter) = gunzip(stream)?;
            return Ok(Source {
                reader: stream.get_reader().unchecked_into(),
                total,
                counted: Some(counter),
            });
        }
        Ok(Source {
            reader: stream.get_reader().unchecked_into(),
            total,
            counted: None,
        })
    }

    /// Bytes read from the file or URL (before decompression).
    pub fn read_so_far(&self, decompressed: f64) -> f64 {
        self.counted.as_ref().map_or(decompressed, |(c, _)| c.get())
    }

    async fn stream(msg: &JsValue) -> Result<(ReadableStream, f64), String> {
        let file = Reflect::get(msg, &"file".into())
            .ok()
            .filter(|f| f.is_instance_of::<File>());
        if let Some(file) = file {
            let file: File = file.unchecked_into();
            return Ok((file.stream(), file.size()));
        }
        let url = super::messages::get_str(msg, "url");
        if url.is_empty() {
            return Err("No data: choose a dataset or open a file.".to_string());
        }
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let resp = JsFuture::from(scope.fetch_with_str(&url))
            .await
            .map_err(|e| format!("Could not fetch {url}: {}", text(e)))?;
        let resp: Response = resp.unchecked_into();
        if !resp.ok() {
            return Err(format!(
                "Could not fetch {url}: HTTP {} {}",
                resp.status(),
                resp.status_text()
            ));
        }
        let total = resp
            .headers()
            .get("content-length")
            .ok()
            .flatten()
            .and_then(|l| l.parse::<f64>().ok())
            .unwrap_or(0.0);
        let body = resp.body().ok_or_else(|| format!("{url} has no body"))?;
        Ok((body, total))
    }

    /// The next chunk, or `None` at the end.
    pub async fn next(&mut self) -> Result<Option<Vec<u8>>, String> {
        let result = JsFuture::from(self.reader.read())
            .await
            .map_err(|e| format!("Could not read the data: {}", text(e)))?;
        let done = Reflect::get(&result, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(None);
        }
        let value = Reflect::get(&result, &"value".into()).map_err(text)?;
        Ok(Some(value.unchecked_into::<Uint8Array>().to_vec()))
    }

    pub fn cancel(&self) {
        let _ = self.reader.cancel();
    }
}
