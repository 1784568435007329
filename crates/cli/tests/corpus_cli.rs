//! Runs the fixture corpus through the `s3select` binary: the exact bytes on stdout, or the
//! error code as the first word on stderr with a non-zero exit.

#[path = "../../select/tests/common/fixture_format.rs"]
mod fixture_format;

use fixture_format::{load_all, Expect};
use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn corpus_through_the_binary() {
    let cases = load_all();
    assert!(cases.len() >= 400);
    let failures = run_through_binary(&cases);
    fixture_format::assert_no_failures(&failures, cases.len());
}

/// The Parquet corpus: files by path (read with random access), inline data on stdin (held
/// whole by the engine).
#[test]
fn parquet_corpus_through_the_binary() {
    let cases = fixture_format::load_dir(&fixture_format::parquet_corpus_dir());
    assert!(cases.len() >= 50);
    let failures = run_through_binary(&cases);
    fixture_format::assert_no_failures(&failures, cases.len());
}

fn run_through_binary(cases: &[fixture_format::Case]) -> Vec<String> {
    let bin = env!("CARGO_BIN_EXE_s3select");
    let mut failures = Vec::new();
    for c in cases {
        let mut cmd = Command::new(bin);
        cmd.env("S3SELECT_NOW", "2017-10-13T16:02:11.123Z");
        cmd.arg("--expression")
            .arg(&c.sql)
            .arg("--input-serialization")
            .arg(&c.input)
            .arg("--output-serialization")
            .arg(&c.output);
        if let Some(r) = &c.scan_range {
            cmd.arg("--scan-range").arg(r);
        }
        // Data files are passed by path (so ScanRange with only End knows the size); inline data on stdin.
        let output = match &c.data_path {
            Some(p) => cmd.arg(p).stdin(Stdio::null()).output().unwrap(),
            None => {
                let mut child = cmd
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                let data = c.data.clone();
                let mut stdin = child.stdin.take().unwrap();
                let writer = std::thread::spawn(move || {
                    let _ = stdin.write_all(&data);
                });
                let out = child.wait_with_output().unwrap();
                writer.join().unwrap();
                out
            }
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first_line = stderr.lines().next().unwrap_or("");
        let ok = match &c.expect {
            Expect::Bytes(want) => output.status.success() && &output.stdout == want,
            Expect::Error(code) => {
                !output.status.success() && first_line.starts_with(&format!("{code}: "))
            }
        };
        if !ok {
            failures.push(format!(
                "{}:{} {}\n   status {:?}, stdout {:?}, stderr {:?}",
                c.file,
                c.line,
                c.sql,
                output.status.code(),
                String::from_utf8_lossy(&output.stdout),
                first_line
            ));
        }
    }
    failures
}

#[test]
fn stats_and_usage_errors() {
    let bin = env!("CARGO_BIN_EXE_s3select");
    let data = fixture_format::corpus_dir().join("data/small.csv");
    let out = Command::new(bin)
        .args(["--expression", "SELECT _1 FROM S3Object", "--stats"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, b"name\nAtlas\nBlaze\nCinder\n");
    let stats = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stats.trim(),
        r#"{"BytesScanned":58,"BytesProcessed":58,"BytesReturned":24}"#
    );

    let out = Command::new(bin)
        .args(["--input-serialization", "{}"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("MissingRequiredParameter: "));

    let out = Command::new(bin)
        .args([
            "--expression",
            "SELECT 1 FROM S3Object",
            "--expression-type",
            "XPATH",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("InvalidExpressionType: "));

    let out = Command::new(bin)
        .args([
            "--expression",
            "SELECT * FROM S3Object",
            "/nonexistent/file.csv",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("InvalidRequestParameter: Cannot open /nonexistent/file.csv"));
}

#[test]
fn records_before_a_data_error_are_delivered() {
    // As S3's stream delivers records before its error event.
    let mut child = Command::new(env!("CARGO_BIN_EXE_s3select"))
        .args(["--expression", "SELECT CAST(_1 AS INT) FROM S3Object"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"1\n2\nx\n3\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out.stdout, b"1\n2\n");
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("CastFailed: "));
}

/// Parquet on stdin is held whole and gives what the same file read by path gives, with Stats.
#[test]
fn parquet_on_stdin_reads_as_the_file_does() {
    let bin = env!("CARGO_BIN_EXE_s3select");
    let file = fixture_format::parquet_corpus_dir().join("data/people-snappy.parquet");
    let args = [
        "--expression",
        "SELECT s.name FROM S3Object s WHERE s.age > 100",
        "--input-serialization",
        r#"{"Parquet":{}}"#,
        "--stats",
    ];
    let by_path = Command::new(bin).args(args).arg(&file).output().unwrap();
    let mut child = Command::new(bin)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let bytes = std::fs::read(&file).unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let by_stdin = child.wait_with_output().unwrap();
    assert!(by_path.status.success() && by_stdin.status.success());
    assert_eq!(by_path.stdout, b"Atlas\nDrake\nFrost\nHydra\n");
    assert_eq!(by_stdin.stdout, by_path.stdout);
    // Only the two projected columns are decoded (BytesProcessed is their uncompressed size).
    let stats = String::from_utf8_lossy(&by_path.stderr);
    let processed: u64 = stats
        .split("\"BytesProcessed\":")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(
        0 < processed && processed < bytes.len() as u64 / 2,
        "{stats}"
    );
}
