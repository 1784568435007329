//! Property tests: no SQL text and no input bytes make the engine panic, and the output does not
//! depend on how the input is chunked.

use proptest::prelude::*;
use wyvern_select::{
    run_to_end, InputSerialization, OutputSerialization, Query, QueryOptions, ScanRange, Stats,
    Timestamp,
};

fn options(input: &str, output: &str) -> QueryOptions {
    QueryOptions {
        input: InputSerialization::from_json(input).unwrap(),
        output: OutputSerialization::from_json(output).unwrap(),
        scan_range: None,
        now: Timestamp::from_unix_millis(1_500_000_000_000),
    }
}

const INPUTS: &[&str] = &[
    r#"{"CSV":{}}"#,
    r#"{"CSV":{"FileHeaderInfo":"USE","AllowQuotedRecordDelimiter":true}}"#,
    r##"{"CSV":{"FileHeaderInfo":"IGNORE","Comments":"#","QuoteEscapeCharacter":"\\"}}"##,
    r#"{"JSON":{"Type":"LINES"}}"#,
    r#"{"JSON":{"Type":"DOCUMENT"}}"#,
    r#"{"CSV":{},"CompressionType":"GZIP"}"#,
    r#"{"JSON":{"Type":"LINES"},"CompressionType":"BZIP2"}"#,
];

const OUTPUTS: &[&str] = &[
    r#"{"CSV":{}}"#,
    r#"{"JSON":{}}"#,
    r#"{"CSV":{"QuoteFields":"ALWAYS","FieldDelimiter":"|"}}"#,
];

const QUERIES: &[&str] = &[
    "SELECT * FROM S3Object",
    "SELECT COUNT(*) FROM S3Object",
    "SELECT s._1, s.a, UPPER(s._2) FROM S3Object s WHERE s._1 LIKE '%a%' OR s.a IS NOT MISSING",
    "SELECT CAST(s._1 AS INT) + 1, SUBSTRING(s._2, 2, 3) FROM S3Object s",
    "SELECT s.a.b[0], COALESCE(s.x, s.y, 'z') AS c FROM S3Object s LIMIT 3",
    "SELECT SUM(CAST(s._1 AS FLOAT)), MAX(s._2) FROM S3Object s",
    "SELECT v FROM S3Object[*].a[*] v WHERE v IS NOT NULL",
    "SELECT TO_STRING(CAST(s._1 AS TIMESTAMP), 'y-MM-dd') FROM S3Object s",
];

/// SQL-looking text: keywords, names, literals and punctuation in any order.
fn sqlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("SELECT"),
        Just("FROM"),
        Just("S3Object"),
        Just("[*]"),
        Just("WHERE"),
        Just("LIMIT"),
        Just("s"),
        Just("s._1"),
        Just("s.a[0].b"),
        Just("*"),
        Just(","),
        Just("("),
        Just(")"),
        Just("'x'"),
        Just("''"),
        Just("1"),
        Just("-2.5e3"),
        Just("`2020T`"),
        Just("`20x`"),
        Just("AND"),
        Just("OR"),
        Just("NOT"),
        Just("="),
        Just("<"),
        Just("||"),
        Just("LIKE"),
        Just("ESCAPE"),
        Just("IS"),
        Just("MISSING"),
        Just("NULL"),
        Just("CAST"),
        Just("AS"),
        Just("INT"),
        Just("CASE"),
        Just("WHEN"),
        Just("THEN"),
        Just("END"),
        Just("COUNT(*)"),
        Just("SUM"),
        Just("DATE_ADD"),
        Just("year"),
        Just("EXTRACT"),
        Just("TRIM"),
        Just("BOTH"),
        Just("SUBSTRING"),
        Just("FOR"),
        Just("BETWEEN"),
        Just("IN"),
        Just(".*"),
        Just("\""),
        Just("'"),
        Just("GROUP BY"),
        Just(";"),
        Just("§"),
        Just("\n"),
    ];
    prop::collection::vec(token, 0..24).prop_map(|t| t.join(" "))
}

