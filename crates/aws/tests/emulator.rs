//! The client core against the local AWS emulator (emulator/wyvern_emulator.py), over a native
//! transport used only here. Ignored by a plain `cargo test` (it needs the emulator's Python
//! packages and the release s3select binary); scripts/test.sh prepares both and runs it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::SystemTime;
use wyvern_aws::error::{parse_json_error, parse_s3_error};
use wyvern_aws::eventstream::{SelectEvent, SelectStreamDecoder, StreamError};
use wyvern_aws::http_request::Request;
use wyvern_aws::policy::{Answer as Answer2, Attempts, Next};
use wyvern_aws::request::{json11, s3, Endpoint};
use wyvern_aws::retry::RetryPolicy;
use wyvern_aws::s3::object_path;
use wyvern_aws::signing::Service;
use wyvern_aws::{athena, cognito, s3select, ssm, Credentials};
use wyvern_select::{InputSerialization, OutputSerialization};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Emulator {
    child: Child,
    endpoint: Endpoint,
    credentials: Credentials,
    bucket: String,
    key: String,
    state: serde_json::Value,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Emulator {
    let python = root().join("emulator/.venv/bin/python");
    assert!(
        python.exists(),
        "run emulator/setup.sh first (scripts/test.sh does)"
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let state = std::env::temp_dir().join(format!("wyvern-emulator-{port}.json"));
    let mut child = Command::new(python)
        .arg(root().join("emulator/wyvern_emulator.py"))
        .args(["--port", &port.to_string(), "--state"])
        .arg(&state)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(
        lines.any(|l| l.map(|l| l.contains("emulator ready")).unwrap_or(false)),
        "the emulator did not start"
    );
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    Emulator {
        child,
        endpoint: Endpoint {
            region: s["region"].as_str().unwrap().into(),
            custom: Some(s["endpoint"].as_str().unwrap().into()),
        },
        credentials: Credentials::new(
            s["access_key_id"].as_str().unwrap(),
            s["secret_access_key"].as_str().unwrap(),
            None,
        ),
        bucket: s["bucket"].as_str().unwrap().into(),
        key: s["key"].as_str().unwrap().into(),
        state: s.clone(),
    }
}

struct Answer {
    status: u16,
    request_id: Option<String>,
    date: Option<String>,
    body: Vec<u8>,
}

fn send(req: Request) -> Answer {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent.run(req.into_http().unwrap()).unwrap();
    let request_id = ["x-amz-request-id", "x-amzn-requestid"]
        .iter()
        .find_map(|h| {
            resp.headers()
                .get(*h)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        });
    let date = resp
        .headers()
        .get("date")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = resp.body_mut().read_to_vec().unwrap();
    Answer {
        status: resp.status().as_u16(),
        request_id,
        date,
        body,
    }
}

/// Sends under the retry and clock-skew policies, re-signing each attempt; also returns how
/// many attempts it took.
fn call(build: impl Fn(SystemTime) -> Request, json_service: Option<&str>) -> (Answer, u32) {
    let mut attempts = Attempts::new(RetryPolicy::default(), 0);
    let mut n = 0;
    loop {
        n += 1;
        let answer = send(build(attempts.signing_time(SystemTime::now())));
        let code = if answer.status >= 300 {
            Some(match json_service {
                Some(svc) => parse_json_error(svc, answer.status, &answer.body, None).code,
                None => parse_s3_error(answer.status, &answer.body, None).code,
            })
        } else {
            None
        };
        let report = Answer2 {
            status: Some(answer.status),
            error_code: code.as_deref(),
            date_header: answer.date.as_deref(),
            retry_after: None,
        };
        match attempts.after(report, SystemTime::now(), 0.5) {
            Next::Done => return (answer, n),
            Next::RetryAfter(wait) => std::thread::sleep(wait),
            Next::Resign => {}
        }
    }
}

fn set_faults(e: &Emulator, faults: serde_json::Value) {
    let url = format!("{}/_wyvern/faults", e.endpoint.custom.as_deref().unwrap());
    let req = Request::new("POST", &url)
        .unwrap()
        .body(serde_json::to_vec(&faults).unwrap());
    assert_eq!(send(req).status, 200);
}

/// An S3 call with no body (GET, HEAD), signed as the learner, now.
fn as_learner(e: &Emulator, method: &str, path: &str) -> Request {
    s3(
        &e.endpoint,
        method,
        path,
        Vec::new(),
        &e.credentials,
        SystemTime::now(),
    )
    .unwrap()
}

/// Query options for the seeded data file: a JSON document in, JSON records out.
fn document_to_json() -> wyvern_select::QueryOptions {
    wyvern_select::QueryOptions {
        input: InputSerialization::from_json(DOCUMENT).unwrap(),
        output: OutputSerialization::from_json(JSON_OUT).unwrap(),
        scan_range: None,
        now: wyvern_select::Timestamp::from_unix_millis(0),
    }
}

fn ssm_call(e: &Emulator, target: &str, body: serde_json::Value) -> Answer {
    send(
        json11(
            &e.endpoint,
            Service::Ssm,
            target,
            &body,
            Some(&e.credentials),
            SystemTime::now(),
        )
        .unwrap(),
    )
}

#[test]
#[ignore = "needs the local emulator: scripts/test.sh runs it"]
fn against_the_local_emulator() {
    let e = start();
    select_streams_records_and_stats(&e);
    sql_errors_come_back_with_their_code(&e);
    a_wrong_secret_gets_signature_does_not_match(&e);
    parameter_store_round_trip(&e);
    throttling_is_retried_then_succeeds(&e);
    a_fifteen_minute_skew_is_corrected(&e);
    a_cut_stream_is_reported_incomplete(&e);
    an_error_after_records_arrives_mid_stream(&e);
    the_fallback_and_the_event_stream_carry_the_same_records(&e);
    select_on_a_parquet_object(&e);
    athena_queries(&e);
    cognito_guest_and_signed_in_credentials(&e);
    more_s3_and_parameter_store_calls(&e);
    the_dragon_api(&e);
}

fn more_s3_and_parameter_store_calls(e: &Emulator) {
    // A prefix without "/": moto's signature check mishandles an encoded "/" in a query value.
    let list = send(as_learner(
        e,
        "GET",
        &wyvern_aws::s3::list_objects_path(&e.bucket, "samples", None),
    ));
    assert_eq!(list.status, 200, "{}", String::from_utf8_lossy(&list.body));
    let listing = wyvern_aws::s3::parse_list_objects(&list.body);
    let keys: Vec<_> = listing.objects.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "samples/dragons.csv",
            "samples/dragons.jsonl",
            "samples/dragons.parquet"
        ]
    );
    let head = send(as_learner(e, "HEAD", &object_path(&e.bucket, &e.key)));
    assert_eq!(head.status, 200);
    let mut ranged = as_learner(e, "GET", &object_path(&e.bucket, &e.key));
    ranged
        .insert("range", &wyvern_aws::s3::range_header(0, Some(9)))
        .unwrap();
    // The Range header is added after signing: it is not among the signed headers.
    let part = send(ranged);
    let data = std::fs::read(root().join("static/data/dragons.json")).unwrap();
    assert_eq!((part.status, part.body.as_slice()), (206, &data[..10]));

    let two = ssm_call(
        e,
        ssm::GET_PARAMETERS,
        ssm::get_parameters(&["dragon_data_bucket_name", "dragon_data_file_name"], false),
    );
    let (found, _) = ssm::parse_parameters(&two.body).unwrap();
    assert_eq!(found.len(), 2);
    let described = ssm_call(e, ssm::DESCRIBE_PARAMETERS, ssm::describe_parameters(None));
    let (all, _) = ssm::parse_parameters(&described.body).unwrap();
    assert!(all
        .iter()
        .any(|p| p.name == "/dragons/secret/feeding-schedule"
            && p.kind == "SecureString"
            && p.value.is_empty()));
}

