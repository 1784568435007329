//! Parquet input (feature `parquet`), read with random access as S3 Select reads it.
//!
//! # How it reads
//! Parquet keeps its schema and the place of every column chunk in a footer at the end, so it
//! cannot be read front to back like CSV. A [`ParquetRun`] asks for byte ranges
//! ([`ParquetRun::wanted`]) and is handed them ([`ParquetRun::supply`]): first both ends of
//! the object, then the metadata if the tail did not hold it, then, one row group at a time,
//! only the chunks of the columns the query names ([`projection`]). Memory is bounded by one
//! row group's projected columns; an object of up to 64 KiB is fetched once, whole.
//! [`run_parquet`] drives that loop over anything
//! [`RandomAccess`] (a slice, a file); a browser drives it with `Blob.slice(..).arrayBuffer()`
//! awaited between calls, no callback into JavaScript needed. `Run::feed` also takes Parquet,
//! holding the whole object (up to `MAX_FED_PARQUET_BYTES`) until `finish`.
//!
//! Untrusted input: the footer length, every column chunk range and the row group sizes are
//! checked against the object's size before anything is fetched; a bad file is a coded error
//! (`ParquetParsingError`, `UnsupportedParquetType`, `ParquetUnsupportedCompressionCodec`,
//! `OverMaxParquetBlockSize`), never a panic (the `parquet_hardening` test mutates files to
//! check). Page headers are read and checked here, pages decompressed into their checked size
//! and their bodies checked against what the decoders will read ([`pages`] lists the crate's
//! panics each check guards); decoding values is the `parquet` crate's (arrow-rs, without
//! arrow).
//!
//! # What AWS documents (S3 user guide, "Data types" and "Selecting content from objects";
//! S3 API "Error responses")
//! - Parquet types S3 Select supports: DATE, DECIMAL, ENUM, INT(8), INT(16), INT(32), INT(64),
//!   LIST, STRING, TIMESTAMP with MILLIS/MICROS/NANOS. "Timestamps saved as an INT(96) are
//!   unsupported"; NANOS timestamps only span 1677-09-21 to 2262-04-11 (the range of i64).
//! - LIST output is JSON only, but a query that reduces lists to simple values can output CSV.
//! - Columnar compression GZIP or Snappy only; "S3 Select does not support whole-object
//!   compression for Parquet objects"; the maximum uncompressed row group is 512 MB.
//! - ScanRange is not for Parquet (`UnsupportedScanRangeInput`). Error codes: ParquetParsingError,
//!   ParquetUnsupportedCompressionCodec, UnsupportedParquetType, OverMaxParquetBlockSize.
//! - The docs do not show how values print. The choices below follow the engine's own types,
//!   so a value prints as the same data does from JSON (or from CSV after a CAST).
//!
//! # Decisions (where AWS says nothing this reader could check)
//! - Integers of any width (signed or unsigned) are INT; a UINT64 above i64's range is FLOAT.
//! - FLOAT and DOUBLE are FLOAT; a FLOAT is widened through its shortest text (0.1 stays 0.1).
//! - DECIMAL (INT32, INT64, fixed or variable bytes, up to 16 bytes) is FLOAT, like
//!   `CAST(x AS DECIMAL)` in this engine: 123.45 prints `123.45`, 100.00 prints `100.0`, and
//!   more than ~15 significant digits are rounded.
//! - STRING, ENUM, JSON and byte arrays with no annotation are strings (must be UTF-8:
//!   `InvalidTextEncoding`); UUID prints in its 8-4-4-4-12 form.
//! - DATE is a day-precision timestamp (`2024-03-01T`, as `CAST('2024-03-01' AS TIMESTAMP)`).
//! - TIMESTAMP is a UTC timestamp with the unit's fractional digits (MILLIS
//!   `2024-03-01T12:00:00.000Z`, MICROS 6 digits, NANOS 9), adjusted to UTC or not (a local
//!   timestamp is read as if it were UTC).
//! - Groups are structs (`s.a.b`), LIST groups and repeated fields are lists (`s.l[0]`), with
//!   the format's rules for two- and three-level lists. Field names keep the schema's case and
//!   match as JSON fields do (unquoted: any case).
//! - Refused with UnsupportedParquetType when the query reads them: INT96, TIME, MAP,
//!   FLOAT16, INTERVAL, BSON and the newer logical types; encrypted files.
//! - Codecs other than GZIP and Snappy (ZSTD, LZ4, BROTLI, LZO) are
//!   ParquetUnsupportedCompressionCodec, as on S3, even though pure-Rust decoders exist:
//!   Polars writes ZSTD by default, and S3 refuses those files too.
//! - Stats: BytesScanned counts the bytes fetched; BytesProcessed the projected columns'
//!   uncompressed size from the footer.

mod assemble;
mod columns;
mod delta;
mod footer;
mod footer_check;
mod levels;
mod page_body;
mod page_header;
mod pages;
mod projection;
mod run;
mod shape;
mod source;
mod values;

pub use run::{run_parquet, ParquetRun, MAX_ROW_GROUP_BYTES};
pub use source::{coalesce, ByteRange, Coalesced, RandomAccess};