/// Bytes that look like CSV/JSON records, with quotes, delimiters and line breaks.
fn recordish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"a".to_vec()),
        Just(b"12".to_vec()),
        Just(b",".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\"\"".to_vec()),
        Just(b"#".to_vec()),
        Just(b"{\"a\":[1,{\"b\":\"x\"}]}".to_vec()),
        Just(b"[".to_vec()),
        Just(b"}".to_vec()),
        Just(b"\\".to_vec()),
        Just(b"2020-01-01T".to_vec()),
        Just(vec![0xff]),
        Just("é".as_bytes().to_vec()),
        Just(b" ".to_vec()),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

fn run(sql: &str, input: &str, output: &str, data: &[u8], chunk: usize) -> Result<Vec<u8>, String> {
    let q = Query::compile(sql, options(input, output)).map_err(|e| e.code.to_string())?;
    run_to_end(&q, data, chunk)
        .map(|(o, _)| o)
        .map_err(|e| e.code.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_as_sql_never_panics(sql in any::<String>()) {
        let _ = Query::compile(&sql, options(INPUTS[0], OUTPUTS[0]));
    }

    #[test]
    fn sql_like_text_never_panics(sql in sqlish(), i in 0..INPUTS.len(), o in 0..OUTPUTS.len(), data in recordish()) {
        let _ = run(&sql, INPUTS[i], OUTPUTS[o], &data, 5);
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..400), q in 0..QUERIES.len(), i in 0..INPUTS.len(), o in 0..OUTPUTS.len()) {
        let _ = run(QUERIES[q], INPUTS[i], OUTPUTS[o], &data, 17);
    }

    #[test]
    fn output_is_the_same_for_every_chunk_size(data in recordish(), q in 0..QUERIES.len(), i in 0..5usize, o in 0..OUTPUTS.len(), chunk in 1usize..40) {
        let whole = run(QUERIES[q], INPUTS[i], OUTPUTS[o], &data, usize::MAX);
        let chunked = run(QUERIES[q], INPUTS[i], OUTPUTS[o], &data, chunk);
        prop_assert_eq!(whole, chunked);
    }

    #[test]
    fn compressed_input_gives_the_same_answer(data in recordish(), q in 0..QUERIES.len(), chunk in 1usize..64) {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&data).unwrap();
        let gz = gz.finish().unwrap();
        let plain = run(QUERIES[q], INPUTS[0], OUTPUTS[1], &data, usize::MAX);
        let unzipped = run(QUERIES[q], r#"{"CSV":{},"CompressionType":"GZIP"}"#, OUTPUTS[1], &gz, chunk);
        prop_assert_eq!(plain, unzipped);
    }
}

/// Lines of JSON the compact checker vouches for, and every way a line can fall outside it:
/// escapes, fractions, blank lines, CRLF, form feeds, invalid JSON and invalid UTF-8.
fn json_lines() -> impl Strategy<Value = Vec<u8>> {
    let piece = proptest::sample::select(vec![
        &b"{\"a\":1,\"b\":\"x\"}\n"[..],
        &b"{\"a\":[1,{\"b\":null}],\"c\":true}\n"[..],
        &b" {} \r\n"[..],
        &b"{\"a\":\"x\\\"y\"}\n"[..],
        &b"{\"a\":1.5e3}\n"[..],
        &b"\n"[..],
        &b"  \t\n"[..],
        &b"\x0c{}\n"[..],
        &b"{\"a\":}\n"[..],
        &b"{\"a\":\"\xff\"}\n"[..],
        "{\"é\":\"ü\"}\n".as_bytes(),
        &b"\"just a string\"\n"[..],
        &b"{\"a\":1"[..],
    ]);
    prop::collection::vec(piece, 0..30).prop_map(|v| v.concat())
}

