//! GetObject, HeadObject, PutObject, DeleteObject.

use crate::clock;
use crate::s3::error::S3Error;
use crate::s3::range::{self, Slice};
use crate::s3::reply::Reply;
use crate::s3::store::{
    crc32_base64, md5_hex, Checksum, Full, Object, Store, MAX_KEY_BYTES, MAX_METADATA_BYTES,
    MAX_OBJECT_BYTES, MAX_STORED_BYTES,
};
use std::collections::BTreeMap;

/// S3's type for an object stored without one.
pub const DEFAULT_CONTENT_TYPE: &str = "binary/octet-stream";
const META: &str = "x-amz-meta-";
const CHECKSUMS: [(&str, &str); 5] = [
    ("x-amz-checksum-crc32", "CRC32"),
    ("x-amz-checksum-crc32c", "CRC32C"),
    ("x-amz-checksum-crc64nvme", "CRC64NVME"),
    ("x-amz-checksum-sha1", "SHA1"),
    ("x-amz-checksum-sha256", "SHA256"),
];

fn header<'a>(req: &'a http::Request<Vec<u8>>, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

fn checksum_header(algorithm: &str) -> &'static str {
    CHECKSUMS
        .iter()
        .find(|(_, a)| *a == algorithm)
        .map_or("x-amz-checksum-crc32", |(h, _)| h)
}

/// The object's headers, as GetObject and HeadObject send them.
fn object_headers(object: &Object, mut reply: Reply) -> Reply {
    reply = reply
        .header("accept-ranges", "bytes")
        .header("content-type", object.content_type.clone())
        .header("etag", object.etag())
        .header(
            "last-modified",
            clock::http_date(clock::from_epoch_millis(object.modified_ms)),
        );
    for (name, value) in &object.metadata {
        reply = reply.header(format!("{META}{name}"), value.clone());
    }
    reply
}

/// GetObject (or HeadObject when `head`): the object, or the part its `Range` asks for.
pub fn get(
    store: &Store,
    bucket: &str,
    key: &str,
    req: &http::Request<Vec<u8>>,
) -> Result<Reply, S3Error> {
    let object = store.object(bucket, key)?;
    let size = object.body.len();
    let reply = match range::resolve(header(req, "range"), size)? {
        Slice::Whole => {
            let mut reply = Reply::new(200);
            reply.body = object.body.clone();
            // S3 sends the stored checksum only for the whole object, and only when asked.
            let asked = header(req, "x-amz-checksum-mode")
                .is_some_and(|m| m.eq_ignore_ascii_case("ENABLED"));
            match (&object.checksum, asked) {
                (Some(c), true) => reply.header(checksum_header(&c.algorithm), c.value.clone()),
                _ => reply,
            }
        }
        Slice::Part { first, last } => {
            let mut reply =
                Reply::new(206).header("content-range", format!("bytes {first}-{last}/{size}"));
            reply.body = object.body.get(first..=last).unwrap_or_default().to_vec();
            reply
        }
    };
    Ok(object_headers(object, reply))
}

/// The `x-amz-meta-*` headers of a put, bounded as S3 bounds them.
fn metadata(req: &http::Request<Vec<u8>>) -> Result<BTreeMap<String, String>, S3Error> {
    let mut out = BTreeMap::new();
    let mut size = 0usize;
    for (name, value) in req.headers() {
        let Some(short) = name.as_str().strip_prefix(META) else {
            continue;
        };
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        size += short.len() + value.len();
        out.insert(short.to_string(), value);
    }
    if size > MAX_METADATA_BYTES {
        return Err(S3Error::new(
            400,
            "MetadataTooLarge",
            "Your metadata headers exceed the maximum allowed metadata size.",
        )
        .with("Size", size.to_string())
        .with("MaxSizeAllowed", MAX_METADATA_BYTES.to_string()));
    }
    Ok(out)
}

