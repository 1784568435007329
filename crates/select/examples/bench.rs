//! Benchmark driver for the engine (see scripts/bench-select.py, which adds DuckDB).
//!
//!   bench generate DIR MB      write DIR/dragons.csv and DIR/dragons.jsonl, about MB megabytes each
//!   bench run FILE INPUT SQL   run SQL over FILE (InputSerialization JSON INPUT), JSON output,
//!                              1 MiB chunks (BENCH_CHUNK=BYTES to change), best of 3; prints {"ms":…,"bytes":…,"rows":…,"out":…}
//!                              (a Parquet FILE, with the `parquet` feature, is read with random
//!                              access as the CLI reads it; its "rows" are not counted: 0)

use std::io::Write;
use std::time::Instant;
use wyvern_select::{
    InputSerialization, OutputSerialization, Query, QueryOptions, Sink, Timestamp,
};

/// Counts the output and drops it as the engine flushes, so memory stays flat.
#[derive(Default)]
struct Counting {
    buffer: Vec<u8>,
    total: u64,
}

impl Sink for Counting {
    fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.buffer
    }
    fn flush(&mut self) -> wyvern_select::error::Result<()> {
        self.total += self.buffer.len() as u64;
        self.buffer.clear();
        Ok(())
    }
}

/// One run of a Parquet file by random access: (records, output bytes).
#[cfg(feature = "parquet")]
fn run_parquet_once(query: &Query, file: &str) -> (u64, u64) {
    let f = std::fs::File::open(file).unwrap();
    let mut out = Counting::default();
    let stats = wyvern_select::input::parquet::run_parquet(query, &f, &mut out)
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = out.flush();
    (stats.records_returned, out.total)
}

#[cfg(not(feature = "parquet"))]
fn run_parquet_once(_: &Query, _: &str) -> (u64, u64) {
    eprintln!("Parquet needs the parquet feature: cargo build --example bench --features parquet");
    std::process::exit(2);
}

const FAMILIES: [&str; 7] = ["red", "blue", "black", "green", "gold", "silver", "white"];
const CITIES: [&str; 6] = [
    "anchorage",
    "seattle",
    "austin",
    "vancouver",
    "cardiff",
    "kyoto",
];
const SYLLABLES: [&str; 12] = [
    "ash", "bla", "cin", "dro", "em", "fa", "gla", "hy", "ig", "jor", "ka", "la",
];

/// A small deterministic generator (xorshift), so every run writes the same files.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

fn generate(dir: &str, mb: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut csv =
        std::io::BufWriter::new(std::fs::File::create(format!("{dir}/dragons.csv")).unwrap());
    let mut jsonl =
        std::io::BufWriter::new(std::fs::File::create(format!("{dir}/dragons.jsonl")).unwrap());
    writeln!(csv, "name,family,description,city,country,wingspan,age").unwrap();
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let (mut csv_bytes, mut json_bytes) = (0usize, 0usize);
    let target = mb * 1_000_000;
    let mut i = 0u64;
    while csv_bytes < target || json_bytes < target {
        let name = format!("{}{}{}", rng.pick(&SYLLABLES), rng.pick(&SYLLABLES), i);
        let name = format!("{}{}", name[..1].to_uppercase(), &name[1..]);
        let family = rng.pick(&FAMILIES);
        let city = rng.pick(&CITIES);
        let desc = format!(
            "A {family} dragon seen near {city} (number {})",
            rng.next() % 1000
        );
        let wingspan = 10 + rng.next() % 140;
        let age = rng.next() % 900;
        if csv_bytes < target {
            let line = format!("{name},{family},{desc},{city},usa,{wingspan},{age}\n");
            csv_bytes += line.len();
            csv.write_all(line.as_bytes()).unwrap();
        }
        if json_bytes < target {
            let line = format!(
                "{{\"name\":\"{name}\",\"family\":\"{family}\",\"description\":\"{desc}\",\"city\":\"{city}\",\"country\":\"usa\",\"wingspan\":{wingspan},\"age\":{age}}}\n"
            );
            json_bytes += line.len();
            jsonl.write_all(line.as_bytes()).unwrap();
        }
        i += 1;
    }
    eprintln!("wrote {i} records: {csv_bytes} bytes of CSV, {json_bytes} bytes of JSON lines");
}

fn run(file: &str, input: &str, sql: &str) {
    let options = QueryOptions {
        input: InputSerialization::from_json(input).unwrap(),
        output: OutputSerialization::from_json(r#"{"JSON":{}}"#).unwrap(),
        scan_range: None,
        now: Timestamp::from_unix_millis(0),
    };
    let parquet = input.contains("Parquet");
    let query = Query::compile(sql, options).unwrap_or_else(|e| panic!("{e}"));
    // A Parquet file is read with random access, never whole; text is fed in 1 MiB chunks.
    let data = if parquet {
        Vec::new()
    } else {
        std::fs::read(file).unwrap()
    };
    // The browser's worker is fed 256 KiB at a time; the CLI reads 1 MiB.
    let chunk_size = std::env::var("BENCH_CHUNK")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&c: &usize| c > 0)
        .unwrap_or(1 << 20);
    let mut best = f64::MAX;
    let mut last = (0u64, 0u64);
    for _ in 0..3 {
        let start = Instant::now();
        last = if parquet {
            run_parquet_once(&query, file)
        } else {
            let mut run = query.start();
            let mut out = Counting::default();
            for chunk in data.chunks(chunk_size) {
                run.feed(chunk, &mut out).unwrap();
            }
            let stats = run.finish(&mut out.buffer).unwrap();
            let _ = out.flush();
            (stats.records_returned, out.total)
        };
        best = best.min(start.elapsed().as_secs_f64() * 1000.0);
    }
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    let lines = data.iter().filter(|&&b| b == b'\n').count();
    println!(
        "{{\"ms\":{best:.1},\"bytes\":{bytes},\"rows\":{lines},\"records\":{},\"out\":{}}}",
        last.0, last.1
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate", dir, mb] => generate(dir, mb.parse().unwrap()),
        ["run", file, input, sql] => run(file, input, sql),
        _ => {
            eprintln!("usage: bench generate DIR MB | bench run FILE INPUT_SERIALIZATION SQL");
            std::process::exit(2);
        }
    }
}
