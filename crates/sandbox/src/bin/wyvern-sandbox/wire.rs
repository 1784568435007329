//! Just enough HTTP/1.1 for the SDKs and the AWS CLI: one request per connection, bodies by
//! `Content-Length` or `Transfer-Encoding: chunked`, `Expect: 100-continue`, every size bounded
//! (the body by a limit the caller gives for the request's head).

use std::io::{self, BufRead, Read, Write};

/// The request line and headers together.
const MAX_HEAD_BYTES: u64 = 64 * 1024;

pub enum Incoming {
    Request(Box<http::Request<Vec<u8>>>),
    /// A body over the limit: the request without it, and its length (or at least that many).
    TooLarge(Box<http::Request<Vec<u8>>>, usize),
}

#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("malformed request: {0}")]
    Malformed(&'static str),
}

/// One CRLF- (or LF-) terminated line, within what is left of `budget`.
fn line(reader: &mut impl BufRead, budget: &mut u64) -> Result<Vec<u8>, WireError> {
    let mut buf = Vec::new();
    let n = reader.by_ref().take(*budget).read_until(b'\n', &mut buf)?;
    *budget -= n as u64;
    if !buf.ends_with(b"\n") {
        return Err(WireError::Malformed(if n == 0 {
            "the connection closed early"
        } else {
            "a line too long"
        }));
    }
    buf.pop();
    if buf.ends_with(b"\r") {
        buf.pop();
    }
    Ok(buf)
}

