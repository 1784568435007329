//! Request inspector records: what was sent (secrets redacted), what it was signed over, what
//! came back, and the same call as an AWS CLI command and a boto3 snippet.

use crate::call::Spec;
use serde_json::{json, Map, Value};
use wyvern_aws::inspect::{redacted_canonical_request, redacted_header, signing_details};
use wyvern_aws::redact;

/// Bodies longer than this are cut in the inspector (the results hold the data).
const BODY_LIMIT: usize = 20_000;

fn cut(mut text: String) -> String {
    if text.len() > BODY_LIMIT {
        let mut end = BODY_LIMIT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let total = text.len();
        text.truncate(end);
        text += &format!("\n… ({total} bytes in all)");
    }
    text
}

pub fn request(
    seq: u64,
    id: u64,
    attempt: u32,
    spec: &Spec,
    req: &http::Request<Vec<u8>>,
) -> Map<String, Value> {
    let headers: Vec<Value> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            let v = String::from_utf8_lossy(v.as_bytes());
            json!([k.as_str(), redacted_header(k.as_str(), &v)])
        })
        .collect();
    let mut m = Map::new();
    m.insert("type".into(), json!("exchange"));
    m.insert("seq".into(), json!(seq));
    m.insert("id".into(), json!(id));
    m.insert("attempt".into(), json!(attempt));
    m.insert("service".into(), json!(spec.service));
    m.insert("operation".into(), json!(spec.operation));
    m.insert("method".into(), json!(req.method().as_str()));
    m.insert("url".into(), json!(req.uri().to_string()));
    m.insert("requestHeaders".into(), Value::Array(headers));
    m.insert("requestBody".into(), json!(cut(redact::body(req.body()))));
    if let Some(d) = spec.signing.and_then(|s| signing_details(req, s)) {
        m.insert(
            "canonicalRequest".into(),
            json!(redacted_canonical_request(&d.canonical_request)),
        );
        m.insert("stringToSign".into(), json!(d.string_to_sign));
        m.insert("signature".into(), json!(d.signature));
    }
    m.insert("cli".into(), json!(spec.cli));
    m.insert("boto3".into(), json!(spec.boto3));
    m
}

pub fn response(
    mut m: Map<String, Value>,
    status: u16,
    headers: &[(String, String)],
    ms: f64,
    body: &str,
) -> Value {
    m.insert("status".into(), json!(status));
    m.insert(
        "responseHeaders".into(),
        Value::Array(headers.iter().map(|(k, v)| json!([k, v])).collect()),
    );
    m.insert("ms".into(), json!(ms.round()));
    m.insert("responseBody".into(), json!(cut(body.to_string())));
    Value::Object(m)
}

/// No answer came (network failure, CORS refusal, cancel).
pub fn failed(mut m: Map<String, Value>, ms: f64, why: &str) -> Value {
    m.insert("status".into(), json!(0));
    m.insert("ms".into(), json!(ms.round()));
    m.insert("failure".into(), json!(why));
    Value::Object(m)
}

/// Decoded event-stream frames, appended to exchange `seq` as they arrive.
pub fn frames(seq: u64, lines: Vec<String>) -> Value {
    json!({ "type": "frames", "seq": seq, "lines": lines })
}
