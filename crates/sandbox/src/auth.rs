//! SigV4 checks: the `Authorization` header is read (Credential, SignedHeaders, Signature), the
//! request is signed again with the practice secret at its `X-Amz-Date` (with the same code
//! live mode signs with), and the two signatures must agree. A wrong key, a wrong secret, a stale
//! date or a wrong scope is an [`AuthFailure`], which each service words its own way: JSON 1.1
//! services as [`AuthFailure::json11`], S3 and API Gateway in their modules.

use crate::clock;
use crate::reply::ApiError;
use std::time::{Duration, SystemTime};
use wyvern_aws::credentials::Credentials;
use wyvern_aws::http_request::Request;
use wyvern_aws::signing::{sign_request, Overrides, Service};

/// The practice account's public keys (the page's live worker signs with the same).
pub use wyvern_settings::{PRACTICE_ACCESS_KEY_ID, PRACTICE_SECRET_ACCESS_KEY};
/// The account the practice keys belong to (the one moto and AWS's examples use).
pub const ACCOUNT_ID: &str = "123456789012";
/// The IAM user behind the practice keys, named as `LastModifiedUser`.
pub const PRACTICE_USER_ARN: &str = "arn:aws:iam::123456789012:user/practice-learner";
/// How far `X-Amz-Date` may be from the sandbox's clock, either way.
pub const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

pub fn practice_credentials() -> Credentials {
    Credentials::new(PRACTICE_ACCESS_KEY_ID, PRACTICE_SECRET_ACCESS_KEY, None)
}

/// Who called, and for which region (the credential scope's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub access_key_id: String,
    pub region: String,
}

pub const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
pub const INVALID_TOKEN: &str = "The security token included in the request is invalid.";

/// Why a request's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthFailure {
    /// No `Authorization` header at all.
    Missing,
    /// The header or `X-Amz-Date` cannot be read; the message says what is wrong.
    Malformed(String),
    /// An access key this account does not have.
    UnknownKey(String),
    /// A session token beside the practice keys, which are long-term keys.
    SessionToken,
    /// `X-Amz-Date` further than [`MAX_SKEW`] from the sandbox's clock.
    Skewed {
        message: String,
        signed_at: SystemTime,
    },
    /// The credential scope names another day, an odd region, another service, or `Host` was
    /// not signed.
    Scope(String),
    /// The signature differs from the one the practice secret gives.
    Mismatch,
    /// S3 only: `x-amz-content-sha256` is not the payload's SHA-256 (`declared` is what it said,
    /// `None` when the header is missing).
    PayloadHash { declared: Option<String> },
}

impl AuthFailure {
    /// As JSON 1.1 services (Parameter Store) answer: all 400s, with their codes.
    pub fn json11(self) -> ApiError {
        match self {
            AuthFailure::Missing => ApiError::new(
                "MissingAuthenticationTokenException",
                "Missing Authentication Token",
            ),
            AuthFailure::Malformed(m) => incomplete(m),
            AuthFailure::UnknownKey(_) | AuthFailure::SessionToken => {
                ApiError::new("UnrecognizedClientException", INVALID_TOKEN)
            }
            AuthFailure::Skewed { message, .. } | AuthFailure::Scope(message) => invalid(message),
            AuthFailure::Mismatch | AuthFailure::PayloadHash { .. } => invalid(MISMATCH),
        }
    }
}

fn incomplete(message: impl Into<String>) -> ApiError {
    ApiError::new("IncompleteSignatureException", message)
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidSignatureException", message)
}

/// The three parts of `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
struct Authorization<'a> {
    credential: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<Authorization<'_>, AuthFailure> {
    let (algorithm, rest) = value.split_once(' ').unwrap_or((value, ""));
    if algorithm != "AWS4-HMAC-SHA256" {
        return Err(AuthFailure::Malformed(format!(
            "Unsupported AWS 'algorithm': '{algorithm}'. Sign requests with SigV4 (AWS4-HMAC-SHA256)."
        )));
    }
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed_headers = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => {}
        }
    }
    match (credential, signed_headers, signature) {
        (Some(credential), Some(signed_headers), Some(signature)) => Ok(Authorization {
            credential,
            signed_headers,
            signature,
        }),
        _ => {
            let mut message = String::new();
            for (part, found) in [
                ("Credential", credential.is_some()),
                ("Signature", signature.is_some()),
                ("SignedHeaders", signed_headers.is_some()),
            ] {
                if !found {
                    message.push_str(&format!(
                        "Authorization header requires '{part}' parameter. "
                    ));
                }
            }
            Err(AuthFailure::Malformed(format!(
                "{message}Authorization={value}"
            )))
        }
    }
}

/// The service a signed request's credentials are scoped to (`…/us-east-1/s3/aws4_request`),
/// without checking anything else: enough to route the request.
pub fn scope_service(req: &http::Request<Vec<u8>>) -> Option<&str> {
    let value = header(req, "authorization")?;
    let auth = parse_authorization(value).ok()?;
    auth.credential.split('/').nth(3)
}

fn header<'a>(req: &'a http::Request<Vec<u8>>, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Checks the request's signature for `service`, in JSON 1.1's words; the caller on success.
pub fn verify(
    req: &http::Request<Vec<u8>>,
    now: SystemTime,
    service: Service,
) -> Result<Caller, ApiError> {
    check(req, now, service).map_err(AuthFailure::json11)
}

