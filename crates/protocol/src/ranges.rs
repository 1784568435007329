//! Engine worker ⇄ live worker, over a `MessageChannel` the page hands one end of to each (with a
//! run's [`crate::engine::Source::Live`] and [`crate::live::ToLive::Ranges`]): a live S3 object
//! read by byte ranges. The engine asks for the spans its Parquet reader needs; the live worker
//! answers each with a signed ranged GetObject, so the credentials never leave it and the page
//! never holds the bytes.

use crate::codec::{field, maybe_num, num, text, Fields};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

/// Which bytes of the object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Span {
    /// `start..end` (end excluded).
    Range { start: f64, end: f64 },
    /// The object's last bytes (a suffix range): how the size is learnt with the footer.
    Last(f64),
}

/// What the engine worker sends on the channel.
#[derive(Debug, Clone, PartialEq)]
pub enum ToRanges {
    Read(ReadRange),
    /// The run is over: the live worker lets go of the channel.
    Close,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReadRange {
    /// The engine's number for this read, echoed by its answer.
    pub ask: f64,
    pub bucket: String,
    pub key: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RangeAnswer {
    Bytes {
        ask: f64,
        blob: Blob,
        /// The whole object's size (from `Content-Range`).
        size: f64,
    },
    Failed {
        ask: f64,
        code: String,
        message: String,
    },
}

impl ToRanges {
    pub fn to_js(&self) -> JsValue {
        let r = match self {
            ToRanges::Read(r) => r,
            ToRanges::Close => return Fields::new("close").build(),
        };
        let m = Fields::new("read")
            .num("ask", r.ask)
            .text("bucket", &r.bucket)
            .text("key", &r.key);
        match r.span {
            Span::Range { start, end } => m.num("start", start).num("end", end),
            Span::Last(n) => m.num("last", n),
        }
        .build()
    }

    pub fn from_js(msg: &JsValue) -> ToRanges {
        if text(msg, "type") != "read" {
            return ToRanges::Close;
        }
        ToRanges::Read(ReadRange {
            ask: num(msg, "ask"),
            bucket: text(msg, "bucket"),
            key: text(msg, "key"),
            span: match maybe_num(msg, "last") {
                Some(n) => Span::Last(n),
                None => Span::Range {
                    start: num(msg, "start"),
                    end: num(msg, "end"),
                },
            },
        })
    }
}

impl RangeAnswer {
    pub fn ask(&self) -> f64 {
        match self {
            RangeAnswer::Bytes { ask, .. } | RangeAnswer::Failed { ask, .. } => *ask,
        }
    }

    pub fn to_js(&self) -> JsValue {
        match self {
            RangeAnswer::Bytes { ask, blob, size } => Fields::plain()
                .num("ask", *ask)
                .set("blob", blob)
                .num("size", *size),
            RangeAnswer::Failed { ask, code, message } => Fields::plain()
                .num("ask", *ask)
                .text("code", code)
                .text("message", message),
        }
        .build()
    }

    pub fn from_js(msg: &JsValue) -> RangeAnswer {
        let ask = num(msg, "ask");
        match field(msg, "blob").dyn_into::<Blob>() {
            Ok(blob) => RangeAnswer::Bytes {
                ask,
                blob,
                size: num(msg, "size"),
            },
            Err(_) => RangeAnswer::Failed {
                ask,
                code: text(msg, "code"),
                message: text(msg, "message"),
            },
        }
    }
}