/// `Content-MD5` and `x-amz-checksum-*`, checked against the body where the practice account
/// can compute them (MD5, CRC32); the checksum kept to answer GetObject with.
fn digests(
    req: &http::Request<Vec<u8>>,
    body: &[u8],
    md5: &str,
) -> Result<Option<Checksum>, S3Error> {
    if let Some(given) = header(req, "content-md5") {
        let decoded = aws_smithy_types::base64::decode(given.trim())
            .ok()
            .filter(|d| d.len() == 16);
        let Some(decoded) = decoded else {
            return Err(S3Error::new(
                400,
                "InvalidDigest",
                "The Content-MD5 you specified was invalid.",
            ));
        };
        let hex: String = decoded.iter().map(|b| format!("{b:02x}")).collect();
        if hex != md5 {
            return Err(S3Error::new(
                400,
                "BadDigest",
                "The Content-MD5 you specified did not match what we received.",
            ));
        }
    }
    let mut found = None;
    for (name, algorithm) in CHECKSUMS {
        let Some(value) = header(req, name) else {
            continue;
        };
        if found.is_some() {
            return Err(S3Error::new(400, "InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."));
        }
        if algorithm == "CRC32" && value != crc32_base64(body) {
            return Err(S3Error::new(
                400,
                "BadDigest",
                "The CRC32 you specified did not match the calculated checksum.",
            ));
        }
        found = Some(Checksum {
            algorithm: algorithm.to_string(),
            value: value.to_string(),
        });
    }
    Ok(found)
}

/// PutObject. `modified_ms` is now.
pub fn put(
    store: &mut Store,
    bucket: &str,
    key: &str,
    req: &http::Request<Vec<u8>>,
    modified_ms: i64,
) -> Result<Reply, S3Error> {
    store.bucket(bucket)?;
    if req.headers().contains_key("x-amz-copy-source") {
        return Err(S3Error::not_implemented("CopyObject (x-amz-copy-source)"));
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(S3Error::new(400, "KeyTooLongError", "Your key is too long")
            .with("Size", key.len().to_string())
            .with("MaxSizeAllowed", MAX_KEY_BYTES.to_string()));
    }
    let body = req.body();
    if body.len() > MAX_OBJECT_BYTES {
        return Err(too_large(body.len()));
    }
    let metadata = metadata(req)?;
    let md5 = md5_hex(body);
    let checksum = digests(req, body, &md5)?;
    match store.room_for(bucket, key, body.len()) {
        Ok(()) => {}
        Err(Full::Bytes(total)) => {
            return Err(S3Error::new(
                400,
                "EntityTooLarge",
                format!("The practice account holds at most {} MiB of objects; this upload would make it {total} bytes. Delete objects to make room.", MAX_STORED_BYTES >> 20),
            )
            .with("ProposedSize", body.len().to_string()))
        }
        Err(Full::Objects) => {
            return Err(S3Error::new(
                400,
                "TooManyObjects",
                format!("The practice account holds at most {} objects. Delete objects to make room.", crate::s3::store::MAX_OBJECTS),
            ))
        }
    }
    let content_type = header(req, "content-type").unwrap_or(DEFAULT_CONTENT_TYPE);
    let mut object = Object::new(body.clone(), content_type, modified_ms);
    object.metadata = metadata;
    object.checksum = checksum;
    let mut reply = Reply::new(200).header("etag", object.etag());
    if let Some(c) = &object.checksum {
        reply = reply.header(checksum_header(&c.algorithm), c.value.clone());
    }
    if let Some(b) = store.buckets.get_mut(bucket) {
        b.objects.insert(key.to_string(), object);
    }
    Ok(reply)
}

/// S3's answer to a body over [`MAX_OBJECT_BYTES`].
pub fn too_large(size: usize) -> S3Error {
    S3Error::new(
        400,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
    )
    .with("ProposedSize", size.to_string())
    .with("MaxSizeAllowed", MAX_OBJECT_BYTES.to_string())
}

/// DeleteObject: 204 whether or not the key was there, as S3 answers.
pub fn delete(store: &mut Store, bucket: &str, key: &str) -> Result<(Reply, bool), S3Error> {
    let b = store
        .buckets
        .get_mut(bucket)
        .ok_or_else(|| S3Error::no_such_bucket(bucket))?;
    let removed = b.objects.remove(key).is_some();
    Ok((Reply::new(204), removed))
}