/// Checks the request's signature for `service`; the caller (key and region) on success.
pub fn check(
    req: &http::Request<Vec<u8>>,
    now: SystemTime,
    service: Service,
) -> Result<Caller, AuthFailure> {
    let Some(raw) = req.headers().get(http::header::AUTHORIZATION) else {
        return Err(AuthFailure::Missing);
    };
    let value = raw.to_str().map_err(|_| {
        AuthFailure::Malformed("The Authorization header holds characters it cannot carry.".into())
    })?;
    let auth = parse_authorization(value)?;
    let Some(date_text) = header(req, "x-amz-date") else {
        return Err(AuthFailure::Malformed(format!(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={value}"
        )));
    };
    let Some(signed_at) = clock::parse_amz_date(date_text) else {
        return Err(AuthFailure::Malformed(format!(
            "X-Amz-Date must be in the ISO-8601 basic format YYYYMMDD'T'HHMMSS'Z', not '{date_text}'."
        )));
    };

    let scope: Vec<&str> = auth.credential.split('/').collect();
    let [key_id, scope_date, region, scope_service, terminator] = scope[..] else {
        return Err(AuthFailure::Malformed(format!(
            "Authorization header's Credential should be '<access key id>/<YYYYMMDD>/<region>/<service>/aws4_request', not '{}'.",
            auth.credential
        )));
    };
    // Only the practice keys exist here, and they are long-term keys: a session token belongs to
    // some other account's temporary credentials.
    if key_id != PRACTICE_ACCESS_KEY_ID {
        return Err(AuthFailure::UnknownKey(key_id.to_string()));
    }
    if req.headers().contains_key("x-amz-security-token") {
        return Err(AuthFailure::SessionToken);
    }
    check_skew(signed_at, now)?;
    let day = date_text.get(..8).unwrap_or("");
    if scope_date != day {
        return Err(AuthFailure::Scope(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope_date}' != '{day}', from '{date_text}'."
        )));
    }
    let valid_region = !region.is_empty()
        && region.len() <= 32
        && region
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
    if !valid_region {
        return Err(AuthFailure::Scope(
            "Credential should be scoped to a valid region.".into(),
        ));
    }
    if scope_service != service.signing_name() {
        return Err(AuthFailure::Scope(format!(
            "Credential should be scoped to correct service: '{}'.",
            service.signing_name()
        )));
    }
    if terminator != "aws4_request" {
        return Err(AuthFailure::Scope(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."
        )));
    }
    let signed: Vec<&str> = auth.signed_headers.split(';').collect();
    if !signed.contains(&"host") || !req.headers().contains_key(http::header::HOST) {
        return Err(AuthFailure::Scope(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.".into(),
        ));
    }

    let expected = resign(req, &signed, region, service, signed_at).ok_or(AuthFailure::Mismatch)?;
    if let Some(computed) = &expected.payload_hash {
        let declared = header(req, "x-amz-content-sha256");
        if declared != Some(computed.as_str()) {
            return Err(AuthFailure::PayloadHash {
                declared: declared.map(str::to_string),
            });
        }
    }
    let same_headers = expected.signed_headers == auth.signed_headers;
    if !same_headers || !same_signature(&expected.signature, auth.signature) {
        return Err(AuthFailure::Mismatch);
    }
    Ok(Caller {
        access_key_id: key_id.to_string(),
        region: region.to_string(),
    })
}

fn check_skew(signed_at: SystemTime, now: SystemTime) -> Result<(), AuthFailure> {
    let (earliest, latest) = (
        now.checked_sub(MAX_SKEW).unwrap_or(now),
        now.checked_add(MAX_SKEW).unwrap_or(now),
    );
    let minutes = MAX_SKEW.as_secs() / 60;
    let (at, now_text) = (clock::amz_date(signed_at), clock::amz_date(now));
    let message = if signed_at < earliest {
        format!(
            "Signature expired: {at} is now earlier than {} ({now_text} - {minutes} min.)",
            clock::amz_date(earliest)
        )
    } else if signed_at > latest {
        format!(
            "Signature not yet current: {at} is still later than {} ({now_text} + {minutes} min.)",
            clock::amz_date(latest)
        )
    } else {
        return Ok(());
    };
    Err(AuthFailure::Skewed { message, signed_at })
}

struct Expected {
    signed_headers: String,
    signature: String,
    /// S3's `x-amz-content-sha256`: the hash of the body as the signer computed it.
    payload_hash: Option<String>,
}

/// Signs a copy of the request that keeps only the headers the client signed, at the time it
/// signed; `None` when it cannot be signed (a header value no signer accepts). For S3 the signer
/// hashes the body itself, so the client's `x-amz-content-sha256` is left out of the copy and
/// compared afterwards.
fn resign(
    req: &http::Request<Vec<u8>>,
    signed: &[&str],
    region: &str,
    service: Service,
    at: SystemTime,
) -> Option<Expected> {
    let mut copy = Request::new(req.method().as_str(), &req.uri().to_string())
        .ok()?
        .body(req.body().clone());
    for name in signed {
        let Ok(name) = http::HeaderName::from_bytes(name.as_bytes()) else {
            return None;
        };
        if service == Service::S3 && name == "x-amz-content-sha256" {
            continue;
        }
        for value in req.headers().get_all(&name) {
            // Read as the signer reads every value (lossily, should it not be UTF-8).
            let value = String::from_utf8_lossy(value.as_bytes());
            copy.append(name.as_str(), &value).ok()?;
        }
    }
    let signature = sign_request(
        &mut copy,
        &practice_credentials(),
        region,
        service,
        at,
        Overrides::default(),
    )
    .ok()?;
    let authorization = copy.get("authorization")?;
    let signed_headers = parse_authorization(authorization)
        .ok()?
        .signed_headers
        .to_string();
    let payload_hash = (service == Service::S3)
        .then(|| copy.get("x-amz-content-sha256").map(str::to_string))
        .flatten();
    Some(Expected {
        signed_headers,
        signature,
        payload_hash,
    })
}

/// Compares without stopping at the first difference (the time taken says nothing).
fn same_signature(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests;
