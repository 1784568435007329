//! One AWS call under the retry, clock-skew and credential-refresh policies of `wyvern-aws`,
//! with every attempt reported to the request inspector.

use crate::clock::{now, now_ms, random, sleep};
use crate::state::State;
use crate::{exchange, post, session};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, SystemTime};
use web_sys::AbortSignal;
use wyvern_aws::cognito::Need;
use wyvern_aws::error::{parse_json_error, parse_s3_error};
use wyvern_aws::http_request::Request;
use wyvern_aws::policy::{Answer, Attempts, Next};
use wyvern_aws::retry::{corrected, is_expired_credentials, RetryPolicy};
use wyvern_aws::signing::{Service, SignError};
use wyvern_aws::snippets::{json11_boto3, json11_cli};
use wyvern_aws::{AwsError, Credentials};
use wyvern_transport::{self as transport, TransportError};

pub type Shared = Rc<RefCell<State>>;

/// Builds one attempt's request from its signing time and credentials.
pub type Build<'a> = dyn Fn(SystemTime, Option<&Credentials>) -> Result<Request, SignError> + 'a;

#[derive(Debug, Clone)]
pub enum CallError {
    Aws(AwsError),
    Network(String),
    Aborted,
    /// Refused before sending (not connected, bad input): a code of our own and a message.
    Local {
        code: String,
        message: String,
    },
}

impl CallError {
    pub fn local(code: &str, message: impl Into<String>) -> CallError {
        CallError::Local {
            code: code.into(),
            message: message.into(),
        }
    }
}

impl From<SignError> for CallError {
    fn from(e: SignError) -> Self {
        CallError::local("SigningFailed", e.to_string())
    }
}

