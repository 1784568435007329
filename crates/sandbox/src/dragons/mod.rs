//! The course's Dragon API as API Gateway serves it (REST API, stage `prod`, resource
//! `/dragons`): `GET /prod/dragons` (optionally `?dragonName=` or `?family=`), `POST
//! /prod/dragons` (a report), `OPTIONS` (the CORS preflight). The handler is the kit's Lambda,
//! ported in [`lambda`].
//!
//! Authorization: the instructor kit puts a Cognito user-pool authorizer on GET and POST (the
//! client sends its id token as `Authorization`); the practice account has no user pool, so it
//! takes what a method with IAM authorization takes: a SigV4 signature for `execute-api` made
//! with the practice keys (the local emulator accepts the same). No `Authorization` at all, or a
//! token, gets the authorizer's 401; a signature that fails gets API Gateway's IAM answers
//! (403). The reporter is the signer's IAM ARN, as API Gateway passes it to the Lambda.

pub mod lambda;
pub mod pyjson;

use crate::auth::{self, AuthFailure, PRACTICE_USER_ARN};
use crate::reply::request_id;
use crate::state::State;
use percent_encoding::percent_decode_str;
use pyjson::{dumps, Record};
use serde_json::json;
use std::time::SystemTime;
use wyvern_aws::signing::Service;

/// The resource's path, with its stage.
pub const PATH: &str = "/prod/dragons";
/// The Lambda's CORS headers (no `ALLOWED_ORIGIN` set: any origin).
const CORS: [(&str, &str); 3] = [
    ("access-control-allow-origin", "*"),
    (
        "access-control-allow-headers",
        "Authorization,X-Amz-Date,X-Amz-Security-Token,Content-Type",
    ),
    ("access-control-allow-methods", "GET,POST,OPTIONS"),
];

/// Whether an unsigned request is for the Dragon API (signed ones say so in their scope).
pub fn is_for_dragons(req: &http::Request<Vec<u8>>) -> bool {
    req.uri().path() == PATH || req.uri().path().starts_with("/prod/")
}

struct Gateway {
    status: u16,
    body: Vec<u8>,
    /// API Gateway's error type header, for its own refusals.
    error_type: Option<&'static str>,
    cors: bool,
}

fn gateway_message(status: u16, text: &str, error_type: Option<&'static str>) -> Gateway {
    Gateway {
        status,
        body: dumps(&Record(vec![("message".into(), json!(text))])),
        error_type,
        cors: false,
    }
}

/// API Gateway's answer to a failed IAM signature check.
fn refused(failure: AuthFailure) -> Gateway {
    match failure {
        AuthFailure::Missing => gateway_message(401, "Unauthorized", Some("UnauthorizedException")),
        AuthFailure::UnknownKey(_) | AuthFailure::SessionToken => gateway_message(
            403,
            auth::INVALID_TOKEN,
            Some("UnrecognizedClientException"),
        ),
        AuthFailure::Malformed(m) => gateway_message(403, &m, Some("IncompleteSignatureException")),
        AuthFailure::Skewed { message, .. } | AuthFailure::Scope(message) => {
            gateway_message(403, &message, Some("InvalidSignatureException"))
        }
        AuthFailure::Mismatch | AuthFailure::PayloadHash { .. } => {
            gateway_message(403, auth::MISMATCH, Some("InvalidSignatureException"))
        }
    }
}

/// The query as API Gateway hands it to the Lambda: decoded, `+` as a space.
fn query(req: &http::Request<Vec<u8>>) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    req.uri()
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(n), decode(v))
        })
        .collect()
}

fn gateway(state: &mut State, req: &http::Request<Vec<u8>>, now: SystemTime) -> (Gateway, bool) {
    if req.uri().path() != PATH {
        return (
            gateway_message(
                403,
                "Missing Authentication Token",
                Some("MissingAuthenticationTokenException"),
            ),
            false,
        );
    }
    let method = req.method().as_str();
    if method == "OPTIONS" {
        let preflight = Gateway {
            status: 200,
            body: Vec::new(),
            error_type: None,
            cors: true,
        };
        return (preflight, false);
    }
    let signed = req
        .headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("AWS4-HMAC-SHA256 "));
    if !signed {
        return (refused(AuthFailure::Missing), false);
    }
    if let Err(failure) = auth::check(req, now, Service::ExecuteApi) {
        return (refused(failure), false);
    }
    if req.body().len() > crate::MAX_BODY_BYTES {
        return (gateway_message(413, "Request Too Long", None), false);
    }
    let answered = match method {
        "GET" => lambda::list(state, &query(req), now),
        "POST" => lambda::report(state, req.body(), PRACTICE_USER_ARN, now),
        other => Ok(lambda::Answer {
            status: 405,
            body: dumps(&Record(vec![(
                "message".into(),
                json!(format!("{other} is not supported on /dragons.")),
            )])),
            changed: false,
        }),
    };
    match answered {
        Ok(a) => (
            Gateway {
                status: a.status,
                body: a.body,
                error_type: None,
                cors: true,
            },
            a.changed,
        ),
        Err(_) => (gateway_message(502, "Internal server error", None), false),
    }
}

/// Answers one Dragon API request; true when a report changed the data file.
pub fn handle(
    state: &mut State,
    req: &http::Request<Vec<u8>>,
    now: SystemTime,
    count: u64,
) -> (http::Response<Vec<u8>>, bool) {
    let (answer, changed) = gateway(state, req, now);
    (response(answer, count, now), changed)
}

/// API Gateway's answer to a body over the sandbox's limit, sent without reading it.
pub fn too_large(count: u64, now: SystemTime) -> http::Response<Vec<u8>> {
    response(gateway_message(413, "Request Too Long", None), count, now)
}

fn response(answer: Gateway, count: u64, now: SystemTime) -> http::Response<Vec<u8>> {
    let id = request_id(count, now);
    let mut headers: Vec<(&str, String)> = vec![
        ("content-type", "application/json".into()),
        ("x-amzn-requestid", id.clone()),
        (
            "x-amz-apigw-id",
            id.replace('-', "").get(..16).unwrap_or("").to_string() + "=",
        ),
        ("date", crate::clock::http_date(now)),
    ];
    if let Some(t) = answer.error_type {
        headers.push(("x-amzn-errortype", t.into()));
    }
    if answer.cors {
        headers.extend(CORS.iter().map(|(n, v)| (*n, v.to_string())));
    }
    let mut response = http::Response::new(answer.body);
    *response.status_mut() =
        http::StatusCode::from_u16(answer.status).unwrap_or(http::StatusCode::BAD_GATEWAY);
    for (name, value) in headers {
        if let Ok(value) = http::HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests;
