//! SigV4's canonical request: one definition, used to sign (signing.rs) and to show the learner
//! what was signed (inspect.rs). Checked against the AWS SigV4 test suite's canonical requests,
//! string to sign and signatures (tests/sigv4_suite.rs).

use crate::url::UNRESERVED;
use percent_encoding::utf8_percent_encode;
use sha2::{Digest, Sha256};

pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Removes `.` and `..` segments and merges repeated slashes (the normalisation every service
/// but S3 applies).
pub fn normalize(path: &str) -> String {
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
    // A last `.` or `..` segment leaves a folder, as RFC 3986's dot-segment removal does.
    let folder = ["/", "/.", "/.."].iter().any(|end| path.ends_with(end));
    if folder && out != "/" {
        out.push('/');
    }
    out
}

/// How a service wants the path: S3 takes it as sent; the others normalise it (unless told
/// not to) and encode each (already encoded) segment once more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathRule {
    AsSent,
    Normalized,
    EncodedTwice,
}

pub fn canonical_uri(path: &str, rule: PathRule) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let path = match rule {
        PathRule::AsSent => return path.to_string(),
        PathRule::Normalized => normalize(path),
        PathRule::EncodedTwice => path.to_string(),
    };
    path.split('/')
        .map(|seg| utf8_percent_encode(seg, UNRESERVED).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The query's pairs decoded as a server decodes them (`+` is a space, bad UTF-8 is U+FFFD),
/// encoded once in SigV4's way and sorted.
pub fn canonical_query(query: Option<&str>) -> String {
    let encode = |s: &str| utf8_percent_encode(s, UNRESERVED).to_string();
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .map(|(k, v)| (encode(&k), encode(&v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Trims and collapses runs of spaces, as canonical header values do.
pub fn header_value(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What one request is signed over. `headers` are the signed ones, lower-case, sorted, each
/// with its values in the order sent.
pub struct Canonical<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub rule: PathRule,
    pub query: Option<&'a str>,
    pub headers: Vec<(String, Vec<String>)>,
    pub payload_hash: String,
}

impl Canonical<'_> {
    pub fn signed_headers(&self) -> String {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        names.join(";")
    }

    pub fn request(&self) -> String {
        let mut headers = String::new();
        for (name, values) in &self.headers {
            let values: Vec<String> = values.iter().map(|v| header_value(v)).collect();
            headers.push_str(&format!("{name}:{}\n", values.join(",")));
        }
        format!(
            "{}\n{}\n{}\n{}\n{}\n{}",
            self.method,
            canonical_uri(self.path, self.rule),
            canonical_query(self.query),
            headers,
            self.signed_headers(),
            self.payload_hash
        )
    }
}

/// The string to sign: the algorithm, the time, the scope and the canonical request's hash.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_and_encoding() {
        assert_eq!(normalize("/a/./b/../c//d/"), "/a/c/d/");
        assert_eq!(normalize("/a/b/."), "/a/b/");
        assert_eq!(normalize("/a/b/.."), "/a/");
        assert_eq!(
            canonical_uri("/example%20space/", PathRule::Normalized),
            "/example%2520space/"
        );
        assert_eq!(
            canonical_uri("/a/./b%20", PathRule::EncodedTwice),
            "/a/./b%2520"
        );
        assert_eq!(
            canonical_uri("/example%20space/", PathRule::AsSent),
            "/example%20space/"
        );
        assert_eq!(canonical_uri("", PathRule::AsSent), "/");
        assert_eq!(canonical_query(Some("b=2&a=%2F&a=1")), "a=%2F&a=1&b=2");
        assert_eq!(canonical_query(Some("x=%é&y=%4")), "x=%25%C3%A9&y=%254");
        // `%+7` is no escape (it used to decode as byte 7: from_str_radix takes a sign); `+`
        // is a space, as servers read it.
        assert_eq!(canonical_query(Some("z=%+7")), "z=%25%207");
        assert_eq!(canonical_query(Some("x=%FF&flag")), "flag=&x=%EF%BF%BD");
        assert_eq!(header_value("  a   b  "), "a b");
    }
}
