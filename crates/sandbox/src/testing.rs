//! Helpers for the unit tests: requests signed the way live mode signs them.

use crate::auth::practice_credentials;
use crate::Sandbox;
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wyvern_aws::credentials::Credentials;
use wyvern_aws::http_request::Request;
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
    .into_http()
    .expect("signed requests convert")
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

/// An S3 request (path-style, or any URI), with extra headers, signed with `credentials` at `at`.
pub fn s3_request_as(
    method: &str,
    path_and_query: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
    credentials: &Credentials,
    at: SystemTime,
) -> http::Request<Vec<u8>> {
    signed(
        method,
        &format!("http://127.0.0.1:5006{path_and_query}"),
        headers,
        body,
        credentials,
        Service::S3,
        at,
    )
}

/// Any request, signed for `service` with the practice keys in us-east-1 at `at`.
pub fn signed(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
    credentials: &Credentials,
    service: Service,
    at: SystemTime,
) -> http::Request<Vec<u8>> {
    let mut req = Request::new(method, url)
        .and_then(|r| r.header("host", &wyvern_aws::url::host(url)))
        .expect("test requests build");
    for (name, value) in headers {
        req.append(name, value).expect("test requests build");
    }
    let mut req = req.body(body);
    wyvern_aws::signing::sign_request(
        &mut req,
        credentials,
        "us-east-1",
        service,
        at,
        wyvern_aws::signing::Overrides::default(),
    )
    .expect("test requests sign");
    req.into_http().expect("signed requests convert")
}

/// An S3 request signed with the practice keys, now.
pub fn s3_request(
    method: &str,
    path_and_query: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> http::Request<Vec<u8>> {
    s3_request_as(
        method,
        path_and_query,
        headers,
        body,
        &practice_credentials(),
        now(),
    )
}

/// Sends an S3 request; the response.
pub fn s3(
    sandbox: &mut Sandbox,
    method: &str,
    path_and_query: &str,
    body: &[u8],
) -> http::Response<Vec<u8>> {
    sandbox.handle(
        &s3_request(method, path_and_query, &[], body.to_vec()),
        now(),
    )
}

/// The text of one XML element of a body (the first), unescaped as far as tests need.
pub fn xml_text(body: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&format!("</{name}>"))? + start;
    Some(
        text[start..end]
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
            .replace("&lt;", "<"),
    )
}

/// Every text of an element, in order.
pub fn xml_all(body: &[u8], name: &str) -> Vec<String> {
    let text = String::from_utf8_lossy(body).into_owned();
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    text.split(&open)
        .skip(1)
        .filter_map(|part| part.split(&close).next().map(str::to_string))
        .collect()
}
