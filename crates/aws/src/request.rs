//! Building requests for the JSON 1.1 services (SSM, Cognito) and the REST ones (S3).

use crate::credentials::Credentials;
use crate::http_request::Request;
use crate::signing::{sign_request, Overrides, Service};
use std::time::SystemTime;

/// Where requests go: AWS (from the region) or a custom endpoint such as the local emulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub region: String,
    /// e.g. `http://127.0.0.1:5005`; `None` for AWS itself.
    pub custom: Option<String>,
}

/// The services live mode calls (the first label of their AWS endpoints).
pub const SERVICES: &[&str] = &[
    "cognito-identity",
    "cognito-idp",
    "sts",
    "ssm",
    "s3",
    "athena",
];

impl Endpoint {
    /// Every origin requests to these services go to: the region's AWS endpoints, or the
    /// custom endpoint that stands in for all of them.
    pub fn origins(&self) -> Vec<String> {
        match &self.custom {
            Some(url) => vec![crate::url::origin(url)],
            None => SERVICES
                .iter()
                .map(|s| format!("https://{s}.{}.amazonaws.com", self.region))
                .collect(),
        }
    }

    /// The base URL of a service (`https://ssm.us-east-1.amazonaws.com`).
    pub fn base(&self, service: &str) -> String {
        match &self.custom {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("https://{service}.{}.amazonaws.com", self.region),
        }
    }
}

/// A JSON 1.1 call (`X-Amz-Target: AmazonSSM.GetParameter`), signed when credentials are given
/// (Cognito's identity calls are unsigned).
pub fn json11(
    endpoint: &Endpoint,
    service: Service,
    target: &str,
    body: &serde_json::Value,
    credentials: Option<&Credentials>,
    time: SystemTime,
) -> Result<Request, crate::signing::SignError> {
    let url = format!("{}/", endpoint.base(service.signing_name()));
    let mut req = Request::new("POST", &url)?
        .header("host", &crate::url::host(&url))?
        .header("content-type", "application/x-amz-json-1.1")?
        .header("x-amz-target", target)?
        .body(serde_json::to_vec(body).unwrap_or_default());
    if let Some(c) = credentials {
        sign_request(
            &mut req,
            c,
            &endpoint.region,
            service,
            time,
            Overrides::default(),
        )?;
    }
    Ok(req)
}

/// An S3 request, path-style (`/bucket/key`), signed.
pub fn s3(
    endpoint: &Endpoint,
    method: &str,
    path_and_query: &str,
    body: Vec<u8>,
    credentials: &Credentials,
    time: SystemTime,
) -> Result<Request, crate::signing::SignError> {
    s3_with_headers(
        endpoint,
        method,
        path_and_query,
        &[],
        body,
        credentials,
        time,
    )
}

/// An S3 request with more headers (a `Range`, say), which the signature covers too.
pub fn s3_with_headers(
    endpoint: &Endpoint,
    method: &str,
    path_and_query: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
    credentials: &Credentials,
    time: SystemTime,
) -> Result<Request, crate::signing::SignError> {
    let base = match &endpoint.custom {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => format!("https://s3.{}.amazonaws.com", endpoint.region),
    };
    let url = format!("{base}{path_and_query}");
    let mut req = Request::new(method, &url)?.header("host", &crate::url::host(&url))?;
    for (name, value) in headers {
        req.append(name, value)?;
    }
    let mut req = req.body(body);
    sign_request(
        &mut req,
        credentials,
        &endpoint.region,
        Service::S3,
        time,
        Overrides::default(),
    )?;
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_s3_headers_are_signed() {
        let aws = Endpoint {
            region: "us-east-1".into(),
            custom: None,
        };
        let c = Credentials::new("AKIDEXAMPLE", "secret", None);
        let req = s3_with_headers(
            &aws,
            "GET",
            "/b/k.csv",
            &[("range", "bytes=0-99")],
            Vec::new(),
            &c,
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000),
        )
        .unwrap();
        assert_eq!(req.get("range"), Some("bytes=0-99"));
        let auth = req.get("authorization").unwrap();
        assert!(auth.contains("SignedHeaders=host;range;"), "{auth}");
    }

    #[test]
    fn origins_cover_every_service_url() {
        let aws = Endpoint {
            region: "eu-west-1".into(),
            custom: None,
        };
        let origins = aws.origins();
        for service in SERVICES {
            assert!(origins.contains(&crate::url::origin(&aws.base(service))));
        }
        let local = Endpoint {
            region: "us-east-1".into(),
            custom: Some("http://127.0.0.1:5005/".into()),
        };
        assert_eq!(local.origins(), vec!["http://127.0.0.1:5005".to_string()]);
    }
}
