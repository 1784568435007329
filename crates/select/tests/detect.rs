//! Input settings detected from a file's content: a table of files with the settings each should
//! get, a check that the engine reads every file with its proposal, the bounded prefix, and the
//! error messages that point to a wrong setting.

use wyvern_select::detect::{
    detect, detect_compressed, detect_decompressed, detect_decompressing, Confidence, Detection,
    Outcome, Unreadable,
};
use wyvern_select::serialization::Compression;
use wyvern_select::{
    run_to_end, ErrorCode, InputSerialization, OutputSerialization, Query, QueryOptions,
    SelectError, Timestamp, DETECT_PREFIX_BYTES,
};

fn detect_all(data: &[u8]) -> Detection {
    detect_decompressing(data, Some(data.len() as u64))
}

fn run(sql: &str, input: &InputSerialization, data: &[u8]) -> Result<String, SelectError> {
    let options = QueryOptions {
        input: input.clone(),
        output: OutputSerialization::from_json(r#"{"JSON":{}}"#).unwrap(),
        scan_range: None,
        now: Timestamp::from_unix_millis(0),
    };
    let query = Query::compile(sql, options)?;
    let (out, _) = run_to_end(&query, data, 7)?;
    Ok(String::from_utf8(out).unwrap())
}

fn explain(d: &Detection) -> String {
    let mut s = format!("{:?}\n", d.outcome);
    for r in &d.reasons {
        s.push_str(&format!("  {:?}: {}\n", r.setting, r.text));
    }
    s
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[cfg(feature = "bzip2")]
fn bzip2(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

struct Case {
    name: &'static str,
    data: Vec<u8>,
    /// The expected settings in the AWS shape (members left out take their defaults).
    expect: &'static str,
    /// The lowest acceptable confidence.
    at_least: Confidence,
    /// Words one of the reasons must contain.
    reason: &'static str,
}

fn case(
    name: &'static str,
    data: &[u8],
    expect: &'static str,
    at_least: Confidence,
    reason: &'static str,
) -> Case {
    Case {
        name,
        data: data.to_vec(),
        expect,
        at_least,
        reason,
    }
}

fn cases() -> Vec<Case> {
    use Confidence::*;
    let dragons_csv = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../static/data/dragons.csv"
    ))
    .unwrap();
    let dragons_json = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../static/data/dragons.json"
    ))
    .unwrap();
    let dragons_jsonl = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../static/data/dragons.jsonl"
    ))
    .unwrap();
    #[cfg_attr(not(any(feature = "gzip", feature = "bzip2")), allow(unused_mut))]
    let mut v = vec![
        case(
            "CRLF (the issue's Windows file)",
            b"id,name,t\r\n1,Atlas,x\r\n2,Blaze,y\r\n",
            r#"{"CSV":{"FileHeaderInfo":"USE","RecordDelimiter":"\r\n"}}"#,
            High,
            "lines end in \\r\\n: RecordDelimiter set to \\r\\n",
        ),
        case(
            "LF only",
            b"id,name,t\n1,Atlas,x\n2,Blaze,y\n",
            r#"{"CSV":{"FileHeaderInfo":"USE"}}"#,
            High,
            "',' splits every line into 3 fields",
        ),
        case(
            "no final line break",
            b"id,name\n1,Atlas\n2,Blaze",
            r#"{"CSV":{"FileHeaderInfo":"USE"}}"#,
            Medium,
            "FileHeaderInfo set to USE",
        ),
        case(
            "CR only",
            b"a,b\r1,2\r3,4\r",
            r#"{"CSV":{"FileHeaderInfo":"USE","RecordDelimiter":"\r"}}"#,
            High,
            "RecordDelimiter set to \\r",
        ),
        case(
            "semicolon with decimal commas",
            b"name;age;weight;city\nAtlas;120;1,5;Oslo\nBlaze;80;2,25;Bergen\nCinder;7;3,0;Rome\n",
            r#"{"CSV":{"FileHeaderInfo":"USE","FieldDelimiter":";"}}"#,
            High,
            "';' splits every line into 4 fields: FieldDelimiter set to ';'",
        ),
        case(
            "tab",
            b"name\tage\tcity\nAtlas\t120\tOslo, Norway\nBlaze\t80\tBergen\n",
            r#"{"CSV":{"FileHeaderInfo":"USE","FieldDelimiter":"\t"}}"#,
            High,
            "tab ('\\t') splits every line into 3 fields",
        ),
        case(
            "pipe, no header",
            b"1|Atlas|red\n2|Blaze|green\n3|Cinder|white\n",
            r#"{"CSV":{"FileHeaderInfo":"NONE","FieldDelimiter":"|"}}"#,
            Medium,
            "line 1 (1, Atlas, red) looks like data",
        ),
        case(
            "quoted delimiters, doubled quotes and a line break inside quotes",
            b"name,description,age\n\"Atlas\",\"sleeps, under \"\"bridges\"\"\",120\n\"Blaze\",\"line one\nline two\",80\nCinder,plain,7\n",
            r#"{"CSV":{"FileHeaderInfo":"USE","AllowQuotedRecordDelimiter":true}}"#,
            High,
            "a quoted field on line 3 holds a line break: AllowQuotedRecordDelimiter set to TRUE",
        ),
        case(
            "quoted fields with CRLF and a quoted CRLF",
            b"id,note\r\n1,\"a\r\nb\"\r\n2,\"c,d\"\r\n3,e\r\n",
            r#"{"CSV":{"FileHeaderInfo":"USE","RecordDelimiter":"\r\n","AllowQuotedRecordDelimiter":true}}"#,
            High,
            "AllowQuotedRecordDelimiter set to TRUE",
        ),
        case(
            "backslash-escaped quotes",
            b"id,text\n1,\"say \\\"hi\\\", now\"\n2,\"plain\"\n3,x\n",
            r#"{"CSV":{"FileHeaderInfo":"USE","QuoteEscapeCharacter":"\\"}}"#,
            High,
            "QuoteEscapeCharacter set to '\\'",
        ),
        case(
            "single quotes",
            b"id,text\n1,'a, b'\n2,'c, d'\n3,'e'\n",
            r#"{"CSV":{"FileHeaderInfo":"USE","QuoteCharacter":"'","QuoteEscapeCharacter":"'"}}"#,
            High,
            "QuoteCharacter set to \"'\"",
        ),
        case(
            "inch marks that never quote a field",
            b"id,size\n1,5\" wide\n2,3\"\n3,1\n",
            r#"{"CSV":{"FileHeaderInfo":"USE","QuoteCharacter":"'","QuoteEscapeCharacter":"'"}}"#,
            High,
            "which S3 Select refuses",
        ),
        case(
            "UTF-8 BOM",
            b"\xEF\xBB\xBFid,name\n1,Atlas\n2,Blaze\n",
            r#"{"CSV":{"FileHeaderInfo":"USE"}}"#,
            High,
            "byte order mark",
        ),
        case(
            "no header: numbers in line 1",
            b"1,2.5,2020-01-01\n2,3.5,2021-02-03\n3,4.5,2022-03-04\n",
            r#"{"CSV":{"FileHeaderInfo":"NONE"}}"#,
            High,
            "looks like data",
        ),
        case(
            "numeric-looking header (years above decimals)",
            b"region,2022,2023\nnorth,1.5,2.25\nsouth,3.0,4.75\n",
            r#"{"CSV":{"FileHeaderInfo":"USE"}}"#,
            Medium,
            "the whole number '2022' above decimals",
        ),
        case(
            "comment lines",
            b"# exported 2024-05-01\n# by the census\nid,v\n1,2\n3,4\n",
            r##"{"CSV":{"FileHeaderInfo":"USE","Comments":"#"}}"##,
            High,
            "Comments set to '#'",
        ),
        case(
            "one column",
            b"name\nAtlas\nBlaze\n",
            r#"{"CSV":{"FileHeaderInfo":"USE"}}"#,
            Low,
            "one field per line",
        ),
        case(
            "the dragons CSV",
            &dragons_csv,
            r#"{"CSV":{"FileHeaderInfo":"USE"}}"#,
            High,
            "'wingspan_ft' above numbers",
        ),
        case(
            "JSON array",
            br#"[{"a":1},{"a":2}]"#,
            r#"{"JSON":{"Type":"DOCUMENT"}}"#,
            High,
            "S3Object[*][*]",
        ),
        case(
            "pretty-printed JSON array (the dragons)",
            &dragons_json,
            r#"{"JSON":{"Type":"DOCUMENT"}}"#,
            High,
            "JSON array that spans",
        ),
        case(
            "pretty-printed JSON objects",
            b"{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n",
            r#"{"JSON":{"Type":"DOCUMENT"}}"#,
            High,
            "2 of the 2 JSON values span several lines",
        ),
        case(
            "JSON Lines",
            &dragons_jsonl,
            r#"{"JSON":{"Type":"LINES"}}"#,
            High,
            "each of the 62 lines holds one whole JSON value: JSON Type set to LINES",
        ),
        case(
            "JSON Lines with CRLF and a blank line",
            b"{\"a\":1}\r\n\r\n[1,2]\r\n{\"a\":3}\r\n",
            r#"{"JSON":{"Type":"LINES"}}"#,
            High,
            "JSON Type set to LINES",
        ),
        case(
            "'[' that is not JSON",
            b"[id],[name]\n1,Atlas\n2,Blaze\n",
            r#"{"CSV":{"FileHeaderInfo":"USE"}}"#,
            Medium,
            "starts with '[' but is not JSON",
        ),
    ];
    #[cfg(feature = "gzip")]
    let gz: Vec<(&'static str, &[u8], &'static str)> = vec![
        (
            "gzip CSV without an extension",
            b"id,name,t\r\n1,Atlas,x\r\n2,Blaze,y\r\n",
            r#"{"CSV":{"FileHeaderInfo":"USE","RecordDelimiter":"\r\n"},"CompressionType":"GZIP"}"#,
        ),
        (
            "gzip JSON Lines",
            b"{\"a\":1}\n{\"a\":2}\n",
            r#"{"JSON":{"Type":"LINES"},"CompressionType":"GZIP"}"#,
        ),
    ];
    #[cfg(feature = "gzip")]
    for (name, data, expect) in gz {
        v.push(Case {
            name,
            data: gzip(data),
            expect,
            at_least: High,
            reason: "CompressionType set to GZIP",
        });
    }
    #[cfg(feature = "bzip2")]
    {
        v.push(Case {
            name: "bzip2 CSV without an extension",
            data: bzip2(b"id;name\n1;Atlas\n2;Blaze\n"),
            expect: r#"{"CSV":{"FileHeaderInfo":"USE","FieldDelimiter":";"},"CompressionType":"BZIP2"}"#,
            at_least: High,
            reason: "CompressionType set to BZIP2",
        });
        v.push(Case {
            name: "bzip2 JSON document",
            data: bzip2(b"[\n {\"a\": 1},\n {\"a\": 2}\n]\n"),
            expect: r#"{"JSON":{"Type":"DOCUMENT"},"CompressionType":"BZIP2"}"#,
            at_least: High,
            reason: "CompressionType set to BZIP2",
        });
    }
    v
}