fn the_dragon_api(e: &Emulator) {
    use wyvern_aws::dragons::{self, Auth, Filter, NewDragon};
    let api = e.state["dragon_api"].as_str().unwrap();
    let cognito::SignIn::Tokens { id_token, .. } =
        sign_in(e, "learner", e.state["users"]["learner"].as_str().unwrap())
    else {
        panic!("sign in")
    };
    let now = SystemTime::now;
    let all = send(dragons::list(api, Filter::All, Auth::IdToken(&id_token), now()).unwrap());
    assert_eq!(all.status, 200, "{}", String::from_utf8_lossy(&all.body));
    assert_eq!(dragons::parse_list(&all.body).unwrap().len(), 62);
    let red = dragons::parse_list(
        &send(dragons::list(api, Filter::Family("red"), Auth::IdToken(&id_token), now()).unwrap())
            .body,
    )
    .unwrap();
    assert_eq!(red.len(), 9);
    let atlas = dragons::parse_list(
        &send(dragons::list(api, Filter::Name("Atlas"), Auth::IdToken(&id_token), now()).unwrap())
            .body,
    )
    .unwrap();
    assert_eq!((atlas.len(), atlas[0].city.as_str()), (1, "anchorage"));
    // An injection attempt is just a name nobody has.
    let sneaky = send(
        dragons::list(
            api,
            Filter::Name("x' or '1'='1"),
            Auth::IdToken(&id_token),
            now(),
        )
        .unwrap(),
    );
    assert_eq!(
        (
            sneaky.status,
            dragons::parse_list(&sneaky.body).unwrap().len()
        ),
        (200, 0)
    );
    // IAM authorization (SigV4 for execute-api) works too; no token, or a bad one, does not.
    let iam = send(
        dragons::list(
            api,
            Filter::Family("gold"),
            Auth::Iam {
                credentials: &e.credentials,
                region: &e.endpoint.region,
            },
            now(),
        )
        .unwrap(),
    );
    assert_eq!(iam.status, 200, "{}", String::from_utf8_lossy(&iam.body));
    let wrong = Credentials::new(e.credentials.access_key_id.clone(), "wrong", None);
    assert_eq!(
        send(
            dragons::list(
                api,
                Filter::All,
                Auth::Iam {
                    credentials: &wrong,
                    region: &e.endpoint.region
                },
                now()
            )
            .unwrap()
        )
        .status,
        401
    );
    assert_eq!(
        send(dragons::list(api, Filter::All, Auth::IdToken("forged"), now()).unwrap()).status,
        401
    );

    let puff = NewDragon {
        dragon_name: "Puff".into(),
        description: "A magic dragon.".into(),
        family: "green".into(),
        city: "honalee".into(),
        country: "usa".into(),
        state: "hawaii".into(),
        neighborhood: "by the sea".into(),
        reporting_phone_number: "+1 808 555 0100".into(),
        confirmation_required: false,
    };
    assert!(dragons::validate(&puff).is_empty());
    let made = send(dragons::report(api, &puff, Auth::IdToken(&id_token), now()).unwrap());
    assert_eq!(made.status, 201, "{}", String::from_utf8_lossy(&made.body));
    let again = send(dragons::report(api, &puff, Auth::IdToken(&id_token), now()).unwrap());
    assert_eq!(again.status, 409);
    assert!(dragons::parse_message(&again.body)
        .unwrap()
        .contains("already reported"));
    let incomplete = NewDragon {
        family: String::new(),
        ..puff.clone()
    };
    let refused = send(dragons::report(api, &incomplete, Auth::IdToken(&id_token), now()).unwrap());
    assert_eq!(
        (
            refused.status,
            dragons::parse_message(&refused.body).unwrap()
        ),
        (400, "Missing: family.".to_string())
    );
    let found = dragons::parse_list(
        &send(dragons::list(api, Filter::Name("Puff"), Auth::IdToken(&id_token), now()).unwrap())
            .body,
    )
    .unwrap();
    assert_eq!(found[0].neighborhood, "by the sea");
}

