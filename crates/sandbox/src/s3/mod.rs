//! S3 (REST-XML): path-style `/bucket/key` and virtual-hosted `bucket.s3.…` requests, signed with
//! SigV4 for `s3` (single URI encoding, no path normalisation, `x-amz-content-sha256`), answered
//! with S3's XML, headers and errors. ListBuckets, HeadBucket, ListObjectsV2, GetObject,
//! HeadObject, PutObject, DeleteObject and SelectObjectContent.

pub mod address;
pub mod error;
mod list;
pub mod objects;
mod range;
pub mod reply;
pub mod seed;
pub mod select;
pub mod store;
mod xml;

use crate::auth::{self, ACCOUNT_ID};
use address::Target;
use error::S3Error;
use http::Method;
use reply::{Ids, Reply};
use std::time::SystemTime;
pub use store::Store;
use wyvern_aws::signing::Service;

/// Sub-resources of an object the practice account does not offer (`?acl`, `?tagging`…).
const OBJECT_SUBRESOURCES: &[&str] = &[
    "acl",
    "attributes",
    "legal-hold",
    "partNumber",
    "restore",
    "retention",
    "tagging",
    "torrent",
    "uploadId",
    "uploads",
    "versionId",
];
/// Sub-resources of a bucket (ListObjects version 1 has none, and is not offered either).
const BUCKET_SUBRESOURCES: &[&str] = &[
    "accelerate",
    "acl",
    "analytics",
    "cors",
    "delete",
    "encryption",
    "intelligent-tiering",
    "inventory",
    "lifecycle",
    "location",
    "logging",
    "metrics",
    "notification",
    "object-lock",
    "ownershipControls",
    "policy",
    "policyStatus",
    "publicAccessBlock",
    "replication",
    "requestPayment",
    "tagging",
    "uploads",
    "versioning",
    "versions",
    "website",
];

/// The largest body a request for `method` may carry: an object for PUT, else the sandbox's
/// usual limit.
pub fn body_limit(method: &Method) -> usize {
    if method == Method::PUT {
        store::MAX_OBJECT_BYTES
    } else {
        crate::MAX_BODY_BYTES
    }
}

/// S3's answer to a body over [`body_limit`], sent without reading it.
pub fn too_large(
    method: &Method,
    length: usize,
    ids: &Ids,
    now: SystemTime,
) -> http::Response<Vec<u8>> {
    let e = if method == Method::PUT {
        objects::too_large(length)
    } else {
        S3Error::new(400, "MaxMessageLengthExceeded", "Your request was too big.")
    };
    reply::error_response(&e, ids, now, false)
}

/// Answers one S3 request; true when it changed the store.
pub fn handle(
    store: &mut Store,
    req: &http::Request<Vec<u8>>,
    now: SystemTime,
    ids: &Ids,
) -> (http::Response<Vec<u8>>, bool) {
    let head = req.method() == Method::HEAD;
    match answer(store, req, now) {
        Ok((reply, changed)) => (reply::response(reply, ids, now, head), changed),
        Err(e) => (reply::error_response(&e, ids, now, head), false),
    }
}

fn header<'a>(req: &'a http::Request<Vec<u8>>, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The signature first, as S3 checks it: an unsigned request is refused (`NoSuchBucket` when
/// there is no such bucket, else `AccessDenied`: the practice bucket is private).
fn authenticate(
    store: &Store,
    t: &Target,
    req: &http::Request<Vec<u8>>,
    now: SystemTime,
) -> Result<(), S3Error> {
    if !req.headers().contains_key(http::header::AUTHORIZATION) {
        if let Some(bucket) = &t.bucket {
            store.bucket(bucket)?;
        }
        if t.has("X-Amz-Signature") {
            return Err(S3Error::new(
                403,
                "AccessDenied",
                "The practice account does not take presigned URLs: sign requests with an Authorization header.",
            ));
        }
        return Err(S3Error::access_denied());
    }
    auth::check(req, now, Service::S3).map_err(|f| S3Error::from_auth(f, now))?;
    // A bucket owned by another account than the caller expects is refused, as S3 does.
    if let (Some(bucket), Some(owner)) = (&t.bucket, header(req, "x-amz-expected-bucket-owner")) {
        if store.buckets.contains_key(bucket) && owner.trim() != ACCOUNT_ID {
            return Err(S3Error::access_denied());
        }
    }
    Ok(())
}

fn refuse_subresources(t: &Target, names: &[&str]) -> Result<(), S3Error> {
    match names.iter().find(|n| t.has(n)) {
        Some(n) => Err(S3Error::not_implemented(&format!("the ?{n} sub-resource"))),
        None => Ok(()),
    }
}

fn method_not_allowed(method: &Method, resource: &str) -> S3Error {
    S3Error::new(
        405,
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
    )
    .with("Method", method.as_str())
    .with("ResourceType", resource)
}

fn answer(
    store: &mut Store,
    req: &http::Request<Vec<u8>>,
    now: SystemTime,
) -> Result<(Reply, bool), S3Error> {
    let t = Target::parse(req)?;
    authenticate(store, &t, req, now)?;
    let method = req.method();
    let max_body = body_limit(method);
    if req.body().len() > max_body {
        return Err(if method == Method::PUT {
            objects::too_large(req.body().len())
        } else {
            S3Error::new(400, "MaxMessageLengthExceeded", "Your request was too big.")
        });
    }
    let now_ms = crate::clock::epoch_millis(now);
    let Some(bucket) = t.bucket.as_deref() else {
        return match *method {
            Method::GET => Ok((list::list_buckets(store), false)),
            _ => Err(method_not_allowed(method, "SERVICE")),
        };
    };
    let Some(key) = t.key.as_deref() else {
        refuse_subresources(&t, BUCKET_SUBRESOURCES)?;
        return match *method {
            Method::HEAD => Ok((list::head_bucket(store, bucket)?, false)),
            Method::GET => {
                let b = store.bucket(bucket)?;
                match t.param("list-type") {
                    Some("2") => Ok((list::list_objects_v2(bucket, b, &t)?, false)),
                    Some(other) => Err(S3Error::invalid_argument(format!(
                        "Invalid list type: {other}"
                    ))
                    .with("ArgumentName", "list-type")),
                    None => Err(S3Error::not_implemented(
                        "ListObjects (version 1); use ListObjectsV2 (list-type=2)",
                    )),
                }
            }
            Method::PUT => Err(S3Error::not_implemented(
                "CreateBucket: the practice account has its class's bucket only",
            )),
            Method::DELETE => Err(S3Error::not_implemented(
                "DeleteBucket: the practice account keeps its class's bucket",
            )),
            _ => Err(method_not_allowed(method, "BUCKET")),
        };
    };
    if *method == Method::POST && t.has("select") {
        let object = store.object(bucket, key)?;
        let stream = select::answer(req.body(), &object.body, now)?;
        let mut reply = Reply::new(200).header("content-type", "application/octet-stream");
        reply.body = stream;
        return Ok((reply, false));
    }
    refuse_subresources(&t, OBJECT_SUBRESOURCES)?;
    match *method {
        Method::GET | Method::HEAD => Ok((objects::get(store, bucket, key, req)?, false)),
        Method::PUT => Ok((objects::put(store, bucket, key, req, now_ms)?, true)),
        Method::DELETE => objects::delete(store, bucket, key),
        Method::POST => Err(S3Error::not_implemented(
            "this POST on an object (only ?select)",
        )),
        _ => Err(method_not_allowed(method, "OBJECT")),
    }
}

#[cfg(test)]
mod tests;
