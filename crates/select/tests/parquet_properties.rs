//! Parquet against the formats the engine already reads: random tables written as CSV, JSON
//! Lines and Parquet (with the parquet crate's writer, in several row groups and codecs) give
//! the same output. Damaged files are `parquet_damage`'s.

#![cfg(feature = "parquet")]

use parquet::basic::{Compression, GzipLevel};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use proptest::prelude::*;
use std::sync::Arc;
use wyvern_select::input::parquet::run_parquet;
use wyvern_select::value::format_float;
use wyvern_select::{
    run_to_end, InputSerialization, OutputSerialization, Query, QueryOptions, SelectError,
    Timestamp,
};

#[derive(Debug, Clone)]
struct Row {
    n: Option<i64>,
    x: Option<f64>,
    s: Option<String>,
    b: Option<bool>,
}

fn row() -> impl Strategy<Value = Row> {
    let text = proptest::string::string_regex("[a-zé, \"\\n'😀]{0,6}").unwrap();
    (
        proptest::option::of(any::<i64>()),
        proptest::option::of(
            prop_oneof![
                any::<f64>(),
                (-1000i32..1000).prop_map(|i| f64::from(i) / 8.0)
            ]
            .prop_filter("finite", |f| f.is_finite())
            // serde_json's default float parsing is not always correctly rounded, so JSON
            // input reads some long floats a bit off; those are JSON's, not Parquet's.
            .prop_filter("reads back from JSON", |f| {
                serde_json::from_str::<f64>(&serde_json::to_string(f).unwrap()).ok() == Some(*f)
            }),
        ),
        proptest::option::of(text),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(|(n, x, s, b)| Row { n, x, s, b })
}

fn codec(i: u8) -> Compression {
    match i % 3 {
        0 => Compression::UNCOMPRESSED,
        1 => Compression::SNAPPY,
        _ => Compression::GZIP(GzipLevel::default()),
    }
}

/// The rows as a Parquet file, `per_group` rows to a row group.
fn parquet_file(rows: &[Row], per_group: usize, compression: Compression) -> Vec<u8> {
    let schema = parse_message_type(
        "message t { optional int64 n; optional double x; optional binary s (STRING); optional boolean b; }",
    )
    .unwrap();
    let props = WriterProperties::builder()
        .set_compression(compression)
        .build();
    let mut w = SerializedFileWriter::new(Vec::new(), Arc::new(schema), Arc::new(props)).unwrap();
    for group in rows.chunks(per_group.max(1)) {
        let mut rg = w.next_row_group().unwrap();
        let defs = |f: &dyn Fn(&Row) -> bool| -> Vec<i16> {
            group.iter().map(|r| i16::from(f(r))).collect()
        };
        let mut column = 0;
        while let Some(mut col) = rg.next_column().unwrap() {
            match column {
                0 => {
                    let v: Vec<i64> = group.iter().filter_map(|r| r.n).collect();
                    col.typed::<Int64Type>()
                        .write_batch(&v, Some(&defs(&|r| r.n.is_some())), None)
                        .unwrap();
                }
                1 => {
                    let v: Vec<f64> = group.iter().filter_map(|r| r.x).collect();
                    col.typed::<DoubleType>()
                        .write_batch(&v, Some(&defs(&|r| r.x.is_some())), None)
                        .unwrap();
                }
                2 => {
                    let v: Vec<ByteArray> = group
                        .iter()
                        .filter_map(|r| r.s.as_deref().map(ByteArray::from))
                        .collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&v, Some(&defs(&|r| r.s.is_some())), None)
                        .unwrap();
                }
                _ => {
                    let v: Vec<bool> = group.iter().filter_map(|r| r.b).collect();
                    col.typed::<BoolType>()
                        .write_batch(&v, Some(&defs(&|r| r.b.is_some())), None)
                        .unwrap();
                }
            }
            col.close().unwrap();
            column += 1;
        }
        rg.close().unwrap();
    }
    w.into_inner().unwrap()
}

fn json_lines(rows: &[Row]) -> Vec<u8> {
    let mut out = String::new();
    for r in rows {
        // Written member by member: the members keep the schema's order.
        let j = |v: serde_json::Value| v.to_string();
        out.push_str(&format!(
            "{{\"n\":{},\"x\":{},\"s\":{},\"b\":{}}}",
            j(r.n.into()),
            j(r.x.into()),
            j(r.s.clone().into()),
            j(r.b.into())
        ));
        out.push('\n');
    }
    out.into_bytes()
}

/// CSV with a header; a NULL is an empty field, numbers as the engine prints them.
fn csv(rows: &[Row]) -> Vec<u8> {
    let mut out = String::from("n,x,s,b\n");
    for r in rows {
        let n = r.n.map(|n| n.to_string()).unwrap_or_default();
        let mut x = String::new();
        if let Some(f) = r.x {
            format_float(f, &mut x);
        }
        let s =
            r.s.as_deref()
                .map(|s| format!("\"{}\"", s.replace('"', "\"\"")))
                .unwrap_or_default();
        let b = r.b.map(|b| b.to_string()).unwrap_or_default();
        out.push_str(&format!("{n},{x},{s},{b}\n"));
    }
    out.into_bytes()
}

