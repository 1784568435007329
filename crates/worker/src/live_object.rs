//! A live S3 object read by byte ranges: each read is asked of the live worker over the run's
//! `MessagePort` (crates/protocol's `ranges`), which answers with a signed ranged GetObject. The
//! first read is the object's last 64 KiB, which tells its size and, for most files, holds the
//! whole footer; reads the engine asks for together are merged when they lie close.

use crate::parquet::{read_exact, Unread};
use js_sys::{Function, Promise};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, MessageEvent, MessagePort};
use wyvern_protocol::ranges::{RangeAnswer, ReadRange, Span, ToRanges};
use wyvern_select::input::parquet::{coalesce, ByteRange};

/// The first read: the object's end, where Parquet keeps its footer.
const TAIL_BYTES: f64 = 64.0 * 1024.0;
/// Reads closer than this are merged: a request's round trip costs more than reading a
/// megabyte of unused columns.
const MAX_GAP: u64 = 1 << 20;

type Waiting = Rc<RefCell<Vec<(f64, Function)>>>;

pub struct LiveObject {
    port: MessagePort,
    bucket: String,
    key: String,
    waiting: Waiting,
    next_ask: Cell<f64>,
    _on_answer: Closure<dyn Fn(MessageEvent)>,
    size: f64,
    /// The object's last bytes, read first, and where they start.
    tail: Blob,
    tail_start: f64,
}

impl LiveObject {
    pub async fn open(bucket: &str, key: &str, port: &MessagePort) -> Result<LiveObject, Unread> {
        let waiting: Waiting = Rc::default();
        let w = waiting.clone();
        let on_answer = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            let ask = RangeAnswer::from_js(&ev.data()).ask();
            let mut list = w.borrow_mut();
            if let Some(at) = list.iter().position(|(a, _)| *a == ask) {
                let (_, resolve) = list.swap_remove(at);
                let _ = resolve.call1(&JsValue::UNDEFINED, &ev.data());
            }
        });
        port.set_onmessage(Some(on_answer.as_ref().unchecked_ref()));
        let mut object = LiveObject {
            port: port.clone(),
            bucket: bucket.to_string(),
            key: key.to_string(),
            waiting,
            next_ask: Cell::new(1.0),
            _on_answer: on_answer,
            size: 0.0,
            tail: Blob::new().map_err(|_| Unread::Local("This browser has no Blob.".into()))?,
            tail_start: 0.0,
        };
        let (tail, size) = object.ask(Span::Last(TAIL_BYTES)).await?;
        object.tail_start = size - tail.size();
        object.tail = tail;
        object.size = size;
        Ok(object)
    }

    pub fn size(&self) -> f64 {
        self.size
    }

    /// One read, answered by the live worker.
    async fn ask(&self, span: Span) -> Result<(Blob, f64), Unread> {
        let ask = self.next_ask.get();
        self.next_ask.set(ask + 1.0);
        let waiting = self.waiting.clone();
        let answer = Promise::new(&mut |resolve, _| waiting.borrow_mut().push((ask, resolve)));
        let request = ToRanges::Read(ReadRange {
            ask,
            bucket: self.bucket.clone(),
            key: self.key.clone(),
            span,
        });
        self.port
            .post_message(&request.to_js())
            .map_err(|_| Unread::Local("Live mode is not answering.".into()))?;
        let msg = JsFuture::from(answer)
            .await
            .map_err(|_| Unread::Local("Live mode is not answering.".into()))?;
        match RangeAnswer::from_js(&msg) {
            RangeAnswer::Bytes { blob, size, .. } => Ok((blob, size)),
            RangeAnswer::Failed { code, message, .. } => Err(Unread::Aws { code, message }),
        }
    }

    /// The bytes of each range, in order: from the tail already read, or from reads of the
    /// rest merged where they lie close (never with a range the tail holds: the footer and
    /// the magic number at the start would make one read of the whole object).
    pub async fn read_ranges(&self, ranges: &[ByteRange]) -> Result<Vec<Vec<u8>>, Unread> {
        let tail_start = self.tail_start as u64;
        // Empty ranges are no request (`bytes=N-(N-1)` would read the whole object).
        let far: Vec<ByteRange> = ranges
            .iter()
            .filter(|r| r.start < tail_start && r.len > 0)
            .copied()
            .collect();
        let plan = coalesce(&far, MAX_GAP);
        let mut reads = Vec::with_capacity(plan.reads.len());
        for r in &plan.reads {
            let (blob, _) = self
                .ask(Span::Range {
                    start: r.start as f64,
                    end: r.end() as f64,
                })
                .await?;
            // Exactly the range: a server that ignored it sent another part of the object.
            if blob.size() != r.len as f64 {
                return Err(Unread::Local(format!(
                    "S3 answered bytes {}-{} with {} bytes.",
                    r.start,
                    r.end() - 1,
                    blob.size()
                )));
            }
            reads.push(read_exact(&blob, 0, r.len).await?);
        }
        let mut far_parts = plan.parts.iter();
        let mut out = Vec::with_capacity(ranges.len());
        for r in ranges {
            let bytes = if r.len == 0 {
                Vec::new()
            } else if r.start >= tail_start {
                read_exact(&self.tail, r.start - tail_start, r.len).await?
            } else if let Some(&(read, offset)) = far_parts.next() {
                // Inside its read: `coalesce` says so, and the read's length was checked.
                let from = offset as usize;
                reads[read][from..from + r.len as usize].to_vec()
            } else {
                return Err(Unread::Local("A read went missing.".into()));
            };
            out.push(bytes);
        }
        Ok(out)
    }
}

impl Drop for LiveObject {
    fn drop(&mut self) {
        self.port.set_onmessage(None);
        let _ = self.port.post_message(&ToRanges::Close.to_js());
        self.port.close();
    }
}
