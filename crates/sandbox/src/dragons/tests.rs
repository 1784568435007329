use super::lambda::{MAX_DATA_BYTES, REPORTED_BY};
use super::PATH;
use crate::auth::{practice_credentials, PRACTICE_USER_ARN};
use crate::state::{DATA_BUCKET, DATA_FILE};
use crate::testing::{now, s3, signed};
use crate::Sandbox;
use serde_json::{json, Value};
use std::time::Duration;
use wyvern_aws::credentials::Credentials;
use wyvern_aws::signing::Service;

const API: &str = "http://127.0.0.1:5006/prod/dragons";

fn call_as(
    s: &mut Sandbox,
    method: &str,
    url: &str,
    body: &[u8],
    credentials: &Credentials,
) -> (u16, Vec<u8>) {
    let headers: &[(&str, &str)] = if body.is_empty() {
        &[]
    } else {
        &[("content-type", "application/json")]
    };
    let req = signed(
        method,
        url,
        headers,
        body.to_vec(),
        credentials,
        Service::ExecuteApi,
        now(),
    );
    let r = s.handle(&req, now());
    (r.status().as_u16(), r.body().clone())
}

fn call(s: &mut Sandbox, method: &str, url: &str, body: &[u8]) -> (u16, Vec<u8>) {
    call_as(s, method, url, body, &practice_credentials())
}

fn names(s: &mut Sandbox, query: &str) -> Vec<String> {
    let (status, body) = call(s, "GET", &format!("{API}{query}"), b"");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let list: Vec<Value> = serde_json::from_slice(&body).unwrap();
    list.iter()
        .map(|d| d["dragon_name_str"].as_str().unwrap_or("").to_string())
        .collect()
}

fn report(name: &str) -> Value {
    json!({
        "dragonName": name, "description": "Breathes fire.", "family": "red", "city": "cardiff",
        "country": "uk", "state": "wales", "neighborhood": "roath",
        "reportingPhoneNumber": "555-0100", "confirmationRequired": false,
    })
}