fn query(sql: &str, input: &str, output: &str) -> Query {
    let options = QueryOptions {
        input: InputSerialization::from_json(input).unwrap(),
        output: OutputSerialization::from_json(output).unwrap(),
        scan_range: None,
        now: Timestamp::from_unix_millis(0),
    };
    Query::compile(sql, options).unwrap()
}

const PARQUET: &str = r#"{"Parquet":{}}"#;
const JSON_LINES: &str = r#"{"JSON":{"Type":"LINES"}}"#;
const CSV_IN: &str = r#"{"CSV":{"FileHeaderInfo":"USE","AllowQuotedRecordDelimiter":true}}"#;

fn parquet_out(sql: &str, output: &str, file: &[u8]) -> Result<Vec<u8>, SelectError> {
    let mut out = Vec::new();
    run_parquet(&query(sql, PARQUET, output), file, &mut out)?;
    Ok(out)
}

fn streamed_out(sql: &str, input: &str, output: &str, data: &[u8]) -> Vec<u8> {
    run_to_end(&query(sql, input, output), data, 4096)
        .unwrap()
        .0
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn parquet_reads_as_json_lines_and_csv_do(
        rows in proptest::collection::vec(row(), 0..40),
        per_group in 1usize..8,
        codec_choice in 0u8..3,
    ) {
        let file = parquet_file(&rows, per_group, codec(codec_choice));
        let jsonl = json_lines(&rows);
        let json_out = r#"{"JSON":{}}"#;
        for sql in [
            "SELECT * FROM S3Object",
            "SELECT s.s, s.n FROM S3Object s WHERE s.n > 0 OR s.b",
            "SELECT COUNT(*), COUNT(s.x), MAX(s.n), MIN(s.s) FROM S3Object s",
            "SELECT s.x * 2, UPPER(s.s) FROM S3Object s WHERE s.x IS NOT NULL LIMIT 7",
        ] {
            let from_parquet = parquet_out(sql, json_out, &file).unwrap();
            let from_json = streamed_out(sql, JSON_LINES, json_out, &jsonl);
            prop_assert_eq!(
                String::from_utf8_lossy(&from_parquet),
                String::from_utf8_lossy(&from_json),
                "{}", sql
            );
        }
        // CSV values are text: `SELECT *` as CSV prints the same fields.
        let table = csv(&rows);
        let csv_out = r#"{"CSV":{}}"#;
        let from_parquet = parquet_out("SELECT * FROM S3Object", csv_out, &file).unwrap();
        let from_csv = streamed_out("SELECT * FROM S3Object", CSV_IN, csv_out, &table);
        prop_assert_eq!(
            String::from_utf8_lossy(&from_parquet),
            String::from_utf8_lossy(&from_csv)
        );
        // Fed in chunks (held whole until finish), the output is the same as by random access.
        let sql = "SELECT * FROM S3Object";
        let fed = run_to_end(&query(sql, PARQUET, json_out), &file, 97).unwrap().0;
        prop_assert_eq!(fed, parquet_out(sql, json_out, &file).unwrap());
        // A file within the first (tail) read is fetched once: BytesScanned is its size.
        let mut out = Vec::new();
        let stats = run_parquet(&query(sql, PARQUET, json_out), file.as_slice(), &mut out).unwrap();
        prop_assert!(file.len() <= 64 * 1024);
        prop_assert_eq!(stats.bytes_scanned, file.len() as u64);
    }
}

/// Past the tail read, the head and the tail are read apart and the column chunks after them.
#[test]
fn a_file_past_the_tail_read_is_read_in_ranges() {
    let rows: Vec<Row> = (0..3000)
        .map(|i| Row {
            n: Some(i),
            x: None,
            s: Some(format!("row {i} of a file longer than the first read")),
            b: None,
        })
        .collect();
    let file = parquet_file(&rows, 1000, Compression::UNCOMPRESSED);
    assert!(file.len() > 64 * 1024, "{}", file.len());
    let q = query("SELECT s.n FROM S3Object s", PARQUET, r#"{"CSV":{}}"#);
    let run = q.start_parquet(file.len() as u64).unwrap();
    assert_eq!(run.wanted().len(), 2);
    let mut out = Vec::new();
    let stats = run_parquet(&q, file.as_slice(), &mut out).unwrap();
    assert_eq!(out.iter().filter(|b| **b == b'\n').count(), 3000);
    // Only the n column is fetched after the ends: less than the whole file.
    assert!(stats.bytes_scanned < file.len() as u64, "{stats:?}");
}
