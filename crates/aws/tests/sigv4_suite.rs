//! The AWS SigV4 signing test suite (tests/fixtures/sigv4): every request signed by Wyvern's
//! signer must get the suite's signature and Authorization header.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wyvern_aws::http_request::Request;
use wyvern_aws::signing::{sign_request, Overrides, Service};
use wyvern_aws::Credentials;

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/sigv4")
}

/// request.txt: request line, `Name:value` headers (indented lines continue a value), a blank
/// line, the body.
fn parse_request(text: &str) -> Request {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let mut first = lines.next().unwrap().split(' ');
    let method = first.next().unwrap();
    let target = first.next().unwrap();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with(' ') || line.starts_with('\t') {
            // A folded value: the canonical form joins the pieces with single spaces.
            headers
                .last_mut()
                .unwrap()
                .1
                .push_str(&format!(" {}", line.trim()));
        } else if let Some((k, v)) = line.split_once(':') {
            headers.push((k.to_string(), v.to_string()));
        }
    }
    let host = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.clone())
        .unwrap();
    let mut req = Request::new(method, &format!("https://{host}{target}")).unwrap();
    for (k, v) in &headers {
        req.append(k, v).unwrap();
    }
    req.body(body.as_bytes().to_vec())
}

fn timestamp(s: &str) -> SystemTime {
    let t = wyvern_select::Timestamp::parse(s).unwrap();
    UNIX_EPOCH + Duration::from_nanos(t.instant() as u64)
}

#[test]
fn signatures_match_the_aws_test_suite() {
    let mut dirs: Vec<_> = std::fs::read_dir(suite())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("context.json").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 35, "the suite has {} cases", dirs.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut inspected = 0;
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let raw = std::fs::read_to_string(dir.join("request.txt")).unwrap();
        // Skipped as the aws-sigv4 crate's own suite skips them: get-space-normalized expects a
        // single-encoded path from a service that double-encodes (the context cannot say so),
        // and get-space-unnormalized has a raw space in the request target, not a valid URI.
        if name.starts_with("get-space-") {
            continue;
        }
        let ctx: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("context.json")).unwrap())
                .unwrap();
        let c = &ctx["credentials"];
        let credentials = Credentials::new(
            c["access_key_id"].as_str().unwrap(),
            c["secret_access_key"].as_str().unwrap(),
            c["token"].as_str().map(str::to_string),
        );
        let overrides = Overrides {
            session_token_after: ctx["omit_session_token"].as_bool().unwrap_or(false),
            no_normalize: !ctx["normalize"].as_bool().unwrap_or(true),
            payload_hash_header: ctx["sign_body"].as_bool().unwrap_or(false),
        };
        let service: &'static str = Box::leak(
            ctx["service"]
                .as_str()
                .unwrap()
                .to_string()
                .into_boxed_str(),
        );
        let mut req = parse_request(&raw);
        let time = timestamp(ctx["timestamp"].as_str().unwrap());
        let signature = match sign_request(
            &mut req,
            &credentials,
            ctx["region"].as_str().unwrap(),
            Service::Other(service),
            time,
            overrides,
        ) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        checked += 1;
        let want = std::fs::read_to_string(dir.join("header-signature.txt")).unwrap();
        if signature != want.trim() {
            failures.push(format!(
                "{name}: signature {signature}, want {}",
                want.trim()
            ));
            continue;
        }
        // The inspector's view of what was signed matches the suite's canonical request.
        let details = wyvern_aws::inspect::signing_details(&req, Service::Other(service)).unwrap();
        let want_canonical =
            std::fs::read_to_string(dir.join("header-canonical-request.txt")).unwrap();
        let want_sts = std::fs::read_to_string(dir.join("header-string-to-sign.txt")).unwrap();
        if overrides.no_normalize || name.contains("multiline") {
            // Not modelled by the inspector: unnormalised non-S3 paths, folded header values.
        } else if details.canonical_request != want_canonical.trim_end_matches('\n')
            || details.string_to_sign != want_sts.trim_end_matches('\n')
        {
            failures.push(format!(
                "{name}: canonical request\n{}\nwant\n{}",
                details.canonical_request, want_canonical
            ));
        } else {
            inspected += 1;
        }
        let signed = std::fs::read_to_string(dir.join("header-signed-request.txt")).unwrap();
        let want_auth = signed
            .lines()
            .find_map(|l| l.strip_prefix("Authorization:"))
            .unwrap();
        let got_auth = req.get("authorization").unwrap();
        if got_auth != want_auth {
            failures.push(format!(
                "{name}: Authorization {got_auth}, want {want_auth}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 35, "only {checked} cases were checked");
    assert!(
        inspected >= 25,
        "only {inspected} canonical requests were compared"
    );
}

#[test]
fn s3_requests_carry_the_payload_hash_and_the_session_token() {
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some("TOKEN".into()),
    );
    let mut req = Request::new(
        "POST",
        "https://dragons.s3.us-east-1.amazonaws.com/data/dragon%20stats.json?select&select-type=2",
    )
    .unwrap()
    .header("host", "dragons.s3.us-east-1.amazonaws.com")
    .unwrap()
    .body(b"<SelectObjectContentRequest/>".to_vec());
    let time = timestamp("2015-08-30T12:36:00Z");
    sign_request(
        &mut req,
        &credentials,
        "us-east-1",
        Service::S3,
        time,
        Overrides::default(),
    )
    .unwrap();
    assert_eq!(req.get("x-amz-content-sha256").unwrap().len(), 64);
    assert_eq!(req.get("x-amz-security-token"), Some("TOKEN"));
    let auth = req.get("authorization").unwrap();
    assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, SignedHeaders="));
    assert!(auth.contains("x-amz-content-sha256") && auth.contains("x-amz-security-token"));
}
