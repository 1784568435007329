//! Input serialization: decompression and record framing for CSV and JSON.

pub mod csv;
pub mod decompress;
pub mod json;
mod json_scan;
