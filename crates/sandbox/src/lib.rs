//! Wyvern's practice AWS account: answers the same signed HTTP requests live mode sends to AWS,
//! with no I/O of its own. A transport (the page, a Web Worker, the `wyvern-sandbox` binary)
//! hands over a request and the time, and sends back the response; the state is a plain value
//! that can be saved and restored as one JSON snapshot. Parameter Store so far; S3 and the
//! Dragon API come as sibling modules of `ssm`.

pub mod auth;
mod clock;
pub mod reply;
pub mod ssm;
pub mod state;

pub use auth::{ACCOUNT_ID, PRACTICE_ACCESS_KEY_ID, PRACTICE_SECRET_ACCESS_KEY};
pub use state::State;

use reply::ApiError;
use std::time::SystemTime;
use wyvern_aws::signing::Service;

/// The largest request body the sandbox reads.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Parameters per region, as a Standard-tier AWS account allows.
pub const PARAMETER_LIMIT: usize = 10_000;

pub struct Sandbox {
    state: State,
    /// Requests answered since start, for request ids (not part of the state).
    requests: u64,
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
            parameter_limit: PARAMETER_LIMIT,
        }
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn into_state(self) -> State {
        self.state
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
        let request_id = reply::request_id(self.requests, now);
        match self.answer(req, now) {
            Ok(body) => reply::json_response(200, &body, &request_id, now),
            Err(e) => reply::error_response(&e, &request_id, now),
        }
    }

    /// The answer to a request whose body is too large to read (`length` bytes, over
    /// `MAX_BODY_BYTES`): a transport can send it without reading the body.
    pub fn too_large(&mut self, length: usize, now: SystemTime) -> http::Response<Vec<u8>> {
        self.requests += 1;
        let request_id = reply::request_id(self.requests, now);
        reply::error_response(&body_too_large(length), &request_id, now)
    }

    fn answer(
        &mut self,
        req: &http::Request<Vec<u8>>,
        now: SystemTime,
    ) -> Result<serde_json::Value, ApiError> {
        if req.body().len() > MAX_BODY_BYTES {
            return Err(body_too_large(req.body().len()));
        }
        match route(req)? {
            Route::Ssm { operation } => self.parameter_store(req, now, operation),
        }
    }

    fn parameter_store(
        &mut self,
        req: &http::Request<Vec<u8>>,
        now: SystemTime,
        operation: &str,
    ) -> Result<serde_json::Value, ApiError> {
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

/// The service a request is for (S3 and the Dragon API will join).
enum Route<'a> {
    Ssm { operation: &'a str },
}

/// JSON 1.1 services name the operation in `X-Amz-Target`; REST ones (S3, the Dragon API) are
/// told apart by the service their credentials are scoped to.
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
        Some(other) => Err(ApiError::new(
            "NotImplemented",
            format!("The practice account does not offer the '{other}' service yet; it answers Parameter Store (ssm)."),
        )
        .with_status(501)),
        None => Err(ApiError::new(
            "UnknownOperationException",
            "The practice account answers Parameter Store requests (X-Amz-Target: AmazonSSM.<Operation>) so far.",
        )),
    }
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