/// CSV records of every kind a count must tell apart: plain, quoted (with a quoted delimiter
/// and an escaped quote), unbalanced, comments, blank, CRLF, and an unfinished last record.
fn csv_records() -> impl Strategy<Value = Vec<u8>> {
    let piece = proptest::sample::select(vec![
        &b"a,b\n"[..],
        &b"\"x,y\",z\n"[..],
        &b"\"say \"\"hi\"\"\",\\\"q\n"[..],
        &b"\"open\n"[..],
        &b"#note\n"[..],
        &b"\n"[..],
        &b"a\r\n"[..],
        &b"\xff,\xfe\n"[..],
        &b"last"[..],
    ]);
    prop::collection::vec(piece, 0..30).prop_map(|v| v.concat())
}

/// COUNT(*) of `data` read with `input`, in place where it can be, and through the general
/// path (a scan range over the whole input turns counting in place off): the count, the
/// bytes processed, and any error word for word.
fn counts_both_ways(
    input: &str,
    data: &[u8],
    chunk: usize,
) -> [Result<(Vec<u8>, Stats), String>; 2] {
    let count = |scan_range| {
        let mut o = options(input, OUTPUTS[1]);
        o.scan_range = scan_range;
        let q = Query::compile("SELECT COUNT(*) FROM S3Object", o).unwrap();
        run_to_end(&q, data, chunk).map_err(|e| e.to_string())
    };
    let whole = ScanRange {
        start: 0,
        end: data.len() as u64,
    };
    [count(None), count(Some(whole))]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn json_lines_count_agrees_with_the_general_path(data in json_lines(), chunk in 1usize..64) {
        let [in_place, general] = counts_both_ways(INPUTS[3], &data, chunk);
        prop_assert_eq!(in_place, general);
    }

    #[test]
    fn csv_count_agrees_with_the_general_path(data in csv_records(), i in 0..3usize, chunk in 1usize..64) {
        let [in_place, general] = counts_both_ways(INPUTS[i], &data, chunk);
        prop_assert_eq!(in_place, general);
    }
}

#[test]
fn every_chunk_size_from_one_byte_on_a_mixed_file() {
    let data = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../static/data/dragons.jsonl"
    ))
    .unwrap();
    let sql = "SELECT s.dragon_name_str, s.wingspan_ft * 2 AS w FROM S3Object s WHERE s.family_str IN ('red', 'gold')";
    let whole = run(sql, INPUTS[3], OUTPUTS[1], &data, usize::MAX).unwrap();
    assert!(!whole.is_empty());
    for chunk in 1..=257 {
        assert_eq!(
            run(sql, INPUTS[3], OUTPUTS[1], &data, chunk).unwrap(),
            whole,
            "chunk size {chunk}"
        );
    }
}

#[test]
fn memory_stays_bounded_by_the_largest_record() {
    // 40 MB of records fed in 64 KiB chunks: the run never holds more than a record plus a chunk.
    let q = Query::compile(
        "SELECT COUNT(*) FROM S3Object s WHERE s._2 LIKE '%7%'",
        options(INPUTS[0], OUTPUTS[0]),
    )
    .unwrap();
    let mut run = q.start();
    let line = b"dragon-name,12345678,some description text that pads the record out a little\n";
    let chunk: Vec<u8> = line.iter().copied().cycle().take(64 * 1024).collect();
    let mut out = Vec::new();
    let mut max_buffered = 0;
    for _ in 0..640 {
        run.feed(&chunk, &mut out).unwrap();
        max_buffered = max_buffered.max(run.buffered_bytes());
    }
    run.finish(&mut out).unwrap();
    assert!(
        max_buffered <= 64 * 1024 + line.len(),
        "buffered {max_buffered} bytes"
    );
}

#[test]
fn the_header_row_is_not_held_to_the_quote_balance_check() {
    let input = r#"{"CSV":{"FileHeaderInfo":"USE"}}"#;
    let data = b"na\"me,x\n1,2\n";
    for chunk in [1, 5, 64] {
        let out = run(
            "SELECT s.x FROM S3Object s",
            input,
            r#"{"CSV":{}}"#,
            data,
            chunk,
        );
        assert_eq!(out.as_deref(), Ok(&b"2\n"[..]), "chunk {chunk}");
    }
    // A data record with an odd quote count is still refused.
    let odd = run(
        "SELECT * FROM S3Object",
        input,
        r#"{"CSV":{}}"#,
        b"a,b\nx\"y,1\n",
        64,
    );
    assert_eq!(odd, Err("CSVParsingError".to_string()));
}

