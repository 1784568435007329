//! Benchmark driver for the engine (see scripts/bench-select.py, which adds DuckDB).
//!
//!   bench generate DIR MB      write DIR/dragons.csv and DIR/dragons.jsonl, about MB megabytes each
//!   bench run FILE INPUT SQL   run SQL over FILE (InputSerialization JSON INPUT), JSON output,
//!                              1 MiB chunks, best of 3; prints {"ms":…,"bytes":…,"rows":…,"out":…}

use std::io::Write;
use std::time::Instant;
use wyvern_select::{InputSerialization, OutputSerialization, Query, QueryOptions, Timestamp};

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
    let data = std::fs::read(file).unwrap();
    let options = QueryOptions {
        input: InputSerialization::from_json(input).unwrap(),
        output: OutputSerialization::from_json(r#"{"JSON":{}}"#).unwrap(),
        scan_range: None,
        now: Timestamp::from_unix_millis(0),
    };
    let query = Query::compile(sql, options).unwrap_or_else(|e| panic!("{e}"));
    let mut best = f64::MAX;
    let mut last = (0u64, 0u64);
    for _ in 0..3 {
        let start = Instant::now();
        let mut run = query.start();
        let mut out = Vec::with_capacity(4 << 20);
        let mut out_bytes = 0u64;
        for chunk in data.chunks(1 << 20) {
            run.feed(chunk, &mut out).unwrap();
            out_bytes += out.len() as u64;
            out.clear();
        }
        let stats = run.finish(&mut out).unwrap();
        out_bytes += out.len() as u64;
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        best = best.min(ms);
        last = (stats.records_returned, out_bytes);
    }
    let lines = data.iter().filter(|&&b| b == b'\n').count();
    println!(
        "{{\"ms\":{best:.1},\"bytes\":{},\"rows\":{lines},\"records\":{},\"out\":{}}}",
        data.len(),
        last.0,
        last.1
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
