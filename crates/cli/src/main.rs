//! `s3select`: runs S3 Select SQL over a local file (or stdin) and writes exactly the bytes S3
//! Select would return in its Records events.
//!
//! ```text
//! s3select --expression SQL [--expression-type SQL] [--input-serialization JSON]
//!          [--output-serialization JSON] [--scan-range JSON] [--stats] [FILE|-]
//! s3select --detect [FILE|-]
//! s3select --to-athena TABLE --expression SQL [--input-serialization JSON]
//! ```
//! `--to-athena` prints the query in Amazon Athena's SQL (Trino's) over a table named TABLE that
//! holds the object's records, and on stderr what the two dialects do differently (`- ` lines);
//! a query Athena cannot say is an `ErrorCode: message` and exit status 1.
//! `--detect` reads the start of the file and prints the InputSerialization that reads it (the
//! AWS CLI JSON shape) on stdout, the reasons on stderr; a file it cannot read (empty, binary,
//! an archive) is an `ErrorCode: message` on stderr and exit status 1.
//! On error the exit status is 1 (2 for a bad command line) and the first line on stderr is
//! `ErrorCode: message`; records produced before the error are on stdout, as S3 streams them
//! before its error event. `--stats` writes one JSON line to stderr:
//! `{"BytesScanned":N,"BytesProcessed":N,"BytesReturned":N}`. `S3SELECT_NOW=<timestamp>` fixes
//! UTCNOW() for reproducible runs.
//! `--input-serialization '{"Parquet":{}}'` reads a Parquet FILE with random access (footer
//! first, then only the columns the query names); Parquet on stdin is held whole first.

use std::io::{self, Read, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};
use wyvern_select::input::parquet::run_parquet;
use wyvern_select::serialization::InputFormat;
use wyvern_select::{
    ErrorCode, InputSerialization, OutputSerialization, Query, QueryOptions, ScanRange,
    SelectError, Sink, Stats, Timestamp,
};

const USAGE: &str = "usage: s3select --expression SQL [--expression-type SQL] [--input-serialization JSON] [--output-serialization JSON] [--scan-range JSON] [--stats] [FILE|-]\n       s3select --detect [FILE|-]\n       s3select --to-athena TABLE --expression SQL [--input-serialization JSON]";
const CHUNK: usize = 1 << 20;

#[derive(Default)]
struct Args {
    expression: Option<String>,
    expression_type: Option<String>,
    input: Option<String>,
    output: Option<String>,
    scan_range: Option<String>,
    stats: bool,
    detect: bool,
    athena_table: Option<String>,
    file: Option<String>,
}

fn usage_error(msg: &str) -> SelectError {
    SelectError::new(
        ErrorCode::MissingRequiredParameter,
        format!("{msg}\n{USAGE}"),
    )
}

fn parse_args(argv: impl Iterator<Item = String>) -> Result<Args, SelectError> {
    let mut args = Args::default();
    let mut it = argv.peekable();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, SelectError> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it
                    .next()
                    .ok_or_else(|| usage_error(&format!("{name} needs a value."))),
            }
        };
        match flag.as_str() {
            "--expression" => args.expression = Some(value("--expression")?),
            "--expression-type" => args.expression_type = Some(value("--expression-type")?),
            "--input-serialization" => args.input = Some(value("--input-serialization")?),
            "--output-serialization" => args.output = Some(value("--output-serialization")?),
            "--scan-range" => args.scan_range = Some(value("--scan-range")?),
            "--stats" => args.stats = true,
            "--detect" if inline.is_none() => args.detect = true,
            "--to-athena" => args.athena_table = Some(value("--to-athena")?),
            "-h" | "--help" => return Err(usage_error("")),
            f if f.starts_with("--") => return Err(usage_error(&format!("Unknown option {f}."))),
            _ if args.file.is_none() => args.file = Some(arg),
            _ => return Err(usage_error("Give at most one FILE.")),
        }
    }
    if args.detect {
        let others = args.expression.is_some()
            || args.expression_type.is_some()
            || args.input.is_some()
            || args.output.is_some()
            || args.scan_range.is_some()
            || args.stats;
        if others {
            return Err(usage_error("--detect takes only FILE."));
        }
        return Ok(args);
    }
    if args.expression.is_none() {
        return Err(usage_error("--expression is required."));
    }
    Ok(args)
}