#[test]
fn an_oversized_record_is_an_error_not_a_buffer() {
    let q = Query::compile("SELECT * FROM S3Object", options(INPUTS[0], OUTPUTS[0])).unwrap();
    let mut run = q.start();
    let mut out = Vec::new();
    let block = vec![b'x'; 256 * 1024];
    let mut err = None;
    for _ in 0..8 {
        if let Err(e) = run.feed(&block, &mut out) {
            err = Some(e);
            break;
        }
    }
    assert_eq!(
        err.expect("1 MB limit").code,
        wyvern_select::ErrorCode::OverMaxRecordSize
    );
}

#[test]
fn expression_too_long() {
    let sql = format!(
        "SELECT * FROM S3Object WHERE _1 = '{}'",
        "x".repeat(256 * 1024)
    );
    let err = Query::compile(&sql, options(INPUTS[0], OUTPUTS[0])).unwrap_err();
    assert_eq!(err.code, wyvern_select::ErrorCode::ExpressionTooLong);
}

#[test]
fn sql_errors_carry_line_and_column() {
    let err = Query::compile(
        "SELECT s.name\nFROM S3Object s\nWHERE CAST(s.x AS DATE) > 1",
        options(INPUTS[3], OUTPUTS[0]),
    )
    .unwrap_err();
    assert_eq!(err.code, wyvern_select::ErrorCode::ParseExpectedTypeName);
    let p = err.position.expect("a position");
    assert_eq!((p.line, p.column), (3, 19)); // the type name S3 Select does not have
                                             // Positions after a `.*` FROM path step point into the text as written.
    let err = Query::compile(
        "SELECT *\n  FROM S3Object[*].a.* v WHERE v = )",
        options(INPUTS[3], OUTPUTS[0]),
    )
    .unwrap_err();
    let p = err.position.expect("a position");
    assert_eq!((p.line, p.column), (2, 36), "{}", err.message);
    let err = Query::compile(
        "SELECT *\nFROM S3Object WHERE",
        options(INPUTS[3], OUTPUTS[0]),
    )
    .unwrap_err();
    assert_eq!(err.code, wyvern_select::ErrorCode::ParseExpectedExpression);
    let p = err.position.expect("a position at the end");
    assert_eq!((p.line, p.column), (2, 20), "{}", err.message);
}

/// JSON output, or the error's code and message.
fn run_full(sql: &str, input: &str, data: &[u8], chunk: usize) -> Result<Vec<u8>, String> {
    let q = Query::compile(sql, options(input, OUTPUTS[1])).unwrap();
    run_to_end(&q, data, chunk)
        .map(|(o, _)| o)
        .map_err(|e| format!("{} {}", e.code, e.message))
}

/// Uncompressed JSON LINES is framed in place in the fed chunk, and only an unfinished line is
/// held: lines around the step size (128 KiB), a broken one among them, give the answer of the
/// same bytes through GZIP (which are always held), whatever the chunking.
#[test]
fn json_lines_framed_in_place_match_the_held_path() {
    use std::io::Write;
    let mut data = Vec::new();
    for (i, len) in [10usize, 131_000, 5, 140_000, 300_000, 70, 131_072, 20, 0]
        .into_iter()
        .enumerate()
    {
        data.extend_from_slice(
            format!("{{\"i\":{i},\"pad\":\"{}\"}}\n", "x".repeat(len)).as_bytes(),
        );
    }
    let broken = [&data[..], b"{\"i\":9,\"pad\":\"unclosed}\n{\"i\":10}"].concat();
    let lines = r#"{"JSON":{"Type":"LINES"}}"#;
    let gzip = r#"{"JSON":{"Type":"LINES"},"CompressionType":"GZIP"}"#;
    for text in [&data, &broken] {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(text).unwrap();
        let gz = gz.finish().unwrap();
        for sql in [
            "SELECT COUNT(*) FROM S3Object",
            "SELECT s.i FROM S3Object s",
            "SELECT * FROM S3Object s WHERE s.i > 2",
        ] {
            let expected = run_full(sql, gzip, &gz, usize::MAX);
            for chunk in [1000, 65_536, 131_071, 131_073, 200_000, 1 << 20, usize::MAX] {
                assert_eq!(
                    run_full(sql, lines, text, chunk),
                    expected,
                    "{sql} in chunks of {chunk}"
                );
            }
        }
    }
}

