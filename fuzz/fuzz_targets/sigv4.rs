//! Request building and signing: a fuzzed HTTP request signed for each service, the inspector's
//! rebuild of what was signed, and every request and body builder in the client core (JSON
//! 1.1, S3 REST, SelectObjectContent, SSM, Cognito, STS, the Dragon API, the snippets) on the
//! request's fuzzed pieces. Errors are fine; panics are not.
//!
//! Input layout (the AWS SigV4 suite's request.txt files make the seeds):
//! `flags, seconds: u32 LE`, then `access key \n secret \n session token \n region \n` and a
//! request: `METHOD target\n`, `Name:value` header lines, a blank line, the body.
//! flags: bits 0-2 pick the service, 3-5 the signing overrides, 6 scales the time up (to year
//! 9999, the latest a server's Date can move the clock to).
#![no_main]

wyvern_fuzz::malloc_hooks!();

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::time::{Duration, UNIX_EPOCH};
use wyvern_aws::dragons::{self, Auth, Filter, NewDragon};
use wyvern_aws::http_request::Request;
use wyvern_aws::request::{self, Endpoint};
use wyvern_aws::signing::{sign_request, Overrides, Service};
use wyvern_aws::snippets::{self, Target};
use wyvern_aws::{cognito, inspect, redact, s3, s3select, ssm, url, Credentials};

const SERVICES: [Service; 5] = [
    Service::S3,
    Service::Ssm,
    Service::ExecuteApi,
    Service::Sts,
    Service::Other("service"),
];

/// 9999-12-31T23:59:59Z.
const LATEST: u64 = 253_402_300_799;

