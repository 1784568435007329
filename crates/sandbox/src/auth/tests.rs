use super::*;
use crate::testing::{now, request, request_as};
use serde_json::json;

fn check(req: &http::Request<Vec<u8>>, at: SystemTime) -> Result<Caller, ApiError> {
    verify(req, at, Service::Ssm)
}

fn code(r: Result<Caller, ApiError>) -> (&'static str, String) {
    let e = r.unwrap_err();
    (e.code, e.message.unwrap_or_default())
}

fn get() -> http::Request<Vec<u8>> {
    request("GetParameter", &json!({"Name": "dragon_data_bucket_name"}))
}

#[test]
fn a_request_signed_with_the_practice_keys_passes() {
    let caller = check(&get(), now()).unwrap();
    assert_eq!(caller.region, "us-east-1");
    assert_eq!(caller.access_key_id, PRACTICE_ACCESS_KEY_ID);
    let eu = request_as(
        "GetParameter",
        &json!({}),
        &practice_credentials(),
        "eu-west-1",
        now(),
    );
    assert_eq!(check(&eu, now()).unwrap().region, "eu-west-1");
}

#[test]
fn unknown_keys_and_session_tokens_are_unrecognized() {
    let other = Credentials::new("AKIAOTHER00000000000", PRACTICE_SECRET_ACCESS_KEY, None);
    let req = request_as("GetParameter", &json!({}), &other, "us-east-1", now());
    assert_eq!(
        code(check(&req, now())),
        ("UnrecognizedClientException", INVALID_TOKEN.to_string())
    );
    let temporary = Credentials::new(
        PRACTICE_ACCESS_KEY_ID,
        PRACTICE_SECRET_ACCESS_KEY,
        Some("FQoGZXIvYXdz".into()),
    );
    let req = request_as("GetParameter", &json!({}), &temporary, "us-east-1", now());
    assert_eq!(code(check(&req, now())).0, "UnrecognizedClientException");
}

#[test]
fn a_wrong_secret_or_a_changed_request_does_not_match() {
    let wrong = Credentials::new(PRACTICE_ACCESS_KEY_ID, "not-the-secret", None);
    let req = request_as("GetParameter", &json!({}), &wrong, "us-east-1", now());
    assert_eq!(
        code(check(&req, now())),
        ("InvalidSignatureException", MISMATCH.to_string())
    );

    let mut body_changed = get();
    *body_changed.body_mut() = br#"{"Name":"dragon_data_file_name"}"#.to_vec();
    assert_eq!(
        code(check(&body_changed, now())).0,
        "InvalidSignatureException"
    );

    let mut target_changed = get();
    target_changed.headers_mut().insert(
        "x-amz-target",
        http::HeaderValue::from_static("AmazonSSM.DeleteParameter"),
    );
    assert_eq!(
        code(check(&target_changed, now())).0,
        "InvalidSignatureException"
    );

    let mut signature_changed = get();
    let auth = signature_changed.headers()["authorization"]
        .to_str()
        .unwrap();
    let other = if auth.ends_with('0') { '1' } else { '0' };
    let flipped = format!("{}{other}", &auth[..auth.len() - 1]);
    signature_changed.headers_mut().insert(
        "authorization",
        http::HeaderValue::from_str(&flipped).unwrap(),
    );
    assert_eq!(
        code(check(&signature_changed, now())).0,
        "InvalidSignatureException"
    );
}

#[test]
fn headers_added_after_signing_do_not_matter() {
    let mut req = get();
    req.headers_mut()
        .insert("user-agent", http::HeaderValue::from_static("Boto3/1.44"));
    req.headers_mut()
        .insert("content-length", http::HeaderValue::from_static("33"));
    check(&req, now()).unwrap();
}

#[test]
fn missing_or_malformed_authorization() {
    let mut req = get();
    req.headers_mut().remove("authorization");
    assert_eq!(
        code(check(&req, now())),
        (
            "MissingAuthenticationTokenException",
            "Missing Authentication Token".to_string()
        )
    );
    for value in [
        "AWS4-HMAC-SHA256 Credential=AKIAPRACTICE00000000/20261130/us-east-1/ssm/aws4_request",
        "AWS4-HMAC-SHA256",
        "Bearer abc",
        "AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=00",
        "",
    ] {
        let mut req = get();
        req.headers_mut()
            .insert("authorization", http::HeaderValue::from_str(value).unwrap());
        assert_eq!(
            code(check(&req, now())).0,
            "IncompleteSignatureException",
            "{value}"
        );
    }
    let mut no_date = get();
    no_date.headers_mut().remove("x-amz-date");
    assert_eq!(
        code(check(&no_date, now())).0,
        "IncompleteSignatureException"
    );
}

