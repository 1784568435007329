//! SigV4 signing with `aws-sigv4`, with the settings each service needs. S3 signs with single
//! URI encoding, no path normalisation and an `x-amz-content-sha256` payload hash header.

use crate::credentials::Credentials;
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, PercentEncodingMode, SessionTokenMode, SignableBody,
    SignableRequest, SigningSettings, UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use std::time::SystemTime;

#[derive(Debug, thiserror::Error)]
#[error("could not sign the request: {0}")]
pub struct SignError(String);

impl SignError {
    pub fn new(message: impl Into<String>) -> Self {
        SignError(message.into())
    }
}

/// The services Wyvern calls, which differ in how requests are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    S3,
    Ssm,
    ExecuteApi,
    Sts,
    /// Any other service name, signed the default way (the test suite uses "service").
    Other(&'static str),
}

impl Service {
    pub fn signing_name(self) -> &'static str {
        match self {
            Service::S3 => "s3",
            Service::Ssm => "ssm",
            Service::ExecuteApi => "execute-api",
            Service::Sts => "sts",
            Service::Other(n) => n,
        }
    }
}

/// Options beyond the service defaults (the signing test suite exercises them).
#[derive(Debug, Clone, Copy, Default)]
pub struct Overrides {
    /// Sign without the session token, then add it (as some services want).
    pub session_token_after: bool,
    /// Force path normalisation off.
    pub no_normalize: bool,
    /// Add and sign an `x-amz-content-sha256` header (S3 always does).
    pub payload_hash_header: bool,
}

fn settings(service: Service, o: Overrides) -> SigningSettings {
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
    s
}

/// Signs `req` in place (adds `Authorization`, `X-Amz-Date`, and the token and payload headers
/// as needed) and returns the signature. `time` is the caller's clock, skew-corrected.
pub fn sign_request(
    req: &mut http::Request<Vec<u8>>,
    credentials: &Credentials,
    region: &str,
    service: Service,
    time: SystemTime,
    overrides: Overrides,
) -> Result<String, SignError> {
    // aws-sigv4 unwraps the header values it builds from these (`Authorization` carries the key
    // id and the region, `x-amz-security-token` the token), so a control character in a pasted
    // key, a region or a token would panic there: refuse them here, where it is an error.
    let token = credentials.session_token.as_deref().unwrap_or("");
    for (what, value) in [
        ("access key id", credentials.access_key_id.as_str()),
        ("region", region),
        ("session token", token),
    ] {
        if http::HeaderValue::from_str(value).is_err() {
            return Err(SignError(format!(
                "the {what} holds a character no HTTP header can carry"
            )));
        }
    }
    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id.clone(),
        credentials.secret_access_key.clone(),
        credentials.session_token.clone(),
        credentials.expiration,
        "wyvern",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service.signing_name())
        .time(time)
        .settings(settings(service, overrides))
        .build()
        .map_err(|e| SignError(e.to_string()))?
        .into();
    let uri = req.uri().to_string();
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let signable = SignableRequest::new(
        req.method().as_str(),
        uri,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(req.body()),
    )
    .map_err(|e| SignError(e.to_string()))?;
    let (instructions, signature) = sign(signable, &params)
        .map_err(|e| SignError(e.to_string()))?
        .into_parts();
    instructions.apply_to_request_http1x(req);
    if overrides.session_token_after {
        if let Some(token) = &credentials.session_token {
            let value = http::HeaderValue::from_str(token).map_err(|e| SignError(e.to_string()))?;
            req.headers_mut().insert("x-amz-security-token", value);
        }
    }
    Ok(signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzz/ (sigv4): aws-sigv4 panicked on a key id, region or token with a control
    /// character (a NUL, or a newline pasted with a key); it is an error now.
    #[test]
    fn control_characters_in_credentials_are_an_error_not_a_panic() {
        let cases = [
            (Credentials::new("\0", "secret", None), "us-east-1"),
            (Credentials::new("AKID\n", "secret", None), "us-east-1"),
            (Credentials::new("AKID", "secret", None), "us-east-1\r"),
            (
                Credentials::new("ASIA", "secret", Some("tok\x7f".into())),
                "us-east-1",
            ),
        ];
        for (creds, region) in cases {
            for service in [Service::S3, Service::Ssm, Service::ExecuteApi] {
                let mut req = http::Request::builder()
                    .uri("https://example.amazonaws.com/")
                    .body(Vec::new())
                    .unwrap();
                let r = sign_request(
                    &mut req,
                    &creds,
                    region,
                    service,
                    std::time::UNIX_EPOCH,
                    Overrides::default(),
                );
                assert!(r.is_err(), "{creds:?} {region:?}");
            }
        }
        let mut req = http::Request::builder()
            .uri("https://example.amazonaws.com/")
            .body(Vec::new())
            .unwrap();
        let ok = Credentials::new("AKID", "secret with spaces\tand tab", Some("tok".into()));
        sign_request(
            &mut req,
            &ok,
            "us-east-1",
            Service::Ssm,
            std::time::UNIX_EPOCH,
            Overrides::default(),
        )
        .expect("printable credentials sign");
    }
}
