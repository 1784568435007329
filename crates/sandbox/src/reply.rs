//! JSON 1.1 answers, as AWS sends them: `application/x-amz-json-1.1`, a request id, a `Date`
//! (clients correct their clock skew from it), and errors as `{"__type": …, "message": …}`.

use crate::clock;
use serde_json::{json, Value};
use std::time::SystemTime;

pub const JSON11: &str = "application/x-amz-json-1.1";

/// An error as the service reports it: HTTP status, error code, and the message if AWS sends
/// one (it sends none with `ParameterNotFound`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: Option<String>,
}

impl ApiError {
    /// A 400, the status of every Parameter Store error.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status: 400,
            code,
            message: Some(message.into()),
        }
    }

    pub fn without_message(code: &'static str) -> Self {
        ApiError {
            status: 400,
            code,
            message: None,
        }
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// The body: the message goes under the member name the service's model gives the
    /// exception (`Message` for a few, `message` for most).
    pub fn body(&self) -> Value {
        let mut body = json!({ "__type": self.code });
        if let Some(message) = &self.message {
            let key = match self.code {
                "ValidationException"
                | "AccessDeniedException"
                | "InvalidNextToken"
                | "InvalidFilterValue" => "Message",
                _ => "message",
            };
            body[key] = json!(message);
        }
        body
    }
}

/// A request id in AWS's shape (a UUID), distinct per request without a random source: the
/// request count and the clock, mixed.
pub fn request_id(count: u64, now: SystemTime) -> String {
    let seed = count ^ (clock::epoch_millis(now) as u64).rotate_left(20);
    let a = splitmix64(seed);
    let b = splitmix64(a ^ count);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        (b >> 48) & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

/// One step of SplitMix64: a well-mixed, deterministic u64 sequence.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A JSON 1.1 response with the headers AWS sends (the transport adds `Content-Length`).
pub fn json_response(
    status: u16,
    body: &Value,
    request_id: &str,
    now: SystemTime,
) -> http::Response<Vec<u8>> {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = http::Response::new(bytes);
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_REQUEST);
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static(JSON11),
    );
    for (name, value) in [
        ("x-amzn-requestid", request_id.to_string()),
        ("date", clock::http_date(now)),
    ] {
        if let Ok(value) = http::HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

pub fn error_response(e: &ApiError, request_id: &str, now: SystemTime) -> http::Response<Vec<u8>> {
    json_response(e.status, &e.body(), request_id, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn error_bodies_use_the_models_member_names() {
        let e = ApiError::new("ParameterAlreadyExists", "exists");
        assert_eq!(
            e.body(),
            json!({"__type": "ParameterAlreadyExists", "message": "exists"})
        );
        let v = ApiError::new("ValidationException", "bad");
        assert_eq!(
            v.body(),
            json!({"__type": "ValidationException", "Message": "bad"})
        );
        let n = ApiError::without_message("ParameterNotFound");
        assert_eq!(n.body(), json!({"__type": "ParameterNotFound"}));
    }

    #[test]
    fn responses_carry_type_request_id_and_date() {
        let r = json_response(200, &json!({"a": 1}), "id-1", UNIX_EPOCH);
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], JSON11);
        assert_eq!(r.headers()["x-amzn-requestid"], "id-1");
        assert_eq!(r.headers()["date"], "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(r.body(), br#"{"a":1}"#);
    }

    #[test]
    fn request_ids_differ_and_look_like_uuids() {
        let a = request_id(1, UNIX_EPOCH);
        let b = request_id(2, UNIX_EPOCH);
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
    }
}
