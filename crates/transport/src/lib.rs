//! Every HTTP request the workers make goes through here, on gloo-net's fetch: live mode's signed
//! AWS calls and the engine worker's data URLs. Redirects are refused (an allow-list checked on
//! the first URL must hold for the last), Cancel is an `AbortSignal`, and answers are read whole
//! or chunk by chunk, never buffered whole when streamed. Every failure is a [`TransportError`].

use gloo_net::http::{Headers, RequestBuilder, Response};
use std::fmt;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, ReadableStream, RequestRedirect};
use wyvern_aws::http_request::Request;

mod chunks;
pub use chunks::Chunks;

/// Why no (whole) answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// fetch got no answer: the network failed, the browser refused the answer (CORS), or the
    /// server redirected. The browser reports all three alike, so the message names them all.
    NoAnswer(String),
    /// Cancelled through its `AbortSignal`.
    Aborted,
    /// The request could not be made (a value fetch refuses) or the body could not be read.
    Failed(String),
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::NoAnswer(m) => write!(
                f,
                "{m} (no answer: the network failed, the browser refused the answer (CORS), or the service redirected, which Wyvern does not follow)"
            ),
            TransportError::Aborted => f.write_str("cancelled"),
            TransportError::Failed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for TransportError {}

/// gloo-net's error, by what happened: the DOM names an abort `AbortError` and a fetch that
/// got no answer a `TypeError`. (gloo-net 0.7 panics if a promise rejects with a value that is
/// not an Error; fetch and body reads reject only with a TypeError or a DOMException, which is
/// an Error in every current browser, and our aborts pass no custom reason.)
fn classify(e: gloo_net::Error, sending: bool) -> TransportError {
    match e {
        gloo_net::Error::JsError(js) if js.name == "AbortError" => TransportError::Aborted,
        gloo_net::Error::JsError(js) if sending && js.name == "TypeError" => {
            TransportError::NoAnswer(js.message)
        }
        other => TransportError::Failed(other.to_string()),
    }
}

fn js_failure(e: wasm_bindgen::JsValue) -> TransportError {
    let name = js_sys::Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    if name.as_deref() == Some("AbortError") {
        return TransportError::Aborted;
    }
    let message = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the body could not be read".to_string());
    TransportError::Failed(message)
}

/// Headers the browser sets itself and refuses from scripts (the signature covers the same
/// values, which the browser derives from the URL and body).
const BROWSER_SET: &[&str] = &["host", "content-length"];

/// An answer whose status and headers have arrived; the body is read on demand.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    response: web_sys::Response,
}

impl Answer {
    fn from_response(response: Response) -> Answer {
        Answer {
            status: response.status(),
            headers: response.headers().entries().collect(),
            response: response.into(),
        }
    }

    /// An answer made here rather than fetched (the practice account's), read like any other:
    /// whole, as a Blob, or chunk by chunk. `status` must be 200–599, as for any response.
    pub fn made(
        status: u16,
        headers: Vec<(String, String)>,
        body: &[u8],
    ) -> Result<Answer, TransportError> {
        let failed = |e: wasm_bindgen::JsValue| TransportError::Failed(format!("{e:?}"));
        let init = web_sys::ResponseInit::new();
        init.set_status(status);
        let list = web_sys::Headers::new().map_err(failed)?;
        for (name, value) in &headers {
            list.append(name, value).map_err(failed)?;
        }
        init.set_headers(&list);
        // 204 and 304 answers may not have a body at all, not even an empty one.
        let bytes: js_sys::Object = js_sys::Uint8Array::from(body).into();
        let response = web_sys::Response::new_with_opt_buffer_source_and_init(
            (!body.is_empty()).then_some(&bytes),
            &init,
        )
        .map_err(failed)?;
        Ok(Answer {
            status,
            headers,
            response,
        })
    }

    /// gloo-net's view of the same response (a second handle, not the JS `clone()`, which
    /// would tee the body).
    fn gloo(&self) -> Response {
        Response::from(Clone::clone(&self.response))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The whole body.
    pub async fn body(&self) -> Result<Vec<u8>, TransportError> {
        self.gloo().binary().await.map_err(|e| classify(e, false))
    }

    /// The whole body as a Blob, which the browser may keep on disk (a downloaded object).
    pub async fn blob(&self) -> Result<web_sys::Blob, TransportError> {
        let promise = self.response.blob().map_err(js_failure)?;
        Ok(JsFuture::from(promise)
            .await
            .map_err(js_failure)?
            .unchecked_into())
    }

    /// The body as a stream (`None`: no body), to pipe through a decoder.
    pub fn body_stream(&self) -> Option<ReadableStream> {
        self.gloo().body()
    }

    /// The body as a stream of chunks (`None`: no body).
    pub fn chunks(&self) -> Option<Chunks> {
        self.body_stream().map(Chunks::new)
    }
}

/// Sends `req` (method, headers but those the browser sets, body) and waits for the status and
/// headers; `signal` cancels it, at any point until the body is read.
pub async fn send(req: &Request, signal: Option<&AbortSignal>) -> Result<Answer, TransportError> {
    let headers = Headers::new();
    for (name, value) in &req.headers {
        if !BROWSER_SET.contains(&name.as_str()) {
            headers.append(name, value);
        }
    }
    // The method was checked when the request was built; gloo-net takes it as `http`'s type.
    let method = http::Method::from_bytes(req.method.as_bytes())
        .map_err(|e| TransportError::Failed(e.to_string()))?;
    let builder = builder(&req.url, signal).method(method).headers(headers);
    let request = if req.body.is_empty() {
        builder.build()
    } else {
        builder.body(js_sys::Uint8Array::from(req.body.as_slice()))
    }
    .map_err(|e| classify(e, false))?;
    let response = request.send().await.map_err(|e| classify(e, true))?;
    Ok(Answer::from_response(response))
}

/// GET `url` (a path of the page's own site, for the engine worker's data).
pub async fn get(url: &str, signal: Option<&AbortSignal>) -> Result<Answer, TransportError> {
    let response = builder(url, signal)
        .send()
        .await
        .map_err(|e| classify(e, true))?;
    Ok(Answer::from_response(response))
}

fn builder(url: &str, signal: Option<&AbortSignal>) -> RequestBuilder {
    // A redirect would carry the signed headers (and the session token) to wherever it points,
    // past the allow-list checked on this URL: fetch fails instead of following it.
    RequestBuilder::new(url)
        .redirect(RequestRedirect::Error)
        .abort_signal(signal)
}
