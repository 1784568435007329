//! Page ⇄ live worker (crates/live). The page sends [`ToLive`]: a [`Request`] with the id its
//! answers carry, a cancel, or sign-out. The worker answers each request with zero or more
//! `Records`, `Progress` and `Stats`, then one last message ([`FromLive::is_last`]); inspector
//! records (`Exchange`, `Frames`) and renewed credentials belong to no request. Keys are
//! camelCase, as the page's JavaScript would write them.

mod athena;
mod connect;
mod dragons;
mod exchange;
mod parameters;
mod s3;
mod scrub;

pub use athena::{cost_usd, AthenaQuery, AthenaRows, AthenaStatus};
pub use connect::{Connect, Keys, Login, Mode, Remember, Remembered, Session};
pub use dragons::{Dragon, DragonCall, DragonFilter, DragonReport, Problem};
pub use exchange::{Exchange, Outcome, Signing};
pub use parameters::{Parameter, ParameterAnswer, ParameterCall};
pub use s3::{Figures, Listing, ObjectSummary, Select};

use crate::codec::{field, flag, list, maybe_num, maybe_text, num, text, texts, Fields};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, MessagePort};

#[derive(Debug, Clone, PartialEq)]
pub enum ToLive {
    Request {
        id: u64,
        request: Request,
    },
    /// Stops request `id`: its fetch is aborted and it answers `Cancelled`.
    Cancel {
        id: u64,
    },
    /// Forgets the session, its secrets and every call under way.
    SignOut,
    /// The live worker's end of a channel on which the engine worker reads a live object by
    /// byte ranges (crate::ranges).
    Ranges(MessagePort),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Connect(Box<Connect>),
    /// The answer to `NewPasswordRequired`.
    NewPassword {
        password: String,
    },
    Select(Select),
    List {
        bucket: String,
        prefix: String,
        /// The `next` of the listing to go on from.
        token: Option<String>,
    },
    GetObject {
        bucket: String,
        key: String,
        /// Only the object's first bytes (a ranged GET), to detect its settings.
        first_bytes: Option<f64>,
    },
    /// PutObject of a file the learner chose (answered by `Uploaded`).
    PutObject {
        bucket: String,
        key: String,
        blob: Blob,
    },
    Parameters(ParameterCall),
    /// A query on Athena, polled to its end: answered by `AthenaStatus` at each poll, its rows
    /// in `AthenaRows` pages, then `AthenaDone` (or `Error`, `Cancelled`).
    Athena(AthenaQuery),
    Dragons(DragonCall),
    /// Puts the practice account back as it started (answered by `PracticeReset`).
    ResetPractice,
}

