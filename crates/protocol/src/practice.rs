//! Live worker ⇄ practice worker (crates/practice). In practice mode the live worker signs its
//! requests as for AWS and, instead of fetching them, posts them here; the practice account
//! (crates/sandbox) answers each one as the service would. Bodies cross as `Uint8Array`s.

use crate::codec::{bytes, field, num, pairs, text, Fields};
use wasm_bindgen::JsValue;

/// A signed request, as live mode would have sent it.
pub use wyvern_aws::http_request::Request as HttpRequest;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ToPractice {
    Call {
        id: u64,
        request: HttpRequest,
    },
    /// Back to the seed (answered by `Reset` with the same id).
    Reset {
        id: u64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum FromPractice {
    /// The saved account is loaded: requests may come (earlier ones would be lost).
    Ready,
    Answer {
        id: u64,
        response: HttpResponse,
    },
    Reset {
        id: u64,
    },
}

impl ToPractice {
    pub fn to_js(&self) -> JsValue {
        match self {
            ToPractice::Call { id, request } => Fields::new("call")
                .num("id", *id as f64)
                .text("method", &request.method)
                .text("url", &request.url)
                .pairs("headers", &request.headers)
                .bytes("body", &request.body),
            ToPractice::Reset { id } => Fields::new("reset").num("id", *id as f64),
        }
        .build()
    }

    pub fn from_js(msg: &JsValue) -> Option<ToPractice> {
        let id = num(msg, "id") as u64;
        Some(match text(msg, "type").as_str() {
            "call" => ToPractice::Call {
                id,
                request: HttpRequest {
                    method: text(msg, "method"),
                    url: text(msg, "url"),
                    headers: pairs(msg, "headers"),
                    body: bytes(&field(msg, "body")),
                },
            },
            "reset" => ToPractice::Reset { id },
            _ => return None,
        })
    }
}

impl FromPractice {
    pub fn to_js(&self) -> JsValue {
        match self {
            FromPractice::Ready => Fields::new("ready"),
            FromPractice::Answer { id, response } => Fields::new("answer")
                .num("id", *id as f64)
                .num("status", response.status.into())
                .pairs("headers", &response.headers)
                .bytes("body", &response.body),
            FromPractice::Reset { id } => Fields::new("reset").num("id", *id as f64),
        }
        .build()
    }

    pub fn from_js(msg: &JsValue) -> Option<FromPractice> {
        let id = num(msg, "id") as u64;
        Some(match text(msg, "type").as_str() {
            "ready" => FromPractice::Ready,
            "answer" => FromPractice::Answer {
                id,
                response: HttpResponse {
                    status: num(msg, "status") as u16,
                    headers: pairs(msg, "headers"),
                    body: bytes(&field(msg, "body")),
                },
            },
            "reset" => FromPractice::Reset { id },
            _ => return None,
        })
    }
}
