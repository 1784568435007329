//! The two URL pieces every request builder needs.

/// Percent-encodes everything but RFC 3986's unreserved characters (as SigV4 wants).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `host[:port]` of an absolute URL.
pub fn host(url: &str) -> &str {
    url.split("://")
        .nth(1)
        .unwrap_or(url)
        .split('/')
        .next()
        .unwrap_or("")
}

/// The `scheme://host[:port]` of an absolute URL (lower-cased), as browsers compare origins.
pub fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!("{}://{}", scheme, host).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    #[test]
    fn encode_and_host() {
        assert_eq!(super::encode("a b/c~d+é"), "a%20b%2Fc~d%2B%C3%A9");
        assert_eq!(
            super::host("http://127.0.0.1:5005/prod/dragons?x=1"),
            "127.0.0.1:5005"
        );
        assert_eq!(
            super::host("https://ssm.us-east-1.amazonaws.com/"),
            "ssm.us-east-1.amazonaws.com"
        );
        assert_eq!(
            super::origin("HTTPS://API.example.com?x=/y"),
            "https://api.example.com"
        );
        assert_eq!(
            super::origin("http://127.0.0.1:5005/prod"),
            "http://127.0.0.1:5005"
        );
    }
}
