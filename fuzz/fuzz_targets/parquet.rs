//! The Parquet reader: arbitrary and mutated files (the seeds are the engine's reference files
//! from pyarrow, so mutations reach the footer, page headers and column data), read the way the
//! browser reads them — the wanted byte ranges supplied without the native builds' panic
//! backstop (`supply_uncontained`), because the browser build aborts on a panic. Checks: no
//! panic, no hang, bounded memory; every failure is a coded SelectError.
//!
//! Input layout: one byte picking the query (and its output), then the file.
#![no_main]

wyvern_fuzz::malloc_hooks!();

use libfuzzer_sys::fuzz_target;
use wyvern_select::{
    InputSerialization, OutputSerialization, Query, QueryOptions, SelectError, Timestamp,
};

/// Whole rows, a projection with a filter, a count that reads no column, nested paths, and an
/// aggregate: each takes another path through projection and decoding.
const QUERIES: &[(&str, &str)] = &[
    ("SELECT * FROM S3Object s", r#"{"JSON":{}}"#),
    (
        "SELECT s.name, s.age FROM S3Object s WHERE s.age > 30",
        r#"{"CSV":{}}"#,
    ),
    ("SELECT COUNT(*) FROM S3Object", r#"{"JSON":{}}"#),
    (
        "SELECT s.s, s.l[*], s.pts[0], s.tags[1] FROM S3Object s",
        r#"{"JSON":{}}"#,
    ),
    (
        "SELECT MAX(s.id), SUM(s.f64), MIN(s.ts_ns), COUNT(s.dec38) FROM S3Object s",
        r#"{"CSV":{}}"#,
    ),
];

fn run(sql: &str, output: &str, file: &[u8]) -> Result<Vec<u8>, SelectError> {
    let options = QueryOptions {
        input: InputSerialization::from_json(r#"{"Parquet":{}}"#)?,
        output: OutputSerialization::from_json(output)?,
        scan_range: None,
        now: Timestamp::from_unix_millis(0),
    };
    let query = Query::compile(sql, options)?;
    let mut run = query.start_parquet(file.len() as u64)?;
    let mut out = Vec::new();
    while !run.wanted().is_empty() {
        let chunks = run
            .wanted()
            .iter()
            .map(|r| {
                let start = usize::try_from(r.start).expect("a wanted range fits in memory");
                let end = usize::try_from(r.end()).expect("a wanted range fits in memory");
                // The engine asks only for ranges inside the object it was told of.
                assert!(
                    end <= file.len(),
                    "range {start}..{end} past {}",
                    file.len()
                );
                file[start..end].to_vec()
            })
            .collect();
        run.supply_uncontained(chunks, &mut out)?;
    }
    run.finish(&mut out)?;
    Ok(out)
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let (sql, output) = QUERIES[usize::from(pick) % QUERIES.len()];
    if let Err(e) = run(sql, output, file) {
        assert!(!e.code.as_str().is_empty());
    }
});
