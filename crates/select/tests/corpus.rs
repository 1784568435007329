//! Runs the fixture corpus through the library at several chunk sizes.

#[path = "common/fixture_format.rs"]
mod fixture_format;

use fixture_format::{load_all, Case, Expect};
use wyvern_select::{
    run_to_end, InputSerialization, OutputSerialization, Query, QueryOptions, ScanRange,
    SelectError, Timestamp,
};

/// The case's settings, with the corpus's fixed `UTCNOW()`.
fn options(c: &Case) -> Result<QueryOptions, SelectError> {
    Ok(QueryOptions {
        input: InputSerialization::from_json(&c.input)?,
        output: OutputSerialization::from_json(&c.output)?,
        scan_range: match &c.scan_range {
            Some(s) => Some(ScanRange::from_json(s, Some(c.data.len() as u64))?),
            None => None,
        },
        now: Timestamp::parse("2017-10-13T16:02:11.123Z").unwrap(),
    })
}

fn run_case(c: &Case, chunk: usize) -> Result<Vec<u8>, SelectError> {
    let q = Query::compile(&c.sql, options(c)?)?;
    run_to_end(&q, &c.data, chunk).map(|(out, _)| out)
}

fn show(r: &Result<Vec<u8>, SelectError>) -> String {
    match r {
        Ok(b) => format!("{:?}", String::from_utf8_lossy(b)),
        Err(e) => format!("!{} ({})", e.code, e.message),
    }
}

#[test]
fn corpus_matches_expectations_at_every_chunk_size() {
    let cases = load_all();
    assert!(
        cases.len() >= 400,
        "the corpus has {} cases; it should have at least 400",
        cases.len()
    );
    let failures = check(&cases);
    fixture_format::assert_no_failures(&failures, cases.len());
}

/// The Parquet corpus, fed in chunks (held whole until `finish`) and read with random access.
#[cfg(feature = "parquet")]
#[test]
fn parquet_corpus_matches_expectations_fed_and_by_random_access() {
    let cases = fixture_format::load_dir(&fixture_format::parquet_corpus_dir());
    assert!(cases.len() >= 50, "{} Parquet cases", cases.len());
    let mut failures = check(&cases);
    for c in &cases {
        let fed = run_case(c, usize::MAX);
        let random = run_case_random_access(c);
        let same = match (&fed, &random) {
            (Ok(a), Ok(b)) => a == b,
            (Err(a), Err(b)) => a.code == b.code,
            _ => false,
        };
        if !same {
            failures.push(format!(
                "{}:{} {} differs read with random access: {} (fed: {})",
                c.file,
                c.line,
                c.sql,
                show(&random),
                show(&fed)
            ));
        }
    }
    fixture_format::assert_no_failures(&failures, cases.len());
}

#[cfg(feature = "parquet")]
fn run_case_random_access(c: &Case) -> Result<Vec<u8>, SelectError> {
    let q = Query::compile(&c.sql, options(c)?)?;
    if q.options().input.format != wyvern_select::serialization::InputFormat::Parquet {
        return run_to_end(&q, &c.data, usize::MAX).map(|(out, _)| out);
    }
    let mut out = Vec::new();
    wyvern_select::input::parquet::run_parquet(&q, c.data.as_slice(), &mut out)?;
    Ok(out)
}

/// Each case whole, then at small chunk sizes; the descriptions of the failures.
fn check(cases: &[Case]) -> Vec<String> {
    let mut failures = Vec::new();
    for c in cases {
        let whole = run_case(c, usize::MAX);
        let ok = match (&c.expect, &whole) {
            (Expect::Bytes(want), Ok(got)) => want == got,
            (Expect::Error(code), Err(e)) => e.code.as_str() == code,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{}:{} [{}] {}\n   want {:?}\n   got  {}",
                c.file,
                c.line,
                c.group,
                c.sql,
                c.expect_text(),
                show(&whole)
            ));
            continue;
        }
        for chunk in [1, 2, 3, 7, 64, 4096] {
            let r = run_case(c, chunk);
            let same = match (&whole, &r) {
                (Ok(a), Ok(b)) => a == b,
                (Err(a), Err(b)) => a.code == b.code,
                _ => false,
            };
            if !same {
                failures.push(format!(
                    "{}:{} {} differs at chunk size {chunk}: {}",
                    c.file,
                    c.line,
                    c.sql,
                    show(&r)
                ));
                break;
            }
        }
    }
    failures
}

trait ExpectText {
    fn expect_text(&self) -> String;
}

impl ExpectText for Case {
    fn expect_text(&self) -> String {
        match &self.expect {
            Expect::Bytes(b) => String::from_utf8_lossy(b).to_string(),
            Expect::Error(c) => format!("!{c}"),
        }
    }
}