fn unsigned(e: &Emulator, service: Service, target: &str, body: serde_json::Value) -> Answer {
    send(json11(&e.endpoint, service, target, &body, None, SystemTime::now()).unwrap())
}

fn identity_credentials(
    e: &Emulator,
    logins: &std::collections::BTreeMap<String, String>,
) -> Credentials {
    let pool = e.state["identity_pool_id"].as_str().unwrap();
    let svc = Service::Other("cognito-identity");
    let id = cognito::parse_identity_id(
        &unsigned(e, svc, cognito::GET_ID, cognito::get_id(pool, logins)).body,
    )
    .unwrap();
    let answer = unsigned(
        e,
        svc,
        cognito::GET_CREDENTIALS_FOR_IDENTITY,
        cognito::get_credentials_for_identity(&id, logins),
    );
    cognito::parse_identity_credentials(&answer.body).unwrap()
}

fn sign_in(e: &Emulator, user: &str, password: &str) -> cognito::SignIn {
    let client = e.state["user_pool_client_id"].as_str().unwrap();
    let answer = unsigned(
        e,
        Service::Other("cognito-idp"),
        cognito::INITIATE_AUTH,
        cognito::initiate_auth(client, user, password),
    );
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    cognito::parse_sign_in(&answer.body).unwrap()
}

