//! S3's errors: `<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId></Error>`
//! with the status S3 gives each code, and the extra members S3 adds (the key, the bucket…).

use crate::auth::AuthFailure;
use crate::clock;
use crate::s3::xml;
use std::time::SystemTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Error {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    /// Members after `Message`, in order (`Key`, `BucketName`, `ActualObjectSize`…).
    pub fields: Vec<(&'static str, String)>,
}

impl S3Error {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> S3Error {
        S3Error {
            status,
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> S3Error {
        self.fields.push((name, value.into()));
        self
    }

    pub fn no_such_bucket(bucket: &str) -> S3Error {
        S3Error::new(404, "NoSuchBucket", "The specified bucket does not exist")
            .with("BucketName", bucket)
    }

    pub fn no_such_key(key: &str) -> S3Error {
        S3Error::new(404, "NoSuchKey", "The specified key does not exist.").with("Key", key)
    }

    pub fn access_denied() -> S3Error {
        S3Error::new(403, "AccessDenied", "Access Denied")
    }

    pub fn invalid_argument(message: impl Into<String>) -> S3Error {
        S3Error::new(400, "InvalidArgument", message)
    }

    pub fn not_implemented(what: &str) -> S3Error {
        S3Error::new(
            501,
            "NotImplemented",
            format!(
                "A header you provided implies functionality that is not implemented: {what}. The practice account answers ListBuckets, HeadBucket, ListObjectsV2, GetObject, HeadObject, PutObject, DeleteObject and SelectObjectContent."
            ),
        )
    }

    pub fn malformed_xml() -> S3Error {
        S3Error::new(
            400,
            "MalformedXML",
            "The XML you provided was not well-formed or did not validate against our published schema",
        )
    }

    /// As S3 words a refused signature.
    pub fn from_auth(failure: AuthFailure, now: SystemTime) -> S3Error {
        match failure {
            AuthFailure::Missing => S3Error::access_denied(),
            AuthFailure::Malformed(m) | AuthFailure::Scope(m) => S3Error::new(
                400,
                "AuthorizationHeaderMalformed",
                format!("The authorization header is malformed; {m}"),
            ),
            AuthFailure::UnknownKey(key) => S3Error::new(
                403,
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.",
            )
            .with("AWSAccessKeyId", key),
            AuthFailure::SessionToken => S3Error::new(
                400,
                "InvalidToken",
                "The provided token is malformed or otherwise invalid.",
            ),
            AuthFailure::Skewed { signed_at, .. } => S3Error::new(
                403,
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.",
            )
            .with("RequestTime", clock::amz_date(signed_at))
            .with("ServerTime", clock::rfc3339(now))
            .with(
                "MaxAllowedSkewMilliseconds",
                (crate::auth::MAX_SKEW.as_millis()).to_string(),
            ),
            AuthFailure::Mismatch => S3Error::new(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
            ),
            AuthFailure::PayloadHash { declared: None } => S3Error::new(
                400,
                "InvalidRequest",
                "Missing required header for this request: x-amz-content-sha256",
            ),
            AuthFailure::PayloadHash { declared: Some(d) }
                if d == "UNSIGNED-PAYLOAD" || d.starts_with("STREAMING-") =>
            {
                S3Error::new(
                    501,
                    "NotImplemented",
                    format!("The practice account checks every payload's hash: sign the body (x-amz-content-sha256 = its SHA-256), not '{d}'."),
                )
            }
            AuthFailure::PayloadHash { declared: Some(d) } => S3Error::new(
                400,
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
            )
            .with("ClientComputedContentSHA256", d),
        }
    }

    pub fn body(&self, request_id: &str, host_id: &str) -> Vec<u8> {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>");
        out += &xml::el("Code", self.code);
        out += &xml::el("Message", &self.message);
        for (name, value) in &self.fields {
            out += &xml::el(name, value);
        }
        out += &xml::el("RequestId", request_id);
        out += &xml::el("HostId", host_id);
        out += "</Error>";
        out.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn errors_are_s3_xml() {
        let e = S3Error::no_such_key("a<b");
        let body = String::from_utf8(e.body("REQ", "HOST")).unwrap();
        assert_eq!(
            body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a&lt;b</Key><RequestId>REQ</RequestId><HostId>HOST</HostId></Error>"
        );
        assert_eq!(e.status, 404);
    }

    #[test]
    fn signature_failures_in_s3s_words() {
        let status = |f| {
            let e = S3Error::from_auth(f, UNIX_EPOCH);
            (e.status, e.code)
        };
        assert_eq!(status(AuthFailure::Missing), (403, "AccessDenied"));
        assert_eq!(
            status(AuthFailure::Mismatch),
            (403, "SignatureDoesNotMatch")
        );
        assert_eq!(
            status(AuthFailure::UnknownKey("AKIA".into())),
            (403, "InvalidAccessKeyId")
        );
        assert_eq!(
            status(AuthFailure::Skewed {
                message: String::new(),
                signed_at: UNIX_EPOCH
            }),
            (403, "RequestTimeTooSkewed")
        );
        assert_eq!(
            status(AuthFailure::PayloadHash {
                declared: Some("UNSIGNED-PAYLOAD".into())
            }),
            (501, "NotImplemented")
        );
        assert_eq!(
            status(AuthFailure::PayloadHash {
                declared: Some("00".into())
            }),
            (400, "XAmzContentSHA256Mismatch")
        );
    }
}