/// A failed request: the service's error, or one of the worker's own (service empty, status 0).
#[derive(Debug, Clone, PartialEq)]
pub struct LiveError {
    pub code: String,
    pub message: String,
    pub service: String,
    pub status: u16,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FromLive {
    /// The worker is listening (messages posted before it loaded are lost).
    Ready,
    Connected {
        id: u64,
        session: Session,
        remember: Remember,
    },
    /// The worker renewed the credentials (before they expired, or when a service said so).
    Renewed {
        session: Session,
        remember: Remember,
    },
    /// The user pool wants a new password before signing in.
    NewPasswordRequired {
        id: u64,
    },
    /// A dragon report refused before it was sent.
    Invalid {
        id: u64,
        problems: Vec<Problem>,
    },
    /// S3 Select's records as they arrive: whole characters, not always whole records.
    Records {
        id: u64,
        text: String,
    },
    Progress {
        id: u64,
        figures: Figures,
    },
    Stats {
        id: u64,
        figures: Figures,
    },
    /// The S3 Select answer is complete.
    End {
        id: u64,
        ms: f64,
    },
    Parameters {
        id: u64,
        answer: ParameterAnswer,
    },
    AthenaStatus {
        id: u64,
        status: AthenaStatus,
    },
    AthenaRows {
        id: u64,
        rows: AthenaRows,
    },
    /// The query succeeded and its rows were sent: all of them, or (`more`) the first
    /// `wyvern_aws::athena::MAX_ROWS` and a few.
    AthenaDone {
        id: u64,
        more: bool,
    },
    Dragons {
        id: u64,
        dragons: Vec<Dragon>,
    },
    /// The Dragon API took the report; its message.
    Reported {
        id: u64,
        message: String,
    },
    Listing {
        id: u64,
        listing: Listing,
    },
    /// A downloaded object, for the page's own engine.
    Object {
        id: u64,
        blob: Blob,
        /// Why S3 Select did not answer, when the download stands in for it.
        reason: Option<String>,
        /// The whole object's size, when the blob is only its start.
        size: Option<f64>,
    },
    /// S3 Select is not available here (the reason: the service's code and message) for a
    /// Parquet object, which is not downloaded: the page's engine reads it by ranges.
    Unavailable {
        id: u64,
        reason: String,
    },
    Error {
        id: u64,
        error: LiveError,
    },
    Cancelled {
        id: u64,
    },
    /// The practice account holds its seed again.
    PracticeReset {
        id: u64,
    },
    /// The object is stored.
    Uploaded {
        id: u64,
    },
    Exchange(Box<Exchange>),
    /// Event-stream frames of exchange `seq`, decoded as they arrive.
    Frames {
        seq: u64,
        lines: Vec<String>,
    },
}

impl LiveError {
    /// One of the worker's (or the page's) own errors.
    pub fn local(code: &str, message: impl Into<String>) -> LiveError {
        LiveError {
            code: code.into(),
            message: message.into(),
            service: String::new(),
            status: 0,
            request_id: None,
        }
    }
}

impl ToLive {
    pub fn to_js(&self) -> JsValue {
        let (id, request) = match self {
            ToLive::Request { id, request } => (*id, request),
            ToLive::Cancel { id } => return Fields::new("cancel").num("id", *id as f64).build(),
            ToLive::SignOut => return Fields::new("sign_out").build(),
            ToLive::Ranges(port) => return Fields::new("ranges").set("port", port).build(),
        };
        let m = |kind: &str| Fields::new(kind).num("id", id as f64);
        match request {
            Request::Connect(c) => c.write(m("connect")),
            Request::NewPassword { password } => m("new_password").text("password", password),
            Request::Select(s) => s.write(m("select")),
            Request::List {
                bucket,
                prefix,
                token,
            } => m("list")
                .text("bucket", bucket)
                .text("prefix", prefix)
                .maybe_text("token", token.as_deref()),
            Request::GetObject {
                bucket,
                key,
                first_bytes,
            } => m("get_object")
                .text("bucket", bucket)
                .text("key", key)
                .maybe_num("firstBytes", *first_bytes),
            Request::PutObject { bucket, key, blob } => m("put_object")
                .text("bucket", bucket)
                .text("key", key)
                .set("blob", blob),
            Request::Parameters(call) => parameters::write_call(call, m("parameters")),
            Request::Athena(q) => q.write(m("athena")),
            Request::Dragons(call) => call.write(m("dragons")),
            Request::ResetPractice => m("reset_practice"),
        }
        .build()
    }