/// Reads one request; `out` gets the `100 Continue` a client may wait for. `limit` gives the
/// largest body to read for a request with this head (its body still empty).
pub fn read_request(
    reader: &mut impl BufRead,
    out: &mut impl Write,
    limit: impl Fn(&http::Request<Vec<u8>>) -> usize,
) -> Result<Incoming, WireError> {
    let mut budget = MAX_HEAD_BYTES;
    let request_line = line(reader, &mut budget)?;
    let text =
        std::str::from_utf8(&request_line).map_err(|_| WireError::Malformed("request line"))?;
    let mut parts = text.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(WireError::Malformed("request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(WireError::Malformed("HTTP version"));
    }
    let mut builder = http::Request::builder().method(method).uri(target);
    let (mut length, mut chunked, mut expect_continue) = (None, false, false);
    loop {
        let header = line(reader, &mut budget)?;
        if header.is_empty() {
            break;
        }
        let colon = header
            .iter()
            .position(|&b| b == b':')
            .ok_or(WireError::Malformed("header"))?;
        let name = http::HeaderName::from_bytes(&header[..colon])
            .map_err(|_| WireError::Malformed("header name"))?;
        let value = http::HeaderValue::from_bytes(header[colon + 1..].trim_ascii())
            .map_err(|_| WireError::Malformed("header value"))?;
        let lower = value.to_str().unwrap_or("").to_ascii_lowercase();
        match name.as_str() {
            "content-length" => {
                length = Some(
                    lower
                        .parse::<usize>()
                        .map_err(|_| WireError::Malformed("Content-Length"))?,
                );
            }
            "transfer-encoding" => chunked = lower.contains("chunked"),
            "expect" => expect_continue = lower == "100-continue",
            _ => {}
        }
        builder = builder.header(name, value);
    }
    let mut request = builder
        .body(Vec::new())
        .map_err(|_| WireError::Malformed("method or target"))?;
    let max = limit(&request);
    if let Some(n) = length.filter(|&n| n > max && !chunked) {
        return Ok(Incoming::TooLarge(Box::new(request), n));
    }
    if expect_continue {
        out.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        out.flush()?;
    }
    let body = if chunked {
        match read_chunked(reader, max)? {
            Some(body) => body,
            None => return Ok(Incoming::TooLarge(Box::new(request), max.saturating_add(1))),
        }
    } else {
        let mut body = vec![0; length.unwrap_or(0)];
        reader.read_exact(&mut body)?;
        body
    };
    *request.body_mut() = body;
    Ok(Incoming::Request(Box::new(request)))
}

/// A chunked body; `None` when it grows past `max`.
fn read_chunked(reader: &mut impl BufRead, max: usize) -> Result<Option<Vec<u8>>, WireError> {
    let mut body = Vec::new();
    let mut budget = MAX_HEAD_BYTES;
    loop {
        let size_line = line(reader, &mut budget)?;
        let size_text =
            std::str::from_utf8(&size_line).map_err(|_| WireError::Malformed("chunk size"))?;
        let hex = size_text.split(';').next().unwrap_or("").trim();
        let size =
            usize::from_str_radix(hex, 16).map_err(|_| WireError::Malformed("chunk size"))?;
        if size == 0 {
            // Trailers, up to the blank line.
            while !line(reader, &mut budget)?.is_empty() {}
            return Ok(Some(body));
        }
        if body.len().saturating_add(size) > max {
            return Ok(None);
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        if !line(reader, &mut budget)?.is_empty() {
            return Err(WireError::Malformed("chunk end"));
        }
    }
}

/// Writes the response and closes the exchange (`Connection: close`). A response without a body
/// that names its `Content-Length` (a HEAD's) keeps it.
pub fn write_response(out: &mut impl Write, response: &http::Response<Vec<u8>>) -> io::Result<()> {
    let status = response.status();
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (name, value) in response.headers() {
        if matches!(
            name.as_str(),
            "content-length" | "connection" | "transfer-encoding"
        ) {
            continue;
        }
        head.extend_from_slice(name.as_str().as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    let named = response
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|_| response.body().is_empty());
    let length = named.unwrap_or(response.body().len() as u64);
    head.extend_from_slice(
        format!("content-length: {length}\r\nconnection: close\r\n\r\n").as_bytes(),
    );
    out.write_all(&head)?;
    out.write_all(response.body())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: usize = 1 << 20;

    fn read(raw: &[u8]) -> (Result<Incoming, WireError>, Vec<u8>) {
        let mut out = Vec::new();
        let r = read_request(&mut io::BufReader::new(raw), &mut out, |_| LIMIT);
        (r, out)
    }

    fn request(raw: &[u8]) -> http::Request<Vec<u8>> {
        match read(raw).0 {
            Ok(Incoming::Request(r)) => *r,
            Ok(Incoming::TooLarge(_, n)) => panic!("too large: {n}"),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn content_length_bodies() {
        let r = request(b"POST / HTTP/1.1\r\nHost: 127.0.0.1:5006\r\nX-Amz-Target: AmazonSSM.GetParameter\r\nContent-Length: 4\r\n\r\n{}{}");
        assert_eq!((r.method().as_str(), r.uri().path()), ("POST", "/"));
        assert_eq!(r.headers()["x-amz-target"], "AmazonSSM.GetParameter");
        assert_eq!(r.body(), b"{}{}");
        let bare = request(b"GET /x?y=1 HTTP/1.0\nHost: h\n\n");
        assert!(bare.body().is_empty());
    }

    #[test]
    fn chunked_bodies_and_continue() {
        let (r, out) = read(b"POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\n{\"a\r\n4\r\n\":1}\r\n0\r\nTrailer: x\r\n\r\n");
        let Ok(Incoming::Request(r)) = r else {
            panic!()
        };
        assert_eq!(r.body(), b"{\"a\":1}");
        assert_eq!(out, b"HTTP/1.1 100 Continue\r\n\r\n");
    }

    #[test]
    fn oversized_and_malformed() {
        let huge = format!("PUT /b/k HTTP/1.1\r\nContent-Length: {}\r\n\r\n", LIMIT + 1);
        match read(huge.as_bytes()).0 {
            Ok(Incoming::TooLarge(head, n)) => {
                assert_eq!(n, LIMIT + 1);
                assert_eq!((head.method().as_str(), head.uri().path()), ("PUT", "/b/k"));
            }
            _ => panic!("not refused"),
        }
        let chunk = format!(
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
            LIMIT + 1
        );
        assert!(matches!(
            read(chunk.as_bytes()).0,
            Ok(Incoming::TooLarge(..))
        ));
        // The limit is the caller's, by request.
        let small = b"PUT /b/k HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
        let mut out = Vec::new();
        let r = read_request(&mut io::BufReader::new(&small[..]), &mut out, |h| {
            if h.method() == http::Method::PUT {
                2
            } else {
                10
            }
        });
        assert!(matches!(r, Ok(Incoming::TooLarge(_, 3))));
        for raw in [
            &b""[..],
            b"POST /\r\n\r\n",
            b"POST / SPDY/3\r\n\r\n",
            b"POST / HTTP/1.1\r\nno colon\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: lots\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
            b"P\xffST / HTTP/1.1\r\n\r\n",
        ] {
            assert!(read(raw).0.is_err(), "{:?}", String::from_utf8_lossy(raw));
        }
        let long_header = format!("POST / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(70_000));
        assert!(read(long_header.as_bytes()).0.is_err());
    }

    #[test]
    fn responses_are_framed() {
        let mut response = http::Response::new(b"{}".to_vec());
        response.headers_mut().insert(
            "content-type",
            http::HeaderValue::from_static("application/x-amz-json-1.1"),
        );
        let mut out = Vec::new();
        write_response(&mut out, &response).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(text.contains("content-length: 2\r\nconnection: close\r\n\r\n{}"));
        let mut head = http::Response::new(Vec::new());
        head.headers_mut()
            .insert("content-length", http::HeaderValue::from_static("25712"));
        let mut out = Vec::new();
        write_response(&mut out, &head).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("content-length: 25712\r\nconnection: close\r\n\r\n"));
    }
}
