//! Memory stays bounded by the largest record whatever the compression ratio: every byte the
//! engine allocates is counted while highly compressed inputs run (one test, so nothing else
//! allocates on the side while it measures).

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use wyvern_select::{
    ErrorCode, InputSerialization, OutputSerialization, Query, QueryOptions, Sink, Timestamp,
    MAX_RECORD_BYTES,
};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(now, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Output that is passed on and dropped, as the CLI writes it to stdout.
#[derive(Default)]
struct Discard {
    buf: Vec<u8>,
    bytes: usize,
}

impl Sink for Discard {
    fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }
    fn flush(&mut self) -> Result<(), wyvern_select::SelectError> {
        self.bytes += self.buf.len();
        self.buf.clear();
        Ok(())
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn bzip2(data: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Runs `sql` over `compressed` fed as one chunk; returns the outcome, the output size and the
/// peak of memory allocated during the run beyond what was held before it.
fn measure(sql: &str, input: &str, compressed: &[u8]) -> (Result<(), ErrorCode>, usize, usize) {
    let options = QueryOptions {
        input: InputSerialization::from_json(input).unwrap(),
        output: OutputSerialization::from_json(r#"{"CSV":{}}"#).unwrap(),
        scan_range: None,
        now: Timestamp::from_unix_millis(0),
    };
    let query = Query::compile(sql, options).unwrap();
    let mut out = Discard::default();
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let mut run = query.start();
    let result = run
        .feed(compressed, &mut out)
        .and_then(|_| run.finish(&mut out.buf).map(drop))
        .map_err(|e| e.code);
    out.flush().unwrap();
    let peak = PEAK.load(Relaxed) - before;
    (result, out.bytes, peak)
}

#[test]
fn compressed_input_runs_in_memory_bounded_by_a_record() {
    const BOUND: usize = 4 * MAX_RECORD_BYTES;
    // 16 MB of one byte and no newline: a bomb that must fail at the first megabyte.
    let one_record = vec![b'x'; 16 << 20];
    // 16 MB of short CSV records.
    let line = b"Atlas,red,120\n";
    let n = (16 << 20) / line.len();
    let records: Vec<u8> = line.repeat(n);
    for (name, codec, packed_record, packed_records) in [
        ("GZIP", "GZIP", gzip(&one_record), gzip(&records)),
        ("BZIP2", "BZIP2", bzip2(&one_record), bzip2(&records)),
    ] {
        let input = format!(r#"{{"CSV":{{}},"CompressionType":"{codec}"}}"#);
        let (r, _, peak) = measure("SELECT COUNT(*) FROM S3Object", &input, &packed_record);
        assert_eq!(r, Err(ErrorCode::OverMaxRecordSize), "{name}");
        assert!(peak < BOUND, "{name} one long record: peak {peak} bytes");

        let (r, bytes, peak) = measure("SELECT COUNT(*) FROM S3Object", &input, &packed_records);
        assert_eq!((r, bytes), (Ok(()), format!("{n}\n").len()), "{name}");
        assert!(peak < BOUND, "{name} count: peak {peak} bytes");

        let (r, bytes, peak) = measure("SELECT * FROM S3Object", &input, &packed_records);
        assert_eq!((r, bytes), (Ok(()), records.len()), "{name}");
        assert!(peak < BOUND, "{name} select *: peak {peak} bytes");
    }
}
