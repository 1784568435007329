//! Wyvern's S3 Select engine: the SQL dialect, input and output serialization and a streaming
//! evaluator, with no I/O of its own. Feed it bytes, get back the bytes S3 Select would return.
//!
//! ```
//! use wyvern_select::{Query, QueryOptions, InputSerialization, OutputSerialization, Timestamp};
//! let options = QueryOptions {
//!     input: InputSerialization::from_json(r#"{"CSV":{"FileHeaderInfo":"USE"}}"#).unwrap(),
//!     output: OutputSerialization::from_json(r#"{"JSON":{}}"#).unwrap(),
//!     scan_range: None,
//!     now: Timestamp::from_unix_millis(0),
//! };
//! let query = Query::compile("SELECT s.name FROM S3Object s WHERE CAST(s.age AS INT) > 100", options).unwrap();
//! let mut run = query.start();
//! let mut out = Vec::new();
//! run.feed(b"name,age\nAtlas,120\nBlaze,", &mut out).unwrap();
//! run.feed(b"80\n", &mut out).unwrap();
//! let stats = run.finish(&mut out).unwrap();
//! assert_eq!(out, b"{\"name\":\"Atlas\"}\n");
//! assert_eq!(stats.records_returned, 1);
//! ```

pub mod athena;
pub mod data_shape;
pub mod detect;
pub mod engine;
pub mod error;
pub mod eval;
pub mod input;
pub mod output;
pub mod plan;
pub mod serialization;
pub mod sql;
pub mod timestamp;
pub mod value;

pub use detect::{Detection, DETECT_PREFIX_BYTES};
pub use engine::{Query, QueryOptions, Run, Sink, Stats, FLUSH_BYTES, MAX_RECORD_BYTES};
pub use error::{ErrorCode, Position, SelectError};
pub use serialization::{InputSerialization, OutputSerialization, ScanRange};
pub use sql::MAX_EXPRESSION_DEPTH;
pub use timestamp::Timestamp;
pub use value::Value;

/// Runs a query over a whole input held in memory (convenience for tests and small files).
pub fn run_to_end(
    query: &Query,
    input: &[u8],
    chunk_size: usize,
) -> Result<(Vec<u8>, Stats), SelectError> {
    let mut run = query.start();
    let mut out = Vec::new();
    for chunk in input.chunks(chunk_size.max(1)) {
        run.feed(chunk, &mut out)?;
        if run.is_done() {
            break;
        }
    }
    let stats = run.finish(&mut out)?;
    Ok((out, stats))
}
