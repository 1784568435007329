//! Request inspector records: what was sent (secrets redacted), what it was signed over, what
//! came back, and the same call as an AWS CLI command and a boto3 snippet.

use crate::call::Spec;
use wyvern_aws::http_request::Request;
use wyvern_aws::inspect::{redacted_canonical_request, redacted_header, signing_details};
use wyvern_aws::redact;
use wyvern_protocol::live::{Exchange, FromLive, Outcome, Signing};

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

/// A request on its way: the record waits for its outcome.
pub struct Sent(Exchange);

pub fn request(seq: u64, id: u64, attempt: u32, spec: &Spec, req: &Request) -> Sent {
    let request_headers = req
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), redacted_header(k, v)))
        .collect();
    let signing = spec
        .signing
        .and_then(|s| signing_details(req, s))
        .map(|d| Signing {
            canonical_request: redacted_canonical_request(&d.canonical_request),
            string_to_sign: d.string_to_sign,
            signature: d.signature,
        });
    Sent(Exchange {
        seq,
        id,
        attempt,
        service: spec.service.into(),
        operation: spec.operation.clone(),
        method: req.method.clone(),
        url: req.url.clone(),
        request_headers,
        request_body: cut(redact::body(&req.body)),
        signing,
        cli: spec.cli.clone(),
        boto3: spec.boto3.clone(),
        ms: 0.0,
        // Replaced by `response` or `failed`, the only ways to post the record.
        outcome: Outcome::Failed { why: String::new() },
    })
}

impl Sent {
    fn with(mut self, ms: f64, outcome: Outcome) -> FromLive {
        self.0.ms = ms.round();
        self.0.outcome = outcome;
        FromLive::Exchange(Box::new(self.0))
    }

    pub fn response(
        self,
        status: u16,
        headers: &[(String, String)],
        ms: f64,
        body: &str,
    ) -> FromLive {
        let outcome = Outcome::Answered {
            status,
            headers: headers.to_vec(),
            body: cut(body.to_string()),
        };
        self.with(ms, outcome)
    }

    /// No answer came (network failure, CORS refusal, cancel).
    pub fn failed(self, ms: f64, why: &str) -> FromLive {
        self.with(ms, Outcome::Failed { why: why.into() })
    }
}

/// Decoded event-stream frames, appended to exchange `seq` as they arrive.
pub fn frames(seq: u64, lines: Vec<String>) -> FromLive {
    FromLive::Frames { seq, lines }
}
