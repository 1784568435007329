//! What a signed request was signed over, for the request inspector: the canonical request and
//! the string to sign, rebuilt from the request itself (its SignedHeaders and credential scope),
//! with the signer's own canonical request (sigv4.rs), checked against the AWS test suite's.

use crate::http_request::Request;
use crate::signing::Service;
use crate::sigv4::{self, Canonical, PathRule};

/// The parts of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
fn authorization_fields(auth: &str) -> Option<(String, Vec<String>, String)> {
    let rest = auth.strip_prefix(sigv4::ALGORITHM)?.strip_prefix(" ")?;
    let mut scope = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => scope = Some(v.split_once('/')?.1.to_string()),
            "SignedHeaders" => signed = Some(v.split(';').map(str::to_string).collect()),
            "Signature" => signature = Some(v.to_string()),
            _ => {}
        }
    }
    Some((scope?, signed?, signature?))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningDetails {
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signature: String,
}

/// Rebuilds the canonical request and string to sign of a request signed with a header.
pub fn signing_details(req: &Request, service: Service) -> Option<SigningDetails> {
    // `http`'s `HeaderValue::to_str`: visible ASCII only.
    let text = |name: &str| {
        req.get(name)
            .filter(|v| v.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b)))
    };
    let (scope, signed, signature) = authorization_fields(text("authorization")?)?;
    let amz_date = text("x-amz-date")?.to_string();
    let headers = signed
        .iter()
        .map(|name| {
            let mut values: Vec<String> = req.get_all(name).map(str::to_string).collect();
            if values.is_empty() && name == "host" {
                values.push(crate::url::host(&req.url));
            }
            (name.clone(), values)
        })
        .collect();
    let payload_hash = match text("x-amz-content-sha256") {
        Some(p) => p.to_string(),
        None => sigv4::sha256_hex(&req.body),
    };
    let canonical = Canonical {
        method: &req.method,
        path: req.path(),
        // The inspector shows what services do by default (it cannot see an override).
        rule: if service == Service::S3 {
            PathRule::AsSent
        } else {
            PathRule::Normalized
        },
        query: req.query(),
        headers,
        payload_hash,
    };
    let canonical_request = canonical.request();
    let string_to_sign = sigv4::string_to_sign(&amz_date, &scope, &canonical_request);
    Some(SigningDetails {
        canonical_request,
        string_to_sign,
        signature,
    })
}

/// A header value for display: secrets replaced. The signature stays (it proves nothing
/// without the secret) but the session token and the key id's pairing do not leak.
pub fn redacted_header(name: &str, value: &str) -> String {
    match name.to_ascii_lowercase().as_str() {
        "x-amz-security-token" => "** redacted **".into(),
        "authorization" if !value.starts_with("AWS4-HMAC-SHA256") => {
            "** redacted (token) **".into()
        }
        _ => value.to_string(),
    }
}

/// The canonical request for display: the session token is one of its signed headers, and a
/// bearer secret, so its value is replaced (the string to sign still carries the hash of the
/// real canonical request, which is what proves the two agree).
pub fn redacted_canonical_request(canonical: &str) -> String {
    crate::redact::security_token(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(
            redacted_header("X-Amz-Security-Token", "tok"),
            "** redacted **"
        );
        assert_eq!(
            redacted_header("Authorization", "eyJraWQ"),
            "** redacted (token) **"
        );
        let canonical = "GET\n/\n\nhost:h\nx-amz-date:20260101T000000Z\nx-amz-security-token:FQoG/secret=\n\nhost;x-amz-date;x-amz-security-token\nUNSIGNED";
        let shown = redacted_canonical_request(canonical);
        assert!(!shown.contains("FQoG"));
        assert_eq!(shown, canonical.replace("FQoG/secret=", "** redacted **"));
    }
}
