//! Where an S3 request points: the bucket (from the path, `/bucket/key`, or from the host,
//! `bucket.s3.us-east-1.amazonaws.com` / `bucket.localhost`), the key, and the decoded query.

use crate::s3::error::S3Error;
use percent_encoding::percent_decode_str;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    pub bucket: Option<String>,
    /// `None` for a request on the bucket itself (`/bucket` or `/bucket/`).
    pub key: Option<String>,
    /// Query parameters in order, decoded; a name without `=` has an empty value.
    pub query: Vec<(String, String)>,
}

fn invalid_uri() -> S3Error {
    S3Error::new(400, "InvalidURI", "Couldn't parse the specified URI.")
}

fn decode(text: &str) -> Result<String, S3Error> {
    percent_decode_str(text)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| invalid_uri())
}

/// A query value: `+` is a space there, as in any form-encoded query.
fn decode_query(text: &str) -> Result<String, S3Error> {
    decode(&text.replace('+', " "))
}

/// The bucket a virtual-hosted request names in its host, if it is one.
fn host_bucket(host: &str) -> Option<&str> {
    let name = host.rsplit_once(':').map_or(host, |(name, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            name
        } else {
            host
        }
    });
    let bucket = name
        .find(".s3.")
        .or_else(|| name.find(".s3-"))
        .map(|at| &name[..at])
        .or_else(|| name.strip_suffix(".localhost"))?;
    (!bucket.is_empty()).then_some(bucket)
}

impl Target {
    pub fn parse(req: &http::Request<Vec<u8>>) -> Result<Target, S3Error> {
        let uri = req.uri();
        let host = req
            .headers()
            .get(http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| uri.host())
            .unwrap_or("");
        let path = uri.path().strip_prefix('/').unwrap_or(uri.path());
        let (bucket, key) = match host_bucket(host) {
            Some(bucket) => (Some(bucket.to_string()), Some(path)),
            None => match path.split_once('/') {
                Some((bucket, key)) => (Some(decode(bucket)?), Some(key)),
                None if path.is_empty() => (None, None),
                None => (Some(decode(path)?), None),
            },
        };
        let key = match key.filter(|k| !k.is_empty()) {
            Some(k) => Some(decode(k)?),
            None => None,
        };
        let mut query = Vec::new();
        for part in uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            query.push((decode_query(name)?, decode_query(value)?));
        }
        Ok(Target { bucket, key, query })
    }

    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has(&self, name: &str) -> bool {
        self.query.iter().any(|(n, _)| n == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(host: &str, uri: &str) -> Result<Target, S3Error> {
        let req = http::Request::builder()
            .uri(uri)
            .header("host", host)
            .body(Vec::new())
            .unwrap();
        Target::parse(&req)
    }

    #[test]
    fn path_style() {
        let t = target("127.0.0.1:5006", "/b/notes/a%20b%2Bc.txt?x-id=GetObject").unwrap();
        assert_eq!(t.bucket.as_deref(), Some("b"));
        assert_eq!(t.key.as_deref(), Some("notes/a b+c.txt"));
        assert_eq!(t.param("x-id"), Some("GetObject"));
        let t = target("h", "/b?list-type=2&prefix=notes%2F&delimiter=%2F&select").unwrap();
        assert_eq!((t.bucket.as_deref(), t.key.as_deref()), (Some("b"), None));
        assert_eq!(t.param("prefix"), Some("notes/"));
        assert!(t.has("select") && !t.has("acl"));
        assert_eq!(target("h", "/b/").unwrap().key, None);
        assert_eq!(target("h", "/").unwrap(), Target::default());
        assert_eq!(target("h", "/b//x").unwrap().key.as_deref(), Some("/x"));
        assert_eq!(
            target("h", "/b?prefix=a+b").unwrap().param("prefix"),
            Some("a b")
        );
    }

    #[test]
    fn virtual_hosted_style() {
        for host in [
            "dragons.s3.us-east-1.amazonaws.com",
            "dragons.s3.amazonaws.com",
            "dragons.s3-us-west-2.amazonaws.com",
            "dragons.localhost:5006",
        ] {
            let t = target(host, "/notes/a.txt").unwrap();
            assert_eq!(t.bucket.as_deref(), Some("dragons"), "{host}");
            assert_eq!(t.key.as_deref(), Some("notes/a.txt"));
        }
        let t = target("my.bucket.s3.amazonaws.com", "/").unwrap();
        assert_eq!((t.bucket.as_deref(), t.key), (Some("my.bucket"), None));
        assert_eq!(
            target("s3.amazonaws.com", "/b/k")
                .unwrap()
                .bucket
                .as_deref(),
            Some("b")
        );
    }

    #[test]
    fn undecodable_paths_are_invalid_uris() {
        assert_eq!(target("h", "/b/%FF").unwrap_err().code, "InvalidURI");
        assert_eq!(target("h", "/b?prefix=%C3").unwrap_err().code, "InvalidURI");
    }
}