fn post(s: &mut Sandbox, body: &Value) -> (u16, Value) {
    let (status, bytes) = call(s, "POST", API, body.to_string().as_bytes());
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[test]
fn lists_as_the_lambda_does() {
    let mut s = Sandbox::seeded(now());
    let data: Vec<Value> = serde_json::from_slice(crate::s3::seed::OBJECTS[0].1).unwrap();
    assert_eq!(names(&mut s, "").len(), data.len());
    let red: Vec<String> = data
        .iter()
        .filter(|d| d["family_str"] == "red")
        .map(|d| d["dragon_name_str"].as_str().unwrap().to_string())
        .collect();
    assert!(red.len() > 2);
    assert_eq!(names(&mut s, "?family=red"), red);
    assert_eq!(names(&mut s, "?dragonName=Atlas"), ["Atlas"]);
    // Family wins; an empty value is no filter; a quote is text, not SQL.
    assert_eq!(
        names(&mut s, "?dragonName=Atlas&family=blue"),
        names(&mut s, "?family=blue")
    );
    assert_eq!(names(&mut s, "?family=").len(), data.len());
    assert!(names(&mut s, "?dragonName=x%27%20or%20%271%27%3D%271").is_empty());
    // The answer is json.dumps' bytes.
    let (_, body) = call(&mut s, "GET", &format!("{API}?dragonName=Atlas"), b"");
    assert!(body.starts_with(br#"[{"dragon_name_str": "Atlas", "family_str": "red", "#));
}

#[test]
fn a_report_lands_in_the_data_file() {
    let mut s = Sandbox::seeded(now());
    let (status, body) = post(&mut s, &report("  Zog  "));
    assert_eq!(
        (status, body),
        (201, json!({"message": "Zog reported. Thank you!"}))
    );
    assert_eq!(s.revision(), 1);
    let (_, found) = call(&mut s, "GET", &format!("{API}?dragonName=Zog"), b"");
    let found: Value = serde_json::from_slice(&found).unwrap();
    assert_eq!(
        found,
        json!([{
            "dragon_name_str": "Zog", "description_str": "Breathes fire.", "family_str": "red",
            "location_city_str": "cardiff", "location_country_str": "uk", "location_state_str": "wales",
            "location_neighborhood_str": "roath", REPORTED_BY: PRACTICE_USER_ARN,
        }])
    );
    // S3 sees it too: the file is rewritten as the Lambda writes it (indent=2, UTF-8).
    let r = s3(&mut s, "GET", &format!("/{DATA_BUCKET}/{DATA_FILE}"), b"");
    assert_eq!(r.headers()["content-type"], "application/json");
    let text = String::from_utf8(r.body().clone()).unwrap();
    assert!(text.ends_with(
        "    \"reported_by_str\": \"arn:aws:iam::123456789012:user/practice-learner\"\n  }\n]"
    ));
    assert_eq!(
        post(&mut s, &report("ZOG")),
        (
            409,
            json!({"message": "A dragon named ZOG is already reported."})
        )
    );
}

#[test]
fn reports_are_validated_as_the_lambda_validates_them() {
    let mut s = Sandbox::seeded(now());
    let mut partial = report("Nib");
    partial["city"] = json!("");
    partial
        .as_object_mut()
        .unwrap()
        .remove("confirmationRequired");
    assert_eq!(
        post(&mut s, &partial),
        (
            400,
            json!({"message": "Missing: city, confirmationRequired."})
        )
    );
    let mut unsure = report("Nib");
    unsure["confirmationRequired"] = json!("yes");
    assert_eq!(
        post(&mut s, &unsure),
        (
            400,
            json!({"message": "confirmationRequired must be true or false."})
        )
    );
    let long =
        json!({"message": "Every field must be one line of text of at most 500 bytes (UTF-8)."});
    for bad in [json!("é".repeat(251)), json!("two\nlines"), json!(5)] {
        let mut r = report("Nib");
        r["description"] = bad;
        assert_eq!(post(&mut s, &r), (400, long.clone()));
    }
    let mut fits = report("Nib");
    fits["description"] = json!("é".repeat(250));
    assert_eq!(post(&mut s, &fits).0, 201);
    for body in ["", "[1]", "not json", "\"text\""] {
        let (status, answer) = call(&mut s, "POST", API, body.as_bytes());
        assert_eq!(
            (status, answer.as_slice()),
            (
                400,
                &br#"{"message": "The body must be a JSON object."}"#[..]
            ),
            "{body}"
        );
    }
}

#[test]
fn ten_reports_per_learner() {
    let mut s = Sandbox::seeded(now());
    for i in 0..10 {
        assert_eq!(post(&mut s, &report(&format!("Whelp {i}"))).0, 201);
    }
    let (status, body) = call(
        &mut s,
        "POST",
        API,
        report("Whelp 10").to_string().as_bytes(),
    );
    assert_eq!(status, 403);
    assert_eq!(
        String::from_utf8(body).unwrap(),
        r#"{"error": "ReportLimitExceeded", "message": "You have reported 10 dragons, as many as one learner may."}"#
    );
}

#[test]
fn the_data_file_has_a_size_limit() {
    let mut s = Sandbox::seeded(now());
    let mut data: Vec<Value> = serde_json::from_slice(crate::s3::seed::OBJECTS[0].1).unwrap();
    let filler = "x".repeat(400);
    while serde_json::to_vec_pretty(&data).unwrap().len() < MAX_DATA_BYTES - 300 {
        data.push(
            json!({"dragon_name_str": format!("Filler {}", data.len()), "description_str": filler}),
        );
    }
    let r = s3(
        &mut s,
        "PUT",
        &format!("/{DATA_BUCKET}/{DATA_FILE}"),
        &serde_json::to_vec_pretty(&data).unwrap(),
    );
    assert_eq!(r.status(), 200);
    let mut big = report("Last");
    big["description"] = json!("y".repeat(400));
    assert_eq!(
        post(&mut s, &big),
        (
            413,
            json!({"message": "The class's dragon data is full (512 KiB): no more reports can be kept."})
        )
    );
}

#[test]
fn failures_behind_the_lambda_are_502s() {
    let internal = (502, br#"{"message": "Internal server error"}"#.to_vec());
    let mut s = Sandbox::seeded(now());
    s3(
        &mut s,
        "PUT",
        &format!("/{DATA_BUCKET}/{DATA_FILE}"),
        b"{\"not\": \"a list\"}",
    );
    assert_eq!(
        call(&mut s, "POST", API, report("A").to_string().as_bytes()),
        internal
    );
    s3(
        &mut s,
        "DELETE",
        &format!("/{DATA_BUCKET}/{DATA_FILE}"),
        b"",
    );
    assert_eq!(call(&mut s, "GET", API, b""), internal);
    let mut s = Sandbox::seeded(now());
    let req = crate::testing::request(
        "DeleteParameter",
        &json!({"Name": "dragon_data_bucket_name"}),
    );
    assert_eq!(s.handle(&req, now()).status(), 200);
    assert_eq!(call(&mut s, "GET", API, b""), internal);
}

#[test]
fn api_gateway_in_front() {
    let mut s = Sandbox::seeded(now());
    let unsigned = |method: &str, path: &str, auth: Option<&str>| {
        let mut b = http::Request::builder()
            .method(method)
            .uri(path)
            .header("host", "127.0.0.1:5006");
        if let Some(a) = auth {
            b = b.header("authorization", a);
        }
        b.body(Vec::new()).unwrap()
    };
    let r = s.handle(&unsigned("GET", PATH, None), now());
    assert_eq!(
        (r.status().as_u16(), r.body().as_slice()),
        (401, &br#"{"message": "Unauthorized"}"#[..])
    );
    let r = s.handle(
        &unsigned("GET", PATH, Some("eyJraWQiOi.an-id-token.sig")),
        now(),
    );
    assert_eq!(r.status(), 401);
    let r = s.handle(&unsigned("OPTIONS", PATH, None), now());
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["access-control-allow-methods"],
        "GET,POST,OPTIONS"
    );
    let r = s.handle(&unsigned("GET", "/prod/other", None), now());
    assert_eq!(
        (r.status().as_u16(), r.body().as_slice()),
        (403, &br#"{"message": "Missing Authentication Token"}"#[..])
    );

    let wrong = Credentials::new(crate::PRACTICE_ACCESS_KEY_ID, "wrong", None);
    let (status, body) = call_as(&mut s, "GET", API, b"", &wrong);
    assert_eq!(status, 403);
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("The request signature we calculated does not match"));
    let stranger = Credentials::new("AKIASTRANGER00000000", "x", None);
    assert_eq!(call_as(&mut s, "GET", API, b"", &stranger).0, 403);
    let stale = signed(
        "GET",
        API,
        &[],
        Vec::new(),
        &practice_credentials(),
        Service::ExecuteApi,
        now() - Duration::from_secs(3600),
    );
    assert_eq!(s.handle(&stale, now()).status(), 403);
    let (status, body) = call(&mut s, "PUT", API, b"{}");
    assert_eq!(
        (status, body.as_slice()),
        (
            405,
            &br#"{"message": "PUT is not supported on /dragons."}"#[..]
        )
    );

    let req = signed(
        "GET",
        API,
        &[],
        Vec::new(),
        &practice_credentials(),
        Service::ExecuteApi,
        now(),
    );
    let r = s.handle(&req, now());
    assert_eq!(r.headers()["content-type"], "application/json");
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(r.headers().contains_key("x-amzn-requestid"));
    assert_eq!(s.too_large(&req, 5 << 20, now()).status(), 413);
}
