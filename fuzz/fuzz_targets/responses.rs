//! Every response parser in the AWS client core (S3 XML and JSON 1.1 errors, SSM, S3 listings,
//! Cognito and STS credentials and sign-in, the Dragon API, Athena's four calls), the inspector's redaction of
//! bodies, the snippets built from a JSON body, and the clock-skew path that reads a server's
//! Date. Input: `status: u16 BE, flags`, then bytes that are used as a body as they are, and
//! read by `wyvern_fuzz::gen` into a JSON document, an XML document and an HTTP date shaped
//! like AWS answers (with extreme numbers), each body through every parser. Errors and `None`
//! are fine; panics are not.
#![no_main]

wyvern_fuzz::malloc_hooks!();

use libfuzzer_sys::fuzz_target;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wyvern_aws::policy::{Answer, Attempts};
use wyvern_aws::retry::RetryPolicy;
use wyvern_aws::snippets::{self, SelectCall, Target};
use wyvern_aws::{athena, cognito, dragons, error, inspect, redact, retry, s3, s3select, ssm};

/// Writes a response body from fuzzed bytes.
type Generator = fn(&mut arbitrary::Unstructured) -> arbitrary::Result<Vec<u8>>;

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let status = u16::from_be_bytes([data[0], data[1]]);
    let flags = data[2];
    let rest = &data[3..];
    check(status, flags, rest);
    let generators: [Generator; 3] = [
        wyvern_fuzz::gen::json,
        wyvern_fuzz::gen::xml,
        wyvern_fuzz::gen::http_date,
    ];
    for generate in generators {
        if let Ok(body) = generate(&mut arbitrary::Unstructured::new(rest)) {
            if std::env::var_os("WYVERN_FUZZ_SHOW").is_some() {
                eprintln!("BODY: {}", String::from_utf8_lossy(&body));
            }
            check(status, flags, &body);
        }
    }
});

fn check(status: u16, flags: u8, body: &[u8]) {
    let text = String::from_utf8_lossy(body);
    let request_id = (flags & 1 != 0).then_some("REQ-ID");

    let e = error::parse_s3_error(status, body, request_id);
    let _ = s3select::select_unavailable(&e);
    let e = error::parse_json_error("ssm", status, body, request_id);
    let _ = retry::is_retryable(e.status, &e.code);

    let id = || "q".to_string();
    for call in [
        athena::Call::Get { id: id() },
        athena::Call::Results {
            id: id(),
            next_token: None,
        },
        athena::Call::Results {
            id: id(),
            next_token: Some(text.to_string()),
        },
        athena::Call::Stop { id: id() },
    ] {
        if let Some(athena::Answer::Execution(e)) = call.answer(body) {
            let _ = e.failure();
            let _ = athena::cost_usd(e.scanned_bytes.unwrap_or(0));
        }
    }
    let _ = ssm::parse_parameter(body);
    let _ = ssm::parse_parameters(body);
    let _ = s3::parse_list_objects(body);
    let _ = cognito::parse_identity_id(body);
    let _ = cognito::parse_open_id_token(body);
    let now = UNIX_EPOCH + Duration::from_secs(1_763_900_000);
    for creds in [
        cognito::parse_identity_credentials(body),
        cognito::parse_sts_credentials(body),
    ]
    .into_iter()
    .flatten()
    {
        let _ = creds.may_be_remembered();
        let mut cache = cognito::CredentialCache::default();
        let _ = cache.need(now);
        cache.refreshed(creds);
        let _ = cache.need(now);
        let _ = cache.need(now + Duration::from_secs(86_400 * 365));
    }
    let _ = cognito::parse_sign_in(body);
    let _ = dragons::parse_list(body);
    let _ = dragons::parse_message(body);

    let _ = redact::body(body);
    let _ = redact::json(body);
    let _ = redact::xml(&text);
    let _ = redact::security_token(&text);
    let _ = redact::form(&text);
    let _ = inspect::redacted_canonical_request(&text);
    if let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(body) {
        let t = Target {
            region: "us-east-1".into(),
            endpoint: (flags & 2 != 0).then(|| "http://127.0.0.1:5005".into()),
        };
        let _ = snippets::python(&v);
        let shown = redact::json_value(&v);
        let _ = snippets::json11_cli("ssm", &text, &shown, &t, flags & 4 != 0);
        let _ = snippets::json11_boto3("ssm", &text, &shown, &t, flags & 4 != 0);
        redact::scrub(&mut v, &["secret-key-123".into(), text.to_string()]);
    }
    let t = Target {
        region: text.to_string(),
        endpoint: Some(text.to_string()),
    };
    let call = SelectCall {
        bucket: &text,
        key: &text,
        sql: &text,
        input_serialization: &text,
        output_serialization: &text,
    };
    let _ = snippets::select_cli(&call, &t);
    let _ = snippets::select_boto3(&call, &t);
    let _ = snippets::shell_quote(&text);
    let _ = snippets::kebab(&text);
    let _ = snippets::snake(&text);

    // A server's Date header, through the skew correction to the next signing time.
    let _ = retry::parse_http_date(&text);
    let local = UNIX_EPOCH + Duration::from_secs(u64::from(status) * 40_000_000);
    let _ = retry::skew_millis(&text, local);
    let mut attempts = Attempts::new(RetryPolicy::default(), 0);
    let _ = attempts.signing_time(local);
    let _ = attempts.after(
        Answer {
            status: Some(status),
            error_code: Some(if flags & 8 != 0 {
                "SignatureDoesNotMatch"
            } else {
                &e.code
            }),
            date_header: Some(&text),
            retry_after: Some(Duration::from_millis(u64::from(flags) * 997)),
        },
        local,
        f64::from(flags) / 255.0,
    );
    let t: SystemTime = attempts.signing_time(local);
    let _ = retry::needs_refresh(Some(t), local);
}