fuzz_target!(|data: &[u8]| {
    if data.len() < 5 {
        return;
    }
    let flags = data[0];
    let mut secs = u64::from(u32::from_le_bytes([data[1], data[2], data[3], data[4]]));
    if flags & 0x40 != 0 {
        secs *= 59;
    }
    let time = UNIX_EPOCH + Duration::from_secs(secs.min(LATEST));
    let text = String::from_utf8_lossy(&data[5..]);
    let mut lines = text.splitn(5, '\n');
    let access = lines.next().unwrap_or("");
    let secret = lines.next().unwrap_or("");
    let token = lines.next().filter(|t| !t.is_empty()).map(str::to_string);
    let region = lines.next().unwrap_or("");
    let request_text = lines.next().unwrap_or("");
    let creds = Credentials::new(access, secret, token);
    let service = SERVICES[(flags & 7) as usize % SERVICES.len()];
    let overrides = Overrides {
        session_token_after: flags & 8 != 0,
        no_normalize: flags & 16 != 0,
        payload_hash_header: flags & 32 != 0,
    };

    // The request as the SigV4 suite writes it.
    let (head, body) = request_text
        .split_once("\n\n")
        .unwrap_or((request_text, ""));
    let mut head_lines = head.lines();
    let first = head_lines.next().unwrap_or("");
    let mut words = first.split(' ');
    let method = words.next().unwrap_or("GET");
    let target = words.next().unwrap_or("/");
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head_lines {
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.to_string(), v.to_string()));
        } else if let Some(last) = headers.last_mut() {
            last.1.push(' ');
            last.1.push_str(line.trim());
        }
    }
    let host = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("host"))
        .map_or("example.amazonaws.com", |(_, v)| v.as_str())
        .to_string();
    let built = Request::new(method, &format!("https://{host}{target}")).and_then(|mut req| {
        for (k, v) in &headers {
            req.append(k, v)?;
        }
        Ok(req.body(body.as_bytes().to_vec()))
    });
    if let Ok(mut req) = built {
        if let Ok(signature) = sign_request(&mut req, &creds, region, service, time, overrides) {
            if let Some(d) = inspect::signing_details(&req, service) {
                let _ = inspect::redacted_canonical_request(&d.canonical_request);
                let _ = signature;
            }
            for (k, v) in &req.headers {
                let _ = inspect::redacted_header(k, v);
            }
        }
    }

    // Every builder, on the same pieces.
    let endpoint = Endpoint {
        region: region.to_string(),
        custom: (flags & 0x80 != 0).then(|| format!("http://{host}")),
    };
    let _ = endpoint.origins();
    let _ = url::origin(&endpoint.base(method));
    let bodies = [
        ssm::get_parameter(target, flags & 1 != 0),
        ssm::get_parameters(&[target, method, &host], flags & 2 != 0),
        ssm::get_parameters_by_path(target, true, false, Some(body)),
        ssm::describe_parameters(Some(access)),
        ssm::put_parameter(target, body, method, flags & 4 != 0),
        ssm::delete_parameter(target),
        ssm::get_parameter_history(target, true),
        cognito::get_id(target, &cognito::logins(region, &host, body)),
        cognito::get_credentials_for_identity(target, &BTreeMap::new()),
        cognito::get_open_id_token(target, &cognito::logins(region, method, access)),
        cognito::initiate_auth(&host, access, secret),
        cognito::respond_new_password(&host, body, access, secret),
    ];
    let t = Target {
        region: region.to_string(),
        endpoint: endpoint.custom.clone(),
    };
    for (i, b) in bodies.iter().enumerate() {
        let signing = (i % 2 == 0).then_some(&creds);
        if let Ok(req) = request::json11(&endpoint, service, method, b, signing, time) {
            let _ = inspect::signing_details(&req, service);
            let _ = redact::body(&req.body);
        }
        let shown = redact::json_value(b);
        let _ = snippets::json11_cli("ssm", method, &shown, &t, i % 2 == 0);
        let _ = snippets::json11_boto3("ssm", method, &shown, &t, i % 2 == 0);
    }
    let form = cognito::assume_role_with_web_identity_body(target, access, body);
    let _ = redact::form(&form);
    if let Ok(req) = request::s3(
        &endpoint,
        method,
        target,
        body.as_bytes().to_vec(),
        &creds,
        time,
    ) {
        let _ = inspect::signing_details(&req, Service::S3);
    }
    let key_path = s3::object_path(&host, target);
    let _ = request::s3(&endpoint, "GET", &key_path, Vec::new(), &creds, time);
    let list = s3::list_objects_path(&host, target, Some(body));
    let _ = request::s3(&endpoint, "GET", &list, Vec::new(), &creds, time);
    let _ = s3::range_header(secs, (flags & 1 != 0).then_some(secs / 2));
    let select = s3select::request_path(&host, target);
    // The fuzzed text as the SQL and as the input serialization's JSON (member names reach the
    // XML's markup, so they must be refused unless they are plain names).
    let xml = s3select::request_body(
        body,
        body,
        r#"{"JSON":{}}"#,
        Some((secs, (flags & 2 == 0).then_some(secs))),
    )
    .or_else(|_| s3select::request_body(body, r#"{"CSV":{}}"#, r#"{"JSON":{}}"#, None));
    if let Ok(xml) = xml {
        if let Ok(req) = request::s3(&endpoint, "POST", &select, xml.into_bytes(), &creds, time) {
            let _ = inspect::signing_details(&req, Service::S3);
        }
    }
    let _ = snippets::get_object_cli(&host, target, Some(target), &t);
    let _ = snippets::get_object_boto3(&host, target, Some(target), &t);
    let _ = snippets::list_objects_cli(&host, target, &t);
    let _ = snippets::list_objects_boto3(&host, target, &t);

    let api = format!("https://{host}{target}");
    let filter = match flags % 3 {
        0 => Filter::All,
        1 => Filter::Name(body),
        _ => Filter::Family(body),
    };
    let auth = if flags & 8 != 0 {
        Auth::IdToken(access)
    } else {
        Auth::Iam {
            credentials: &creds,
            region,
        }
    };
    let _ = dragons::list(&api, filter, auth, time);
    let _ = snippets::http_curl(method, &dragons::list_url(&api, filter), Some(body), true);
    let _ = snippets::http_requests(method, &api, Some(body), false);
    let d = NewDragon {
        dragon_name: target.to_string(),
        description: body.to_string(),
        family: method.to_string(),
        city: host.clone(),
        country: region.to_string(),
        state: access.to_string(),
        neighborhood: secret.to_string(),
        reporting_phone_number: first.to_string(),
        confirmation_required: flags & 1 != 0,
    };
    let _ = dragons::validate(&d);
    let _ = dragons::report(&api, &d, auth, time);
});
