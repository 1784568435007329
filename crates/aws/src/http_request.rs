//! The HTTP request Wyvern builds, signs, shows and sends: a method, an absolute URL, headers
//! (lower-case names, in order, a name's values together) and a body. Plain data rather than
//! `http::Request`, whose header map cost live mode 24 KB (its table of standard header names
//! alone 12 KB). The method and URL are still checked and written by `http`'s small `Method` and
//! `Uri`, and header names and values checked by its rules, so requests are refused and spelled
//! as they were (`https://host` gets its `/`, a space in a URL is an error).

use crate::signing::SignError;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Request {
    pub method: String,
    /// As `http::Uri` writes it (no fragment).
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// `http`'s header name rule: a non-empty token, lower-cased.
fn header_name(name: &str) -> Result<String, SignError> {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return Err(SignError::new("invalid HTTP header name"));
    }
    Ok(name.to_ascii_lowercase())
}

/// `http`'s header value rule: no control character but the tab.
fn header_value(value: &str) -> Result<String, SignError> {
    if !value
        .bytes()
        .all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
    {
        return Err(SignError::new("failed to parse header value"));
    }
    Ok(value.to_string())
}

impl Request {
    /// A request without headers or body.
    pub fn new(method: &str, url: &str) -> Result<Request, SignError> {
        let invalid = |e: &dyn std::fmt::Display| SignError::new(e.to_string());
        let method = http::Method::from_bytes(method.as_bytes()).map_err(|e| invalid(&e))?;
        let uri = http::Uri::try_from(url).map_err(|e| invalid(&e))?;
        Ok(Request {
            method: method.as_str().to_string(),
            url: uri.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
        })
    }

    /// Adds a header (after any of the same name), for building in one expression.
    pub fn header(mut self, name: &str, value: &str) -> Result<Request, SignError> {
        self.append(name, value)?;
        Ok(self)
    }

    pub fn body(self, body: Vec<u8>) -> Request {
        Request { body, ..self }
    }

    /// Adds a header after any of the same name (`HeaderMap::append`).
    pub fn append(&mut self, name: &str, value: &str) -> Result<(), SignError> {
        let (name, value) = (header_name(name)?, header_value(value)?);
        let at = self
            .headers
            .iter()
            .rposition(|(n, _)| *n == name)
            .map_or(self.headers.len(), |last| last + 1);
        self.headers.insert(at, (name, value));
        Ok(())
    }

    /// Sets a header: the first of its name takes the value and the others go
    /// (`HeaderMap::insert`), or it is added at the end.
    pub fn insert(&mut self, name: &str, value: &str) -> Result<(), SignError> {
        let (name, value) = (header_name(name)?, header_value(value)?);
        match self.headers.iter().position(|(n, _)| *n == name) {
            Some(first) => {
                self.headers[first].1 = value;
                while self.headers.get(first + 1).is_some_and(|(n, _)| *n == name) {
                    self.headers.remove(first + 1);
                }
            }
            None => self.headers.push((name, value)),
        }
        Ok(())
    }

    /// The values of a header, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of a header.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The same request as an `http::Request`, for the practice account (crates/sandbox) and
    /// the tests' HTTP clients.
    pub fn into_http(self) -> Result<http::Request<Vec<u8>>, http::Error> {
        let mut builder = http::Request::builder()
            .method(self.method.as_str())
            .uri(&self.url);
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        builder.body(self.body)
    }

    /// An `http::Request` as plain data (a value that is not UTF-8 is read lossily).
    pub fn from_http(req: &http::Request<Vec<u8>>) -> Request {
        Request {
            method: req.method().as_str().into(),
            url: req.uri().to_string(),
            headers: header_pairs(req.headers()),
            body: req.body().clone(),
        }
    }

    /// The path and query, as the URL holds them (`http::Uri` wrote it: an absolute URL's path
    /// starts with `/` right after the host; a URL without a scheme is a path, `*` or a host).
    fn path_and_query(&self) -> &str {
        let url = self.url.as_str();
        if url.starts_with('/') || url == "*" {
            return url;
        }
        match url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
            None => "",
        }
    }

    /// The path, as `http::Uri::path` gives it.
    pub fn path(&self) -> &str {
        let pq = self.path_and_query();
        pq.split_once('?').map_or(pq, |(path, _)| path)
    }

    /// The query, as `http::Uri::query` gives it.
    pub fn query(&self) -> Option<&str> {
        self.path_and_query().split_once('?').map(|(_, q)| q)
    }
}

/// `http` headers as plain name and value pairs (a value that is not UTF-8 is read lossily).
pub fn header_pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
            (k.as_str().to_string(), v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn headers_keep_http_order_and_rules() {
        let mut r = Request::new("POST", "https://Example.com?b=1#f")
            .unwrap()
            .header("Host", "example.com")
            .unwrap()
            .header("x-a", "1")
            .unwrap();
        r.append("X-B", "2").unwrap();
        r.append("x-a", "3").unwrap();
        assert_eq!(r.url, "https://Example.com/?b=1");
        assert_eq!((r.path(), r.query()), ("/", Some("b=1")));
        let names: Vec<_> = r.headers.iter().map(|(n, v)| format!("{n}={v}")).collect();
        assert_eq!(names, ["host=example.com", "x-a=1", "x-a=3", "x-b=2"]);
        r.insert("x-a", "4").unwrap();
        r.insert("x-c", "5").unwrap();
        let names: Vec<_> = r.headers.iter().map(|(n, v)| format!("{n}={v}")).collect();
        assert_eq!(names, ["host=example.com", "x-a=4", "x-b=2", "x-c=5"]);
        assert_eq!(r.get("X-A"), Some("4"));
        assert!(r.append("bad name", "v").is_err());
        assert!(r.append("x-d", "line\nbreak").is_err());
        assert!(r.append("x-d", "tab\tand é").is_ok());
        assert_eq!(
            Request::new("GET", "https://a b/").unwrap_err().to_string(),
            "could not sign the request: invalid uri character"
        );
    }

    #[test]
    fn header_rules_are_https() {
        for b in 0..=255u8 {
            let Ok(s) = std::str::from_utf8(&[b]).map(str::to_string) else {
                continue;
            };
            assert_eq!(
                header_name(&s).ok(),
                http::HeaderName::from_bytes(s.as_bytes())
                    .ok()
                    .map(|n| n.as_str().to_string()),
                "{b}"
            );
            assert_eq!(
                header_value(&s).is_ok(),
                http::HeaderValue::from_str(&s).is_ok(),
                "{b}"
            );
        }
        assert!(header_name("").is_err());
        assert!(http::HeaderName::from_bytes(b"").is_err());
    }

    proptest! {
        /// Whatever the URL, it is refused as `http` refuses it, or written, split into path and
        /// query, as `http::Uri` does.
        #[test]
        fn urls_read_as_http_reads_them(
            url in "(https?://|HTTP://|[a-z+]{1,5}://|/|)[a-zA-Z0-9.:@\\[\\]%/?#&= é*-]{0,24}"
        ) {
            let ours = Request::new("GET", &url);
            match http::Uri::try_from(url.as_str()) {
                Ok(uri) => {
                    let r = ours.unwrap();
                    prop_assert_eq!(&r.url, &uri.to_string());
                    prop_assert_eq!(r.path(), uri.path());
                    prop_assert_eq!(r.query(), uri.query());
                }
                Err(e) => prop_assert_eq!(
                    ours.unwrap_err().to_string(),
                    format!("could not sign the request: {e}")
                ),
            }
        }
    }
}
