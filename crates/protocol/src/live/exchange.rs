//! The request inspector's record of one attempt at a call: what was sent (secrets redacted),
//! what it was signed over, what came back, and the same call for the AWS CLI and boto3.

use crate::codec::{maybe_text, num, pairs, text, Fields};
use wasm_bindgen::JsValue;

#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// The inspector's number for it; event-stream frames name it.
    pub seq: u64,
    /// The request it was made for (0: a credential refresh of the worker's own).
    pub id: u64,
    /// 1, then 2, … for retries.
    pub attempt: u32,
    pub service: String,
    pub operation: String,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: String,
    /// `None` when the request is not signed with SigV4.
    pub signing: Option<Signing>,
    pub cli: String,
    pub boto3: String,
    /// Milliseconds until the answer (or the failure).
    pub ms: f64,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Signing {
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Answered {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// No answer came: a network failure, a CORS refusal, a cancel.
    Failed { why: String },
}

impl Exchange {
    pub(super) fn write(&self, m: Fields) -> Fields {
        let m = m
            .num("seq", self.seq as f64)
            .num("id", self.id as f64)
            .num("attempt", self.attempt.into())
            .text("service", &self.service)
            .text("operation", &self.operation)
            .text("method", &self.method)
            .text("url", &self.url)
            .pairs("requestHeaders", &self.request_headers)
            .text("requestBody", &self.request_body)
            .text("cli", &self.cli)
            .text("boto3", &self.boto3)
            .num("ms", self.ms);
        let m = match &self.signing {
            Some(s) => m
                .text("canonicalRequest", &s.canonical_request)
                .text("stringToSign", &s.string_to_sign)
                .text("signature", &s.signature),
            None => m,
        };
        match &self.outcome {
            Outcome::Answered {
                status,
                headers,
                body,
            } => m
                .num("status", (*status).into())
                .pairs("responseHeaders", headers)
                .text("responseBody", body),
            Outcome::Failed { why } => m.text("failure", why),
        }
    }
    pub(super) fn read(msg: &JsValue) -> Exchange {
        Exchange {
            seq: num(msg, "seq") as u64,
            id: num(msg, "id") as u64,
            attempt: num(msg, "attempt") as u32,
            service: text(msg, "service"),
            operation: text(msg, "operation"),
            method: text(msg, "method"),
            url: text(msg, "url"),
            request_headers: pairs(msg, "requestHeaders"),
            request_body: text(msg, "requestBody"),
            signing: maybe_text(msg, "canonicalRequest").map(|canonical_request| Signing {
                canonical_request,
                string_to_sign: text(msg, "stringToSign"),
                signature: text(msg, "signature"),
            }),
            cli: text(msg, "cli"),
            boto3: text(msg, "boto3"),
            ms: num(msg, "ms"),
            outcome: match maybe_text(msg, "failure") {
                Some(why) => Outcome::Failed { why },
                None => Outcome::Answered {
                    status: num(msg, "status") as u16,
                    headers: pairs(msg, "responseHeaders"),
                    body: text(msg, "responseBody"),
                },
            },
        }
    }
}