fn cognito_guest_and_signed_in_credentials(e: &Emulator) {
    let none = std::collections::BTreeMap::new();
    // Guest, enhanced flow: real temporary credentials that sign Parameter Store calls.
    let guest = identity_credentials(e, &none);
    assert!(
        guest.access_key_id.starts_with("ASIA")
            && guest.session_token.is_some()
            && guest.expiration.is_some()
    );
    let as_guest = |creds: &Credentials| {
        send(
            json11(
                &e.endpoint,
                Service::Ssm,
                ssm::GET_PARAMETER,
                &ssm::get_parameter("dragon_data_file_name", false),
                Some(creds),
                SystemTime::now(),
            )
            .unwrap(),
        )
    };
    assert_eq!(
        ssm::parse_parameter(&as_guest(&guest).body).unwrap().value,
        e.key
    );

    // Guest, classic flow: GetOpenIdToken, then STS AssumeRoleWithWebIdentity.
    let pool = e.state["identity_pool_id"].as_str().unwrap();
    let svc = Service::Other("cognito-identity");
    let id = cognito::parse_identity_id(
        &unsigned(e, svc, cognito::GET_ID, cognito::get_id(pool, &none)).body,
    )
    .unwrap();
    let token = cognito::parse_open_id_token(
        &unsigned(
            e,
            svc,
            cognito::GET_OPEN_ID_TOKEN,
            cognito::get_open_id_token(&id, &none),
        )
        .body,
    )
    .unwrap();
    let body = cognito::assume_role_with_web_identity_body(
        e.state["guest_role_arn"].as_str().unwrap(),
        "wyvern-guest",
        &token,
    );
    let url = format!("{}/", e.endpoint.custom.as_deref().unwrap());
    let req = Request::new("POST", &url)
        .unwrap()
        .header("content-type", "application/x-www-form-urlencoded")
        .unwrap()
        .body(body.into_bytes());
    let classic = cognito::parse_sts_credentials(&send(req).body).expect("STS credentials");
    let get = send(
        s3(
            &e.endpoint,
            "GET",
            &object_path(&e.bucket, &e.key),
            Vec::new(),
            &classic,
            SystemTime::now(),
        )
        .unwrap(),
    );
    assert_eq!(
        (get.status, get.body.len()),
        (
            200,
            std::fs::metadata(root().join("static/data/dragons.json"))
                .unwrap()
                .len() as usize
        )
    );

    // Signed in: the user pool's id token in Logins.
    let cognito::SignIn::Tokens { id_token, .. } =
        sign_in(e, "learner", e.state["users"]["learner"].as_str().unwrap())
    else {
        panic!("learner signs in with tokens")
    };
    let logins = cognito::logins(
        &e.endpoint.region,
        e.state["user_pool_id"].as_str().unwrap(),
        &id_token,
    );
    let member = identity_credentials(e, &logins);
    let by_path = send(
        json11(
            &e.endpoint,
            Service::Ssm,
            ssm::GET_PARAMETERS_BY_PATH,
            &ssm::get_parameters_by_path("/dragons", true, true, None),
            Some(&member),
            SystemTime::now(),
        )
        .unwrap(),
    );
    assert_eq!(
        by_path.status,
        200,
        "{}",
        String::from_utf8_lossy(&by_path.body)
    );
    assert!(ssm::parse_parameters(&by_path.body).unwrap().0.len() >= 3);

    // A wrong password, and a first sign-in that must set a new password.
    let client = e.state["user_pool_client_id"].as_str().unwrap();
    let wrong = unsigned(
        e,
        Service::Other("cognito-idp"),
        cognito::INITIATE_AUTH,
        cognito::initiate_auth(client, "learner", "nope"),
    );
    assert_eq!(
        parse_json_error("cognito-idp", wrong.status, &wrong.body, None).code,
        "NotAuthorizedException"
    );
    let cognito::SignIn::NewPasswordRequired { session } = sign_in(
        e,
        "newcomer",
        e.state["users"]["newcomer"].as_str().unwrap(),
    ) else {
        panic!("newcomer must choose a password")
    };
    let answer = unsigned(
        e,
        Service::Other("cognito-idp"),
        cognito::RESPOND_TO_AUTH_CHALLENGE,
        cognito::respond_new_password(client, &session, "newcomer", "Brand-new-pass-9!"),
    );
    assert!(
        matches!(
            cognito::parse_sign_in(&answer.body),
            Some(cognito::SignIn::Tokens { .. })
        ),
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    assert!(matches!(
        sign_in(e, "newcomer", "Brand-new-pass-9!"),
        cognito::SignIn::Tokens { .. }
    ));

    // Expiry: five minutes ahead of it, one caller refreshes (new keys that work), others wait.
    let mut cache = cognito::CredentialCache::default();
    assert_eq!(cache.need(SystemTime::now()), cognito::Need::Refresh);
    cache.refreshed(guest.clone());
    let later = guest.expiration.unwrap() - std::time::Duration::from_secs(120);
    assert_eq!(cache.need(later), cognito::Need::Refresh);
    assert!(
        matches!(cache.need(later), cognito::Need::Use(_)),
        "only one refresh at a time"
    );
    let renewed = identity_credentials(e, &none);
    assert_ne!(renewed.access_key_id, guest.access_key_id);
    cache.refreshed(renewed.clone());
    assert_eq!(
        cache.need(SystemTime::now()),
        cognito::Need::Use(renewed.clone())
    );
    assert_eq!(as_guest(&renewed).status, 200);
}

const RED: &str =
    "SELECT s.dragon_name_str, s.wingspan_ft FROM S3Object[*][*] s WHERE s.family_str = 'red'";

/// The course's serializations: a JSON document in, JSON records out.
const DOCUMENT: &str = r#"{"JSON":{"Type":"DOCUMENT"}}"#;
const JSON_OUT: &str = r#"{"JSON":{}}"#;

fn select_request(e: &Emulator, sql: &str, time: SystemTime) -> Request {
    let body = s3select::request_body(sql, DOCUMENT, JSON_OUT, None)
        .unwrap()
        .into_bytes();
    s3(
        &e.endpoint,
        "POST",
        &s3select::request_path(&e.bucket, &e.key),
        body,
        &e.credentials,
        time,
    )
    .unwrap()
}

/// The Records bytes of a select answer, or the stream's error.
fn records(answer: &Answer) -> Result<Vec<u8>, StreamError> {
    let mut d = SelectStreamDecoder::new();
    let mut out = Vec::new();
    for ev in d.feed(&answer.body)? {
        if let SelectEvent::Records(r) = ev {
            out.extend(r);
        }
    }
    d.finish()?;
    Ok(out)
}

/// GetParameter signed as the learner at time `t`.
fn get_parameter_request(e: &Emulator, name: &str, t: SystemTime) -> Request {
    json11(
        &e.endpoint,
        Service::Ssm,
        ssm::GET_PARAMETER,
        &ssm::get_parameter(name, false),
        Some(&e.credentials),
        t,
    )
    .unwrap()
}

fn throttling_is_retried_then_succeeds(e: &Emulator) {
    set_faults(e, serde_json::json!({"throttle": 2}));
    let (answer, tries) = call(
        |t| get_parameter_request(e, "dragon_data_file_name", t),
        Some("ssm"),
    );
    assert_eq!((answer.status, tries), (200, 3));
    assert_eq!(ssm::parse_parameter(&answer.body).unwrap().value, e.key);

    set_faults(e, serde_json::json!({"throttle": 5}));
    let (answer, tries) = call(|t| select_request(e, RED, t), None);
    assert_eq!(
        (answer.status, tries),
        (503, 3),
        "three attempts, then the SlowDown is reported"
    );
    assert_eq!(
        parse_s3_error(answer.status, &answer.body, None).code,
        "SlowDown"
    );
    set_faults(e, serde_json::json!({"throttle": 0}));
}

fn a_fifteen_minute_skew_is_corrected(e: &Emulator) {
    set_faults(e, serde_json::json!({"skew_seconds": 15 * 60 + 30}));
    let plain = send(select_request(e, RED, SystemTime::now()));
    assert_eq!(
        parse_s3_error(plain.status, &plain.body, None).code,
        "RequestTimeTooSkewed"
    );
    let (answer, tries) = call(|t| select_request(e, RED, t), None);
    assert_eq!((answer.status, tries), (200, 2), "one re-signed retry");
    assert!(records(&answer)
        .unwrap()
        .starts_with(b"{\"dragon_name_str\":\"Atlas\""));
    let (answer, tries) = call(
        |t| get_parameter_request(e, "dragon_data_bucket_name", t),
        Some("ssm"),
    );
    assert_eq!((answer.status, tries), (200, 2));
    set_faults(e, serde_json::json!({"skew_seconds": 0}));
}

fn an_error_after_records_arrives_mid_stream(e: &Emulator) {
    // Atlas has no nickname (MISSING casts to MISSING); Blaze's is text: CastFailed on record 2.
    let answer = send(select_request(
        e,
        "SELECT CAST(s.nickname AS INT) AS n FROM S3Object[*][*] s",
        SystemTime::now(),
    ));
    assert_eq!(answer.status, 200);
    let mut d = SelectStreamDecoder::new();
    let err = d.feed(&answer.body).unwrap_err();
    assert!(
        matches!(err, StreamError::Service { ref code, .. } if code == "CastFailed"),
        "{err:?}"
    );
}

fn a_cut_stream_is_reported_incomplete(e: &Emulator) {
    set_faults(e, serde_json::json!({"cut_next_select": true}));
    let answer = send(select_request(e, RED, SystemTime::now()));
    assert_eq!(answer.status, 200);
    assert!(
        matches!(
            records(&answer),
            Err(StreamError::Incomplete | StreamError::Corrupt(_))
        ),
        "a cut stream is not taken as complete"
    );
    // The next one is whole again.
    assert!(records(&send(select_request(e, RED, SystemTime::now()))).is_ok());
}

/// Transport and framing, not fidelity: the emulator answers S3 Select with this same engine, so
/// this shows the event stream carries the engine's records whole and that GetObject's bytes fed
/// to the engine (the fallback) give the same ones.
fn the_fallback_and_the_event_stream_carry_the_same_records(e: &Emulator) {
    let via_select = records(&send(select_request(e, RED, SystemTime::now()))).unwrap();
    let get = send(as_learner(e, "GET", &object_path(&e.bucket, &e.key)));
    assert_eq!(get.status, 200);
    let mut local = wyvern_select::Query::compile(RED, document_to_json())
        .unwrap()
        .start();
    let mut out = Vec::new();
    for chunk in get.body.chunks(4096) {
        local.feed(chunk, &mut out).unwrap();
    }
    local.finish(&mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        String::from_utf8(via_select).unwrap()
    );
}

/// Transport, not fidelity (the emulator answers with this engine): the request's `<Parquet/>`
/// reaches the engine as Parquet input, the answer carries its records whole, and what S3
/// refuses for Parquet (a ScanRange) comes back with S3's code.
fn select_on_a_parquet_object(e: &Emulator) {
    const PARQUET: &str = r#"{"Parquet":{}}"#;
    let key = "samples/dragons.parquet";
    let sql = "SELECT s.dragon_name_str, s.age_years FROM S3Object s WHERE s.age_years > 300";
    let request = |range| {
        let body = s3select::request_body(sql, PARQUET, JSON_OUT, range)
            .unwrap()
            .into_bytes();
        let path = s3select::request_path(&e.bucket, key);
        s3(
            &e.endpoint,
            "POST",
            &path,
            body,
            &e.credentials,
            SystemTime::now(),
        )
        .unwrap()
    };
    let via_select = records(&send(request(None))).unwrap();
    let options = wyvern_select::QueryOptions {
        input: InputSerialization::from_json(PARQUET).unwrap(),
        ..document_to_json()
    };
    let data = std::fs::read(root().join("static/data/dragons.parquet")).unwrap();
    let mut local = Vec::new();
    wyvern_select::input::parquet::run_parquet(
        &wyvern_select::Query::compile(sql, options).unwrap(),
        &data[..],
        &mut local,
    )
    .unwrap();
    assert!(via_select.starts_with(b"{\"dragon_name_str\":"));
    assert_eq!(via_select, local);
    let refused = send(request(Some((0, Some(100)))));
    let err = parse_s3_error(refused.status, &refused.body, None);
    assert_eq!(
        (refused.status, err.code.as_str()),
        (400, "UnsupportedScanRangeInput")
    );
}

/// An Athena call signed with the learner's keys, and its parsed answer (or the raw error).
fn athena(e: &Emulator, call: &athena::Call) -> Result<athena::Answer, String> {
    let req = json11(
        &e.endpoint,
        Service::Other(athena::SERVICE),
        &call.target(),
        &call.body(),
        Some(&e.credentials),
        SystemTime::now(),
    )
    .unwrap();
    let answer = send(req);
    if answer.status != 200 {
        return Err(format!(
            "{}: {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        ));
    }
    Ok(call.answer(&answer.body).expect("Athena's shape"))
}

/// A fresh ClientRequestToken per query.
fn token() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{:016x}{n:016x}", std::process::id())
}

fn start_query(e: &Emulator, sql: &str, workgroup: &str) -> String {
    let call = athena::Call::Start {
        sql: sql.into(),
        database: e.state["athena_database"].as_str().unwrap().into(),
        workgroup: workgroup.into(),
        token: token(),
    };
    match athena(e, &call).unwrap() {
        athena::Answer::Started { id } => id,
        other => panic!("{other:?}"),
    }
}

/// Polls until the query ends, as the page does.
fn finished(e: &Emulator, id: &str) -> athena::Execution {
    for _ in 0..50 {
        let Ok(athena::Answer::Execution(x)) = athena(e, &athena::Call::Get { id: id.into() })
        else {
            panic!("no execution")
        };
        if x.state.is_final() {
            return x;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the query did not end")
}

/// Athena through the client core: the emulator runs the query on a real engine (DuckDB) over
/// the Glue tables' objects, so these answers are computed, and checked against the data here.
fn athena_queries(e: &Emulator) {
    let workgroup = e.state["athena_workgroup"].as_str().unwrap();
    // The translation of an S3 Select query, run on Athena, counts what the engine counts.
    let sql = "SELECT COUNT(*) FROM S3Object s WHERE CAST(s.wingspan_ft AS INT) > 100";
    let csv = InputSerialization::from_json(r#"{"CSV":{"FileHeaderInfo":"USE"}}"#).unwrap();
    let translated = wyvern_select::athena::translate(sql, "dragons_csv", &csv.format).unwrap();
    let id = start_query(e, &translated.sql, workgroup);
    let done = finished(e, &id);
    assert_eq!(done.state, athena::State::Succeeded, "{:?}", done.reason);
    let data = std::fs::read(root().join("static/data/dragons.csv")).unwrap();
    assert_eq!(done.scanned_bytes, Some(data.len() as u64));
    assert!(done
        .output_location
        .unwrap()
        .ends_with(&format!("{id}.csv")));
    let options = wyvern_select::QueryOptions {
        input: csv,
        output: OutputSerialization::from_json(r#"{"CSV":{}}"#).unwrap(),
        ..document_to_json()
    };
    let local = wyvern_select::run_to_end(
        &wyvern_select::Query::compile(sql, options).unwrap(),
        &data,
        1 << 16,
    )
    .unwrap()
    .0;
    let results = athena::Call::Results {
        id: id.clone(),
        next_token: None,
    };
    let Ok(athena::Answer::Page(page)) = athena(e, &results) else {
        panic!("no page")
    };
    assert_eq!(page.columns, [("_col0".to_string(), "bigint".to_string())]);
    let count = String::from_utf8(local).unwrap();
    assert_eq!(page.rows, [[Some(count.trim().to_string())]]);

    // Pages: 1,200 rows come in three, the header row only on the first.
    let id = start_query(
        e,
        "SELECT a.dragon_name_str, b.nickname FROM dragons_jsonl a CROSS JOIN dragons_jsonl b LIMIT 1200",
        workgroup,
    );
    assert_eq!(finished(e, &id).state, athena::State::Succeeded);
    let (mut rows, mut next_token, mut pages) = (Vec::new(), None, 0);
    loop {
        let call = athena::Call::Results {
            id: id.clone(),
            next_token: next_token.take(),
        };
        let Ok(athena::Answer::Page(page)) = athena(e, &call) else {
            panic!("no page")
        };
        pages += 1;
        rows.extend(page.rows);
        match page.next_token {
            Some(t) => next_token = Some(t),
            None => break,
        }
    }
    assert_eq!((pages, rows.len()), (3, 1200));
    assert!(
        rows.iter().any(|r| r[1].is_none()),
        "a null nickname is None"
    );

    // A qualified name and a WITH query's own name read the same table.
    for sql in [
        "SELECT count(*) AS n FROM dragons.dragons_jsonl",
        "WITH t AS (SELECT * FROM dragons_jsonl) SELECT count(*) AS n FROM t",
    ] {
        let id = start_query(e, sql, workgroup);
        assert_eq!(finished(e, &id).state, athena::State::Succeeded, "{sql}");
        let call = athena::Call::Results {
            id,
            next_token: None,
        };
        let Ok(athena::Answer::Page(page)) = athena(e, &call) else {
            panic!("no page")
        };
        assert_eq!(page.rows, [[Some("62".to_string())]], "{sql}");
    }
    // Only queries: a statement that would write a file on the emulator's machine is refused.
    let id = start_query(
        e,
        "COPY (SELECT 1) TO '/tmp/wyvern-athena-copy.csv'",
        workgroup,
    );
    let refused = finished(e, &id);
    assert_eq!(refused.state, athena::State::Failed);
    assert!(refused.reason.unwrap().starts_with("SYNTAX_ERROR"));
    assert!(!std::path::Path::new("/tmp/wyvern-athena-copy.csv").exists());

    // A failed query: Athena's error name first.
    let id = start_query(e, "SELECT no_such_column FROM dragons_jsonl", workgroup);
    let failed = finished(e, &id);
    assert_eq!(failed.state, athena::State::Failed);
    assert!(failed.reason.unwrap().starts_with("COLUMN_NOT_FOUND"));

    // Over the workgroup's scan limit: cancelled, with the reason.
    let tiny = e.state["athena_tiny_workgroup"].as_str().unwrap();
    let id = start_query(e, "SELECT * FROM dragons_jsonl", tiny);
    let limited = finished(e, &id);
    assert_eq!(limited.state, athena::State::Cancelled);
    assert!(limited
        .reason
        .unwrap()
        .contains("BytesScannedCutoffPerQuery"));

    // A start sent again with its ClientRequestToken (a retry) is the same query.
    let again = athena::Call::Start {
        sql: "SELECT 1".into(),
        database: e.state["athena_database"].as_str().unwrap().into(),
        workgroup: workgroup.into(),
        token: token(),
    };
    let first = athena(e, &again).unwrap();
    assert!(matches!(first, athena::Answer::Started { .. }));
    assert_eq!(athena(e, &again).unwrap(), first);

    // A slow query, stopped: cancelled by the user, and its results are refused.
    set_faults(e, serde_json::json!({"slow_athena": 30}));
    let id = start_query(e, "SELECT * FROM dragons_jsonl", workgroup);
    let Ok(athena::Answer::Execution(running)) = athena(e, &athena::Call::Get { id: id.clone() })
    else {
        panic!("no execution")
    };
    assert_eq!(running.state, athena::State::Queued);
    assert_eq!(
        athena(e, &athena::Call::Stop { id: id.clone() }),
        Ok(athena::Answer::Stopped)
    );
    set_faults(e, serde_json::json!({"slow_athena": 0}));
    let stopped = finished(e, &id);
    assert_eq!(stopped.state, athena::State::Cancelled);
    let refused = athena(
        e,
        &athena::Call::Results {
            id,
            next_token: None,
        },
    )
    .unwrap_err();
    assert!(refused.contains("InvalidRequestException"), "{refused}");
}

fn select_streams_records_and_stats(e: &Emulator) {
    let answer = send(select_request(e, RED, SystemTime::now()));
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let mut decoder = SelectStreamDecoder::new();
    let mut records = Vec::new();
    let mut stats = None;
    for chunk in answer.body.chunks(7) {
        for ev in decoder.feed(chunk).unwrap() {
            match ev {
                SelectEvent::Records(r) => records.extend(r),
                SelectEvent::Stats(s) => stats = Some(s),
                _ => {}
            }
        }
    }
    decoder.finish().unwrap();
    // The same query run locally on the same data gives the same bytes.
    let data = std::fs::read(root().join("static/data/dragons.json")).unwrap();
    let local = wyvern_select::run_to_end(
        &wyvern_select::Query::compile(RED, document_to_json()).unwrap(),
        &data,
        1 << 16,
    )
    .unwrap()
    .0;
    assert_eq!(
        String::from_utf8(records.clone()).unwrap(),
        String::from_utf8(local).unwrap()
    );
    let stats = stats.expect("a Stats event");
    assert_eq!(stats.bytes_scanned, data.len() as u64);
    assert_eq!(stats.bytes_returned, records.len() as u64);
}

fn sql_errors_come_back_with_their_code(e: &Emulator) {
    let answer = send(select_request(
        e,
        "SELECT * FROM S3Object ORDER BY 1",
        SystemTime::now(),
    ));
    let err = parse_s3_error(answer.status, &answer.body, answer.request_id.as_deref());
    assert_eq!(
        (answer.status, err.code.as_str()),
        (400, "UnsupportedSyntax")
    );
}

fn a_wrong_secret_gets_signature_does_not_match(e: &Emulator) {
    let wrong = Credentials::new(e.credentials.access_key_id.clone(), "not-the-secret", None);
    let req = s3(
        &e.endpoint,
        "GET",
        &format!("/{}?list-type=2", e.bucket),
        Vec::new(),
        &wrong,
        SystemTime::now(),
    )
    .unwrap();
    let answer = send(req);
    let err = parse_s3_error(answer.status, &answer.body, answer.request_id.as_deref());
    assert_eq!(
        (answer.status, err.code.as_str()),
        (403, "SignatureDoesNotMatch")
    );
    assert!(err.request_id.is_some(), "the request id is kept");

    let req = json11(
        &e.endpoint,
        Service::Ssm,
        ssm::GET_PARAMETER,
        &ssm::get_parameter("dragon_data_file_name", false),
        Some(&wrong),
        SystemTime::now(),
    )
    .unwrap();
    let answer = send(req);
    let err = parse_json_error(
        "ssm",
        answer.status,
        &answer.body,
        answer.request_id.as_deref(),
    );
    assert_eq!(err.code, "SignatureDoesNotMatch");
}

fn parameter_store_round_trip(e: &Emulator) {
    let got = ssm_call(
        e,
        ssm::GET_PARAMETER,
        ssm::get_parameter("dragon_data_bucket_name", false),
    );
    assert_eq!(ssm::parse_parameter(&got.body).unwrap().value, e.bucket);

    let secret = ssm_call(
        e,
        ssm::GET_PARAMETER,
        ssm::get_parameter("/dragons/secret/feeding-schedule", true),
    );
    let p = ssm::parse_parameter(&secret.body).unwrap();
    assert_eq!(
        (p.kind.as_str(), p.value.as_str()),
        ("SecureString", "dawn and dusk")
    );

    for i in 0..12 {
        let put = ssm_call(
            e,
            ssm::PUT_PARAMETER,
            ssm::put_parameter(
                &format!("/wyvern-test/p{i:02}"),
                &format!("v{i}"),
                "String",
                false,
            ),
        );
        assert_eq!(put.status, 200, "{}", String::from_utf8_lossy(&put.body));
    }
    let again = ssm_call(
        e,
        ssm::PUT_PARAMETER,
        ssm::put_parameter("/wyvern-test/p00", "changed", "String", false),
    );
    assert_eq!(
        parse_json_error("ssm", again.status, &again.body, None).code,
        "ParameterAlreadyExists"
    );
    let over = ssm_call(
        e,
        ssm::PUT_PARAMETER,
        ssm::put_parameter("/wyvern-test/p00", "changed", "String", true),
    );
    assert_eq!(over.status, 200);

    // By path, page by page (10 at most per page).
    let (mut names, mut token, mut pages) = (Vec::new(), None::<String>, 0);
    loop {
        let page = ssm_call(
            e,
            ssm::GET_PARAMETERS_BY_PATH,
            ssm::get_parameters_by_path("/wyvern-test", true, false, token.as_deref()),
        );
        let (list, next) = ssm::parse_parameters(&page.body).unwrap();
        names.extend(list.into_iter().map(|p| p.name));
        pages += 1;
        token = next;
        if token.is_none() {
            break;
        }
    }
    assert_eq!((names.len(), pages), (12, 2));

    let history = ssm_call(
        e,
        ssm::GET_PARAMETER_HISTORY,
        ssm::get_parameter_history("/wyvern-test/p00", false),
    );
    let (versions, _) = ssm::parse_parameters(&history.body).unwrap();
    assert_eq!(
        versions
            .iter()
            .map(|p| p.value.as_str())
            .collect::<Vec<_>>(),
        ["v0", "changed"]
    );

    assert_eq!(
        ssm_call(
            e,
            ssm::DELETE_PARAMETER,
            ssm::delete_parameter("/wyvern-test/p00")
        )
        .status,
        200
    );
    let gone = ssm_call(
        e,
        ssm::GET_PARAMETER,
        ssm::get_parameter("/wyvern-test/p00", false),
    );
    assert_eq!(
        parse_json_error("ssm", gone.status, &gone.body, None).code,
        "ParameterNotFound"
    );
}
