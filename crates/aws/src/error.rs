//! AWS errors in one shape, whichever protocol they came in: S3's XML or JSON 1.1's `__type`.

use crate::redact;
use quick_xml::events::Event;
use quick_xml::Reader;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{service} {code} ({status}): {message}")]
pub struct AwsError {
    pub service: String,
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    pub status: u16,
}

/// Reads an S3 error document (`<Error><Code>…</Code><Message>…</Message><RequestId>…`). The
/// request id falls back to the `x-amz-request-id` header.
pub fn parse_s3_error(status: u16, body: &[u8], request_id_header: Option<&str>) -> AwsError {
    let mut reader = Reader::from_reader(body);
    let (mut code, mut message, mut request_id) = (None, None, None);
    let mut current = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => current = e.name().as_ref().to_vec(),
            Ok(Event::Text(t)) => {
                let text = t.unescape().map(|s| s.into_owned()).unwrap_or_default();
                match current.as_slice() {
                    b"Code" => code = Some(text),
                    // SignatureDoesNotMatch messages can quote the canonical request.
                    b"Message" => message = Some(redact::security_token(&text)),
                    b"RequestId" => request_id = Some(text),
                    _ => {}
                }
            }
            Ok(Event::End(_)) => current.clear(),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    AwsError {
        service: "s3".into(),
        code: code.unwrap_or_else(|| status_code_name(status)),
        message: message.unwrap_or_else(|| format!("HTTP {status} with no error document")),
        request_id: request_id.or_else(|| request_id_header.map(str::to_string)),
        status,
    }
}

/// Reads a JSON 1.1 error (`{"__type":"…#ParameterNotFound","message":"…"}`), as SSM, STS's JSON
/// endpoints and Cognito answer.
pub fn parse_json_error(
    service: &str,
    status: u16,
    body: &[u8],
    request_id_header: Option<&str>,
) -> AwsError {
    // Authentication failures can come back as an XML document even from JSON services.
    if body.trim_ascii_start().starts_with(b"<") {
        let mut e = parse_s3_error(status, body, request_id_header);
        e.service = service.into();
        return e;
    }
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or(serde_json::Value::Null);
    let raw_type = v
        .get("__type")
        .or_else(|| v.get("code"))
        .and_then(|t| t.as_str())
        .unwrap_or("");
    // `__type` may carry a namespace (`com.amazonaws.ssm#ParameterNotFound`) or a URL suffix.
    let code = raw_type
        .rsplit('#')
        .next()
        .unwrap_or("")
        .split(':')
        .next()
        .unwrap_or("")
        .to_string();
    let message = v
        .get("message")
        .or_else(|| v.get("Message"))
        .and_then(|m| m.as_str())
        .map(redact::security_token);
    AwsError {
        service: service.into(),
        code: if code.is_empty() {
            status_code_name(status)
        } else {
            code
        },
        message: message.unwrap_or_else(|| format!("HTTP {status}")),
        request_id: request_id_header.map(str::to_string),
        status,
    }
}

fn status_code_name(status: u16) -> String {
    match status {
        400 => "BadRequest",
        403 => "AccessDenied",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        429 => "TooManyRequests",
        500 => "InternalError",
        501 => "NotImplemented",
        503 => "ServiceUnavailable",
        _ => "HttpError",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_xml_error() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>"#;
        let e = parse_s3_error(403, body, None);
        assert_eq!(e.code, "SignatureDoesNotMatch");
        assert_eq!(e.request_id.as_deref(), Some("4442587FB7D0A2F9"));
        assert!(e.message.starts_with("The request signature"));
        assert_eq!(e.status, 403);
    }

    #[test]
    fn s3_error_without_body_uses_status_and_header() {
        let e = parse_s3_error(405, b"", Some("REQ1"));
        assert_eq!(
            (e.code.as_str(), e.request_id.as_deref()),
            ("MethodNotAllowed", Some("REQ1"))
        );
        let e = parse_s3_error(
            400,
            b"<Error><Code>InvalidArgument</Code><Message>a &amp; b</Message></Error>",
            None,
        );
        assert_eq!(e.message, "a & b");
    }

    #[test]
    fn json_errors() {
        let e = parse_json_error(
            "ssm",
            400,
            br#"{"__type":"com.amazonaws.ssm#ParameterNotFound","message":"no such parameter"}"#,
            Some("rid"),
        );
        assert_eq!(
            (e.code.as_str(), e.message.as_str(), e.request_id.as_deref()),
            ("ParameterNotFound", "no such parameter", Some("rid"))
        );
        let e = parse_json_error(
            "cognito-identity",
            400,
            br#"{"__type":"NotAuthorizedException","message":"x"}"#,
            None,
        );
        assert_eq!(e.code, "NotAuthorizedException");
        let e = parse_json_error("ssm", 500, b"not json", None);
        assert_eq!(e.code, "InternalError");
        let xml = b"<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>bad</Message></Error></Errors></ErrorResponse>";
        let e = parse_json_error("ssm", 403, xml, Some("r"));
        assert_eq!(
            (e.service.as_str(), e.code.as_str(), e.message.as_str()),
            ("ssm", "SignatureDoesNotMatch", "bad")
        );
    }
}
