//! S3: a query for S3 Select, its progress figures, and a folder's listing.

use crate::codec::{list, maybe_text, num, text, texts, Fields};
use wasm_bindgen::JsValue;

#[derive(Debug, Clone, PartialEq)]
pub struct Select {
    pub bucket: String,
    pub key: String,
    pub sql: String,
    /// InputSerialization and OutputSerialization, as the AWS CLI takes them (JSON text).
    pub input: String,
    pub output: String,
}

/// S3 Select's Progress and Stats events.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figures {
    pub bytes_scanned: f64,
    pub bytes_processed: f64,
    pub bytes_returned: f64,
}

/// One folder of a bucket (ListObjectsV2 with the delimiter "/"), or a page of it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Listing {
    pub folders: Vec<String>,
    pub objects: Vec<ObjectSummary>,
    /// The continuation token of the next page.
    pub next: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectSummary {
    pub key: String,
    pub size: f64,
}

impl Select {
    pub(super) fn write(&self, m: Fields) -> Fields {
        m.text("bucket", &self.bucket)
            .text("key", &self.key)
            .text("sql", &self.sql)
            .text("input", &self.input)
            .text("output", &self.output)
    }
    pub(super) fn read(msg: &JsValue) -> Select {
        Select {
            bucket: text(msg, "bucket"),
            key: text(msg, "key"),
            sql: text(msg, "sql"),
            input: text(msg, "input"),
            output: text(msg, "output"),
        }
    }
}

impl Figures {
    pub(super) fn write(&self, m: Fields) -> Fields {
        m.num("bytesScanned", self.bytes_scanned)
            .num("bytesProcessed", self.bytes_processed)
            .num("bytesReturned", self.bytes_returned)
    }
    pub(super) fn read(msg: &JsValue) -> Figures {
        Figures {
            bytes_scanned: num(msg, "bytesScanned"),
            bytes_processed: num(msg, "bytesProcessed"),
            bytes_returned: num(msg, "bytesReturned"),
        }
    }
}

impl Listing {
    pub(super) fn write(&self, m: Fields) -> Fields {
        let objects = self.objects.iter().map(|o| {
            Fields::plain()
                .text("key", &o.key)
                .num("size", o.size)
                .build()
        });
        m.texts("folders", &self.folders)
            .list("objects", objects)
            .maybe_text("next", self.next.as_deref())
    }
    pub(super) fn read(msg: &JsValue) -> Listing {
        Listing {
            folders: texts(msg, "folders"),
            objects: list(msg, "objects")
                .iter()
                .map(|o| ObjectSummary {
                    key: text(o, "key"),
                    size: num(o, "size"),
                })
                .collect(),
            next: maybe_text(msg, "next"),
        }
    }
}
