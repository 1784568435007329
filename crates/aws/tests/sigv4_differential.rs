//! Wyvern's signer against the `aws-sigv4` crate on generated requests: the same method, path,
//! query, headers, body, service, time and credentials must give the same `Authorization`.
//! The AWS suite (sigv4_suite.rs) pins the rules; this covers the combinations it does not.

use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, PercentEncodingMode, SessionTokenMode, SignableBody,
    SignableRequest, SigningSettings, UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use proptest::prelude::*;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wyvern_aws::http_request::Request;
use wyvern_aws::signing::{sign_request, Overrides, Service};
use wyvern_aws::Credentials;

/// The reference: aws-sigv4 with the settings Wyvern's services use.
fn reference(
    req: &http::Request<Vec<u8>>,
    creds: &Credentials,
    region: &str,
    service: Service,
    time: SystemTime,
    o: Overrides,
) -> String {
    let mut s = SigningSettings::default();
    if service == Service::S3 {
        s.percent_encoding_mode = PercentEncodingMode::Single;
        s.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        s.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    if o.no_normalize {
        s.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    }
    if o.session_token_after {
        s.session_token_mode = SessionTokenMode::Exclude;
    }
    if o.payload_hash_header {
        s.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let identity = aws_credential_types::Credentials::new(
        creds.access_key_id.clone(),
        creds.secret_access_key.clone(),
        creds.session_token.clone(),
        None,
        "test",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service.signing_name())
        .time(time)
        .settings(s)
        .build()
        .unwrap()
        .into();
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
        .collect();
    let signable = SignableRequest::new(
        req.method().as_str(),
        req.uri().to_string(),
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(req.body()),
    )
    .unwrap();
    let mut signed = req.clone();
    sign(signable, &params)
        .unwrap()
        .into_parts()
        .0
        .apply_to_request_http1x(&mut signed);
    signed.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_string()
}

const SERVICES: [Service; 5] = [
    Service::S3,
    Service::Ssm,
    Service::ExecuteApi,
    Service::Sts,
    Service::Other("athena"),
];

fn segment() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a", "b%20c", ".", "..", "", "d~e", "f%2Fg", "%C3%A9", "x-y_z", "1+2", "%25",
    ])
    .prop_map(str::to_string)
}

fn query_part() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        "select",
        "select-type=2",
        "prefix=a%2Fb",
        "delimiter=%2F",
        "list-type=2",
        "b=1",
        "a=2",
        "a=1",
        "k=%20v",
        "x=a+b",
        "max-keys=10",
        "e=%C3%A9",
    ])
    .prop_map(str::to_string)
}

fn header() -> impl Strategy<Value = (String, String)> {
    (
        prop::sample::select(vec![
            "content-type",
            "x-amz-target",
            "range",
            "x-amz-user-agent",
            "my-header",
            "user-agent",
            "content-length",
            "x-amz-meta-a",
        ]),
        prop::sample::select(vec![
            "application/x-amz-json-1.1",
            "bytes=0-99",
            "  spaced   out  ",
            "a,b",
            "AmazonSSM.GetParameter",
            "v",
            "12",
        ]),
    )
        .prop_map(|(k, v)| (k.to_string(), v.to_string()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn same_authorization_as_aws_sigv4(
        method in prop::sample::select(vec!["GET", "POST", "PUT", "HEAD", "DELETE"]),
        segments in prop::collection::vec(segment(), 0..5),
        trailing in any::<bool>(),
        query in prop::collection::vec(query_part(), 0..4),
        headers in prop::collection::vec(header(), 0..5),
        body in prop::collection::vec(any::<u8>(), 0..64),
        service in 0..SERVICES.len(),
        token in prop::option::of("[A-Za-z0-9/+=]{1,40}"),
        flags in 0u8..8,
        seconds in 0u64..253_402_300_799,
        port in prop::option::of(prop::sample::select(vec![443u16, 4566, 80])),
    ) {
        let mut path = format!("/{}", segments.join("/"));
        if trailing && path != "/" {
            path.push('/');
        }
        let query: Vec<String> = query.into_iter().filter(|q| !q.is_empty()).collect();
        let mut uri = format!(
            "https://dragons.example.amazonaws.com{}{path}",
            port.map(|p| format!(":{p}")).unwrap_or_default()
        );
        if !query.is_empty() {
            uri.push('?');
            uri.push_str(&query.join("&"));
        }
        let mut builder = http::Request::builder().method(method).uri(&uri);
        for (k, v) in &headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let req = builder.body(body.clone()).unwrap();
        let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token);
        let overrides = Overrides {
            session_token_after: flags & 1 != 0,
            no_normalize: flags & 2 != 0,
            payload_hash_header: flags & 4 != 0,
        };
        let service = SERVICES[service];
        let time = UNIX_EPOCH + Duration::from_secs(seconds);
        let want = reference(&req, &creds, "eu-west-1", service, time, overrides);
        let mut ours = Request::new(method, &uri).unwrap();
        for (k, v) in &headers {
            ours.append(k, v).unwrap();
        }
        let mut ours = ours.body(body);
        sign_request(&mut ours, &creds, "eu-west-1", service, time, overrides).unwrap();
        prop_assert_eq!(ours.get("authorization").unwrap(), want.as_str());
    }
}
