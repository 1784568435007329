//! ListBuckets and ListObjectsV2 (prefix, delimiter and common prefixes, max-keys, start-after,
//! continuation tokens, `encoding-type=url`).

use crate::clock;
use crate::s3::address::Target;
use crate::s3::error::S3Error;
use crate::s3::reply::Reply;
use crate::s3::store::{Bucket, Object, Store};
use crate::s3::xml::{document, el};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::ops::Bound;

/// The practice user's canonical id, as S3 names a bucket owner.
pub const OWNER_ID: &str = "7e1d5c0b9a8f6e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d";
pub const OWNER_NAME: &str = "practice-learner";
/// The region of the practice account's buckets.
pub const BUCKET_REGION: &str = "us-east-1";
/// The most keys one ListObjectsV2 page holds.
const MAX_KEYS: usize = 1000;

/// What `encoding-type=url` leaves bare: RFC 3986's unreserved characters and `/`.
const URL_ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

fn owner() -> String {
    format!(
        "<Owner>{}{}</Owner>",
        el("ID", OWNER_ID),
        el("DisplayName", OWNER_NAME)
    )
}

pub fn list_buckets(store: &Store) -> Reply {
    let mut buckets = String::new();
    for (name, bucket) in &store.buckets {
        buckets += &format!(
            "<Bucket>{}{}{}</Bucket>",
            el("Name", name),
            el(
                "CreationDate",
                &clock::iso8601_millis(clock::from_epoch_millis(bucket.created_ms))
            ),
            el("BucketRegion", BUCKET_REGION)
        );
    }
    Reply::xml(document(
        "ListAllMyBucketsResult",
        &format!("{}<Buckets>{buckets}</Buckets>", owner()),
    ))
}

/// Where a page ended: after a key, or after a common prefix (whose keys are all skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Marker {
    Key(String),
    Prefix(String),
}

impl Marker {
    fn token(&self) -> String {
        let (kind, text) = match self {
            Marker::Key(k) => ('k', k),
            Marker::Prefix(p) => ('p', p),
        };
        aws_smithy_types::base64::encode(format!("{kind}{text}"))
    }

    fn from_token(token: &str) -> Option<Marker> {
        let bytes = aws_smithy_types::base64::decode(token).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        match text.split_at_checked(1)? {
            ("k", key) => Some(Marker::Key(key.to_string())),
            ("p", prefix) if !prefix.is_empty() => Some(Marker::Prefix(prefix.to_string())),
            _ => None,
        }
    }

    fn text(&self) -> &str {
        match self {
            Marker::Key(t) | Marker::Prefix(t) => t,
        }
    }
}

enum Entry<'a> {
    Object(&'a str, &'a Object),
    Prefix(String),
}

struct Page<'a> {
    entries: Vec<Entry<'a>>,
    truncated: bool,
}

/// Up to `max` entries after `marker` among the keys under `prefix`, folded into common prefixes
/// at `delimiter`.
fn page<'a>(
    bucket: &'a Bucket,
    prefix: &str,
    delimiter: Option<&str>,
    marker: Option<&Marker>,
    max: usize,
) -> Page<'a> {
    let start = match marker {
        Some(m) if m.text() >= prefix => Bound::Excluded(m.text()),
        _ => Bound::Included(prefix),
    };
    let mut entries: Vec<Entry<'a>> = Vec::new();
    let mut last_prefix: Option<String> = match marker {
        Some(Marker::Prefix(p)) => Some(p.clone()),
        _ => None,
    };
    for (key, object) in bucket.objects.range::<str, _>((start, Bound::Unbounded)) {
        let Some(rest) = key.strip_prefix(prefix) else {
            break;
        };
        if last_prefix.as_deref().is_some_and(|p| key.starts_with(p)) {
            continue;
        }
        let entry = match delimiter.and_then(|d| rest.find(d).map(|at| at + d.len())) {
            Some(end) => {
                let common = format!("{prefix}{}", rest.get(..end).unwrap_or(rest));
                last_prefix = Some(common.clone());
                Entry::Prefix(common)
            }
            None => Entry::Object(key, object),
        };
        if entries.len() == max {
            // As S3 answers `max-keys=0`: nothing, and nothing said to follow.
            return Page {
                truncated: max > 0,
                entries,
            };
        }
        entries.push(entry);
    }
    Page {
        entries,
        truncated: false,
    }
}

