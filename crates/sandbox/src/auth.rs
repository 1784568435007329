//! SigV4 checks, as AWS makes them for JSON 1.1 services: the `Authorization` header is read
//! (Credential, SignedHeaders, Signature), the request is signed again with the practice secret
//! at its `X-Amz-Date` (with the same code live mode signs with), and the two signatures must
//! agree. A wrong key, a wrong secret, a stale date or a wrong scope get the errors AWS gives.

use crate::clock;
use crate::reply::ApiError;
use std::time::{Duration, SystemTime};
use wyvern_aws::credentials::Credentials;
use wyvern_aws::signing::{sign_request, Overrides, Service};

/// The practice account's keys. They are public on purpose: they open this sandbox and nothing
/// else, and never reach AWS.
pub const PRACTICE_ACCESS_KEY_ID: &str = "AKIAPRACTICE00000000";
pub const PRACTICE_SECRET_ACCESS_KEY: &str = "wyvernPracticeKey/PublicNotASecret/00000";
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

const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const INVALID_TOKEN: &str = "The security token included in the request is invalid.";

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

fn parse_authorization(value: &str) -> Result<Authorization<'_>, ApiError> {
    let (algorithm, rest) = value.split_once(' ').unwrap_or((value, ""));
    if algorithm != "AWS4-HMAC-SHA256" {
        return Err(incomplete(format!(
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
            Err(incomplete(format!("{message}Authorization={value}")))
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

/// Checks the request's signature for `service`; the caller's region on success.
pub fn verify(
    req: &http::Request<Vec<u8>>,
    now: SystemTime,
    service: Service,
) -> Result<Caller, ApiError> {
    let Some(raw) = req.headers().get(http::header::AUTHORIZATION) else {
        return Err(ApiError::new(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ));
    };
    let value = raw
        .to_str()
        .map_err(|_| incomplete("The Authorization header holds characters it cannot carry."))?;
    let auth = parse_authorization(value)?;
    let Some(date_text) = header(req, "x-amz-date") else {
        return Err(incomplete(format!(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={value}"
        )));
    };
    let Some(signed_at) = clock::parse_amz_date(date_text) else {
        return Err(incomplete(format!(
            "X-Amz-Date must be in the ISO-8601 basic format YYYYMMDD'T'HHMMSS'Z', not '{date_text}'."
        )));
    };

    let scope: Vec<&str> = auth.credential.split('/').collect();
    let [key_id, scope_date, region, scope_service, terminator] = scope[..] else {
        return Err(incomplete(format!(
            "Authorization header's Credential should be '<access key id>/<YYYYMMDD>/<region>/<service>/aws4_request', not '{}'.",
            auth.credential
        )));
    };
    // Only the practice keys exist here, and they are long-term keys: a session token belongs to
    // some other account's temporary credentials.
    if key_id != PRACTICE_ACCESS_KEY_ID || req.headers().contains_key("x-amz-security-token") {
        return Err(ApiError::new("UnrecognizedClientException", INVALID_TOKEN));
    }
    check_skew(signed_at, now)?;
    let day = date_text.get(..8).unwrap_or("");
    if scope_date != day {
        return Err(invalid(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope_date}' != '{day}', from '{date_text}'."
        )));
    }
    let valid_region = !region.is_empty()
        && region.len() <= 32
        && region
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
    if !valid_region {
        return Err(invalid("Credential should be scoped to a valid region."));
    }
    if scope_service != service.signing_name() {
        return Err(invalid(format!(
            "Credential should be scoped to correct service: '{}'.",
            service.signing_name()
        )));
    }
    if terminator != "aws4_request" {
        return Err(invalid(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."
        )));
    }
    let signed: Vec<&str> = auth.signed_headers.split(';').collect();
    if !signed.contains(&"host") || !req.headers().contains_key(http::header::HOST) {
        return Err(invalid(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }

    let expected =
        resign(req, &signed, region, service, signed_at).ok_or_else(|| invalid(MISMATCH))?;
    let same_headers = expected.signed_headers == auth.signed_headers;
    if !same_headers || !same_signature(&expected.signature, auth.signature) {
        return Err(invalid(MISMATCH));
    }
    Ok(Caller {
        access_key_id: key_id.to_string(),
        region: region.to_string(),
    })
}

fn check_skew(signed_at: SystemTime, now: SystemTime) -> Result<(), ApiError> {
    let (earliest, latest) = (
        now.checked_sub(MAX_SKEW).unwrap_or(now),
        now.checked_add(MAX_SKEW).unwrap_or(now),
    );
    let minutes = MAX_SKEW.as_secs() / 60;
    let (at, now_text) = (clock::amz_date(signed_at), clock::amz_date(now));
    if signed_at < earliest {
        return Err(invalid(format!(
            "Signature expired: {at} is now earlier than {} ({now_text} - {minutes} min.)",
            clock::amz_date(earliest)
        )));
    }
    if signed_at > latest {
        return Err(invalid(format!(
            "Signature not yet current: {at} is still later than {} ({now_text} + {minutes} min.)",
            clock::amz_date(latest)
        )));
    }
    Ok(())
}

struct Expected {
    signed_headers: String,
    signature: String,
}

/// Signs a copy of the request that keeps only the headers the client signed, at the time it
/// signed; `None` when it cannot be signed (a header value no signer accepts).
fn resign(
    req: &http::Request<Vec<u8>>,
    signed: &[&str],
    region: &str,
    service: Service,
    at: SystemTime,
) -> Option<Expected> {
    let mut copy = http::Request::builder()
        .method(req.method().clone())
        .uri(req.uri().clone())
        .body(req.body().clone())
        .ok()?;
    for name in signed {
        let Ok(name) = http::HeaderName::from_bytes(name.as_bytes()) else {
            return None;
        };
        for value in req.headers().get_all(&name) {
            copy.headers_mut().append(name.clone(), value.clone());
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
    let authorization = copy
        .headers()
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let signed_headers = parse_authorization(authorization)
        .ok()?
        .signed_headers
        .to_string();
    Some(Expected {
        signed_headers,
        signature,
    })
}

/// Compares without stopping at the first difference (the time taken says nothing).
fn same_signature(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests;
