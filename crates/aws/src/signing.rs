//! SigV4 signing, with the settings each service needs. S3 signs the path as sent (no
//! normalisation, single encoding) and an `x-amz-content-sha256` payload hash header. The
//! canonical request is sigv4.rs's, the one the inspector shows.

use crate::credentials::Credentials;
use crate::http_request::Request;
use crate::sigv4::{self, Canonical, PathRule};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::time::{SystemTime, UNIX_EPOCH};

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
    Athena,
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
            Service::Athena => crate::athena::SERVICE,
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

/// Headers never signed: a proxy or the browser may change them on the way.
const UNSIGNED: [&str; 4] = [
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
];

/// `YYYYMMDDTHHMMSSZ`, SigV4's time (UTC), for times from 1970 to 9999.
pub fn amz_date(time: SystemTime) -> Result<String, SignError> {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_err(|_| SignError::new("the clock is before 1970"))?
        .as_secs();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Days to a civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    if year > 9999 {
        return Err(SignError::new("the clock is past the year 9999"));
    }
    Ok(format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    ))
}

fn hmac(key: &[u8], data: &str) -> Result<Vec<u8>, SignError> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|e| SignError(e.to_string()))?;
    mac.update(data.as_bytes());
    Ok(mac.finalize().into_bytes().to_vec())
}

/// Signs `req` in place (adds `Authorization`, `X-Amz-Date`, and the token and payload headers
/// as needed) and returns the signature. `time` is the caller's clock, skew-corrected.
pub fn sign_request(
    req: &mut Request,
    credentials: &Credentials,
    region: &str,
    service: Service,
    time: SystemTime,
    overrides: Overrides,
) -> Result<String, SignError> {
    // The key id and the region go into `Authorization`, the token into a header of its own.
    // AWS writes them in visible ASCII; anything else pasted with them (a control character, a
    // zero-width space, a typographic quote) is an error here: a browser refuses such a header
    // (fetch throws), or sends other bytes than were signed.
    let token = credentials.session_token.as_deref().unwrap_or("");
    for (what, value) in [
        ("access key id", credentials.access_key_id.as_str()),
        ("region", region),
        ("session token", token),
    ] {
        if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(SignError(format!(
                "the {what} holds a character other than visible ASCII, which AWS never uses (pasted by mistake?)"
            )));
        }
    }
    let amz_date = amz_date(time)?;
    req.insert("x-amz-date", &amz_date)?;
    let payload_hash = sigv4::sha256_hex(&req.body);
    if service == Service::S3 || overrides.payload_hash_header {
        req.insert("x-amz-content-sha256", &payload_hash)?;
    }
    let token_signed = !token.is_empty() && !overrides.session_token_after;
    if token_signed {
        req.insert("x-amz-security-token", token)?;
    }
    let mut signed: Vec<(String, Vec<String>)> = Vec::new();
    for (name, value) in &req.headers {
        if UNSIGNED.contains(&name.as_str()) {
            continue;
        }
        match signed.iter_mut().find(|(n, _)| n == name) {
            Some((_, values)) => values.push(value.clone()),
            None => signed.push((name.clone(), vec![value.clone()])),
        }
    }
    if !signed.iter().any(|(n, _)| n == "host") {
        signed.push(("host".into(), vec![crate::url::host(&req.url)]));
    }
    signed.sort_by(|a, b| a.0.cmp(&b.0));
    let rule = match (service, overrides.no_normalize) {
        (Service::S3, _) => PathRule::AsSent,
        (_, true) => PathRule::EncodedTwice,
        (_, false) => PathRule::Normalized,
    };
    let canonical = Canonical {
        method: &req.method,
        path: req.path(),
        rule,
        query: req.query(),
        headers: signed,
        payload_hash,
    };
    let date = &amz_date[..8];
    let name = service.signing_name();
    let scope = format!("{date}/{region}/{name}/aws4_request");
    let string_to_sign = sigv4::string_to_sign(&amz_date, &scope, &canonical.request());
    let mut key = hmac(
        format!("AWS4{}", credentials.secret_access_key).as_bytes(),
        date,
    )?;
    for part in [region, name, "aws4_request"] {
        key = hmac(&key, part)?;
    }
    let signature = sigv4::hex(&hmac(&key, &string_to_sign)?);
    let authorization = format!(
        "{} Credential={}/{scope}, SignedHeaders={}, Signature={signature}",
        sigv4::ALGORITHM,
        credentials.access_key_id,
        canonical.signed_headers()
    );
    req.insert("authorization", &authorization)?;
    if !token.is_empty() && overrides.session_token_after {
        req.insert("x-amz-security-token", token)?;
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
            // Found by review: bytes 0x80-0xFF pass an HTTP header check, yet fetch refuses
            // U+200B and sends U+00E9 as one byte.
            (
                Credentials::new("AKID\u{200b}", "secret", None),
                "us-east-1",
            ),
            (
                Credentials::new("AKID", "secret", Some("tök".into())),
                "us-east-1",
            ),
            (
                Credentials::new("AKID", "secret", None),
                "us-east-1\u{2019}",
            ),
        ];
        for (creds, region) in cases {
            for service in [Service::S3, Service::Ssm, Service::ExecuteApi] {
                let mut req = Request::new("GET", "https://example.amazonaws.com/").unwrap();
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
        let mut req = Request::new("GET", "https://example.amazonaws.com/").unwrap();
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
