//! SQL text through parse and bind (`Query::compile`) for each kind of input, and
//! every query that compiles evaluated over a few small records of each kind, so the
//! expression evaluator (functions, casts, dates, LIKE, aggregates) sees fuzzed expressions.
//! Each input is taken twice: as SQL text (the fixture corpus's queries are the seeds), and as
//! the bytes `wyvern_fuzz::gen::query` turns into a well-formed query with extreme literals.
#![no_main]

wyvern_fuzz::malloc_hooks!();

use libfuzzer_sys::fuzz_target;
use wyvern_select::{
    InputSerialization, OutputSerialization, Query, QueryOptions, ScanRange, Timestamp,
};

/// (input serialization, output serialization, scan range, data)
const KINDS: &[(&str, &str, Option<ScanRange>, &[u8])] = &[
    (
        r#"{"CSV":{}}"#,
        r#"{"CSV":{}}"#,
        None,
        b"1,abc,2020-01-01T00:00:00Z,,-3.5\n20,'x y',2021-02-03T04:05:06.789+05:30,null,1e3\n,\"q\"\"t\",bad,7,\n",
    ),
    (
        r#"{"CSV":{"FileHeaderInfo":"USE"}}"#,
        r#"{"JSON":{}}"#,
        None,
        b"a,b,name,ts,n\n1,2,Atlas,2020-01-01T00:00:00Z,3.25\n-7,x,,2019T,NaN\n",
    ),
    (
        r#"{"JSON":{"Type":"LINES"}}"#,
        r#"{"JSON":{}}"#,
        Some(ScanRange { start: 0, end: u64::MAX }),
        b"{\"a\":1,\"b\":\"two\",\"c\":[1,{\"d\":null}],\"ts\":\"2020-01-01T00:00Z\",\"n\":-2.5e10}\n{\"a\":9223372036854775807,\"b\":true,\"c\":{\"e\":[]},\"name\":\"Blaze\"}\n{}\n",
    ),
    (
        r#"{"JSON":{"Type":"DOCUMENT"}}"#,
        r#"{"CSV":{"QuoteFields":"ALWAYS"}}"#,
        None,
        b"[{\"a\":-9223372036854775808,\"b\":\"x\",\"c\":[[1,2],[3]]},{\"a\":1.5,\"b\":null,\"d\":{\"e\":\"2021-12-31T23:59:59.999999999Z\"}}]",
    ),
];

fn check(sql: &str) {
    if std::env::var_os("WYVERN_FUZZ_SHOW").is_some() {
        // To read a generated query: WYVERN_FUZZ_SHOW=1 fuzz/target/<host>/release/sql FILE
        eprintln!("SQL: {sql}");
    }
    for (input, output, scan_range, records) in KINDS {
        let options = QueryOptions {
            input: InputSerialization::from_json(input).unwrap(),
            output: OutputSerialization::from_json(output).unwrap(),
            scan_range: *scan_range,
            now: Timestamp::from_unix_millis(1_763_900_000_123),
        };
        if let Ok(query) = Query::compile(sql, options) {
            let _ = wyvern_select::run_to_end(&query, records, 16);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    check(&String::from_utf8_lossy(data));
    if let Ok(sql) = wyvern_fuzz::gen::query(&mut arbitrary::Unstructured::new(data)) {
        check(&sql);
    }
});
