//! The engine worker's reads of a live object (crates/protocol's `ranges`), on a channel the page
//! hands over with a run: each read is a signed ranged GetObject, shown in the inspector like any
//! call, and answered on that channel, so the page never holds the bytes.

use crate::call::{CallError, Shared};
use crate::{objects, post};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::{MessageEvent, MessagePort};
use wyvern_aws::s3::{last_bytes_header, range_header};
use wyvern_protocol::ranges::{RangeAnswer, ReadRange, Span, ToRanges};

/// The first id of these reads: the page numbers its own requests from 1, and the inspector
/// keeps a call's attempts together by id.
const FIRST_ID: u64 = 1 << 40;

type Listener = Closure<dyn Fn(MessageEvent)>;

thread_local! {
    static NEXT_ID: Cell<u64> = const { Cell::new(FIRST_ID) };
    /// The channels open now, with what listens on each (dropped when the engine closes one).
    static OPEN: RefCell<Vec<(MessagePort, Listener)>> = const { RefCell::new(Vec::new()) };
}

pub fn listen(shared: &Shared, port: MessagePort) {
    let (shared, p) = (shared.clone(), port.clone());
    let on_message = Listener::new(
        move |ev: MessageEvent| match ToRanges::from_js(&ev.data()) {
            ToRanges::Read(read) => spawn_local(answer(shared.clone(), p.clone(), read)),
            // Not dropped here: this closure is the one running.
            ToRanges::Close => {
                let p = p.clone();
                spawn_local(
                    async move { OPEN.with_borrow_mut(|open| open.retain(|(o, _)| *o != p)) },
                )
            }
        },
    );
    port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    OPEN.with_borrow_mut(|open| open.push((port, on_message)));
}

async fn answer(shared: Shared, port: MessagePort, read: ReadRange) {
    let id = NEXT_ID.with(|n| n.replace(n.get() + 1));
    let range = match read.span {
        Span::Range { start, end } => range_header(start as u64, Some((end as u64).max(1) - 1)),
        Span::Last(n) => last_bytes_header(n as u64),
    };
    let got = match crate::select::config_of(&shared) {
        Some(config) => {
            objects::get(
                &shared,
                id,
                &config,
                &read.bucket,
                &read.key,
                Some(&range),
                None,
            )
            .await
        }
        None => Err(CallError::local("NotConnected", "Connect first.")),
    };
    let ask = read.ask;
    let message = match got {
        // A ranged answer says the object's size in Content-Range; without it (a bucket whose
        // CORS rules do not expose the header) the bytes cannot be placed.
        Ok((blob, Some(size))) => RangeAnswer::Bytes { ask, blob, size },
        Ok((_, None)) => RangeAnswer::Failed {
            ask,
            code: "MissingContentRange".into(),
            message: "S3 answered a ranged GetObject without Content-Range: the bucket's CORS rules must expose it (ExposeHeaders: Content-Range) for Wyvern to read a Parquet object by parts.".into(),
        },
        Err(e) => {
            let (code, message) = post::code_and_message(&e);
            RangeAnswer::Failed { ask, code, message }
        }
    };
    let _ = port.post_message(&message.to_js());
}
