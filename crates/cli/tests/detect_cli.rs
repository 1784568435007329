//! `s3select --detect FILE`: the InputSerialization on stdout (pasteable into
//! `--input-serialization`), the reasons on stderr; a coded error and non-zero exit when it
//! cannot tell.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_s3select");

/// A file in the temp folder, removed when dropped.
struct Temp(PathBuf);

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

impl std::ops::Deref for Temp {
    type Target = PathBuf;
    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

fn temp_file(name: &str, data: &[u8]) -> Temp {
    let path = std::env::temp_dir().join(format!("s3select-detect-{}-{name}", std::process::id()));
    std::fs::write(&path, data).unwrap();
    Temp(path)
}

fn detect(path: &PathBuf) -> Output {
    Command::new(BIN)
        .arg("--detect")
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/select/data")
            .join(name),
    )
    .unwrap()
}

#[test]
fn detects_the_windows_csv_and_the_answer_runs() {
    let path = temp_file("windows", b"id,name,t\r\n1,Atlas,x\r\n2,Blaze,y\r\n");
    let out = detect(&path);
    assert!(out.status.success(), "{:?}", out);
    let settings = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        settings,
        "{\"CSV\":{\"FileHeaderInfo\":\"USE\",\"FieldDelimiter\":\",\",\"RecordDelimiter\":\"\\r\\n\",\"QuoteCharacter\":\"\\\"\",\"QuoteEscapeCharacter\":\"\\\"\",\"AllowQuotedRecordDelimiter\":false},\"CompressionType\":\"NONE\"}\n"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("Detected with high confidence from 33 bytes:\n"));
    assert!(stderr.contains("- lines end in \\r\\n: RecordDelimiter set to \\r\\n\n"));
    assert!(stderr.contains("FileHeaderInfo set to USE"));

    // Pasted into --input-serialization, it reads the file.
    let out = Command::new(BIN)
        .args(["--expression", "SELECT s.name, s.t FROM S3Object s"])
        .args(["--input-serialization", settings.trim_end()])
        .args(["--output-serialization", r#"{"JSON":{}}"#])
        .arg(&*path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", out);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "{\"name\":\"Atlas\",\"t\":\"x\"}\n{\"name\":\"Blaze\",\"t\":\"y\"}\n"
    );
}

#[test]
fn a_parquet_file_is_detected_and_the_answer_runs() {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "../select/tests/parquet/data/nested.parquet",
    ]
    .iter()
    .collect();
    let out = detect(&path);
    assert!(out.status.success(), "{:?}", out);
    let settings = String::from_utf8(out.stdout).unwrap();
    assert_eq!(settings, "{\"Parquet\":{},\"CompressionType\":\"NONE\"}\n");
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("starts with PAR1"));
    let out = Command::new(BIN)
        .args(["--expression", "SELECT COUNT(*) AS n FROM S3Object"])
        .args(["--input-serialization", settings.trim_end()])
        .args(["--output-serialization", r#"{"JSON":{}}"#])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", out);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "{\"n\":4}\n");
}

#[test]
fn compressed_files_without_extensions() {
    for (fixture_name, compression) in [
        ("small.csv.gz", "GZIP"),
        ("small.csv.bz2", "BZIP2"),
        ("small.jsonl.gz", "GZIP"),
    ] {
        let path = temp_file(&format!("upload-{compression}"), &fixture(fixture_name));
        let out = detect(&path);
        assert!(out.status.success(), "{fixture_name}: {:?}", out);
        let settings = String::from_utf8(out.stdout).unwrap();
        assert!(
            settings.ends_with(&format!(",\"CompressionType\":\"{compression}\"}}\n")),
            "{fixture_name}: {settings}"
        );
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains(&format!("CompressionType set to {compression}")),
            "{stderr}"
        );
        let out = Command::new(BIN)
            .args(["--expression", "SELECT COUNT(*) FROM S3Object"])
            .args(["--input-serialization", settings.trim_end()])
            .arg(&*path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{fixture_name}: {:?}", out);
        assert_eq!(out.stdout, b"3\n", "{fixture_name}");
    }
}

#[test]
fn stdin_and_undetectable_input() {
    let mut child = Command::new(BIN)
        .args(["--detect", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"a\":1}\n{\"a\":2}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        out.stdout,
        b"{\"JSON\":{\"Type\":\"LINES\"},\"CompressionType\":\"NONE\"}\n"
    );

    for (name, data, code) in [
        ("empty", &b""[..], "UnrecognizedFormatException"),
        (
            "junk",
            b"\x00\x01\x02\x03\xff\xfe\x00binary",
            "InvalidTextEncoding",
        ),
        (
            "archive",
            b"PK\x03\x04\x14\0\0\0\x08\0data.csv",
            "InvalidCompressionFormat",
        ),
    ] {
        let out = detect(&temp_file(name, data));
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(out.stdout.is_empty(), "{name}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with(&format!("{code}: ")), "{name}: {stderr}");
    }

    let out = Command::new(BIN)
        .args([
            "--detect",
            "--expression",
            "SELECT 1 FROM S3Object",
            "x.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("MissingRequiredParameter: --detect takes only FILE."));
}
