//! Input serialization: decompression and record framing for CSV and JSON, and (feature
//! `parquet`) random-access reading of Parquet.

pub(crate) mod bytes16;
pub mod csv;
pub mod decompress;
#[cfg(feature = "gzip")]
mod gzip;
pub mod json;
mod json_blocks;
mod json_classes;
pub(crate) mod json_compact;
pub(crate) mod json_flat;
mod json_quotes;
mod json_scan;
#[cfg(feature = "parquet")]
pub mod parquet;
mod words;
