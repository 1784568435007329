//! The engine's Web Worker. The page posts a run (crates/protocol's `ToEngine`); the worker
//! streams the object through the query and posts `Output` and `Progress`, and finally `Done`
//! or `Error` (or `Cancelled` after a cancel). Asked to `Detect`, it proposes the settings of a
//! file from its first bytes (detect.rs); asked for its `Shape`, it samples the fields a query's
//! FROM clause yields (shape.rs); asked `ToAthena`, it translates a query into Athena's SQL
//! (athena.rs). The benchmark page (static/bench.js) drives it with the same messages.

mod athena;
mod detect;
mod live_object;
mod parquet;
mod shape;
mod source;
mod table;

use source::Source;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};
use wyvern_protocol::engine::{
    EngineError, FromEngine, FunctionDoc, Run, RunStats, Source as Origin, ToEngine,
};
use wyvern_select::serialization::InputFormat;
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

fn post(scope: &DedicatedWorkerGlobalScope, msg: FromEngine) {
    // Posting can only fail for values that cannot be cloned; ours are strings, numbers and
    // byte arrays.
    let _ = scope.post_message(&msg.to_js());
}

/// An engine error as the page shows it: its AWS code, message and position.
fn engine_error(e: &SelectError) -> EngineError {
    let (line, column) = e.position.map_or((0, 0), |p| (p.line, p.column));
    EngineError {
        code: e.code.as_str().to_string(),
        message: e.message.clone(),
        line: line as u32,
        column: column as u32,
        advice: e.code.advice().to_string(),
    }
}

fn post_error(scope: &DedicatedWorkerGlobalScope, id: f64, e: &SelectError) {
    let error = engine_error(e);
    post(scope, FromEngine::Error { id, error });
}

/// Why a run stopped early.
enum Stop {
    Cancelled,
    Failed(SelectError),
    /// S3 refused a read of a live object: its code and message, as the service gave them.
    Refused(EngineError),
}

impl From<parquet::Unread> for Stop {
    fn from(u: parquet::Unread) -> Stop {
        match u {
            parquet::Unread::Local(text) => Stop::Failed(read_error(text)),
            parquet::Unread::Aws { code, message } => {
                Stop::Refused(EngineError::from_service(code, message))
            }
        }
    }
}

impl From<SelectError> for Stop {
    fn from(e: SelectError) -> Stop {
        Stop::Failed(e)
    }
}

fn options(input: &str, output: &str) -> Result<QueryOptions, SelectError> {
    Ok(QueryOptions {
        input: InputSerialization::from_json(input)?,
        output: OutputSerialization::from_json(output)?,
        scan_range: None,
        now: Timestamp::from_unix_millis(now_ms() as i64),
    })
}

/// Runs one query over a streamed source, posting results as they come.
async fn run(scope: DedicatedWorkerGlobalScope, request: Run, cancel: Rc<Cell<f64>>) {
    let Run {
        id,
        sql,
        input,
        output,
        source,
    } = request;
    let started = now_ms();
    // The table shows JSON rows: the run's own output when that is what it writes, else a
    // second run that stops after the table's rows.
    let compiled = options(&input, &output).and_then(|o| {
        let table_query = if table::is_table_output(&o.output) {
            None
        } else {
            let mut table_options = o.clone();
            table_options.output = table::table_output();
            Some(Query::compile(&sql, table_options)?)
        };
        Ok((Query::compile(&sql, o)?, table_query))
    });
    let (query, table_query) = match compiled {
        Ok(q) => q,
        Err(e) => return post_error(&scope, id, &e),
    };
    let mut out = Posting {
        scope: &scope,
        id,
        raw: Vec::new(),
        table: Vec::new(),
        rows_to_copy: if table_query.is_none() { TABLE_ROWS } else { 0 },
    };
    let result = if matches!(query.options().input.format, InputFormat::Parquet) {
        parquet_run(&query, table_query.as_ref(), &source, &cancel, &mut out).await
    } else {
        stream_run(&query, table_query.as_ref(), &source, &cancel, &mut out).await
    };
    out.post_output();
    match result {
        Ok(stats) => {
            let stats = RunStats {
                // The bytes of the object as stored (compressed), as S3 counts them.
                bytes_scanned: stats.bytes_scanned as f64,
                bytes_processed: stats.bytes_processed as f64,
                bytes_returned: stats.bytes_returned as f64,
                records: stats.records_returned as f64,
                elapsed_ms: now_ms() - started,
                memory: wasm_memory_bytes(),
            };
            post(&scope, FromEngine::Done { id, stats })
        }
        Err(Stop::Cancelled) => post(&scope, FromEngine::Cancelled { id }),
        Err(Stop::Failed(e)) => post_error(&scope, id, &e),
        Err(Stop::Refused(error)) => post(&scope, FromEngine::Error { id, error }),
    }
}

