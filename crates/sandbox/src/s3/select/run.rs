//! One query over one object held in memory, its result kept in chunks (one Records event
//! each) and bounded: past [`MAX_RESULT_BYTES`] the run stops with an error.

use wyvern_select::{ErrorCode, Query, SelectError, Sink, Stats, FLUSH_BYTES};

/// The most result bytes one select returns here (S3 streams without a limit; the practice
/// account holds the answer in memory).
pub const MAX_RESULT_BYTES: usize = 32 << 20;
/// The code of the error that stops a result at [`MAX_RESULT_BYTES`] (not an S3 code: S3 has
/// no such limit).
pub const RESULT_TOO_LARGE: &str = "ResultTooLarge";

/// How a run ended.
#[derive(Debug)]
pub struct Outcome {
    /// Result bytes in the order produced, in chunks of about `FLUSH_BYTES`.
    pub chunks: Vec<Vec<u8>>,
    pub stats: Stats,
    /// The error that stopped the run: its code and message.
    pub failure: Option<(&'static str, String)>,
}

struct Chunks {
    buf: Vec<u8>,
    chunks: Vec<Vec<u8>>,
    total: usize,
    over: bool,
}

impl Sink for Chunks {
    fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    fn flush(&mut self) -> Result<(), SelectError> {
        if self.buf.is_empty() {
            return Ok(());
        }
        self.total = self.total.saturating_add(self.buf.len());
        if self.total > MAX_RESULT_BYTES {
            self.over = true;
            self.buf.clear();
            // The engine stops on any error; which one does not matter, `over` says why.
            return Err(SelectError::new(ErrorCode::InvalidRequestParameter, ""));
        }
        self.chunks.push(std::mem::take(&mut self.buf));
        Ok(())
    }
}

/// The pieces the object is fed in. The engine counts what it is fed as scanned and stops once
/// a scan range is passed, so with one the range goes in whole and the rest in small steps,
/// until the record that straddles its end is complete: `BytesScanned` then says about what S3
/// scans for it.
fn steps<'a>(query: &Query, object: &'a [u8]) -> Vec<&'a [u8]> {
    const PAST_RANGE_STEP: usize = 1024;
    let end = query
        .options()
        .scan_range
        .map(|r| usize::try_from(r.end.saturating_add(1)).unwrap_or(usize::MAX));
    match end {
        Some(end) if end < object.len() => {
            let (range, rest) = object.split_at(end);
            let mut steps: Vec<&[u8]> = range.chunks(FLUSH_BYTES).collect();
            steps.extend(rest.chunks(PAST_RANGE_STEP));
            steps
        }
        _ => object.chunks(FLUSH_BYTES).collect(),
    }
}

/// Runs `query` over `object`.
pub fn run(query: &Query, object: &[u8]) -> Outcome {
    let mut sink = Chunks {
        buf: Vec::new(),
        chunks: Vec::new(),
        total: 0,
        over: false,
    };
    let mut run = query.start();
    let mut failed = None;
    for chunk in steps(query, object) {
        let fed = run.feed(chunk, &mut sink).and_then(|()| sink.flush());
        if let Err(e) = fed {
            failed = Some(e);
            break;
        }
        if run.is_done() {
            break;
        }
    }
    let stats = match failed {
        None => {
            let mut tail = Vec::new();
            let finished = run.finish(&mut tail);
            sink.buf.extend_from_slice(&tail);
            match finished.and_then(|stats| sink.flush().map(|()| stats)) {
                Ok(stats) => stats,
                Err(e) => {
                    failed = Some(e);
                    Stats::default()
                }
            }
        }
        Some(_) => {
            // Records made before the error still go out, as S3 streams them before its error.
            let _ = sink.flush();
            Stats::default()
        }
    };
    let failure = if sink.over {
        Some((
            RESULT_TOO_LARGE,
            format!(
                "The result passed {} MiB, the most the practice account returns from one select; narrow the query (WHERE, LIMIT, fewer columns).",
                MAX_RESULT_BYTES >> 20
            ),
        ))
    } else {
        failed.map(|e| (e.code.as_str(), e.message))
    };
    Outcome {
        chunks: sink.chunks,
        stats,
        failure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wyvern_select::{InputSerialization, OutputSerialization, QueryOptions, Timestamp};

    fn query(sql: &str, input: &str, output: &str) -> Query {
        let options = QueryOptions {
            input: InputSerialization::from_json(input).unwrap(),
            output: OutputSerialization::from_json(output).unwrap(),
            scan_range: None,
            now: Timestamp::from_unix_millis(0),
        };
        Query::compile(sql, options).unwrap()
    }

    #[test]
    fn results_and_stats() {
        let q = query(
            "SELECT s.name FROM S3Object s WHERE CAST(s.age AS INT) > 100",
            r#"{"CSV":{"FileHeaderInfo":"USE"}}"#,
            r#"{"JSON":{}}"#,
        );
        let out = run(&q, b"name,age\nAtlas,120\nBlaze,80\n");
        assert!(out.failure.is_none());
        assert_eq!(out.chunks.concat(), b"{\"name\":\"Atlas\"}\n");
        assert_eq!(out.stats.bytes_scanned, 28);
        assert_eq!(out.stats.bytes_returned, 17);
    }

    #[test]
    fn errors_after_records_keep_the_records() {
        let q = query(
            "SELECT CAST(s._1 AS INT) FROM S3Object s",
            r#"{"CSV":{}}"#,
            r#"{"CSV":{}}"#,
        );
        let out = run(&q, b"1\n2\nthree\n");
        assert_eq!(out.chunks.concat(), b"1\n2\n");
        assert_eq!(out.failure.map(|f| f.0), Some("CastFailed"));
    }

    #[test]
    fn a_scan_range_scans_about_its_bytes() {
        let mut options = query(
            "SELECT s._1 FROM S3Object s",
            r#"{"CSV":{}}"#,
            r#"{"CSV":{}}"#,
        )
        .options()
        .clone();
        options.scan_range = Some(wyvern_select::ScanRange { start: 0, end: 9 });
        let q = Query::compile("SELECT s._1 FROM S3Object s", options).unwrap();
        let object = "abcd\n".repeat(10_000);
        let out = run(&q, object.as_bytes());
        assert_eq!(out.chunks.concat(), b"abcd\nabcd\n");
        assert!(out.stats.bytes_scanned <= 10 + 1024 * 2, "{:?}", out.stats);
    }

    #[test]
    fn results_are_bounded() {
        let q = query(
            "SELECT s._1, s._1, s._1, s._1, s._1, s._1, s._1, s._1 FROM S3Object s",
            r#"{"CSV":{}}"#,
            r#"{"CSV":{}}"#,
        );
        let line = format!("{}\n", "x".repeat(1000));
        let object = line.repeat(MAX_RESULT_BYTES / 8000 + 10);
        let out = run(&q, object.as_bytes());
        assert_eq!(out.failure.map(|f| f.0), Some(RESULT_TOO_LARGE));
        assert!(out.chunks.iter().map(Vec::len).sum::<usize>() <= MAX_RESULT_BYTES);
    }
}