fn argument(message: &str, name: &str, value: &str) -> S3Error {
    S3Error::invalid_argument(message)
        .with("ArgumentName", name)
        .with("ArgumentValue", value)
}

pub fn list_objects_v2(name: &str, bucket: &Bucket, t: &Target) -> Result<Reply, S3Error> {
    let prefix = t.param("prefix").unwrap_or("");
    let delimiter = t.param("delimiter").filter(|d| !d.is_empty());
    let max_keys = match t.param("max-keys") {
        None => MAX_KEYS,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if n >= 0 => usize::try_from(n).unwrap_or(MAX_KEYS).min(MAX_KEYS),
            _ => {
                return Err(argument(
                    "Provided max-keys not an integer or within integer range",
                    "max-keys",
                    v,
                ))
            }
        },
    };
    let url = match t.param("encoding-type") {
        None => false,
        Some("url") => true,
        Some(other) => {
            return Err(argument(
                "Invalid Encoding Method specified in Request",
                "encoding-type",
                other,
            ))
        }
    };
    let token = t.param("continuation-token");
    let marker = match token {
        Some(tok) => Some(Marker::from_token(tok).ok_or_else(|| {
            argument(
                "The continuation token provided is incorrect",
                "continuation-token",
                tok,
            )
        })?),
        None => t.param("start-after").map(|s| Marker::Key(s.to_string())),
    };
    let fetch_owner = t.param("fetch-owner") == Some("true");
    let text = |s: &str| {
        if url {
            utf8_percent_encode(s, URL_ENCODED).to_string()
        } else {
            s.to_string()
        }
    };

    let page = page(bucket, prefix, delimiter, marker.as_ref(), max_keys);
    let mut xml = el("Name", name);
    xml += &el("Prefix", &text(prefix));
    if let Some(d) = delimiter {
        xml += &el("Delimiter", &text(d));
    }
    xml += &el("MaxKeys", &max_keys.to_string());
    if url {
        xml += &el("EncodingType", "url");
    }
    xml += &el("KeyCount", &page.entries.len().to_string());
    xml += &el("IsTruncated", if page.truncated { "true" } else { "false" });
    if let Some(tok) = token {
        xml += &el("ContinuationToken", tok);
    }
    if let Some(after) = t.param("start-after") {
        xml += &el("StartAfter", &text(after));
    }
    if page.truncated {
        let last = match page.entries.last() {
            Some(Entry::Object(key, _)) => Some(Marker::Key(key.to_string())),
            Some(Entry::Prefix(p)) => Some(Marker::Prefix(p.clone())),
            None => None,
        };
        if let Some(last) = last {
            xml += &el("NextContinuationToken", &last.token());
        }
    }
    let mut prefixes = String::new();
    for entry in &page.entries {
        match entry {
            Entry::Object(key, object) => {
                xml += "<Contents>";
                xml += &el("Key", &text(key));
                xml += &el(
                    "LastModified",
                    &clock::iso8601_millis(clock::from_epoch_millis(object.modified_ms)),
                );
                xml += &el("ETag", &object.etag());
                if let Some(c) = &object.checksum {
                    xml += &el("ChecksumAlgorithm", &c.algorithm);
                }
                xml += &el("Size", &object.body.len().to_string());
                if fetch_owner {
                    xml += &owner();
                }
                xml += &el("StorageClass", "STANDARD");
                xml += "</Contents>";
            }
            Entry::Prefix(p) => {
                prefixes += &format!(
                    "<CommonPrefixes>{}</CommonPrefixes>",
                    el("Prefix", &text(p))
                );
            }
        }
    }
    xml += &prefixes;
    Ok(Reply::xml(document("ListBucketResult", &xml)))
}

/// HeadBucket: the bucket's region, and no body.
pub fn head_bucket(store: &Store, name: &str) -> Result<Reply, S3Error> {
    store.bucket(name)?;
    Ok(Reply::new(200).header("x-amz-bucket-region", BUCKET_REGION))
}