/// The runs of a request over one stream: its own output, and the table's JSON rows when
/// those need a run of their own.
async fn stream_run(
    query: &Query,
    table_query: Option<&Query>,
    from: &Origin,
    cancel: &Cell<f64>,
    out: &mut Posting<'_>,
) -> Result<Stats, Stop> {
    let (scope, id) = (out.scope, out.id);
    let mut source = Source::open(from).await.map_err(read_error)?;
    post(
        scope,
        FromEngine::Started {
            id,
            total: source.total,
        },
    );
    let mut main_run = query.start();
    let mut table_run = table_query.map(Query::start);
    let mut read = 0f64;
    let mut pace = Pace::new();
    loop {
        if pace.cancelled(scope, id, cancel).await {
            source.cancel();
            return Err(Stop::Cancelled);
        }
        let Some(chunk) = source.next().await.map_err(read_error)? else {
            break;
        };
        read += chunk.len() as f64;
        main_run.feed(&chunk, out)?;
        if let Some(t) = &mut table_run {
            t.feed(&chunk, &mut out.table)?;
            if t.progress().records_returned >= TABLE_ROWS || t.is_done() {
                table_run = None;
            }
        }
        out.post_output();
        pace.progress(scope, id, read, source.total, &main_run.progress());
        if main_run.is_done() {
            source.cancel();
            break;
        }
    }
    if let Some(mut t) = table_run.take() {
        t.finish(&mut out.table)?;
    }
    Ok(main_run.finish(&mut out.raw)?)
}

/// The runs over a Parquet object, fed the byte ranges they ask for (parquet.rs). While the
/// table's run (when it has one) wants what the main run wants, the same bytes serve both.
async fn parquet_run(
    query: &Query,
    table_query: Option<&Query>,
    from: &Origin,
    cancel: &Cell<f64>,
    out: &mut Posting<'_>,
) -> Result<Stats, Stop> {
    let (scope, id) = (out.scope, out.id);
    let object = parquet::Object::open(from).await?;
    let total = object.size();
    post(scope, FromEngine::Started { id, total });
    let mut main_run = query.start_parquet(total as u64)?;
    let mut table_run = match table_query {
        Some(q) => Some(q.start_parquet(total as u64)?),
        None => None,
    };
    let mut pace = Pace::new();
    while !main_run.wanted().is_empty() {
        if pace.cancelled(scope, id, cancel).await {
            return Err(Stop::Cancelled);
        }
        let wanted = main_run.wanted().to_vec();
        let chunks = object.read_ranges(&wanted).await?;
        if let Some(t) = &mut table_run {
            if t.wanted() == wanted.as_slice() {
                t.supply(chunks.clone(), &mut out.table)?;
            } else if !t.wanted().is_empty() {
                let own = object.read_ranges(t.wanted()).await?;
                t.supply(own, &mut out.table)?;
            }
            if t.progress().records_returned >= TABLE_ROWS {
                table_run = None;
            } else if t.is_done() {
                t.finish(&mut out.table)?;
                table_run = None;
            }
        }
        main_run.supply(chunks, out)?;
        out.post_output();
        let progress = main_run.progress();
        pace.progress(scope, id, progress.bytes_scanned as f64, total, &progress);
    }
    Ok(main_run.finish(&mut out.raw)?)
}

/// When a run lets the event loop in (so a Cancel is seen) and posts its progress.
struct Pace {
    last_yield: f64,
    last_progress: f64,
}