/// The UTCNOW() of this run: the clock, or `S3SELECT_NOW` (a timestamp) for reproducible runs.
fn now() -> Timestamp {
    if let Some(t) = std::env::var("S3SELECT_NOW")
        .ok()
        .and_then(|s| Timestamp::parse(&s))
    {
        return t;
    }
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Timestamp::from_unix_millis(ms)
}

/// FILE (or stdin for none or `-`), with its size when known.
fn open_input(file: Option<&str>) -> Result<(Box<dyn Read>, Option<u64>), SelectError> {
    match file {
        None | Some("-") => Ok((Box::new(io::stdin().lock()), None)),
        Some(path) => {
            let f = std::fs::File::open(path)
                .map_err(|e| io_error(&format!("Cannot open {path}"), e))?;
            let size = f.metadata().ok().map(|m| m.len());
            Ok((Box::new(f), size))
        }
    }
}

fn io_error(what: &str, e: io::Error) -> SelectError {
    SelectError::new(ErrorCode::InvalidRequestParameter, format!("{what}: {e}"))
}

fn run(args: Args) -> Result<(), SelectError> {
    let sql = args
        .expression
        .ok_or_else(|| usage_error("--expression is required."))?;
    if let Some(t) = &args.expression_type {
        if !t.eq_ignore_ascii_case("SQL") {
            return Err(SelectError::new(
                ErrorCode::InvalidExpressionType,
                format!("ExpressionType {t} is not supported; use SQL."),
            ));
        }
    }
    let input = InputSerialization::from_json(args.input.as_deref().unwrap_or(r#"{"CSV":{}}"#))?;
    let output = OutputSerialization::from_json(args.output.as_deref().unwrap_or(r#"{"CSV":{}}"#))?;
    let (mut reader, size) = open_input(args.file.as_deref())?;
    let scan_range = match &args.scan_range {
        Some(s) => Some(ScanRange::from_json(s, size)?),
        None => None,
    };
    let query = Query::compile(
        &sql,
        QueryOptions {
            input,
            output,
            scan_range,
            now: now(),
        },
    )?;
    let mut sink = StdoutSink {
        stdout: io::stdout().lock(),
        buf: Vec::with_capacity(CHUNK),
        gone: false,
    };
    if query.options().input.format == InputFormat::Parquet {
        if let Some(path) = args.file.as_deref().filter(|f| *f != "-") {
            // Parquet is read footer first, so a file is read with random access; from stdin
            // the engine holds the whole object instead.
            drop(reader);
            let file = std::fs::File::open(path)
                .map_err(|e| io_error(&format!("Cannot open {path}"), e))?;
            let stats = run_parquet(&query, &file, &mut sink)?;
            let _ = sink.stdout.flush();
            print_stats(args.stats, &stats);
            return Ok(());
        }
    }
    let mut run = query.start();
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error("Cannot read the input", e)),
        };
        if let Err(e) = run.feed(&buf[..n], &mut sink) {
            // Records before the error are delivered, as S3 streams them before an error event.
            sink.flush()?;
            return Err(e);
        }
        sink.flush()?;
        if sink.gone || run.is_done() {
            break;
        }
    }
    let stats = run.finish(&mut sink.buf);
    sink.flush()?;
    let stats = stats?;
    let _ = sink.stdout.flush();
    print_stats(args.stats, &stats);
    Ok(())
}

fn print_stats(wanted: bool, stats: &Stats) {
    if wanted {
        eprintln!(
            "{{\"BytesScanned\":{},\"BytesProcessed\":{},\"BytesReturned\":{}}}",
            stats.bytes_scanned, stats.bytes_processed, stats.bytes_returned
        );
    }
}

/// Result bytes on their way to stdout; `gone` once the reader of stdout has left (a closed
/// pipe ends the run quietly, like `head`).
struct StdoutSink<W: Write> {
    stdout: W,
    buf: Vec<u8>,
    gone: bool,
}

impl<W: Write> Sink for StdoutSink<W> {
    fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    fn flush(&mut self) -> Result<(), SelectError> {
        let r = if self.gone || self.buf.is_empty() {
            Ok(())
        } else {
            self.stdout.write_all(&self.buf)
        };
        self.buf.clear();
        match r {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.gone = true;
                Ok(())
            }
            Err(e) => Err(io_error("Cannot write the output", e)),
        }
    }
}