/// How a service reports errors.
#[derive(Debug, Clone, Copy)]
pub enum Errors {
    /// S3's XML error document.
    Xml,
    /// JSON 1.1 `__type` (SSM, Cognito), with the service name for messages.
    Json(&'static str),
    /// The Dragon API's `{"message": ...}`.
    Api,
}

/// What a call is, for the inspector and for error parsing.
pub struct Spec {
    pub service: &'static str,
    pub operation: String,
    pub errors: Errors,
    /// The service the request is signed for (`None`: unsigned or token-authorised).
    pub signing: Option<Service>,
    pub needs_credentials: bool,
    pub cli: String,
    pub boto3: String,
}

impl Spec {
    /// A JSON 1.1 call (`X-Amz-Target`): the service's JSON errors, and the AWS CLI and boto3
    /// copies of `shown` (the body, its secrets redacted). Signed, with credentials, when
    /// `signing` names the service.
    pub fn json11(
        service: &'static str,
        action: &str,
        shown: &serde_json::Value,
        config: &crate::state::Config,
        signing: Option<Service>,
    ) -> Spec {
        let signed = signing.is_some();
        Spec {
            service,
            operation: action.into(),
            errors: Errors::Json(service),
            signing,
            needs_credentials: signed,
            cli: json11_cli(service, action, shown, &config.target(), signed),
            boto3: json11_boto3(service, action, shown, &config.target(), signed),
        }
    }
}

pub struct Reply {
    pub answer: transport::Answer,
    /// `None` when the caller asked to stream a successful answer itself.
    pub body: Option<Vec<u8>>,
    /// The inspector's number for the exchange that answered.
    pub seq: u64,
}

fn service_error(spec: &Spec, status: u16, body: &[u8], request_id: Option<&str>) -> AwsError {
    match spec.errors {
        Errors::Xml => parse_s3_error(status, body, request_id),
        Errors::Json(service) => parse_json_error(service, status, body, request_id),
        Errors::Api => {
            let mut e = wyvern_aws::dragons::parse_error(status, body, request_id);
            e.service = spec.service.into();
            e
        }
    }
}

/// Credentials for the next signature, refreshed when they are about to expire (one refresh at
/// a time; other callers wait for it).
pub async fn credentials(shared: &Shared) -> Result<Credentials, CallError> {
    loop {
        let need = {
            let mut st = shared.borrow_mut();
            let offset = st.clock_offset_ms;
            let Some(s) = st.session.as_mut() else {
                return Err(CallError::local(
                    "NotConnected",
                    "Connect first (guest, sign in, or your own keys).",
                ));
            };
            s.cache.need(corrected(now(), offset))
        };
        match need {
            Need::Use(c) => return Ok(c),
            Need::Wait => sleep(Duration::from_millis(100)).await,
            Need::Refresh => return session::refresh(shared.clone()).await,
        }
    }
}

fn retry_after(answer: &transport::Answer) -> Option<Duration> {
    answer
        .header("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// Sends a request built by `build` (called again for each attempt, with a fresh signing time
/// and credentials). With `stream`, a 200 answer's body is left for the caller to read.
pub async fn call(
    shared: &Shared,
    id: u64,
    spec: &Spec,
    build: &Build<'_>,
    stream: bool,
    signal: Option<&AbortSignal>,
) -> Result<Reply, CallError> {
    let offset = shared.borrow().clock_offset_ms;
    let mut attempts = Attempts::new(RetryPolicy::default(), offset);
    let mut attempt = 0;
    let mut renewed = false;
    loop {
        attempt += 1;
        let creds = if spec.needs_credentials {
            Some(credentials(shared).await?)
        } else {
            None
        };
        let req = build(attempts.signing_time(now()), creds.as_ref())?;
        let origin = wyvern_aws::url::origin(&req.url);
        if !shared.borrow().allowed_origins.contains(&origin) {
            return Err(CallError::local(
                "EndpointNotAllowed",
                format!("{origin} is not one of this class's endpoints (config.json), so Wyvern does not call it."),
            ));
        }
        let seq = {
            let mut st = shared.borrow_mut();
            st.next_exchange += 1;
            st.next_exchange
        };
        let record = exchange::request(seq, id, attempt, spec, &req);
        let started = now_ms();
        let practice = shared.borrow().practice_answers();
        let sent = match practice {
            Some(account) => account.send(&req).await,
            None => transport::send(&req, signal).await,
        };
        let answer = match sent {
            Ok(a) => a,
            Err(e) => {
                post::send(record.failed(now_ms() - started, &e.to_string()));
                if e == TransportError::Aborted {
                    return Err(CallError::Aborted);
                }
                let text = e.to_string();
                let report = Answer {
                    status: None,
                    error_code: None,
                    date_header: None,
                    retry_after: None,
                };
                match attempts.after(report, now(), random()) {
                    Next::Done => return Err(CallError::Network(text)),
                    Next::RetryAfter(d) => sleep(d).await,
                    Next::Resign => {}
                }
                continue;
            }
        };
        let ms = now_ms() - started;
        // A ranged GET answers 206: a success like 200, its body left to the caller too.
        if stream && (200..300).contains(&answer.status) {
            post::send(record.response(
                answer.status,
                &answer.headers,
                ms,
                "(an event stream: its frames are listed below as they arrive)",
            ));
            return Ok(Reply {
                answer,
                body: None,
                seq,
            });
        }
        let body = match answer.body().await {
            Ok(b) => b,
            Err(TransportError::Aborted) => {
                post::send(record.failed(now_ms() - started, "cancelled"));
                return Err(CallError::Aborted);
            }
            Err(e) => return Err(CallError::Network(e.to_string())),
        };
        post::send(record.response(
            answer.status,
            &answer.headers,
            now_ms() - started,
            &wyvern_aws::redact::body(&body),
        ));
        let request_id = ["x-amz-request-id", "x-amzn-requestid"]
            .iter()
            .find_map(|h| answer.header(h));
        let error =
            (answer.status >= 300).then(|| service_error(spec, answer.status, &body, request_id));
        if let Some(e) = &error {
            if spec.needs_credentials && !renewed && is_expired_credentials(&e.code) {
                renewed = true;
                if session::invalidate(shared) {
                    continue;
                }
            }
        }
        let report = Answer {
            status: Some(answer.status),
            error_code: error.as_ref().map(|e| e.code.as_str()),
            date_header: answer.header("date"),
            retry_after: retry_after(&answer),
        };
        let next = attempts.after(report, now(), random());
        shared.borrow_mut().clock_offset_ms = attempts.clock_offset_ms;
        match next {
            Next::Done => {
                return match error {
                    Some(e) => Err(CallError::Aws(e)),
                    None => Ok(Reply {
                        answer,
                        body: Some(body),
                        seq,
                    }),
                }
            }
            Next::RetryAfter(d) => sleep(d).await,
            Next::Resign => {}
        }
    }
}
