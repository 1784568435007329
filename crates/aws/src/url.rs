//! The URL pieces every request builder needs: SigV4's percent-encoding, the host, the origin.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Every byte but RFC 3986's unreserved characters (letters, digits, `-._~`): what SigV4
/// percent-encodes.
pub const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes everything but RFC 3986's unreserved characters (as SigV4 wants).
pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// The `Host` header a browser sends for an absolute URL: `host[:port]`, lower-cased, without
/// the scheme's default port (what the server checks the signature against).
pub fn host(url: &str) -> String {
    let origin = origin(url);
    let (scheme, host) = origin.split_once("://").unwrap_or(("", &origin));
    let default_port = match scheme {
        "https" => ":443",
        "http" => ":80",
        _ => "",
    };
    match host.strip_suffix(default_port) {
        Some(bare) if !default_port.is_empty() => bare.to_string(),
        _ => host.to_string(),
    }
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
        // Every ASCII character but the unreserved ones becomes %XX (upper-case hex).
        let ascii: String = (0u8..128).map(char::from).collect();
        let encoded = super::encode(&ascii);
        let kept = "-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~";
        assert_eq!(encoded.len(), kept.len() + 3 * (128 - kept.len()));
        for run in [
            "%00%01",
            "%2C-.%2F0123456789%3A",
            "Z%5B%5C%5D%5E_%60a",
            "z%7B%7C%7D~%7F",
        ] {
            assert!(encoded.contains(run), "{run}");
        }
        assert_eq!(
            super::host("http://127.0.0.1:5005/prod/dragons?x=1"),
            "127.0.0.1:5005"
        );
        assert_eq!(
            super::host("https://ssm.us-east-1.amazonaws.com/"),
            "ssm.us-east-1.amazonaws.com"
        );
        // As a browser sends it (review: a configured `:443` or capitals broke the signature).
        assert_eq!(super::host("https://X.Example:443/a"), "x.example");
        assert_eq!(super::host("http://x.example:80?q"), "x.example");
        assert_eq!(super::host("http://x.example:8080/"), "x.example:8080");
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