    pub fn from_js(msg: &JsValue) -> Option<ToLive> {
        let id = num(msg, "id") as u64;
        let request = match text(msg, "type").as_str() {
            "cancel" => return Some(ToLive::Cancel { id }),
            "sign_out" => return Some(ToLive::SignOut),
            "ranges" => return field(msg, "port").dyn_into().ok().map(ToLive::Ranges),
            "connect" => Request::Connect(Box::new(Connect::read(msg)?)),
            "new_password" => Request::NewPassword {
                password: text(msg, "password"),
            },
            "select" => Request::Select(Select::read(msg)),
            "list" => Request::List {
                bucket: text(msg, "bucket"),
                prefix: text(msg, "prefix"),
                token: maybe_text(msg, "token"),
            },
            "get_object" => Request::GetObject {
                bucket: text(msg, "bucket"),
                key: text(msg, "key"),
                first_bytes: maybe_num(msg, "firstBytes"),
            },
            "put_object" => Request::PutObject {
                bucket: text(msg, "bucket"),
                key: text(msg, "key"),
                blob: field(msg, "blob").dyn_into().ok()?,
            },
            "parameters" => Request::Parameters(parameters::read_call(msg)?),
            "athena" => Request::Athena(AthenaQuery::read(msg)),
            "dragons" => Request::Dragons(DragonCall::read(msg)),
            "reset_practice" => Request::ResetPractice,
            _ => return None,
        };
        Some(ToLive::Request { id, request })
    }
}

impl FromLive {
    /// The request this message answers, if it answers one.
    pub fn answers(&self) -> Option<u64> {
        match self {
            FromLive::Ready
            | FromLive::Renewed { .. }
            | FromLive::Exchange(_)
            | FromLive::Frames { .. } => None,
            FromLive::Connected { id, .. }
            | FromLive::NewPasswordRequired { id }
            | FromLive::Invalid { id, .. }
            | FromLive::Records { id, .. }
            | FromLive::Progress { id, .. }
            | FromLive::Stats { id, .. }
            | FromLive::End { id, .. }
            | FromLive::Parameters { id, .. }
            | FromLive::AthenaStatus { id, .. }
            | FromLive::AthenaRows { id, .. }
            | FromLive::AthenaDone { id, .. }
            | FromLive::Dragons { id, .. }
            | FromLive::Reported { id, .. }
            | FromLive::Listing { id, .. }
            | FromLive::Object { id, .. }
            | FromLive::Unavailable { id, .. }
            | FromLive::Error { id, .. }
            | FromLive::Cancelled { id }
            | FromLive::PracticeReset { id }
            | FromLive::Uploaded { id } => Some(*id),
        }
    }

    /// Whether no more messages come for the request this one answers.
    pub fn is_last(&self) -> bool {
        !matches!(
            self,
            FromLive::Records { .. }
                | FromLive::Progress { .. }
                | FromLive::Stats { .. }
                | FromLive::AthenaStatus { .. }
                | FromLive::AthenaRows { .. }
        )
    }

    pub fn to_js(&self) -> JsValue {
        let m = |kind: &str, id: &u64| Fields::new(kind).num("id", *id as f64);
        match self {
            FromLive::Ready => Fields::new("ready"),
            FromLive::Connected {
                id,
                session,
                remember,
            } => remember.write(session.write(m("connected", id))),
            FromLive::Renewed { session, remember } => {
                remember.write(session.write(Fields::new("renewed")))
            }
            FromLive::NewPasswordRequired { id } => m("new_password_required", id),
            FromLive::Invalid { id, problems } => m("invalid", id).list(
                "problems",
                problems.iter().map(|p| {
                    Fields::plain()
                        .text("field", &p.field)
                        .text("problem", &p.problem)
                        .build()
                }),
            ),
            FromLive::Records { id, text } => m("records", id).text("text", text),
            FromLive::Progress { id, figures } => figures.write(m("progress", id)),
            FromLive::Stats { id, figures } => figures.write(m("stats", id)),
            FromLive::End { id, ms } => m("end", id).num("ms", *ms),
            FromLive::Parameters { id, answer } => {
                parameters::write_answer(answer, m("parameters", id))
            }
            FromLive::AthenaStatus { id, status } => status.write(m("athena_status", id)),
            FromLive::AthenaRows { id, rows } => rows.write(m("athena_rows", id)),
            FromLive::AthenaDone { id, more } => m("athena_done", id).flag("more", *more),
            FromLive::Dragons { id, dragons } => {
                m("dragons", id).list("dragons", dragons.iter().map(dragons::dragon_to_js))
            }
            FromLive::Reported { id, message } => m("reported", id).text("message", message),
            FromLive::Listing { id, listing } => listing.write(m("listing", id)),
            FromLive::Object {
                id,
                blob,
                reason,
                size,
            } => m("object", id)
                .set("blob", blob)
                .maybe_text("reason", reason.as_deref())
                .maybe_num("size", *size),
            FromLive::Unavailable { id, reason } => m("unavailable", id).text("reason", reason),
            FromLive::Error { id, error } => m("error", id)
                .text("code", &error.code)
                .text("message", &error.message)
                .text("service", &error.service)
                .num("status", error.status.into())
                .maybe_text("requestId", error.request_id.as_deref()),
            FromLive::Cancelled { id } => m("cancelled", id),
            FromLive::PracticeReset { id } => m("practice_reset", id),
            FromLive::Uploaded { id } => m("uploaded", id),
            FromLive::Exchange(e) => e.write(Fields::new("exchange")),
            FromLive::Frames { seq, lines } => Fields::new("frames")
                .num("seq", *seq as f64)
                .texts("lines", lines),
        }
        .build()
    }

