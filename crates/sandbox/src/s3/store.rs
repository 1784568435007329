//! The practice account's buckets and objects, as they go into the JSON snapshot (object bytes
//! as base64). Every size is bounded here, where objects are stored.

use crate::s3::error::S3Error;
use md5::{Digest, Md5};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// The most one PutObject may store (S3 takes 5 GB; the practice account keeps everything in
/// memory and in one snapshot).
pub const MAX_OBJECT_BYTES: usize = 16 << 20;
/// The most all objects together may hold.
pub const MAX_STORED_BYTES: usize = 64 << 20;
/// The most objects the account holds.
pub const MAX_OBJECTS: usize = 10_000;
/// S3's limit on a key, in UTF-8 bytes.
pub const MAX_KEY_BYTES: usize = 1024;
/// S3's limit on user metadata (`x-amz-meta-*` names and values together).
pub const MAX_METADATA_BYTES: usize = 2048;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    #[serde(default)]
    pub buckets: BTreeMap<String, Bucket>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    pub created_ms: i64,
    /// By key; a BTreeMap lists in UTF-8 byte order, as S3 does.
    #[serde(default)]
    pub objects: BTreeMap<String, Object>,
}

/// A checksum the uploader sent (`x-amz-checksum-crc32` and friends), kept to answer with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checksum {
    /// `CRC32`, `CRC32C`, `CRC64NVME`, `SHA1` or `SHA256`.
    pub algorithm: String,
    /// Base64, as the header carries it.
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Object {
    #[serde(serialize_with = "to_base64", deserialize_with = "from_base64")]
    pub body: Vec<u8>,
    pub content_type: String,
    /// The MD5 of the body in hex, without the quotes the ETag header adds.
    pub md5_hex: String,
    pub modified_ms: i64,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    #[serde(default)]
    pub checksum: Option<Checksum>,
}

fn to_base64<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&aws_smithy_types::base64::encode(bytes))
}

fn from_base64<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let text = String::deserialize(d)?;
    aws_smithy_types::base64::decode(&text).map_err(serde::de::Error::custom)
}

pub fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// S3's CRC32 checksum of a body: the big-endian CRC in base64.
pub fn crc32_base64(bytes: &[u8]) -> String {
    aws_smithy_types::base64::encode(crc32fast::hash(bytes).to_be_bytes())
}

impl Object {
    pub fn new(body: Vec<u8>, content_type: &str, modified_ms: i64) -> Object {
        Object {
            md5_hex: md5_hex(&body),
            body,
            content_type: content_type.to_string(),
            modified_ms,
            metadata: BTreeMap::new(),
            checksum: None,
        }
    }

    pub fn etag(&self) -> String {
        format!("\"{}\"", self.md5_hex)
    }
}

/// Why a put cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Full {
    /// The account would hold more than [`MAX_STORED_BYTES`]; the total it would reach.
    Bytes(usize),
    Objects,
}

impl Store {
    /// A bucket, or S3's `NoSuchBucket`.
    pub fn bucket(&self, name: &str) -> Result<&Bucket, S3Error> {
        self.buckets
            .get(name)
            .ok_or_else(|| S3Error::no_such_bucket(name))
    }

    /// An object, or S3's `NoSuchBucket` / `NoSuchKey`.
    pub fn object(&self, bucket: &str, key: &str) -> Result<&Object, S3Error> {
        self.bucket(bucket)?
            .objects
            .get(key)
            .ok_or_else(|| S3Error::no_such_key(key))
    }

    pub fn stored_bytes(&self) -> usize {
        self.buckets
            .values()
            .flat_map(|b| b.objects.values())
            .map(|o| o.body.len())
            .sum()
    }

    fn object_count(&self) -> usize {
        self.buckets.values().map(|b| b.objects.len()).sum()
    }

    /// Whether `bucket`/`key` can take `size` bytes (replacing what is there).
    pub fn room_for(&self, bucket: &str, key: &str, size: usize) -> Result<(), Full> {
        let existing = self.buckets.get(bucket).and_then(|b| b.objects.get(key));
        let replaced = existing.map_or(0, |o| o.body.len());
        let total = self.stored_bytes() - replaced + size;
        if total > MAX_STORED_BYTES {
            return Err(Full::Bytes(total));
        }
        if existing.is_none() && self.object_count() >= MAX_OBJECTS {
            return Err(Full::Objects);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_match_s3s() {
        assert_eq!(md5_hex(b"hello world"), "5eb63bbbe01eeed093cb22bb8f5acdc3");
        // boto3 sent this x-amz-checksum-crc32 for the same body.
        assert_eq!(crc32_base64(b"hello world"), "DUoRhQ==");
        assert_eq!(
            Object::new(Vec::new(), "x", 0).etag(),
            "\"d41d8cd98f00b204e9800998ecf8427e\""
        );
    }

    #[test]
    fn bodies_round_trip_as_base64() {
        let mut store = Store::default();
        let mut bucket = Bucket::default();
        bucket
            .objects
            .insert("a".into(), Object::new(vec![0, 255, 10], "b", 5));
        store.buckets.insert("b".into(), bucket);
        let text = serde_json::to_string(&store).unwrap();
        assert!(text.contains(r#""body":"AP8K""#), "{text}");
        assert_eq!(serde_json::from_str::<Store>(&text).unwrap(), store);
        assert!(serde_json::from_str::<Store>(&text.replace("AP8K", "!!")).is_err());
    }

    #[test]
    fn room_is_bounded_in_bytes_and_objects() {
        let mut store = Store::default();
        store.buckets.insert("b".into(), Bucket::default());
        assert_eq!(store.room_for("b", "k", MAX_STORED_BYTES), Ok(()));
        assert_eq!(
            store.room_for("b", "k", MAX_STORED_BYTES + 1),
            Err(Full::Bytes(MAX_STORED_BYTES + 1))
        );
        let objects = &mut store.buckets.get_mut("b").unwrap().objects;
        for i in 0..MAX_OBJECTS {
            objects.insert(format!("{i}"), Object::new(Vec::new(), "", 0));
        }
        assert_eq!(store.room_for("b", "new", 1), Err(Full::Objects));
        assert_eq!(store.room_for("b", "7", 1), Ok(()));
    }
}