#[test]
fn table_of_files() {
    let mut failures = Vec::new();
    for c in cases() {
        let d = detect_all(&c.data);
        let want = InputSerialization::from_json(c.expect).unwrap();
        let ok = d.input() == Some(&want)
            && d.confidence().is_some_and(|k| k >= c.at_least)
            && d.reasons.iter().any(|r| r.text.contains(c.reason));
        if !ok {
            failures.push(format!(
                "{}: want {} ({:?}+, reason containing {:?})\n  got {}\n{}",
                c.name,
                want.to_json(),
                c.at_least,
                c.reason,
                d.input().map_or("nothing".into(), |i| i.to_json()),
                explain(&d)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The proposal works with the engine: `SELECT *` over each file with the detected settings.
#[test]
fn proposals_read_with_the_engine() {
    for c in cases() {
        let d = detect_all(&c.data);
        let input = d.input().unwrap();
        let out = run("SELECT * FROM S3Object", input, &c.data)
            .unwrap_or_else(|e| panic!("{}: {e}\n{}", c.name, explain(&d)));
        assert!(!out.is_empty(), "{}: no records", c.name);
    }
}

#[test]
fn the_issue_windows_csv() {
    let data = b"id,name,t\r\n1,Atlas,x\r\n2,Blaze,y\r\n";
    let d = detect(data, Some(data.len() as u64));
    let input = d.input().unwrap();
    let wyvern_select::serialization::InputFormat::Csv(csv) = &input.format else {
        panic!("{}", explain(&d));
    };
    assert_eq!(csv.record_delimiter, b"\r\n");
    assert_eq!(
        csv.file_header_info,
        wyvern_select::serialization::FileHeaderInfo::Use
    );
    assert_eq!(
        run("SELECT s.name, s.t FROM S3Object s", input, data).unwrap(),
        "{\"name\":\"Atlas\",\"t\":\"x\"}\n{\"name\":\"Blaze\",\"t\":\"y\"}\n"
    );
    assert!(d
        .reasons
        .iter()
        .any(|r| r.setting == Some("RecordDelimiter")
            && r.text == "lines end in \\r\\n: RecordDelimiter set to \\r\\n"));
}

/// The start of a Parquet file: its magic and a page header.
const PARQUET_START: &[u8] = b"PAR1\x15\x04\x15\x10\x15\x14L\x15\x02\x15\x00";

#[cfg(feature = "parquet")]
#[test]
fn parquet_is_proposed_where_the_engine_reads_it() {
    let d = detect_all(PARQUET_START);
    let Outcome::Settings { input, confidence } = &d.outcome else {
        panic!("{}", explain(&d));
    };
    assert_eq!(
        input.to_json(),
        r#"{"Parquet":{},"CompressionType":"NONE"}"#
    );
    assert_eq!(*confidence, wyvern_select::detect::Confidence::High);
    assert!(d
        .reasons
        .iter()
        .any(|r| r.setting == Some("Format") && r.text.contains("PAR1")));
    assert!(d.error().is_none());
}

#[test]
fn could_not_tell() {
    let mut cases: Vec<(&str, Vec<u8>, Unreadable, ErrorCode)> = vec![
        (
            "empty",
            vec![],
            Unreadable::Empty,
            ErrorCode::UnrecognizedFormatException,
        ),
        (
            "blank",
            b" \n\r\n\t\n".to_vec(),
            Unreadable::Empty,
            ErrorCode::UnrecognizedFormatException,
        ),
        (
            "binary junk",
            (0u8..=255).cycle().take(4096).collect(),
            Unreadable::Binary,
            ErrorCode::InvalidTextEncoding,
        ),
        (
            "PNG",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10".to_vec(),
            Unreadable::Binary,
            ErrorCode::InvalidTextEncoding,
        ),
        (
            "ZIP",
            b"PK\x03\x04\x14\0\0\0\x08\0data.csv".to_vec(),
            Unreadable::Archive("ZIP"),
            ErrorCode::InvalidCompressionFormat,
        ),
        (
            "UTF-16",
            b"\xFF\xFEi\0d\0,\0n\0".to_vec(),
            Unreadable::Utf16,
            ErrorCode::InvalidTextEncoding,
        ),
    ];
    // A build that reads Parquet proposes {"Parquet":{}} instead (below).
    if !cfg!(feature = "parquet") {
        cases.push((
            "Parquet",
            PARQUET_START.to_vec(),
            Unreadable::Parquet,
            ErrorCode::UnrecognizedFormatException,
        ));
    }
    for (name, data, want, code) in cases {
        let d = detect_all(&data);
        assert_eq!(
            d.outcome,
            Outcome::CouldNotTell(want),
            "{name}: {}",
            explain(&d)
        );
        assert_eq!(d.error().unwrap().code, code, "{name}");
        assert!(d.reasons.iter().any(|r| r.warning), "{name}");
        assert!(d.to_json().contains("\"outcome\":\"unknown\""), "{name}");
    }
}

#[test]
fn compressed_input_in_two_steps() {
    let text = b"id;name\n1;Atlas\n2;Blaze\n";
    let gz = gzip(text);
    assert_eq!(detect_compressed(&gz), Some(Compression::Gzip));
    assert_eq!(detect_compressed(text), None);
    assert_eq!(detect_compressed(b"BZh9 is not bzip2"), None);
    // `detect` never decompresses: it names the compression, and the caller (the page, with the
    // browser's gzip) decompresses and calls `detect_decompressed`.
    let d = detect(&gz, Some(gz.len() as u64));
    assert_eq!(d.outcome, Outcome::Compressed(Compression::Gzip));
    assert!(d.error().is_some());
    assert!(d
        .to_json()
        .starts_with(r#"{"outcome":"compressed","compression":"GZIP""#));
    let d = detect_decompressed(Compression::Gzip, text, Some(text.len() as u64));
    assert_eq!(
        d.input().unwrap().to_json(),
        r#"{"CSV":{"FileHeaderInfo":"USE","FieldDelimiter":";","RecordDelimiter":"\n","QuoteCharacter":"\"","QuoteEscapeCharacter":"\"","AllowQuotedRecordDelimiter":false},"CompressionType":"GZIP"}"#
    );
    assert_eq!(d.reasons[0].setting, Some("CompressionType"));
    // Without the gzip feature (the browser's engine), the split is all there is.
    #[cfg(not(feature = "gzip"))]
    assert_eq!(
        detect_all(&gz).outcome,
        Outcome::Compressed(Compression::Gzip)
    );
    // A corrupt stream is named, not guessed at.
    #[cfg(feature = "gzip")]
    {
        let mut bad = gz.clone();
        for b in bad.iter_mut().skip(10) {
            *b = 0xff;
        }
        let d = detect_all(&bad);
        assert!(
            matches!(
                d.outcome,
                Outcome::CouldNotTell(Unreadable::Corrupt(Compression::Gzip, _))
            ),
            "{}",
            explain(&d)
        );
    }
}

fn big_csv(bytes: usize) -> Vec<u8> {
    let mut data = b"id,name,weight,seen\n".to_vec();
    let mut i = 0u64;
    while data.len() < bytes {
        data.extend_from_slice(
            format!("{i},dragon {i},{}.5,2020-01-{:02}\n", i % 97, i % 28 + 1).as_bytes(),
        );
        i += 1;
    }
    data.truncate(bytes);
    data
}

/// Only the first DETECT_PREFIX_BYTES matter, whatever the size; compressed input keeps at most
/// DETECT_PREFIX_BYTES of output.
#[test]
fn reads_a_bounded_prefix() {
    let big = big_csv(10 * 1024 * 1024);
    let len = Some(big.len() as u64);
    let whole = detect(&big, len);
    assert_eq!(whole.bytes_examined, DETECT_PREFIX_BYTES);
    assert_eq!(whole, detect(&big[..DETECT_PREFIX_BYTES], len));
    // Bytes past the prefix change nothing, even junk.
    let mut junk = big.clone();
    for b in &mut junk[DETECT_PREFIX_BYTES..] {
        *b = 0;
    }
    assert_eq!(whole, detect(&junk, len));
    assert_eq!(
        whole.input().unwrap().to_json(),
        InputSerialization::from_json(r#"{"CSV":{"FileHeaderInfo":"USE"}}"#)
            .unwrap()
            .to_json()
    );
    assert_eq!(whole.confidence(), Some(Confidence::High));
    assert!(whole.reasons[0].text.contains(&format!(
        "read the first {DETECT_PREFIX_BYTES} bytes of 10485760"
    )));

    #[cfg(feature = "gzip")]
    gzip_prefix_is_bounded(&big);
}

/// 10 MB of gzip: the decompressed prefix is capped, and detection agrees.
#[cfg(feature = "gzip")]
fn gzip_prefix_is_bounded(big: &[u8]) {
    use wyvern_select::detect::{decompress_prefix, DETECT_COMPRESSED_PREFIX_BYTES};
    let gz = gzip(big);
    let (prefix, len) = decompress_prefix(Compression::Gzip, &gz, true).unwrap();
    assert_eq!(prefix.len(), DETECT_PREFIX_BYTES);
    assert_eq!(len, None);
    let cut = &gz[..gz.len().min(DETECT_COMPRESSED_PREFIX_BYTES)];
    let d = detect_decompressing(cut, Some(gz.len() as u64));
    assert_eq!(d.bytes_examined, DETECT_PREFIX_BYTES);
    assert_eq!(d.input().unwrap().compression, Compression::Gzip);
    // A gzip bomb: 64 MiB of zeros from about 64 kB (1000:1).
    let bomb = {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let zeros = vec![b'0'; 1 << 20];
        for _ in 0..64 {
            e.write_all(&zeros).unwrap();
        }
        e.finish().unwrap()
    };
    let (prefix, _) = decompress_prefix(Compression::Gzip, &bomb, true).unwrap();
    assert_eq!(prefix.len(), DETECT_PREFIX_BYTES);
}

#[cfg(feature = "bzip2")]
#[test]
fn bzip2_prefix_is_bounded_too() {
    use wyvern_select::detect::DETECT_COMPRESSED_PREFIX_BYTES;
    let big = big_csv(1536 * 1024);
    let bz = bzip2(&big);
    let cut = &bz[..bz.len().min(DETECT_COMPRESSED_PREFIX_BYTES)];
    let d = detect_decompressing(cut, Some(bz.len() as u64));
    assert_eq!(d.bytes_examined, DETECT_PREFIX_BYTES, "{}", explain(&d));
    assert_eq!(d.input().unwrap().compression, Compression::Bzip2);
}

#[test]
fn json_answer_for_a_page() {
    let data = b"id,name,t\r\n1,Atlas,x\r\n2,Blaze,y\r\n";
    let d = detect(data, Some(data.len() as u64));
    let v: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
    assert_eq!(v["outcome"], "settings");
    assert_eq!(v["confidence"], "high");
    assert_eq!(v["input"]["CSV"]["RecordDelimiter"], "\r\n");
    assert_eq!(v["reasons"][1]["setting"], "RecordDelimiter");
    // The input member is exactly what InputSerialization::from_json takes.
    let input = serde_json::to_string(&v["input"]).unwrap();
    assert_eq!(
        &InputSerialization::from_json(&input).unwrap(),
        d.input().unwrap()
    );
}

// Errors that settings cause point to the setting.

#[test]
fn missing_header_name_shows_the_names_as_read() {
    let data = b"id,name,t\r\n1,Atlas,x\r\n2,Blaze,y\r\n";
    let lf = InputSerialization::from_json(r#"{"CSV":{"FileHeaderInfo":"USE"}}"#).unwrap();
    let e = run("SELECT s.name, s.t FROM S3Object s", &lf, data).unwrap_err();
    assert_eq!(e.code, ErrorCode::MissingHeaderName);
    assert!(
        e.message
            .contains(r#"The header's names as read: "id", "name", "t␍"."#),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("set RecordDelimiter to \\r\\n"),
        "{}",
        e.message
    );

    let semi = b"id;name\n1;Atlas\n";
    let e = run("SELECT s.name FROM S3Object s", &lf, semi).unwrap_err();
    assert!(
        e.message.contains("set FieldDelimiter to ';'"),
        "{}",
        e.message
    );

    let tabs = b"id\tname \n1\tAtlas \n";
    let tab =
        InputSerialization::from_json(r#"{"CSV":{"FileHeaderInfo":"USE","FieldDelimiter":"\t"}}"#)
            .unwrap();
    let e = run("SELECT s.name FROM S3Object s", &tab, tabs).unwrap_err();
    assert!(e.message.contains(r#""id", "name·""#), "{}", e.message);
    assert!(e.message.contains("spaces around it"), "{}", e.message);
    let e = run("SELECT s.nothing FROM S3Object s", &lf, tabs).unwrap_err();
    assert!(e.message.contains(r#""id→name·""#), "{}", e.message);
    assert!(
        e.message.contains("set FieldDelimiter to '\\t'"),
        "{}",
        e.message
    );

    let bom = b"\xEF\xBB\xBFid,name\n1,Atlas\n";
    let e = run("SELECT s.id FROM S3Object s", &lf, bom).unwrap_err();
    assert!(e.message.contains("\"⟨BOM⟩id\""), "{}", e.message);
    assert!(e.message.contains("byte order mark"), "{}", e.message);

    let numbers = b"1,2\n3,4\n";
    let e = run("SELECT s.a FROM S3Object s", &lf, numbers).unwrap_err();
    assert!(
        e.message.contains("FileHeaderInfo to NONE"),
        "{}",
        e.message
    );
}

#[test]
fn json_parse_errors_suggest_the_other_type() {
    let lines = InputSerialization::from_json(r#"{"JSON":{"Type":"LINES"}}"#).unwrap();
    let document = InputSerialization::from_json(r#"{"JSON":{"Type":"DOCUMENT"}}"#).unwrap();
    for pretty in [
        &b"[\n  {\"a\": 1},\n  {\"a\": 2}\n]\n"[..],
        b"{\n  \"a\": 1\n}\n",
        b"[{\"a\": 1},\n {\"a\": 2}]\n",
    ] {
        for sql in ["SELECT * FROM S3Object", "SELECT COUNT(*) FROM S3Object"] {
            let e = run(sql, &lines, pretty).unwrap_err();
            assert_eq!(e.code, ErrorCode::JSONParsingError);
            assert!(
                e.message.contains("set JSON Type to DOCUMENT"),
                "{}",
                e.message
            );
        }
        // And DOCUMENT reads it.
        run("SELECT * FROM S3Object", &document, pretty).unwrap();
    }
    // A broken line later in JSON Lines is a data error, not a wrong Type.
    let e = run("SELECT * FROM S3Object", &lines, b"{\"a\":1}\n{\"a\":\n").unwrap_err();
    assert!(!e.message.contains("JSON Type to"), "{}", e.message);

    // JSON Lines read as DOCUMENT, with one line not closed: LINES names the line.
    let broken = b"{\"a\":1}\n{\"a\":2\n{\"a\":3}\n{\"a\":4}\n{\"a\":5}\n";
    let e = run("SELECT * FROM S3Object", &document, broken).unwrap_err();
    assert_eq!(e.code, ErrorCode::JSONParsingError);
    assert!(
        e.message.contains("set JSON Type to LINES"),
        "{}",
        e.message
    );
    let broken_end = b"{\"a\":1}\n{\"a\":2\n{\"a\":3}\n{\"a\":4}\n";
    let e = run("SELECT * FROM S3Object", &document, broken_end).unwrap_err();
    assert!(
        e.message.contains("set JSON Type to LINES"),
        "{}",
        e.message
    );

    let bom = b"\xEF\xBB\xBF{\"a\":1}\n";
    let e = run("SELECT * FROM S3Object", &lines, bom).unwrap_err();
    assert!(e.message.contains("byte order mark"), "{}", e.message);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn table_field() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z]{1,5}",
            "[0-9]{1,3}",
            "[0-9]{1,2}\\.[0-9]",
            "\"[a-z,;\n\"]{0,6}\"",
            "'[a-z, ]{0,4}'",
            "[a-z]{0,2}[\"'\\\\#][a-z]{0,2}",
            Just(String::new()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Any bytes: no panic, and settings (when proposed) are valid ones that read back.
        #[test]
        fn any_bytes(data in proptest::collection::vec(any::<u8>(), 0..600)) {
            let d = detect_all(&data);
            if let Some(input) = d.input() {
                prop_assert_eq!(&InputSerialization::from_json(&input.to_json()).unwrap(), input);
            }
            prop_assert!(serde_json::from_str::<serde_json::Value>(&d.to_json()).is_ok());
        }

        /// Random tables (plain, quoted, with stray quotes, any delimiter and line ending): a
        /// proposal made with high confidence reads the table without error.
        #[test]
        fn high_confidence_reads(
            rows in proptest::collection::vec(proptest::collection::vec(table_field(), 1..5), 1..6),
            delim in proptest::sample::select(vec![",", ";", "\t", "|"]),
            end in proptest::sample::select(vec!["\n", "\r\n", "\r"]),
        ) {
            let text: String = rows.iter().map(|r| r.join(delim) + end).collect();
            let d = detect(text.as_bytes(), Some(text.len() as u64));
            if d.confidence() == Some(Confidence::High) {
                let r = run("SELECT * FROM S3Object", d.input().unwrap(), text.as_bytes());
                prop_assert!(r.is_ok(), "{:?}: {:?}\n{}", text, r.err(), explain(&d));
            }
        }

        /// Text made of the characters detection cares about.
        #[test]
        fn csv_like_text(chars in proptest::collection::vec(
            proptest::sample::select(vec![
                'a', 'b', '1', '2', '.', ',', ';', '\t', '|', '"', '\'', '\\', '#', ' ', '\n',
                '\r', '{', '}', '[', ']', ':', '\u{e9}',
            ]),
            0..400,
        )) {
            let text: String = chars.into_iter().collect();
            let d = detect(text.as_bytes(), Some(text.len() as u64));
            if let Some(input) = d.input() {
                prop_assert_eq!(&InputSerialization::from_json(&input.to_json()).unwrap(), input);
                // The engine takes the settings (data errors are fine: the text is random).
                let r = run("SELECT * FROM S3Object", input, text.as_bytes());
                if let Err(e) = r {
                    prop_assert!(e.code != ErrorCode::InvalidRequestParameter, "{}", e);
                }
            }
        }
    }
}
