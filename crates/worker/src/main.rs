//! The engine's Web Worker. The page posts `{type:"run", id, sql, input, output, url | file}`;
//! the worker streams the object through the query and posts `output`, `progress` and finally
//! `done` or `error` (or `cancelled` after `{type:"cancel", id}`). The benchmark page
//! (static/bench.js) drives it with the same messages.

mod messages;
mod source;

use js_sys::Object;
use messages::{get_f64, get_str, reply};
use source::Source;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};
use wyvern_select::serialization::Compression;
use wyvern_select::{
    InputSerialization, OutputSerialization, Query, QueryOptions, SelectError, Sink, Stats,
    Timestamp,
};

/// Rows kept for the results table (the raw output is always complete).
const TABLE_ROWS: u64 = 500;
/// Post progress at most this often.
const PROGRESS_EVERY_MS: f64 = 50.0;
/// Give the event loop a turn at least this often, so a Cancel message is seen: a stream whose
/// chunks are ready resolves its reads as microtasks, which never let messages in.
const YIELD_EVERY_MS: f64 = 30.0;

/// Lets queued messages (Cancel) run before the next chunk.
async fn yield_to_messages(scope: &DedicatedWorkerGlobalScope) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope.set_timeout_with_callback(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn post(scope: &DedicatedWorkerGlobalScope, msg: &Object) {
    // Posting can only fail for values that cannot be cloned; ours are strings and numbers.
    let _ = scope.post_message(msg);
}

fn post_error(scope: &DedicatedWorkerGlobalScope, id: f64, e: &SelectError) {
    let (line, column) = e
        .position
        .map_or((0.0, 0.0), |p| (p.line as f64, p.column as f64));
    post(
        scope,
        &reply("error", id)
            .str("code", e.code.as_str())
            .str("message", &e.message)
            .num("line", line)
            .num("column", column)
            .build(),
    );
}

/// The query options, and whether the source must be gunzipped first: GZIP is decoded by the
/// browser (DecompressionStream), so the engine sees plain bytes.
fn options(input: &str, output: &str) -> Result<(QueryOptions, bool), SelectError> {
    let mut input = InputSerialization::from_json(input)?;
    let gunzip = input.compression == Compression::Gzip;
    if gunzip {
        input.compression = Compression::None;
    }
    let options = QueryOptions {
        input,
        output: OutputSerialization::from_json(output)?,
        scan_range: None,
        now: Timestamp::from_unix_millis(now_ms() as i64),
    };
    Ok((options, gunzip))
}

fn stats_reply(kind: &str, id: f64, stats: &Stats) -> messages::Reply {
    reply(kind, id)
        .num("bytes_scanned", stats.bytes_scanned as f64)
        .num("bytes_processed", stats.bytes_processed as f64)
        .num("bytes_returned", stats.bytes_returned as f64)
        .num("records", stats.records_returned as f64)
}

/// Runs one query over a streamed source, posting results as they come.
async fn run(scope: DedicatedWorkerGlobalScope, msg: JsValue, cancel: Rc<Cell<f64>>) {
    let id = get_f64(&msg, "id");
    let started = now_ms();
    let sql = get_str(&msg, "sql");
    let input = get_str(&msg, "input");
    let output = get_str(&msg, "output");
    let compiled = options(&input, &output).and_then(|(o, gunzip)| {
        let mut table_options = o.clone();
        table_options.output = OutputSerialization::Json {
            record_delimiter: b"\n".to_vec(),
        };
        Ok((
            Query::compile(&sql, o)?,
            Query::compile(&sql, table_options)?,
            gunzip,
        ))
    });
    let (query, table_query, gunzip) = match compiled {
        Ok(q) => q,
        Err(e) => return post_error(&scope, id, &e),
    };
    let mut source = match Source::open(&msg, gunzip).await {
        Ok(s) => s,
        Err(text) => {
            let e = SelectError::new(wyvern_select::ErrorCode::InvalidRequestParameter, text);
            return post_error(&scope, id, &e);
        }
    };
    post(
        &scope,
        &reply("started", id).num("total", source.total).build(),
    );
    let mut main_run = query.start();
    let mut table_run = Some(table_query.start());
    let mut out = Posting {
        scope: &scope,
        id,
        raw: Vec::new(),
    };
    let mut table_out = Vec::new();
    let mut read = 0f64;
    let mut last_progress = 0f64;
    let mut last_yield = now_ms();
    let result: Result<Stats, SelectError> = async {
        loop {
            if now_ms() - last_yield > YIELD_EVERY_MS {
                yield_to_messages(&scope).await;
                last_yield = now_ms();
            }
            if cancel.get() == id {
                source.cancel();
                post(&scope, &reply("cancelled", id).build());
                return Err(SelectError::new(
                    wyvern_select::ErrorCode::InvalidRequestParameter,
                    "cancelled",
                ));
            }
            let Some(chunk) = source.next().await.map_err(|t| read_error(t, gunzip))? else {
                break;
            };
            read += chunk.len() as f64;
            main_run.feed(&chunk, &mut out)?;
            if let Some(t) = &mut table_run {
                t.feed(&chunk, &mut table_out)?;
                if t.progress().records_returned >= TABLE_ROWS || t.is_done() {
                    table_run = None;
                }
            }
            flush(&scope, id, &mut out.raw, &mut table_out);
            if now_ms() - last_progress > PROGRESS_EVERY_MS {
                last_progress = now_ms();
                let p = main_run.progress();
                let read = source.read_so_far(read);
                post(
                    &scope,
                    &reply("progress", id)
                        .num("read", read)
                        .num("total", source.total)
                        .num("records", p.records_returned as f64)
                        .build(),
                );
            }
            if main_run.is_done() {
                source.cancel();
                break;
            }
        }
        if let Some(mut t) = table_run.take() {
            t.finish(&mut table_out)?;
        }
        main_run.finish(&mut out.raw)
    }
    .await;
    flush(&scope, id, &mut out.raw, &mut table_out);
    match result {
        Ok(mut stats) => {
            // BytesScanned counts the bytes of the object as stored (compressed).
            stats.bytes_scanned = source.read_so_far(stats.bytes_scanned as f64) as u64;
            post(
                &scope,
                &stats_reply("done", id, &stats)
                    .num("elapsed_ms", now_ms() - started)
                    .num("read", read)
                    .num("memory", wasm_memory_bytes())
                    .build(),
            )
        }
        Err(e) if e.message == "cancelled" && cancel.get() == id => {}
        Err(e) => post_error(&scope, id, &e),
    }
}

/// A failed read: with gunzip, a decoding failure is the data's fault (S3's
/// InvalidCompressionFormat), with a word on the one case the browser's decoder refuses.
fn read_error(text: String, gunzip: bool) -> SelectError {
    use wyvern_select::ErrorCode;
    if !gunzip {
        return SelectError::new(ErrorCode::InvalidRequestParameter, text);
    }
    let hint = if text.contains("Junk found after end") {
        " The file has more than one gzip member (as `cat a.gz b.gz` makes); the browser's gzip decoder reads one. Decompress it first, or use the s3select command."
    } else {
        " Check CompressionType and the file."
    };
    SelectError::new(
        ErrorCode::InvalidCompressionFormat,
        format!("The input is not valid GZIP data ({text}).{hint}"),
    )
}

/// Sends the output produced so far (raw bytes as text: engine output is always UTF-8).
fn flush(scope: &DedicatedWorkerGlobalScope, id: f64, out: &mut Vec<u8>, table_out: &mut Vec<u8>) {
    if out.is_empty() && table_out.is_empty() {
        return;
    }
    let raw = String::from_utf8_lossy(out);
    let table = String::from_utf8_lossy(table_out);
    post(
        scope,
        &reply("output", id)
            .str("raw", &raw)
            .str("table", &table)
            .build(),
    );
    out.clear();
    table_out.clear();
}

/// The raw output on its way to the page, posted whenever the run has buffered enough of it, so
/// a chunk that decompresses a thousandfold is never held whole.
struct Posting<'a> {
    scope: &'a DedicatedWorkerGlobalScope,
    id: f64,
    raw: Vec<u8>,
}

impl Sink for Posting<'_> {
    fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.raw
    }

    fn flush(&mut self) -> Result<(), SelectError> {
        flush(self.scope, self.id, &mut self.raw, &mut Vec::new());
        Ok(())
    }
}

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let cancel = Rc::new(Cell::new(-1.0));
    let handler_scope = scope.clone();
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        let msg = ev.data();
        let scope = handler_scope.clone();
        match get_str(&msg, "type").as_str() {
            "run" => wasm_bindgen_futures::spawn_local(run(scope, msg, cancel.clone())),
            "cancel" => cancel.set(get_f64(&msg, "id")),
            _ => {}
        }
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    // Messages posted before the wasm loaded are dropped: tell the page we are listening.
    post(&scope, &reply("ready", 0.0).build());
}

/// The engine's linear memory: it never shrinks, so after a run it is the run's peak. The
/// memory benchmark reports it beside the browser's resident memory.
fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}
