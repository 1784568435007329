//! A page header claiming a huge uncompressed size is refused before anything that size is
//! allocated: this test binary's allocator records the largest single allocation.

#![cfg(feature = "parquet")]

use bytes::Bytes;
use parquet::basic::{Compression, GzipLevel};
use parquet::data_type::Int64Type;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::SerializedFileReader;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use wyvern_select::input::parquet::run_parquet;
use wyvern_select::{
    ErrorCode, InputSerialization, OutputSerialization, Query, QueryOptions, SelectError, Timestamp,
};

struct RecordsLargest;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for RecordsLargest {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: RecordsLargest = RecordsLargest;

/// The tests here share LARGEST: one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn file(codec: Compression) -> Vec<u8> {
    let schema = parse_message_type("message t { required int64 n; }").unwrap();
    let props = WriterProperties::builder()
        .set_compression(codec)
        .set_dictionary_enabled(false)
        .build();
    let mut w = SerializedFileWriter::new(Vec::new(), Arc::new(schema), Arc::new(props)).unwrap();
    let mut rg = w.next_row_group().unwrap();
    let mut col = rg.next_column().unwrap().unwrap();
    let values: Vec<i64> = (0..500).collect();
    col.typed::<Int64Type>()
        .write_batch(&values, None, None)
        .unwrap();
    col.close().unwrap();
    rg.close().unwrap();
    w.into_inner().unwrap()
}

fn varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut v = 0;
    for shift in (0..).step_by(7) {
        let b = bytes[*at];
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
    }
    v
}

/// The file with its first page header claiming `uncompressed` bytes. The header's first three
/// fields (type, uncompressed and compressed size, as writers order them) are written anew;
/// the rest of the chunk moves up by the bytes that takes, and the page's compressed size
/// shrinks by as much, so the page still ends where it did.
fn claiming(mut file: Vec<u8>, uncompressed: u64) -> Vec<u8> {
    let reader = SerializedFileReader::new(Bytes::from(file.clone())).unwrap();
    let chunk = reader.metadata().row_group(0).column(0).clone();
    let start = chunk.data_page_offset() as usize;
    let end = start + chunk.compressed_size() as usize;
    let mut at = start;
    let mut fields = [0u64; 3];
    for field in &mut fields {
        assert_eq!(file[at], 0x15, "an i32 field with id delta 1");
        at += 1;
        *field = read_varint(&file, &mut at);
    }
    let old_len = at - start;
    let zigzag = |v: u64| v << 1;
    let mut compressed = fields[2] >> 1;
    let prefix = loop {
        let mut prefix = Vec::new();
        for v in [fields[0], zigzag(uncompressed), zigzag(compressed)] {
            prefix.push(0x15);
            varint(v, &mut prefix);
        }
        let growth = (prefix.len() - old_len) as u64;
        if (fields[2] >> 1) - growth == compressed {
            break prefix;
        }
        compressed = (fields[2] >> 1) - growth;
    };
    let rest = file[start + old_len..end - (prefix.len() - old_len)].to_vec();
    file.splice(start..end, prefix.into_iter().chain(rest));
    file
}

fn run(file: &[u8]) -> (SelectError, usize) {
    let options = QueryOptions {
        input: InputSerialization::from_json(r#"{"Parquet":{}}"#).unwrap(),
        output: OutputSerialization::from_json(r#"{"JSON":{}}"#).unwrap(),
        scan_range: None,
        now: Timestamp::from_unix_millis(0),
    };
    let query = Query::compile("SELECT * FROM S3Object", options).unwrap();
    let mut out = Vec::new();
    LARGEST.store(0, Ordering::Relaxed);
    let e = run_parquet(&query, file, &mut out).unwrap_err();
    (e, LARGEST.load(Ordering::Relaxed))
}

const NOTHING_LARGE: usize = 1 << 20;

#[test]
fn the_rewrite_with_the_true_size_keeps_the_file_readable() {
    let gzip = Compression::GZIP(GzipLevel::default());
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    for codec in [Compression::UNCOMPRESSED, Compression::SNAPPY, gzip] {
        let unchanged = claiming(file(codec), 500 * 8);
        assert_eq!(unchanged.len(), file(codec).len());
        let options = QueryOptions {
            input: InputSerialization::from_json(r#"{"Parquet":{}}"#).unwrap(),
            output: OutputSerialization::from_json(r#"{"CSV":{}}"#).unwrap(),
            scan_range: None,
            now: Timestamp::from_unix_millis(0),
        };
        // 500 PLAIN int64 values, no levels: 4000 bytes uncompressed.
        let query = Query::compile("SELECT COUNT(*) FROM S3Object", options).unwrap();
        let mut out = Vec::new();
        let r = run_parquet(&query, unchanged.as_slice(), &mut out);
        assert_eq!(String::from_utf8_lossy(&out), "500\n", "{codec}: {r:?}");
    }
}

#[test]
fn a_page_claiming_2_gib_is_refused_before_it_is_allocated() {
    let gzip = Compression::GZIP(GzipLevel::default());
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    for codec in [Compression::UNCOMPRESSED, Compression::SNAPPY, gzip] {
        let (e, largest) = run(&claiming(file(codec), i32::MAX as u64));
        assert_eq!(e.code, ErrorCode::OverMaxParquetBlockSize, "{codec}: {e}");
        assert!(
            largest < NOTHING_LARGE,
            "{codec}: allocated {largest} bytes"
        );
    }
}

#[test]
fn a_page_claiming_more_than_its_bytes_can_hold_is_refused_before_it_is_allocated() {
    let gzip = Compression::GZIP(GzipLevel::default());
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    for codec in [Compression::UNCOMPRESSED, Compression::SNAPPY, gzip] {
        let (e, largest) = run(&claiming(file(codec), 400 << 20));
        assert_eq!(e.code, ErrorCode::ParquetParsingError, "{codec}: {e}");
        assert!(e.message.contains("cannot hold"), "{codec}: {e}");
        assert!(
            largest < NOTHING_LARGE,
            "{codec}: allocated {largest} bytes"
        );
    }
}
