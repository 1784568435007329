//! The class's bucket: the Dragon API's data file (the JSON document the course selects from)
//! and the other bundled datasets under `samples/`, the same bytes the local emulator seeds.
//! Compiled in, so seeding needs no I/O.

use crate::s3::store::{crc32_base64, Bucket, Checksum, Object, Store};
use crate::state::{DATA_BUCKET, DATA_FILE};

const DRAGONS_JSON: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../static/data/dragons.json"
));
const DRAGONS_CSV: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../static/data/dragons.csv"
));
const DRAGONS_JSONL: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../static/data/dragons.jsonl"
));
const DRAGONS_PARQUET: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../static/data/dragons.parquet"
));

/// The seeded objects: key, bytes, content type (the emulator's put gives the samples none, so
/// S3's default).
pub const OBJECTS: [(&str, &[u8], &str); 4] = [
    (DATA_FILE, DRAGONS_JSON, "application/json"),
    (
        "samples/dragons.csv",
        DRAGONS_CSV,
        crate::s3::objects::DEFAULT_CONTENT_TYPE,
    ),
    (
        "samples/dragons.jsonl",
        DRAGONS_JSONL,
        crate::s3::objects::DEFAULT_CONTENT_TYPE,
    ),
    (
        "samples/dragons.parquet",
        DRAGONS_PARQUET,
        crate::s3::objects::DEFAULT_CONTENT_TYPE,
    ),
];

/// The store a class starts with, every object dated `now_ms`. The emulator seeds with boto3,
/// which sends a CRC32 checksum with each put; the seed keeps the same.
pub fn store(now_ms: i64) -> Store {
    let mut bucket = Bucket {
        created_ms: now_ms,
        ..Bucket::default()
    };
    for (key, bytes, content_type) in OBJECTS {
        let mut object = Object::new(bytes.to_vec(), content_type, now_ms);
        object.checksum = Some(Checksum {
            algorithm: "CRC32".into(),
            value: crc32_base64(bytes),
        });
        bucket.objects.insert(key.to_string(), object);
    }
    let mut store = Store::default();
    store.buckets.insert(DATA_BUCKET.to_string(), bucket);
    store
}