/// Uncompressed CSV is framed in place too: records around the step size, with quoted
/// delimiters (one record holds 50,000, across steps), CRLF, a header, and a broken quote,
/// give the answer of the same bytes through GZIP, whatever the chunking.
#[test]
fn csv_framed_in_place_match_the_held_path() {
    use std::io::Write;
    let quoted_lines = |n: usize| format!("\"{}\"", "ab\n".repeat(n));
    let mut rows = vec!["id,pad,note".to_string()];
    for (i, len) in [10usize, 131_000, 5, 140_000, 300_000, 70, 131_072, 20, 0]
        .into_iter()
        .enumerate()
    {
        rows.push(format!("{i},{},plain", "x".repeat(len)));
        rows.push(format!("{i}q,{},\"a,b\"", quoted_lines(len / 64 + 1)));
    }
    rows.push(format!("big,{},end", quoted_lines(50_000)));
    let lf = rows.join("\n") + "\n";
    let crlf = rows.join("\r\n");
    let broken = format!("{lf}9,\"unclosed\n10,x,y\n");
    let cases = [
        (
            &lf,
            r#""AllowQuotedRecordDelimiter":true,"FileHeaderInfo":"USE""#,
        ),
        (&lf, r#""FileHeaderInfo":"NONE""#),
        (
            &crlf,
            r#""RecordDelimiter":"\r\n","AllowQuotedRecordDelimiter":true"#,
        ),
        (
            &broken,
            r#""AllowQuotedRecordDelimiter":true,"FileHeaderInfo":"USE""#,
        ),
    ];
    for (text, csv) in cases {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(text.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        let plain = format!(r#"{{"CSV":{{{csv}}}}}"#);
        let gzip = format!(r#"{{"CSV":{{{csv}}},"CompressionType":"GZIP"}}"#);
        for sql in [
            "SELECT COUNT(*) FROM S3Object",
            "SELECT s._1, s._3 FROM S3Object s",
            "SELECT * FROM S3Object s WHERE s._3 LIKE '%b%'",
        ] {
            let expected = run_full(sql, &gzip, &gz, usize::MAX);
            for chunk in [4096, 131_071, 131_073, 200_000, 1 << 20, usize::MAX] {
                assert_eq!(
                    run_full(sql, &plain, text.as_bytes(), chunk),
                    expected,
                    "{csv}: {sql} in chunks of {chunk}"
                );
            }
        }
    }
}

#[test]
fn json_lines_framed_in_place_hold_at_most_a_line() {
    let q = Query::compile(
        "SELECT COUNT(*) FROM S3Object",
        options(r#"{"JSON":{"Type":"LINES"}}"#, OUTPUTS[0]),
    )
    .unwrap();
    let mut run = q.start();
    let line =
        b"{\"name\":\"Ashla12\",\"description\":\"A red dragon seen near kyoto\",\"age\":7}\n";
    // Chunks that cut lines anywhere: 4000 lines, fed from an offset that moves.
    let chunk: Vec<u8> = line
        .iter()
        .copied()
        .cycle()
        .skip(7)
        .take(line.len() * 4000)
        .collect();
    let mut out = Vec::new();
    let mut max_buffered = 0;
    run.feed(&line[..7], &mut out).unwrap();
    for _ in 0..20 {
        run.feed(&chunk, &mut out).unwrap();
        max_buffered = max_buffered.max(run.buffered_bytes());
    }
    run.feed(&line[7..], &mut out).unwrap();
    run.finish(&mut out).unwrap();
    assert!(max_buffered < line.len(), "buffered {max_buffered} bytes");
    assert_eq!(out, b"80001\n");
}
