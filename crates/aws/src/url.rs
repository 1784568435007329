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
    }
}
