//! Page ⇄ engine worker. The page sends [`ToEngine`]; the worker answers a run with `Started`,
//! `Output` and `Progress` messages, then exactly one of `Done`, `Error` or `Cancelled`, a
//! `Detect` with one `Detected`, and a `ToAthena` with one `Athena`.

use crate::codec::{bytes, field, list, maybe_num, num, text, texts, Fields};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{File, MessagePort};

pub use crate::detection::{DetectReason, Detected};
pub use crate::shape::{Shape, ShapePath};

/// What a run reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A path on the page's own site (the bundled datasets).
    Url(String),
    /// A file the learner opened; it never leaves the browser.
    File(File),
    /// A live S3 object (a Parquet one S3 Select did not answer), read by byte ranges through
    /// the live worker at the other end of `port` (crate::ranges).
    Live {
        bucket: String,
        key: String,
        port: MessagePort,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: f64,
    pub sql: String,
    /// InputSerialization and OutputSerialization, as the AWS CLI takes them (JSON text).
    pub input: String,
    pub output: String,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ToEngine {
    Run(Run),
    /// Sample what the run's FROM clause yields (its output settings are not used): answered
    /// by `Shaped`.
    Shape(Run),
    Cancel {
        id: f64,
    },
    /// Propose the settings that read this file, from its first bytes.
    Detect {
        id: f64,
        file: File,
        /// The whole object's size when `file` is only its start (an S3 object's first bytes).
        size: Option<f64>,
    },
    /// Translate `sql` into Athena's SQL, for a table named `table` of the object `input`
    /// reads (InputSerialization as the AWS CLI takes it, JSON text, as in [`Run::input`]):
    /// answered by `Athena`.
    ToAthena {
        id: f64,
        sql: String,
        table: String,
        input: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunStats {
    /// Bytes of the object as stored (compressed).
    pub bytes_scanned: f64,
    pub bytes_processed: f64,
    pub bytes_returned: f64,
    pub records: f64,
    pub elapsed_ms: f64,
    /// The engine's wasm memory after the run (it never shrinks, so this is the run's peak).
    pub memory: f64,
}

/// An S3 Select error: its AWS code, message, and where in the SQL (1-based; 0 for none).
#[derive(Debug, Clone, PartialEq)]
pub struct EngineError {
    pub code: String,
    pub message: String,
    pub line: u32,
    pub column: u32,
    /// What the code means and how to fix it (the engine's `ErrorCode::advice`); empty for
    /// errors from AWS.
    pub advice: String,
}

impl EngineError {
    /// An error an AWS service answered: its code and message, with no SQL position or advice.
    pub fn from_service(code: String, message: String) -> EngineError {
        EngineError {
            code,
            message,
            line: 0,
            column: 0,
            advice: String::new(),
        }
    }

    fn write(&self, m: Fields) -> Fields {
        m.text("code", &self.code)
            .text("message", &self.message)
            .num("line", self.line.into())
            .num("column", self.column.into())
            .text("advice", &self.advice)
    }

    pub(crate) fn to_js(&self) -> JsValue {
        self.write(Fields::plain()).build()
    }

    pub(crate) fn from_js(msg: &JsValue) -> EngineError {
        EngineError {
            code: text(msg, "code"),
            message: text(msg, "message"),
            line: num(msg, "line") as u32,
            column: num(msg, "column") as u32,
            advice: text(msg, "advice"),
        }
    }
}

/// A query in Athena's SQL, and what the learner should know about the difference (one line
/// each).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AthenaTranslation {
    pub sql: String,
    pub notes: Vec<String>,
}

/// One function's documentation, from the engine's table (`sql::signatures`), for the editor.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FunctionDoc {
    pub name: String,
    pub usage: String,
    pub about: String,
    pub example: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FromEngine {
    /// The worker is listening (messages posted before it loaded are lost), with the dialect's
    /// functions documented.
    Ready {
        functions: Vec<FunctionDoc>,
    },
    Started {
        id: f64,
        /// The source's size when known, else 0.
        total: f64,
    },
    /// Output since the last one: the raw answer, and JSON lines for the results table. The
    /// answer crosses as bytes (UTF-8, as the engine writes it), which neither side decodes.
    Output {
        id: f64,
        raw: Vec<u8>,
        table: String,
    },
    Progress {
        id: f64,
        read: f64,
        total: f64,
        records: f64,
    },
    Done {
        id: f64,
        stats: RunStats,
    },
    Error {
        id: f64,
        error: EngineError,
    },
    Cancelled {
        id: f64,
    },
    /// The answer to a `Detect`.
    Detected {
        id: f64,
        detection: Detected,
    },
    /// The answer to a `Shape`.
    Shaped {
        id: f64,
        shape: Shape,
    },
    /// The answer to a `ToAthena`: the translation, or why the query (or the input settings)
    /// has none.
    Athena {
        id: f64,
        translation: Result<AthenaTranslation, EngineError>,
    },
}

impl ToEngine {
    pub fn to_js(&self) -> JsValue {
        match self {
            ToEngine::Run(r) | ToEngine::Shape(r) => {
                let kind = if matches!(self, ToEngine::Run(_)) {
                    "run"
                } else {
                    "shape"
                };
                let m = Fields::new(kind)
                    .num("id", r.id)
                    .text("sql", &r.sql)
                    .text("input", &r.input)
                    .text("output", &r.output);
                match &r.source {
                    Source::Url(url) => m.text("url", url),
                    Source::File(file) => m.set("file", file),
                    Source::Live { bucket, key, port } => {
                        m.text("bucket", bucket).text("key", key).set("port", port)
                    }
                }
                .build()
            }
            ToEngine::Cancel { id } => Fields::new("cancel").num("id", *id).build(),
            ToEngine::Detect { id, file, size } => Fields::new("detect")
                .num("id", *id)
                .set("file", file)
                .maybe_num("size", *size)
                .build(),
            ToEngine::ToAthena {
                id,
                sql,
                table,
                input,
            } => Fields::new("to_athena")
                .num("id", *id)
                .text("sql", sql)
                .text("table", table)
                .text("input", input)
                .build(),
        }
    }

    pub fn from_js(msg: &JsValue) -> Option<ToEngine> {
        let id = num(msg, "id");
        Some(match text(msg, "type").as_str() {
            kind @ ("run" | "shape") => {
                let run = Run {
                    id,
                    sql: text(msg, "sql"),
                    input: text(msg, "input"),
                    output: text(msg, "output"),
                    source: match (
                        field(msg, "file").dyn_into::<File>(),
                        field(msg, "port").dyn_into::<MessagePort>(),
                    ) {
                        (Ok(file), _) => Source::File(file),
                        (_, Ok(port)) => Source::Live {
                            bucket: text(msg, "bucket"),
                            key: text(msg, "key"),
                            port,
                        },
                        _ => Source::Url(text(msg, "url")),
                    },
                };
                if kind == "run" {
                    ToEngine::Run(run)
                } else {
                    ToEngine::Shape(run)
                }
            }
            "cancel" => ToEngine::Cancel { id },
            "detect" => ToEngine::Detect {
                id,
                file: field(msg, "file").dyn_into::<File>().ok()?,
                size: maybe_num(msg, "size"),
            },
            "to_athena" => ToEngine::ToAthena {
                id,
                sql: text(msg, "sql"),
                table: text(msg, "table"),
                input: text(msg, "input"),
            },
            _ => return None,
        })
    }
}

impl FromEngine {
    pub fn to_js(&self) -> JsValue {
        match self {
            FromEngine::Ready { functions } => Fields::new("ready")
                .list(
                    "functions",
                    functions.iter().map(|f| {
                        Fields::plain()
                            .text("name", &f.name)
                            .text("usage", &f.usage)
                            .text("about", &f.about)
                            .text("example", &f.example)
                            .text("answer", &f.answer)
                            .build()
                    }),
                )
                .build(),
            FromEngine::Started { id, total } => Fields::new("started")
                .num("id", *id)
                .num("total", *total)
                .build(),
            FromEngine::Output { id, raw, table } => Fields::new("output")
                .num("id", *id)
                .bytes("raw", raw)
                .text("table", table)
                .build(),
            FromEngine::Progress {
                id,
                read,
                total,
                records,
            } => Fields::new("progress")
                .num("id", *id)
                .num("read", *read)
                .num("total", *total)
                .num("records", *records)
                .build(),
            FromEngine::Done { id, stats } => Fields::new("done")
                .num("id", *id)
                .num("bytes_scanned", stats.bytes_scanned)
                .num("bytes_processed", stats.bytes_processed)
                .num("bytes_returned", stats.bytes_returned)
                .num("records", stats.records)
                .num("elapsed_ms", stats.elapsed_ms)
                .num("memory", stats.memory)
                .build(),
            FromEngine::Error { id, error } => {
                error.write(Fields::new("error").num("id", *id)).build()
            }
            FromEngine::Cancelled { id } => Fields::new("cancelled").num("id", *id).build(),
            FromEngine::Detected { id, detection } => detection
                .write(Fields::new("detected").num("id", *id))
                .build(),
            FromEngine::Shaped { id, shape } => {
                shape.write(Fields::new("shaped").num("id", *id)).build()
            }
            FromEngine::Athena { id, translation } => {
                let m = Fields::new("athena").num("id", *id);
                match translation {
                    Ok(t) => m.text("sql", &t.sql).texts("notes", &t.notes),
                    Err(e) => m.set("error", &e.to_js()),
                }
                .build()
            }
        }
    }

    pub fn from_js(msg: &JsValue) -> Option<FromEngine> {
        let id = num(msg, "id");
        Some(match text(msg, "type").as_str() {
            "ready" => FromEngine::Ready {
                functions: list(msg, "functions")
                    .iter()
                    .map(|f| FunctionDoc {
                        name: text(f, "name"),
                        usage: text(f, "usage"),
                        about: text(f, "about"),
                        example: text(f, "example"),
                        answer: text(f, "answer"),
                    })
                    .collect(),
            },
            "started" => FromEngine::Started {
                id,
                total: num(msg, "total"),
            },
            "output" => FromEngine::Output {
                id,
                raw: bytes(&field(msg, "raw")),
                table: text(msg, "table"),
            },
            "progress" => FromEngine::Progress {
                id,
                read: num(msg, "read"),
                total: num(msg, "total"),
                records: num(msg, "records"),
            },
            "done" => FromEngine::Done {
                id,
                stats: RunStats {
                    bytes_scanned: num(msg, "bytes_scanned"),
                    bytes_processed: num(msg, "bytes_processed"),
                    bytes_returned: num(msg, "bytes_returned"),
                    records: num(msg, "records"),
                    elapsed_ms: num(msg, "elapsed_ms"),
                    memory: num(msg, "memory"),
                },
            },
            "error" => FromEngine::Error {
                id,
                error: EngineError::from_js(msg),
            },
            "cancelled" => FromEngine::Cancelled { id },
            "detected" => FromEngine::Detected {
                id,
                detection: Detected::read(msg),
            },
            "shaped" => FromEngine::Shaped {
                id,
                shape: Shape::read(msg),
            },
            "athena" => FromEngine::Athena {
                id,
                translation: match field(msg, "error") {
                    error if error.is_undefined() => Ok(AthenaTranslation {
                        sql: text(msg, "sql"),
                        notes: texts(msg, "notes"),
                    }),
                    error => Err(EngineError::from_js(&error)),
                },
            },
            _ => return None,
        })
    }
}