/// Reads up to `limit` bytes (fewer only at the end of the input); true when the input ended.
fn read_up_to(reader: &mut dyn Read, buf: &mut Vec<u8>, limit: usize) -> io::Result<bool> {
    while buf.len() < limit {
        let start = buf.len();
        buf.resize(limit, 0);
        let n = loop {
            match reader.read(&mut buf[start..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                r => break r,
            }
        };
        buf.truncate(start + n.as_ref().map_or(0, |n| *n));
        match n {
            Ok(0) => return Ok(true),
            Ok(_) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

/// `--detect`: the settings on stdout (AWS CLI JSON), the reasons on stderr. `Ok(false)` when
/// nothing could be proposed (the coded error and the reasons are already on stderr).
fn detect(file: Option<&str>) -> Result<bool, SelectError> {
    use wyvern_select::detect::{
        detect_compressed, detect_decompressing, DETECT_COMPRESSED_PREFIX_BYTES,
        DETECT_PREFIX_BYTES,
    };
    let (mut reader, size) = open_input(file)?;
    let read_error = |e| io_error("Cannot read the input", e);
    let mut prefix = Vec::new();
    let mut ended =
        read_up_to(&mut reader, &mut prefix, DETECT_PREFIX_BYTES).map_err(read_error)?;
    if !ended && detect_compressed(&prefix).is_some() {
        // A BZIP2 block yields nothing until it is whole: read up to one block's worth.
        ended = read_up_to(&mut reader, &mut prefix, DETECT_COMPRESSED_PREFIX_BYTES)
            .map_err(read_error)?;
    }
    let total = if ended {
        Some(prefix.len() as u64)
    } else {
        size
    };
    let d = detect_decompressing(&prefix, total);
    let reasons = || {
        for r in &d.reasons {
            eprintln!("{} {}", if r.warning { "!" } else { "-" }, r.text);
        }
    };
    match (d.input(), d.confidence()) {
        (Some(input), Some(confidence)) => {
            println!("{}", input.to_json());
            eprintln!(
                "Detected with {} confidence from {} bytes:",
                confidence.as_str(),
                d.bytes_examined
            );
            reasons();
            Ok(true)
        }
        _ => {
            let e = d.error().unwrap_or_else(|| {
                SelectError::new(
                    ErrorCode::UnrecognizedFormatException,
                    "Could not tell the input's settings.",
                )
            });
            eprintln!("{}: {}", e.code, e.message);
            reasons();
            Ok(false)
        }
    }
}

/// `--to-athena`: the query in Athena's SQL on stdout, the dialects' differences on stderr.
fn to_athena(table: &str, args: &Args) -> Result<(), SelectError> {
    let sql = args.expression.as_deref().unwrap_or_default();
    let input = match &args.input {
        Some(json) => InputSerialization::from_json(json)?,
        None => InputSerialization::default(),
    };
    let t = wyvern_select::athena::translate(sql, table, &input.format)?;
    println!("{}", t.sql);
    for note in t.notes {
        eprintln!("- {note}");
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{}: {}", e.code, e.message);
            return ExitCode::from(2);
        }
    };
    if let Some(table) = &args.athena_table {
        return match to_athena(table, &args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{}: {}", e.code, e.message);
                ExitCode::FAILURE
            }
        };
    }
    if args.detect {
        return match detect(args.file.as_deref()) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("{}: {}", e.code, e.message);
                ExitCode::FAILURE
            }
        };
    }
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}: {}", e.code, e.message);
            ExitCode::FAILURE
        }
    }
}
