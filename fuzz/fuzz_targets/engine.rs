//! The whole engine: serialization options, SQL and data, fed in chunks of fuzzed sizes, then
//! finished. Checks: no panic, no hang, bounded memory; and the answer does not depend on how
//! the input was chunked.
//!
//! Input layout (so `scripts/fuzz-seeds.py` can write seeds from the fixture corpus):
//! `flags, chunk-seed, start: u16 LE, length: u16 LE`, then the text
//! `input-serialization \n output-serialization \n SQL \0 data`. A serialization line is the
//! AWS CLI's JSON, or a number that picks one of the lists below.
//! flags: bit 0 compresses the data here with the input's CompressionType (so the codecs see
//! valid streams, not only garbage); bit 1 adds a ScanRange {start, start+length}; bit 2 makes
//! it open-ended.
#![no_main]

wyvern_fuzz::malloc_hooks!();

use libfuzzer_sys::fuzz_target;
use std::io::{Read, Write};
use wyvern_fuzz::{chunks, split_once, Fnv};
use wyvern_select::serialization::Compression;
use wyvern_select::{
    InputSerialization, OutputSerialization, Query, QueryOptions, ScanRange, SelectError, Sink,
    Timestamp,
};

const INPUTS: &[&str] = &[
    r#"{"CSV":{}}"#,
    r#"{"CSV":{"FileHeaderInfo":"USE"}}"#,
    r#"{"CSV":{"FileHeaderInfo":"IGNORE"}}"#,
    r##"{"CSV":{"FileHeaderInfo":"USE","FieldDelimiter":";","QuoteCharacter":"'","QuoteEscapeCharacter":"\\","RecordDelimiter":"\r\n","Comments":"#","AllowQuotedRecordDelimiter":true}}"##,
    r#"{"CSV":{"FieldDelimiter":"\t","RecordDelimiter":"|","AllowQuotedRecordDelimiter":true}}"#,
    r#"{"JSON":{"Type":"LINES"}}"#,
    r#"{"JSON":{"Type":"DOCUMENT"}}"#,
    r#"{"CSV":{"FileHeaderInfo":"USE"},"CompressionType":"GZIP"}"#,
    r#"{"CSV":{},"CompressionType":"BZIP2"}"#,
    r#"{"JSON":{"Type":"LINES"},"CompressionType":"GZIP"}"#,
    r#"{"JSON":{"Type":"DOCUMENT"},"CompressionType":"BZIP2"}"#,
    r#"{"JSON":{"Type":"LINES"},"CompressionType":"BZIP2"}"#,
    r#"{"JSON":{"Type":"DOCUMENT"},"CompressionType":"GZIP"}"#,
];

const OUTPUTS: &[&str] = &[
    r#"{"CSV":{}}"#,
    r#"{"JSON":{}}"#,
    r#"{"CSV":{"QuoteFields":"ALWAYS","FieldDelimiter":"\t","RecordDelimiter":"\r\n","QuoteCharacter":"'","QuoteEscapeCharacter":"\\"}}"#,
    r#"{"JSON":{"RecordDelimiter":"|"}}"#,
    r#"{"CSV":{"QuoteFields":"ASNEEDED","FieldDelimiter":"::","RecordDelimiter":"~"}}"#,
];

/// Work per input is linear in the decompressed size, so a compression bomb is slow without
/// being a bug (bounded memory for bombs is tests/bounded_memory.rs's job): inputs that expand
/// past this are skipped.
const MAX_EXPANDED: u64 = 4 << 20;

fn serialization(line: &[u8], list: &[&str]) -> Option<String> {
    let text = std::str::from_utf8(line).ok()?.trim();
    Some(match text.parse::<usize>() {
        Ok(i) => list[i % list.len()].to_string(),
        Err(_) => text.to_string(),
    })
}

fn compress(c: Compression, data: &[u8]) -> Vec<u8> {
    match c {
        Compression::None => data.to_vec(),
        Compression::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        }
        Compression::Bzip2 => {
            let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        }
    }
}

/// How many bytes the input decompresses to, counting up to the cap.
fn expanded(c: Compression, data: &[u8]) -> u64 {
    let reader: Box<dyn Read + '_> = match c {
        Compression::None => return data.len() as u64,
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(data)),
        Compression::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(data)),
    };
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    let mut r = reader.take(MAX_EXPANDED + 1);
    while let Ok(n) = r.read(&mut buf) {
        if n == 0 {
            break;
        }
        total += n as u64;
    }
    total
}

/// Hashes result bytes as the run flushes them, so output memory stays bounded too.
#[derive(Default)]
struct HashSink {
    buf: Vec<u8>,
    hash: Fnv,
    len: u64,
}

impl Sink for HashSink {
    fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }
    fn flush(&mut self) -> Result<(), SelectError> {
        self.hash.write(&self.buf);
        self.len += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Ok {
        hash: Fnv,
        len: u64,
        records: u64,
        returned: u64,
    },
    Err(wyvern_select::ErrorCode),
}

fn run(query: &Query, data: &[u8], seed: u8) -> Outcome {
    let mut r = query.start();
    let mut sink = HashSink::default();
    for chunk in chunks(data, seed) {
        if let Err(e) = r.feed(chunk, &mut sink) {
            return Outcome::Err(e.code);
        }
        if r.is_done() {
            break;
        }
    }
    match r.finish(&mut sink.buf) {
        Ok(stats) => {
            sink.flush().unwrap();
            Outcome::Ok {
                hash: sink.hash,
                len: sink.len,
                records: stats.records_returned,
                returned: stats.bytes_returned,
            }
        }
        Err(e) => Outcome::Err(e.code),
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 6 {
        return;
    }
    let (flags, seed) = (data[0], data[1]);
    let start = u16::from_le_bytes([data[2], data[3]]) as u64;
    let length = u16::from_le_bytes([data[4], data[5]]) as u64;
    let (input_line, rest) = split_once(&data[6..], b'\n');
    let (output_line, rest) = split_once(rest, b'\n');
    let (sql, body) = split_once(rest, 0);
    let (Some(input), Some(output)) = (
        serialization(input_line, INPUTS),
        serialization(output_line, OUTPUTS),
    ) else {
        return;
    };
    let (Ok(input), Ok(output)) = (
        InputSerialization::from_json(&input),
        OutputSerialization::from_json(&output),
    ) else {
        return;
    };
    let compression = input.compression;
    let body = if flags & 1 != 0 {
        compress(compression, body)
    } else {
        body.to_vec()
    };
    if expanded(compression, &body) > MAX_EXPANDED {
        return;
    }
    let scan_range = (flags & 2 != 0).then(|| ScanRange {
        start,
        end: if flags & 4 != 0 {
            u64::MAX
        } else {
            start + length
        },
    });
    let options = QueryOptions {
        input,
        output,
        scan_range,
        now: Timestamp::from_unix_millis(1_763_900_000_123),
    };
    let Ok(query) = Query::compile(&String::from_utf8_lossy(sql), options) else {
        return;
    };
    let whole = run(&query, &body, 0);
    if seed == 0 {
        return;
    }
    let chunked = run(&query, &body, seed);
    match (&whole, &chunked) {
        (Outcome::Ok { .. }, Outcome::Ok { .. }) => {
            assert_eq!(whole, chunked, "the answer depends on the chunk sizes")
        }
        // A compressed stream that turns corrupt after a LIMIT is met fails when fed whole
        // (decompression runs ahead of the records) but not in small chunks, as in S3.
        _ if compression != Compression::None => {}
        _ => assert_eq!(whole, chunked, "the outcome depends on the chunk sizes"),
    }
});
