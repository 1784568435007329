//! Helpers for the unit tests: requests signed the way live mode signs them.

use crate::auth::practice_credentials;
use crate::Sandbox;
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wyvern_aws::credentials::Credentials;
use wyvern_aws::request::{json11, Endpoint};
use wyvern_aws::signing::Service;

/// A fixed "now": 2026-11-30T18:00:00Z.
pub fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_796_061_600)
}

pub fn endpoint(region: &str) -> Endpoint {
    Endpoint {
        region: region.into(),
        custom: Some("http://127.0.0.1:5006".into()),
    }
}

/// `AmazonSSM.<operation>` with `body`, signed with `credentials` at `at`.
pub fn request_as(
    operation: &str,
    body: &Value,
    credentials: &Credentials,
    region: &str,
    at: SystemTime,
) -> http::Request<Vec<u8>> {
    json11(
        &endpoint(region),
        Service::Ssm,
        &format!("AmazonSSM.{operation}"),
        body,
        Some(credentials),
        at,
    )
    .expect("test requests sign")
}

/// Signed with the practice keys for us-east-1, now.
pub fn request(operation: &str, body: &Value) -> http::Request<Vec<u8>> {
    request_as(operation, body, &practice_credentials(), "us-east-1", now())
}

/// Status and JSON body of the sandbox's answer.
pub fn answer(sandbox: &mut Sandbox, req: &http::Request<Vec<u8>>) -> (u16, Value) {
    let response = sandbox.handle(req, now());
    let body = serde_json::from_slice(response.body()).expect("answers are JSON");
    (response.status().as_u16(), body)
}

/// Calls an operation as the practice user in us-east-1.
pub fn call(sandbox: &mut Sandbox, operation: &str, body: Value) -> (u16, Value) {
    answer(sandbox, &request(operation, &body))
}

/// The error code and message of a failed call (panics on success).
pub fn error(sandbox: &mut Sandbox, operation: &str, body: Value) -> (String, String) {
    let (status, v) = call(sandbox, operation, body);
    assert_eq!(status, 400, "{operation} answered {v}");
    let message = v
        .get("message")
        .or_else(|| v.get("Message"))
        .and_then(Value::as_str)
        .unwrap_or("");
    (
        v["__type"].as_str().unwrap_or("").to_string(),
        message.to_string(),
    )
}

/// An empty account.
pub fn empty() -> Sandbox {
    Sandbox::from_state(crate::State::default())
}
