//! Sends an `http::Request` with fetch and reads the answer, whole or as a stream of chunks.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, ReadableStreamDefaultReader, RequestInit, RequestRedirect, Response};

/// fetch fails a refused redirect the same way as a network failure, so the message names it.
const REFUSED_REDIRECT: &str =
    "or the service answered with a redirect, which Wyvern refuses to follow";

/// Headers the browser sets itself and refuses from scripts (the signature covers the same
/// values, which the browser derives from the URL and body).
const BROWSER_SET: &[&str] = &["host", "content-length"];

pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub response: Response,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn js_text(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Sends the request; `Err` when no answer came (network failure, CORS refusal, abort).
pub async fn send(
    req: &http::Request<Vec<u8>>,
    signal: Option<&AbortSignal>,
) -> Result<Answer, String> {
    let init = RequestInit::new();
    init.set_method(req.method().as_str());
    // The allow-list is checked on this URL only: a redirect would carry the signed headers
    // (and the session token) to wherever it points, so fetch fails instead of following it.
    init.set_redirect(RequestRedirect::Error);
    let headers = web_sys::Headers::new().map_err(|e| js_text(&e))?;
    for (name, value) in req.headers() {
        if BROWSER_SET.contains(&name.as_str()) {
            continue;
        }
        let value = String::from_utf8_lossy(value.as_bytes());
        headers
            .append(name.as_str(), &value)
            .map_err(|e| js_text(&e))?;
    }
    init.set_headers(&headers);
    if !req.body().is_empty() {
        let body = js_sys::Uint8Array::from(req.body().as_slice());
        init.set_body(&body);
    }
    if let Some(s) = signal {
        init.set_signal(Some(s));
    }
    let request = web_sys::Request::new_with_str_and_init(&req.uri().to_string(), &init)
        .map_err(|e| js_text(&e))?;
    let response: Response = JsFuture::from(crate::clock::scope().fetch_with_request(&request))
        .await
        .map_err(|e| format!("{} ({REFUSED_REDIRECT})", js_text(&e)))?
        .unchecked_into();
    let mut list = Vec::new();
    if let Ok(Some(iter)) = js_sys::try_iter(&response.headers()) {
        for pair in iter.flatten() {
            let pair: js_sys::Array = pair.unchecked_into();
            list.push((
                pair.get(0).as_string().unwrap_or_default(),
                pair.get(1).as_string().unwrap_or_default(),
            ));
        }
    }
    Ok(Answer {
        status: response.status(),
        headers: list,
        response,
    })
}

/// The whole body.
pub async fn body(answer: &Answer) -> Result<Vec<u8>, String> {
    let buffer = answer.response.array_buffer().map_err(|e| js_text(&e))?;
    let buffer = JsFuture::from(buffer).await.map_err(|e| js_text(&e))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The whole body as a Blob (for a downloaded object handed to the engine).
pub async fn blob(answer: &Answer) -> Result<web_sys::Blob, String> {
    let blob = answer.response.blob().map_err(|e| js_text(&e))?;
    Ok(JsFuture::from(blob)
        .await
        .map_err(|e| js_text(&e))?
        .unchecked_into())
}

/// Reads the body chunk by chunk.
pub struct Chunks(ReadableStreamDefaultReader);

impl Chunks {
    pub fn new(answer: &Answer) -> Option<Chunks> {
        let stream = answer.response.body()?;
        Some(Chunks(stream.get_reader().unchecked_into()))
    }

    /// The next chunk; `Ok(None)` at the end.
    pub async fn next(&self) -> Result<Option<Vec<u8>>, String> {
        let result = JsFuture::from(self.0.read())
            .await
            .map_err(|e| js_text(&e))?;
        let done = js_sys::Reflect::get(&result, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(None);
        }
        let value = js_sys::Reflect::get(&result, &"value".into()).map_err(|e| js_text(&e))?;
        Ok(Some(js_sys::Uint8Array::new(&value).to_vec()))
    }

    pub fn cancel(&self) {
        let _ = self.0.cancel();
    }
}
