//! What a signed request was signed over, for the request inspector: the canonical request and
//! the string to sign, rebuilt from the request itself (its SignedHeaders and credential scope),
//! following the SigV4 rules. `aws-sigv4` does the signing; this only shows the learner its
//! inputs, and is checked against the AWS test suite's expected canonical requests.

use crate::signing::Service;
use crate::url::UNRESERVED;
use percent_encoding::{percent_decode_str, percent_encode, utf8_percent_encode};
use sha2::{Digest, Sha256};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Removes `.` and `..` segments and merges repeated slashes (the normalisation every service
/// but S3 applies).
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if path.ends_with('/') && out != "/" {
        out.push('/');
    }
    out
}

fn canonical_uri(path: &str, service: Service) -> String {
    if service == Service::S3 {
        return if path.is_empty() {
            "/".into()
        } else {
            path.to_string()
        };
    }
    // Other services: normalise, then encode each (already encoded) segment once more.
    let normalized = normalize(if path.is_empty() { "/" } else { path });
    normalized
        .split('/')
        .map(|seg| utf8_percent_encode(seg, UNRESERVED).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

fn canonical_query(query: Option<&str>) -> String {
    // Decoded, then encoded once in SigV4's way (whatever encoding the URL used).
    let encode = |s: &str| {
        percent_encode(&percent_decode_str(s).collect::<Vec<u8>>(), UNRESERVED).to_string()
    };
    let mut pairs: Vec<(String, String)> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (encode(k), encode(v))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Trims and collapses runs of spaces, as canonical header values do.
fn header_value(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The parts of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
fn authorization_fields(auth: &str) -> Option<(String, Vec<String>, String)> {
    let rest = auth.strip_prefix("AWS4-HMAC-SHA256 ")?;
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
pub fn signing_details(req: &http::Request<Vec<u8>>, service: Service) -> Option<SigningDetails> {
    let h = req.headers();
    let (scope, signed, signature) = authorization_fields(h.get("authorization")?.to_str().ok()?)?;
    let amz_date = h.get("x-amz-date")?.to_str().ok()?.to_string();
    let mut canonical_headers = String::new();
    for name in &signed {
        let values: Vec<String> = h
            .get_all(name.as_str())
            .iter()
            .map(|v| header_value(&String::from_utf8_lossy(v.as_bytes())))
            .collect();
        let value = if values.is_empty() && name == "host" {
            req.uri()
                .authority()
                .map(|a| a.to_string())
                .unwrap_or_default()
        } else {
            values.join(",")
        };
        canonical_headers.push_str(&format!("{name}:{value}\n"));
    }
    let payload = match h.get("x-amz-content-sha256").and_then(|v| v.to_str().ok()) {
        Some(p) => p.to_string(),
        None => sha256_hex(req.body()),
    };
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method().as_str(),
        canonical_uri(req.uri().path(), service),
        canonical_query(req.uri().query()),
        canonical_headers,
        signed.join(";"),
        payload
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
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
    fn normalisation_and_encoding() {
        assert_eq!(normalize("/a/./b/../c//d/"), "/a/c/d/");
        assert_eq!(
            canonical_uri("/example%20space/", Service::Ssm),
            "/example%2520space/"
        );
        assert_eq!(
            canonical_uri("/example%20space/", Service::S3),
            "/example%20space/"
        );
        assert_eq!(canonical_query(Some("b=2&a=%2F&a=1")), "a=%2F&a=1&b=2");
        assert_eq!(canonical_query(Some("x=%é&y=%4")), "x=%25%C3%A9&y=%254");
        // `%+7` is no escape (it used to decode as byte 7: from_str_radix takes a sign).
        assert_eq!(canonical_query(Some("z=%+7")), "z=%25%2B7");
        assert_eq!(header_value("  a   b  "), "a b");
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
