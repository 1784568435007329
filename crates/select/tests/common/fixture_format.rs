//! Reader for the fixture corpus format (see tests/fixtures/select/README.md). Shared by the
//! engine's and the CLI's corpus tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub struct Case {
    pub file: String,
    pub line: usize,
    pub group: String,
    pub sql: String,
    pub input: String,
    pub output: String,
    pub scan_range: Option<String>,
    pub data: Vec<u8>,
    pub data_path: Option<PathBuf>,
    pub expect: Expect,
}

#[derive(Debug, PartialEq)]
pub enum Expect {
    Bytes(Vec<u8>),
    Error(String),
}

pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/select")
}

pub fn unescape(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            match b[i + 1] {
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'\\' => out.push(b'\\'),
                b'x' if i + 3 < b.len() => {
                    let hex = std::str::from_utf8(&b[i + 2..i + 4]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).expect("bad \\x escape"));
                    i += 4;
                    continue;
                }
                other => panic!("unknown escape \\{}", other as char),
            }
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// The Parquet corpus (cases over the files `make.py` writes), run only with the `parquet`
/// feature.
pub fn parquet_corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../select/tests/parquet")
}

/// Fails the test listing every failure, if there are any.
pub fn assert_no_failures(failures: &[String], cases: usize) {
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases,
        failures.join("\n")
    );
}

pub fn load_all() -> Vec<Case> {
    load_dir(&corpus_dir())
}

/// Every `*.cases` file in `dir`; `data-file:` names files in `dir/data`.
pub fn load_dir(dir: &Path) -> Vec<Case> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cases"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for f in files {
        load_file(dir, &f, &mut cases);
    }
    cases
}

fn load_file(dir: &Path, path: &Path, cases: &mut Vec<Case>) {
    let text = std::fs::read_to_string(path).unwrap();
    let file = path.file_name().unwrap().to_string_lossy().to_string();
    let (mut group, mut input, mut output) = (
        String::new(),
        String::from(r#"{"CSV":{}}"#),
        String::from(r#"{"CSV":{}}"#),
    );
    let mut scan_range = None;
    let mut data = Vec::new();
    let mut data_path = None;
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(t) = line.strip_prefix("=== ") {
            group = t.to_string();
            input = String::from(r#"{"CSV":{}}"#);
            output = String::from(r#"{"CSV":{}}"#);
            scan_range = None;
            data.clear();
            data_path = None;
        } else if let Some(v) = line.strip_prefix("input: ") {
            input = v.to_string();
        } else if let Some(v) = line.strip_prefix("output: ") {
            output = v.to_string();
        } else if let Some(v) = line.strip_prefix("scan-range: ") {
            scan_range = Some(v.to_string());
        } else if line == "data:" {
            data.clear();
            data_path = None;
        } else if let Some(v) = line.strip_prefix("data: ") {
            data = unescape(v);
            data_path = None;
        } else if let Some(v) = line.strip_prefix("data-file: ") {
            let p = dir.join("data").join(v.trim());
            data = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            data_path = Some(p);
        } else if let Some((sql, rest)) = line.split_once(" ==>") {
            // One space separates the arrow from the expectation; any other spaces are expected.
            let expect = rest.strip_prefix(' ').unwrap_or(rest);
            let expect = match expect {
                "(none)" => Expect::Bytes(vec![]),
                e if e.starts_with('!') => Expect::Error(e[1..].to_string()),
                e if e.starts_with("raw:") => Expect::Bytes(unescape(&e[4..])),
                e => {
                    let mut b = unescape(e);
                    b.push(b'\n');
                    Expect::Bytes(b)
                }
            };
            cases.push(Case {
                file: file.clone(),
                line: line_no,
                group: group.clone(),
                sql: sql.trim().to_string(),
                input: input.clone(),
                output: output.clone(),
                scan_range: scan_range.clone(),
                data: data.clone(),
                data_path: data_path.clone(),
                expect,
            });
        } else {
            panic!("{file}:{line_no}: cannot read this line: {line}");
        }
    }
}
