//! Input serialization: decompression and record framing for CSV and JSON.

pub mod csv;
pub mod decompress;
#[cfg(feature = "gzip")]
mod gzip;
pub mod json;
mod json_scan;