impl Pace {
    fn new() -> Pace {
        Pace {
            last_yield: now_ms(),
            last_progress: 0.0,
        }
    }

    /// Whether request `id` was cancelled, after a turn of the event loop if one is due.
    async fn cancelled(
        &mut self,
        scope: &DedicatedWorkerGlobalScope,
        id: f64,
        cancel: &Cell<f64>,
    ) -> bool {
        if now_ms() - self.last_yield > YIELD_EVERY_MS {
            yield_to_messages(scope).await;
            self.last_yield = now_ms();
        }
        cancel.get() == id
    }

    fn progress(
        &mut self,
        scope: &DedicatedWorkerGlobalScope,
        id: f64,
        read: f64,
        total: f64,
        stats: &Stats,
    ) {
        if now_ms() - self.last_progress > PROGRESS_EVERY_MS {
            self.last_progress = now_ms();
            post(
                scope,
                FromEngine::Progress {
                    id,
                    read,
                    total,
                    records: stats.records_returned as f64,
                },
            );
        }
    }
}

/// A file or URL that could not be read (what the bytes hold is the engine's to judge).
fn read_error(text: String) -> SelectError {
    SelectError::new(wyvern_select::ErrorCode::InvalidRequestParameter, text)
}

/// The output on its way to the page, posted whenever the run has buffered enough of it, so
/// a chunk that decompresses a thousandfold is never held whole; with it go the table's rows.
struct Posting<'a> {
    scope: &'a DedicatedWorkerGlobalScope,
    id: f64,
    raw: Vec<u8>,
    /// JSON rows for the results table, written by the table's own run, or copied from `raw`.
    table: Vec<u8>,
    /// Rows still to copy from `raw` into `table` (0 when the table has a run of its own).
    rows_to_copy: u64,
}

impl Posting<'_> {
    /// Sends the output produced so far.
    fn post_output(&mut self) {
        if self.rows_to_copy > 0 {
            self.rows_to_copy = table::copy_rows(&self.raw, self.rows_to_copy, &mut self.table);
        }
        if self.raw.is_empty() && self.table.is_empty() {
            return;
        }
        // Taken, not copied: the next output is written into a buffer as large.
        let room = self.raw.capacity();
        post(
            self.scope,
            FromEngine::Output {
                id: self.id,
                raw: std::mem::replace(&mut self.raw, Vec::with_capacity(room)),
                table: String::from_utf8_lossy(&self.table).into_owned(),
            },
        );
        self.table.clear();
    }
}

impl Sink for Posting<'_> {
    fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.raw
    }

    fn flush(&mut self) -> Result<(), SelectError> {
        self.post_output();
        Ok(())
    }
}

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let cancel = Rc::new(Cell::new(-1.0));
    let handler_scope = scope.clone();
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        let scope = handler_scope.clone();
        match ToEngine::from_js(&ev.data()) {
            Some(ToEngine::Run(r)) => {
                wasm_bindgen_futures::spawn_local(run(scope, r, cancel.clone()))
            }
            Some(ToEngine::Cancel { id }) => cancel.set(id),
            Some(ToEngine::Shape(r)) => wasm_bindgen_futures::spawn_local(async move {
                let shape = shape::shape(&r).await;
                post(&scope, FromEngine::Shaped { id: r.id, shape });
            }),
            Some(ToEngine::Detect { id, file, size }) => {
                wasm_bindgen_futures::spawn_local(async move {
                    let detection = detect::detect(&file, size).await;
                    post(&scope, FromEngine::Detected { id, detection });
                })
            }
            Some(ToEngine::ToAthena {
                id,
                sql,
                table,
                input,
            }) => {
                let translation = athena::translate(&sql, &table, &input);
                post(&scope, FromEngine::Athena { id, translation });
            }
            None => {}
        }
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    // Messages posted before the wasm loaded are dropped: tell the page we are listening.
    let functions = wyvern_select::sql::signatures::FUNCTIONS
        .iter()
        .map(|f| FunctionDoc {
            name: f.name.into(),
            usage: f.doc.usage.into(),
            about: f.doc.about.into(),
            example: f.doc.example.into(),
            answer: f.doc.answer.into(),
        })
        .collect();
    post(&scope, FromEngine::Ready { functions });
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