#[test]
fn signatures_hold_for_fifteen_minutes_either_way() {
    let req = get();
    check(&req, now() + Duration::from_secs(14 * 60)).unwrap();
    check(&req, now() - Duration::from_secs(14 * 60)).unwrap();
    let (c, m) = code(check(&req, now() + Duration::from_secs(16 * 60)));
    assert_eq!(c, "InvalidSignatureException");
    assert_eq!(
        m,
        "Signature expired: 20261130T180000Z is now earlier than 20261130T180100Z (20261130T181600Z - 15 min.)"
    );
    let (c, m) = code(check(&req, now() - Duration::from_secs(16 * 60)));
    assert_eq!(c, "InvalidSignatureException");
    assert!(m.starts_with("Signature not yet current: 20261130T180000Z is still later than"));
}

#[test]
fn the_scope_must_be_this_service_and_date() {
    let mut req = get();
    let auth = req.headers()["authorization"].to_str().unwrap().to_string();
    let for_s3 = auth.replace("/ssm/", "/s3/");
    req.headers_mut().insert(
        "authorization",
        http::HeaderValue::from_str(&for_s3).unwrap(),
    );
    assert_eq!(
        code(check(&req, now())),
        (
            "InvalidSignatureException",
            "Credential should be scoped to correct service: 'ssm'.".to_string()
        )
    );
    let mut req = get();
    let other_day = auth.replace("/20261130/", "/20261129/");
    req.headers_mut().insert(
        "authorization",
        http::HeaderValue::from_str(&other_day).unwrap(),
    );
    assert!(code(check(&req, now()))
        .1
        .starts_with("Date in Credential scope does not match"));
    let mut req = get();
    let no_host = auth.replace(
        "SignedHeaders=content-type;host;",
        "SignedHeaders=content-type;",
    );
    req.headers_mut().insert(
        "authorization",
        http::HeaderValue::from_str(&no_host).unwrap(),
    );
    assert!(code(check(&req, now())).1.contains("'Host'"));
    let mut req = get();
    let odd_region = auth.replace("/us-east-1/", "/US_EAST/");
    req.headers_mut().insert(
        "authorization",
        http::HeaderValue::from_str(&odd_region).unwrap(),
    );
    assert_eq!(code(check(&req, now())).0, "InvalidSignatureException");
}

/// Whatever the headers say, verification answers an error, never a panic.
#[test]
fn arbitrary_authorization_headers_never_panic() {
    let signed = get();
    let real = signed.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_string();
    let mut seed = 7u64;
    for _ in 0..2000 {
        seed = crate::reply::splitmix64(seed);
        let cut = (seed as usize) % (real.len() + 1);
        let pick = (seed >> 20) as usize % 6;
        let junk = ["", ",", "=", "/", ";", " "][pick];
        let value = format!(
            "{}{junk}{}",
            &real[..cut],
            &real[cut.min(real.len())..]
                .chars()
                .rev()
                .collect::<String>()
        );
        let mut req = get();
        if let Ok(v) = http::HeaderValue::from_str(&value) {
            req.headers_mut().insert("authorization", v);
        }
        let date = ["20261130T180000Z", "2026", "99999999T999999Z", ""][(seed >> 40) as usize % 4];
        req.headers_mut()
            .insert("x-amz-date", http::HeaderValue::from_str(date).unwrap());
        let _ = check(&req, now());
    }
    let mut req = get();
    req.headers_mut().insert(
        "authorization",
        http::HeaderValue::from_bytes(b"AWS4-HMAC-SHA256 Credential=\xff").unwrap(),
    );
    assert_eq!(code(check(&req, now())).0, "IncompleteSignatureException");
    // A signed header whose value no signer accepts.
    let mut req = get();
    req.headers_mut()
        .insert("host", http::HeaderValue::from_bytes(b"h\xffst").unwrap());
    assert_eq!(code(check(&req, now())).0, "InvalidSignatureException");
}
