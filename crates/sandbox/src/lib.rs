//! Wyvern's practice AWS account: answers the same signed HTTP requests live mode sends to AWS,
//! with no I/O of its own. A transport (the page, a Web Worker, the `wyvern-sandbox` binary)
//! hands over a request and the time, and sends back the response; the state is a plain value
//! that can be saved and restored as one JSON snapshot. Parameter Store (`ssm`), S3 with S3
//! Select (`s3`), and the course's Dragon API (`dragons`).

pub mod auth;
mod clock;
pub mod dragons;
pub mod reply;
pub mod s3;
pub mod ssm;
pub mod state;

pub use auth::{ACCOUNT_ID, PRACTICE_ACCESS_KEY_ID, PRACTICE_SECRET_ACCESS_KEY};
pub use state::State;

use reply::ApiError;
use std::time::SystemTime;
use wyvern_aws::signing::Service;

/// The largest request body the sandbox reads (but for S3 PutObject, see [`body_limit`]).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Parameters per region, as a Standard-tier AWS account allows.
pub const PARAMETER_LIMIT: usize = 10_000;

/// The Parameter Store operations that change the store.
const SSM_WRITES: [&str; 3] = ["PutParameter", "DeleteParameter", "DeleteParameters"];

pub struct Sandbox {
    state: State,
    /// Requests answered since start, for request ids (not part of the state).
    requests: u64,
    /// Changes made since start: a transport saves the state when this moves.
    revision: u64,
    parameter_limit: usize,
}

impl Sandbox {
    /// A fresh practice account with the class's seed.
    pub fn seeded(now: SystemTime) -> Sandbox {
        Sandbox::from_state(State::seed(now))
    }

    pub fn from_state(state: State) -> Sandbox {
        Sandbox {
            state,
            requests: 0,
            revision: 0,
            parameter_limit: PARAMETER_LIMIT,
        }
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn into_state(self) -> State {
        self.state
    }

    /// How many requests have changed the state so far (a cheap "is there anything to save").
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Lowers the parameter quota (to exercise `ParameterLimitExceeded` without 10,000 puts).
    pub fn with_parameter_limit(mut self, limit: usize) -> Sandbox {
        self.parameter_limit = limit;
        self
    }

    /// Answers one request, as AWS would at time `now`.
    pub fn handle(
        &mut self,
        req: &http::Request<Vec<u8>>,
        now: SystemTime,
    ) -> http::Response<Vec<u8>> {
        self.requests += 1;
        let count = self.requests;
        let (response, changed) = match route(req) {
            Ok(Route::Ssm { operation }) => {
                let request_id = reply::request_id(count, now);
                match self.parameter_store(req, now, operation) {
                    Ok(body) => (
                        reply::json_response(200, &body, &request_id, now),
                        SSM_WRITES.contains(&operation),
                    ),
                    Err(e) => (reply::error_response(&e, &request_id, now), false),
                }
            }
            Ok(Route::S3) => {
                let ids = s3::reply::Ids::new(count, now);
                s3::handle(&mut self.state.s3, req, now, &ids)
            }
            Ok(Route::Dragons) => dragons::handle(&mut self.state, req, now, count),
            Err(e) => (
                reply::error_response(&e, &reply::request_id(count, now), now),
                false,
            ),
        };
        if changed {
            self.revision += 1;
        }
        response
    }

    /// The answer to a request whose body is too large to read (`length` bytes, over
    /// [`body_limit`]): a transport can send it without reading the body. `head` is the
    /// request without its body.
    pub fn too_large(
        &mut self,
        head: &http::Request<Vec<u8>>,
        length: usize,
        now: SystemTime,
    ) -> http::Response<Vec<u8>> {
        self.requests += 1;
        let count = self.requests;
        match route(head) {
            Ok(Route::S3) => {
                s3::too_large(head.method(), length, &s3::reply::Ids::new(count, now), now)
            }
            Ok(Route::Dragons) => dragons::too_large(count, now),
            _ => {
                reply::error_response(&body_too_large(length), &reply::request_id(count, now), now)
            }
        }
    }

    fn parameter_store(
        &mut self,
        req: &http::Request<Vec<u8>>,
        now: SystemTime,
        operation: &str,
    ) -> Result<serde_json::Value, ApiError> {
        if req.body().len() > MAX_BODY_BYTES {
            return Err(body_too_large(req.body().len()));
        }
        if req.method() != http::Method::POST {
            return Err(ApiError::new(
                "UnknownOperationException",
                "Parameter Store requests are POSTs.",
            ));
        }
        let caller = auth::verify(req, now, Service::Ssm)?;
        let ctx = ssm::ops::Ctx {
            region: &caller.region,
            now_ms: clock::epoch_millis(now),
            parameter_limit: self.parameter_limit,
        };
        ssm::handle(&mut self.state.ssm, operation, req.body(), &ctx)
    }
}

/// The largest body the sandbox reads for a request with these headers (its body is not looked
/// at): an object for S3 PutObject, [`MAX_BODY_BYTES`] for anything else.
pub fn body_limit(head: &http::Request<Vec<u8>>) -> usize {
    match route(head) {
        Ok(Route::S3) => s3::body_limit(head.method()),
        _ => MAX_BODY_BYTES,
    }
}

/// The service a request is for.
enum Route<'a> {
    Ssm { operation: &'a str },
    S3,
    Dragons,
}

/// JSON 1.1 services name the operation in `X-Amz-Target`; REST ones (S3, the Dragon API) are
/// told apart by the service their credentials are scoped to, or, unsigned, by the path (the
/// Dragon API's stage) and by being no JSON 1.1 call.
fn route(req: &http::Request<Vec<u8>>) -> Result<Route<'_>, ApiError> {
    let target = req
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Some(operation) = target.strip_prefix(ssm::TARGET_PREFIX) {
        return Ok(Route::Ssm { operation });
    }
    match auth::scope_service(req) {
        Some("ssm") => Ok(Route::Ssm { operation: target }),
        Some("s3") => Ok(Route::S3),
        Some("execute-api") => Ok(Route::Dragons),
        Some(other) => Err(ApiError::new(
            "NotImplemented",
            format!("The practice account does not offer the '{other}' service; it answers Parameter Store (ssm), S3 (s3) and the Dragon API (execute-api)."),
        )
        .with_status(501)),
        None if dragons::is_for_dragons(req) => Ok(Route::Dragons),
        None if !target.is_empty() || is_json11(req) => Err(ApiError::new(
            "UnknownOperationException",
            "The practice account answers Parameter Store requests (X-Amz-Target: AmazonSSM.<Operation>), S3 and the Dragon API.",
        )),
        None => Ok(Route::S3),
    }
}

fn is_json11(req: &http::Request<Vec<u8>>) -> bool {
    req.headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-amz-json-1."))
}

fn body_too_large(length: usize) -> ApiError {
    ApiError::new(
        "RequestEntityTooLargeException",
        format!(
            "The request body has {length} bytes; the practice account reads at most {MAX_BODY_BYTES} (1 MiB)."
        ),
    )
    .with_status(413)
}

#[cfg(test)]
mod testing;
