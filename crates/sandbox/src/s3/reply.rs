//! S3's answers on the wire: the status, S3's headers (`x-amz-request-id`, `x-amz-id-2`, `Date`,
//! `Server`), and the body; a HEAD's answer keeps its `Content-Length` and drops the body.

use crate::clock;
use crate::s3::error::S3Error;
use std::time::SystemTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn new(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn xml(body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("content-type".into(), "application/xml".into())],
            body,
        }
    }

    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// The ids S3 gives each request: a request id, and the "extended" host id.
pub struct Ids {
    pub request_id: String,
    pub host_id: String,
}

impl Ids {
    pub fn new(count: u64, now: SystemTime) -> Ids {
        let a = crate::reply::splitmix64(count ^ (clock::epoch_millis(now) as u64).rotate_left(24));
        let mut host = Vec::with_capacity(56);
        let mut x = a;
        for _ in 0..7 {
            x = crate::reply::splitmix64(x);
            host.extend_from_slice(&x.to_be_bytes());
        }
        Ids {
            request_id: format!("{:016X}", a),
            host_id: aws_smithy_types::base64::encode(host),
        }
    }
}

/// The HTTP response for `reply`; for HEAD, the body goes and its length stays.
pub fn response(reply: Reply, ids: &Ids, now: SystemTime, head: bool) -> http::Response<Vec<u8>> {
    let length = reply.body.len();
    let body = if head { Vec::new() } else { reply.body };
    let mut response = http::Response::new(body);
    *response.status_mut() =
        http::StatusCode::from_u16(reply.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    let mut headers = reply.headers;
    headers.extend([
        ("x-amz-request-id".into(), ids.request_id.clone()),
        ("x-amz-id-2".into(), ids.host_id.clone()),
        ("date".into(), clock::http_date(now)),
        ("server".into(), "AmazonS3".to_string()),
    ]);
    if head && !headers.iter().any(|(n, _)| n == "content-length") {
        headers.push(("content-length".into(), length.to_string()));
    }
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(&value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

pub fn error_response(
    e: &S3Error,
    ids: &Ids,
    now: SystemTime,
    head: bool,
) -> http::Response<Vec<u8>> {
    let reply = Reply {
        status: e.status,
        headers: vec![("content-type".into(), "application/xml".into())],
        body: e.body(&ids.request_id, &ids.host_id),
    };
    // S3 answers a failed HEAD with the status alone.
    let reply = if head {
        Reply {
            headers: Vec::new(),
            body: Vec::new(),
            ..reply
        }
    } else {
        reply
    };
    response(reply, ids, now, head)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn s3_headers_and_heads() {
        let ids = Ids::new(1, UNIX_EPOCH);
        assert_eq!(ids.request_id.len(), 16);
        assert_eq!(ids.host_id.len(), 76);
        assert_ne!(Ids::new(2, UNIX_EPOCH).request_id, ids.request_id);
        let r = response(Reply::xml(b"<a/>".to_vec()), &ids, UNIX_EPOCH, false);
        assert_eq!(r.headers()["x-amz-request-id"], ids.request_id.as_str());
        assert_eq!(r.headers()["server"], "AmazonS3");
        assert_eq!(r.body(), b"<a/>");
        let head = response(Reply::xml(b"<a/>".to_vec()), &ids, UNIX_EPOCH, true);
        assert!(head.body().is_empty());
        assert_eq!(head.headers()["content-length"], "4");
        let missing = error_response(&S3Error::no_such_key("k"), &ids, UNIX_EPOCH, true);
        assert_eq!(missing.status(), 404);
        assert!(missing.body().is_empty());
        assert_eq!(missing.headers()["content-length"], "0");
    }
}
