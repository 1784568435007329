//! Damaged Parquet files give a coded error, never a panic, and without the native builds'
//! panic backstop: every run here goes through `ParquetRun::supply_uncontained`, as the browser
//! build (`panic = "abort"`) runs it, so a panic anywhere (ours or the parquet crate's) fails
//! the test instead of becoming a ParquetParsingError.

#![cfg(feature = "parquet")]

use parquet::basic::{Compression, GzipLevel};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::{WriterProperties, WriterVersion};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};
use wyvern_select::input::parquet::{run_parquet, RandomAccess};
use wyvern_select::{
    ErrorCode, InputSerialization, OutputSerialization, Query, QueryOptions, SelectError, Timestamp,
};

fn query(sql: &str) -> Query {
    let options = QueryOptions {
        input: InputSerialization::from_json(r#"{"Parquet":{}}"#).unwrap(),
        output: OutputSerialization::from_json(r#"{"JSON":{}}"#).unwrap(),
        scan_range: None,
        now: Timestamp::from_unix_millis(0),
    };
    Query::compile(sql, options).unwrap()
}

/// `run_parquet`, but with no panic containment.
fn run_uncontained(sql: &str, file: &[u8]) -> Result<Vec<u8>, SelectError> {
    let mut run = query(sql).start_parquet(file.len() as u64)?;
    let mut out = Vec::new();
    while !run.wanted().is_empty() {
        let chunks = run
            .wanted()
            .iter()
            .map(|r| file.read_at(*r))
            .collect::<Result<Vec<_>, _>>()?;
        run.supply_uncontained(chunks, &mut out)?;
    }
    run.finish(&mut out)?;
    Ok(out)
}

fn checked_in(name: &str) -> Vec<u8> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parquet/data");
    std::fs::read(dir.join(format!("{name}.parquet"))).unwrap()
}

/// A file from the parquet crate's writer: every physical type the engine reads, optional and
/// repeated, with the page version, dictionary and codec given (v2 pages without a dictionary
/// use the DELTA encodings and RLE booleans, which the checked-in files do not have).
fn written(version: WriterVersion, dictionary: bool, codec: Compression) -> Vec<u8> {
    let schema = parse_message_type(
        "message t { optional int64 n; required int32 i; optional double x; \
         optional binary s (STRING); optional boolean b; repeated int32 r; }",
    )
    .unwrap();
    let props = WriterProperties::builder()
        .set_writer_version(version)
        .set_dictionary_enabled(dictionary)
        .set_compression(codec)
        .set_data_page_row_count_limit(7)
        .set_write_batch_size(7)
        .build();
    let mut w = SerializedFileWriter::new(Vec::new(), Arc::new(schema), Arc::new(props)).unwrap();
    for group in 0..2i64 {
        let rows = 20usize;
        let defs: Vec<i16> = (0..rows).map(|k| i16::from(k % 3 != 0)).collect();
        let present = defs.iter().filter(|d| **d == 1).count();
        let mut rg = w.next_row_group().unwrap();
        let mut column = 0;
        while let Some(mut col) = rg.next_column().unwrap() {
            match column {
                0 => {
                    let v: Vec<i64> = (0..present as i64).map(|k| k * 1000 + group).collect();
                    col.typed::<Int64Type>()
                        .write_batch(&v, Some(&defs), None)
                        .unwrap();
                }
                1 => {
                    let v: Vec<i32> = (0..rows as i32).map(|k| k % 5).collect();
                    col.typed::<Int32Type>()
                        .write_batch(&v, None, None)
                        .unwrap();
                }
                2 => {
                    let v: Vec<f64> = (0..present).map(|k| k as f64 / 4.0).collect();
                    col.typed::<DoubleType>()
                        .write_batch(&v, Some(&defs), None)
                        .unwrap();
                }
                3 => {
                    let v: Vec<ByteArray> = (0..present)
                        .map(|k| ByteArray::from(format!("s{}", k % 4).as_str()))
                        .collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&v, Some(&defs), None)
                        .unwrap();
                }
                4 => {
                    let v: Vec<bool> = (0..present).map(|k| k % 2 == 0).collect();
                    col.typed::<BoolType>()
                        .write_batch(&v, Some(&defs), None)
                        .unwrap();
                }
                _ => {
                    // Row k has k % 3 elements (none: one level, defined to 0).
                    let mut v = Vec::new();
                    let (mut d, mut r) = (Vec::new(), Vec::new());
                    for k in 0..rows as i32 {
                        let n = k % 3;
                        if n == 0 {
                            d.push(0);
                            r.push(0);
                        }
                        for e in 0..n {
                            v.push(k + e);
                            d.push(1);
                            r.push(i16::from(e > 0));
                        }
                    }
                    col.typed::<Int32Type>()
                        .write_batch(&v, Some(&d), Some(&r))
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

/// The seeds for damage: the checked-in reference files and the writer's variants.
fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(make_seeds)
}

/// How many of the seeds are checked-in files (the rest read whole without error).
const CHECKED_IN: usize = 8;

fn make_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = [
        "types",
        "nested",
        "people-gzip",
        "people-snappy",
        "people-none",
        "people-v2-plain",
        "map",
        "int96",
    ]
    .iter()
    .map(|name| checked_in(name))
    .collect();
    let gzip = Compression::GZIP(GzipLevel::default());
    for version in [WriterVersion::PARQUET_1_0, WriterVersion::PARQUET_2_0] {
        for dictionary in [true, false] {
            for codec in [Compression::UNCOMPRESSED, Compression::SNAPPY, gzip] {
                seeds.push(written(version, dictionary, codec));
            }
        }
    }
    seeds
}

#[derive(Debug, Clone)]
enum Damage {
    /// XOR a byte at a position (as a fraction of the length).
    Flip(f64, u8),
    /// Overwrite 4 bytes with a little-endian u32 (lengths and counts in the footer and in
    /// RLE and PLAIN page bodies).
    Word(f64, u32),
    /// Overwrite with a thrift varint (sizes and counts in page headers and the footer).
    Varint(f64, u64),
    /// Overwrite with a byte that means something to thrift or to RLE runs.
    Set(f64, u8),
    /// Copy a run of bytes from one place over another (headers over bodies and back).
    Copy(f64, f64, u8),
    Truncate(f64),
}

fn damage() -> impl Strategy<Value = Damage> {
    let at = 0.0..1.0f64;
    let meaningful = prop_oneof![
        Just(0x00u8),
        Just(0x01),
        Just(0x03),
        Just(0x07),
        Just(0x15),
        Just(0x16),
        Just(0x19),
        Just(0x1c),
        Just(0x2c),
        Just(0x7f),
        Just(0x80),
        Just(0xff),
    ];
    prop_oneof![
        6 => (at.clone(), 1u8..=255).prop_map(|(a, x)| Damage::Flip(a, x)),
        3 => (at.clone(), any::<u32>()).prop_map(|(a, w)| Damage::Word(a, w)),
        3 => (at.clone(), prop_oneof![0u64..300, any::<u32>().prop_map(u64::from), any::<u64>()])
            .prop_map(|(a, v)| Damage::Varint(a, v)),
        3 => (at.clone(), meaningful).prop_map(|(a, b)| Damage::Set(a, b)),
        1 => (at.clone(), at.clone(), 1u8..32).prop_map(|(a, b, n)| Damage::Copy(a, b, n)),
        1 => at.prop_map(Damage::Truncate),
    ]
}

fn overwrite(file: &mut [u8], at: usize, bytes: &[u8]) {
    for (k, b) in bytes.iter().enumerate() {
        if let Some(slot) = file.get_mut(at + k) {
            *slot = *b;
        }
    }
}

fn apply(file: &mut Vec<u8>, d: &Damage) {
    let at = |f: f64, len: usize| ((f * len as f64) as usize).min(len.saturating_sub(1));
    let len = file.len();
    if len == 0 {
        return;
    }
    match *d {
        Damage::Flip(f, x) => file[at(f, len)] ^= x,
        Damage::Word(f, w) => overwrite(file, at(f, len), &w.to_le_bytes()),
        Damage::Varint(f, mut v) => {
            let mut bytes = Vec::new();
            loop {
                let low = (v & 0x7f) as u8;
                v >>= 7;
                if v == 0 {
                    bytes.push(low);
                    break;
                }
                bytes.push(low | 0x80);
            }
            overwrite(file, at(f, len), &bytes);
        }
        Damage::Set(f, b) => file[at(f, len)] = b,
        Damage::Copy(from, to, n) => {
            let from = at(from, len);
            let run: Vec<u8> = file[from..(from + usize::from(n)).min(len)].to_vec();
            overwrite(file, at(to, len), &run);
        }
        Damage::Truncate(f) => file.truncate(at(f, len)),
    }
}

const QUERIES: [&str; 3] = [
    "SELECT * FROM S3Object",
    "SELECT COUNT(*) FROM S3Object",
    "SELECT s.s, s.r, s.name FROM S3Object s",
];

fn assert_coded(r: Result<Vec<u8>, SelectError>) -> Result<(), TestCaseError> {
    if let Err(e) = r {
        prop_assert!(
            matches!(
                e.code,
                ErrorCode::ParquetParsingError
                    | ErrorCode::UnsupportedParquetType
                    | ErrorCode::ParquetUnsupportedCompressionCodec
                    | ErrorCode::OverMaxParquetBlockSize
                    | ErrorCode::InvalidTextEncoding
                    // A damaged schema can name two fields alike (`r` and `R`).
                    | ErrorCode::AmbiguousFieldName
            ),
            "{e}"
        );
    }
    Ok(())
}

#[test]
fn every_seed_reads_undamaged() {
    for (i, file) in seeds().iter().enumerate().skip(CHECKED_IN) {
        for sql in QUERIES {
            let out = run_uncontained(sql, file).unwrap_or_else(|e| panic!("seed {i}: {e}"));
            assert!(!out.is_empty(), "seed {i}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn damaged_parquet_is_an_error_never_a_panic(
        seed in any::<prop::sample::Index>(),
        damages in proptest::collection::vec(damage(), 1..4),
    ) {
        let mut file = seed.get(seeds()).clone();
        for d in &damages {
            apply(&mut file, d);
        }
        for sql in QUERIES {
            assert_coded(run_uncontained(sql, &file))?;
        }
        // The contained path agrees (same input, same result kind).
        let mut out = Vec::new();
        assert_coded(run_parquet(&query(QUERIES[0]), file.as_slice(), &mut out).map(|_| out))?;
    }
}

/// A damaged BYTE_ARRAY length on which the parquet crate asserts (its `read_num_bytes`): now
/// refused by the page checks, without the panic backstop.
#[test]
fn a_page_the_decoder_asserts_on_is_refused_before_it_decodes() {
    let mut file = checked_in("people-gzip");
    apply(&mut file, &Damage::Flip(0.037375500627191305, 16));
    let e = run_uncontained("SELECT * FROM S3Object", &file).unwrap_err();
    assert_eq!(e.code, ErrorCode::ParquetParsingError, "{e}");
    assert!(e.message.contains("page is corrupt"), "{e}");
}

/// Footers the parquet fuzz target found (checked in as they were found): the crate sized a
/// buffer by a schema element's child count (11 GB), looped over a map's claimed size (a
/// minute), or read a field it knows by the type it expects while the bytes held another, and
/// so skipped a count read from the middle of a value (4 s); the footer check refuses each
/// before the crate decodes anything.
#[test]
fn footers_whose_counts_outgrow_their_bytes_are_refused_before_decoding() {
    for (name, why) in [
        ("fuzzed-schema-children", "its footer is corrupt"),
        ("fuzzed-map-count", "elements in fewer bytes"),
        ("fuzzed-wire-type", "not the format's"),
    ] {
        let e = run_uncontained("SELECT COUNT(*) FROM S3Object", &checked_in(name)).unwrap_err();
        assert_eq!(e.code, ErrorCode::ParquetParsingError, "{name}: {e}");
        assert!(e.message.contains(why), "{name}: {e}");
    }
}