    pub fn from_js(msg: &JsValue) -> Option<FromLive> {
        let id = num(msg, "id") as u64;
        Some(match text(msg, "type").as_str() {
            "ready" => FromLive::Ready,
            "connected" => FromLive::Connected {
                id,
                session: Session::read(msg),
                remember: Remember::read(msg),
            },
            "renewed" => FromLive::Renewed {
                session: Session::read(msg),
                remember: Remember::read(msg),
            },
            "new_password_required" => FromLive::NewPasswordRequired { id },
            "invalid" => FromLive::Invalid {
                id,
                problems: list(msg, "problems")
                    .iter()
                    .map(|p| Problem {
                        field: text(p, "field"),
                        problem: text(p, "problem"),
                    })
                    .collect(),
            },
            "records" => FromLive::Records {
                id,
                text: text(msg, "text"),
            },
            "progress" => FromLive::Progress {
                id,
                figures: Figures::read(msg),
            },
            "stats" => FromLive::Stats {
                id,
                figures: Figures::read(msg),
            },
            "end" => FromLive::End {
                id,
                ms: num(msg, "ms"),
            },
            "parameters" => FromLive::Parameters {
                id,
                answer: parameters::read_answer(msg)?,
            },
            "athena_status" => FromLive::AthenaStatus {
                id,
                status: AthenaStatus::read(msg),
            },
            "athena_rows" => FromLive::AthenaRows {
                id,
                rows: AthenaRows::read(msg),
            },
            "athena_done" => FromLive::AthenaDone {
                id,
                more: flag(msg, "more"),
            },
            "dragons" => FromLive::Dragons {
                id,
                dragons: list(msg, "dragons")
                    .iter()
                    .map(dragons::dragon_from_js)
                    .collect(),
            },
            "reported" => FromLive::Reported {
                id,
                message: text(msg, "message"),
            },
            "listing" => FromLive::Listing {
                id,
                listing: Listing::read(msg),
            },
            "object" => FromLive::Object {
                id,
                blob: field(msg, "blob").dyn_into().ok()?,
                reason: maybe_text(msg, "reason"),
                size: maybe_num(msg, "size"),
            },
            "unavailable" => FromLive::Unavailable {
                id,
                reason: text(msg, "reason"),
            },
            "error" => FromLive::Error {
                id,
                error: LiveError {
                    code: text(msg, "code"),
                    message: text(msg, "message"),
                    service: text(msg, "service"),
                    status: num(msg, "status") as u16,
                    request_id: maybe_text(msg, "requestId"),
                },
            },
            "cancelled" => FromLive::Cancelled { id },
            "practice_reset" => FromLive::PracticeReset { id },
            "uploaded" => FromLive::Uploaded { id },
            "exchange" => FromLive::Exchange(Box::new(Exchange::read(msg))),
            "frames" => FromLive::Frames {
                seq: num(msg, "seq") as u64,
                lines: texts(msg, "lines"),
            },
            _ => return None,
        })
    }
}
