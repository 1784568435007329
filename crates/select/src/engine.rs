//! The streaming run: compressed bytes in (any chunking), result bytes out, memory bounded by
//! the largest record.

use crate::error::{ErrorCode, Result, SelectError};
use crate::eval::aggregate::Accumulator;
use crate::eval::functions::borrowed_str;
use crate::eval::{eval, truth, Context, Row};
use crate::input::csv::{
    check_unbalanced_quotes, has_quote, is_comment, next_record, CsvRecord, CsvRow,
};
use crate::input::decompress::Decompressor;
use crate::input::json::{members, next_line, parse_value, DocumentScanner, Members, Span};
use crate::input::{json_compact, json_flat};
use crate::output::{Column, OutRecord, Writer};
use crate::plan::{self, bind, InputKind, Output, Plan};
use crate::serialization::{
    Compression, CsvInput, FileHeaderInfo, InputFormat, InputSerialization, JsonType,
    OutputSerialization, ScanRange,
};
use crate::sql::ast::{Aggregate, PathStep};
use crate::sql::{self, ast};
use crate::timestamp::Timestamp;
use crate::value::{FieldLookup, Value};

/// S3 Select's limit on one input record (and one output record).
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// Uncompressed bytes produced between two framing passes: input is decompressed in steps of
/// this size, so a chunk that expands a millionfold never sits whole in memory.
const STEP_BYTES: usize = 128 * 1024;

/// The most Parquet bytes `feed` holds (it needs the whole object to find the footer).
pub const MAX_FED_PARQUET_BYTES: usize = 512 << 20;

/// Result bytes held before a streaming [`Sink`] is asked to take them.
pub const FLUSH_BYTES: usize = 256 * 1024;

/// Where a run's result bytes go. A `Vec<u8>` keeps them all (tests, small inputs); a caller
/// that passes them on (stdout, the page) takes them in `flush`, which the run calls between
/// steps once `FLUSH_BYTES` are buffered, so output memory stays bounded too.
pub trait Sink {
    fn buffer(&mut self) -> &mut Vec<u8>;
    /// Takes (and clears) the buffered bytes.
    fn flush(&mut self) -> Result<()> {
        Ok(())
    }
}

impl Sink for Vec<u8> {
    fn buffer(&mut self) -> &mut Vec<u8> {
        self
    }
}

#[derive(Debug, Clone)]
pub struct QueryOptions {
    pub input: InputSerialization,
    pub output: OutputSerialization,
    pub scan_range: Option<ScanRange>,
    /// The value of UTCNOW() for this query.
    pub now: Timestamp,
}

/// The Stats event's figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub bytes_scanned: u64,
    pub bytes_processed: u64,
    pub bytes_returned: u64,
    pub records_returned: u64,
}

/// A parsed and checked query, ready to run over any number of inputs.
#[derive(Debug, Clone)]
pub struct Query {
    ast: ast::Query,
    options: QueryOptions,
    /// Bound up front unless binding needs the CSV header.
    plan: Option<Plan>,
}

impl Query {
    pub fn compile(sql: &str, options: QueryOptions) -> Result<Query> {
        let ast = sql::parse(sql)?;
        if options.scan_range.is_some() {
            let unsupported = |what: &str| {
                Err(SelectError::new(
                    ErrorCode::UnsupportedScanRangeInput,
                    format!(
                        "ScanRange works only with uncompressed CSV or JSON LINES, not {what}."
                    ),
                ))
            };
            if options.input.compression != Compression::None {
                return unsupported("compressed input");
            }
            if options.input.format == InputFormat::Json(JsonType::Document) {
                return unsupported("JSON DOCUMENT");
            }
            if options.input.format == InputFormat::Parquet {
                return unsupported("Parquet");
            }
        }
        let plan = match &options.input.format {
            InputFormat::Csv(c) if c.file_header_info == FileHeaderInfo::Use => {
                plan::check_from(&ast, true)?;
                None
            }
            InputFormat::Csv(_) => Some(bind(&ast, &InputKind::Csv { header: None })?),
            InputFormat::Json(_) => Some(bind(&ast, &InputKind::Json)?),
            // Parquet rows are structs, read with the paths JSON uses.
            #[cfg(feature = "parquet")]
            InputFormat::Parquet => Some(bind(&ast, &InputKind::Json)?),
            #[cfg(not(feature = "parquet"))]
            InputFormat::Parquet => {
                return Err(SelectError::new(
                    ErrorCode::UnrecognizedFormatException,
                    "Parquet input needs a build of the engine with its Parquet reader (the `parquet` feature); use CSV or JSON.",
                ))
            }
        };
        Ok(Query { ast, options, plan })
    }

    pub fn options(&self) -> &QueryOptions {
        &self.options
    }

    /// The bound plan (always there for Parquet, which has no header to wait for).
    #[cfg(feature = "parquet")]
    pub(crate) fn plan(&self) -> Option<&Plan> {
        self.plan.as_ref()
    }

    /// Starts one run over one input.
    pub fn start(&self) -> Run {
        Run {
            query: self.clone(),
            plan: self.plan.clone(),
            decompressor: Decompressor::new(self.options.input.compression),
            pending: Vec::new(),
            pos: 0,
            base: 0,
            doc: DocumentScanner::default(),
            csv: CsvRecord::default(),
            members: Vec::new(),
            header_seen: false,
            header: None,
            emitter: Emitter::new(&self.options.output),
            stats: Stats::default(),
            failed: false,
            parquet_object: Vec::new(),
        }
    }
}

fn matches_where(plan: &Plan, ctx: &Context, row: &Row) -> Result<bool> {
    match &plan.selection {
        Some(w) => Ok(truth(&eval(w, row, ctx)?)? == Some(true)),
        None => Ok(true),
    }
}

/// Where rows that were read go: WHERE, then the aggregates or the output writer, with the
/// LIMIT and record-size rules. Shared by every input format.
pub(crate) struct Emitter {
    writer: Writer,
    accumulators: Vec<Accumulator>,
    /// Reused buffer for the values of one result record.
    values: Vec<Value>,
    pub(crate) returned: u64,
    pub(crate) bytes_returned: u64,
    pub(crate) done: bool,
}

impl Emitter {
    pub(crate) fn new(output: &OutputSerialization) -> Self {
        Emitter {
            writer: Writer::new(output),
            accumulators: Vec::new(),
            values: Vec::new(),
            returned: 0,
            bytes_returned: 0,
            done: false,
        }
    }

    fn limit_reached(&self, plan: &Plan) -> bool {
        plan.limit.is_some_and(|l| self.returned >= l)
    }

    /// One row through WHERE, then into the aggregates or out as a record.
    pub(crate) fn row(
        &mut self,
        plan: &Plan,
        ctx: &Context,
        row: &Row,
        header: Option<&[String]>,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        if matches_where(plan, ctx, row)? {
            self.accept(plan, ctx, row, header, out)?;
        }
        Ok(())
    }

    /// `n` rows of a query that reads none ([`plan_reads_rows`] is false: COUNT(*) alone, no
    /// WHERE): what `row` does `n` times.
    fn count_rows(&mut self, plan: &Plan, n: u64) {
        for acc in self.accumulators(plan) {
            acc.add_rows(n);
        }
    }

    fn accumulators(&mut self, plan: &Plan) -> &mut [Accumulator] {
        if self.accumulators.is_empty() {
            self.accumulators = plan
                .aggregates
                .iter()
                .map(|(f, _)| Accumulator::new(*f))
                .collect();
        }
        &mut self.accumulators
    }

    /// A row that passed WHERE: into the aggregates or out as a record.
    fn accept(
        &mut self,
        plan: &Plan,
        ctx: &Context,
        row: &Row,
        header: Option<&[String]>,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        if plan.is_aggregate() {
            for ((_, arg), acc) in plan.aggregates.iter().zip(self.accumulators(plan)) {
                let v = match arg {
                    Some(a) => Some(eval(a, row, ctx)?),
                    None => None,
                };
                acc.add(v)?;
            }
            return Ok(());
        }
        if self.limit_reached(plan) {
            self.done = true;
            return Ok(());
        }
        let before = out.len();
        match (&plan.output, row) {
            (Output::Star, Row::Csv(fields)) => self.writer.write(
                OutRecord::CsvFields {
                    fields: *fields,
                    header,
                },
                out,
            ),
            (Output::Star, Row::Json(v)) => self.writer.write(OutRecord::Row(v), out),
            (Output::Star, Row::JsonMembers(m)) => {
                let full = parse_value(m.record)?;
                self.writer.write(OutRecord::Row(&full), out)
            }
            (Output::Columns { names, exprs }, _) => {
                // A field read in place is written from where it lies, with no value made.
                self.writer.begin_columns(out);
                // A JSON member's string read in place has no escape and no control character
                // (`Member::plain_str`): nothing in it needs escaping again.
                let plain = matches!(row, Row::JsonMembers(_));
                for (i, (name, e)) in names.iter().zip(exprs).enumerate() {
                    match borrowed_str(e, row) {
                        Some(Some(s)) if plain => {
                            self.writer.column(i, name, Column::PlainText(s), out);
                        }
                        Some(Some(s)) => self.writer.column(i, name, Column::Text(s), out),
                        Some(None) => {
                            self.writer
                                .column(i, name, Column::Value(&Value::Missing), out);
                        }
                        None => {
                            let v = eval(e, row, ctx)?;
                            self.writer.column(i, name, Column::Value(&v), out);
                        }
                    }
                }
                self.writer.end_columns(out);
            }
        }
        // cannot underflow: the writer only appends to `out`.
        self.record_written(plan, out.len() - before)
    }

    /// `SELECT *` of a JSON object record that passed WHERE, written straight from its text
    /// when the fast path vouches for it. `false`: nothing was done; parse it and `accept`.
    fn accept_json_text(&mut self, plan: &Plan, text: &[u8], out: &mut Vec<u8>) -> Result<bool> {
        if plan.is_aggregate() || !matches!(plan.output, Output::Star) {
            return Ok(false);
        }
        if self.limit_reached(plan) {
            self.done = true;
            return Ok(true);
        }
        let before = out.len();
        if !self.writer.write_json_object_text(text, out) {
            return Ok(false);
        }
        // cannot underflow: the writer only appends to `out`.
        self.record_written(plan, out.len() - before).map(|()| true)
    }

    fn record_written(&mut self, plan: &Plan, bytes: usize) -> Result<()> {
        if bytes > MAX_RECORD_BYTES {
            return Err(SelectError::new(
                ErrorCode::OverMaxRecordSize,
                "A result record is larger than S3 Select's 1 MB limit.",
            ));
        }
        self.bytes_returned = self.bytes_returned.saturating_add(bytes as u64);
        self.returned = self.returned.saturating_add(1);
        if self.limit_reached(plan) {
            self.done = true;
        }
        Ok(())
    }

    /// The single row of an aggregate query.
    pub(crate) fn finish_aggregates(
        &mut self,
        plan: &Plan,
        now: Timestamp,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        if !plan.is_aggregate() || self.limit_reached(plan) {
            return Ok(());
        }
        let results = if self.accumulators.is_empty() {
            plan.aggregates
                .iter()
                .map(|(f, _)| Accumulator::new(*f).result())
                .collect::<Result<Vec<_>>>()?
        } else {
            self.accumulators
                .iter()
                .map(Accumulator::result)
                .collect::<Result<Vec<_>>>()?
        };
        let ctx = Context {
            now,
            aggregates: &results,
        };
        let Output::Columns { names, exprs } = &plan.output else {
            return Ok(());
        };
        self.values.clear();
        for e in exprs {
            self.values
                .push(eval(e, &Row::Json(&Value::Missing), &ctx)?);
        }
        let before = out.len();
        self.writer.begin_columns(out);
        for (i, (name, v)) in names.iter().zip(&self.values).enumerate() {
            self.writer.column(i, name, Column::Value(v), out);
        }
        self.writer.end_columns(out);
        // cannot underflow: the writer only appends to `out`.
        self.record_written(plan, out.len() - before)
    }
}

/// One query running over one input.
pub struct Run {
    query: Query,
    plan: Option<Plan>,
    decompressor: Decompressor,
    /// Uncompressed bytes not yet consumed; `pos` is where framing resumes.
    pending: Vec<u8>,
    pos: usize,
    /// Offset in the uncompressed object of `pending[0]`.
    base: u64,
    doc: DocumentScanner,
    csv: CsvRecord,
    /// Reused member spans of the current JSON record.
    members: Vec<Span>,
    header_seen: bool,
    header: Option<Vec<String>>,
    emitter: Emitter,
    stats: Stats,
    failed: bool,
    /// Parquet fed through `feed`: the whole object, decoded at `finish` (Parquet needs its
    /// footer first). Random access (`Query::start_parquet`) avoids holding it.
    parquet_object: Vec<u8>,
}

impl Run {
    /// True once LIMIT is met or the scan range is passed: more input changes nothing.
    pub fn is_done(&self) -> bool {
        self.emitter.done
    }

    /// Feeds the next chunk of the object; result bytes go to `out`. The chunk is decompressed
    /// and framed in steps, so memory stays bounded by the largest record whatever the ratio.
    pub fn feed(&mut self, chunk: &[u8], out: &mut impl Sink) -> Result<()> {
        self.guard(|run| {
            if run.emitter.done {
                return Ok(());
            }
            if run.query.options.input.format == InputFormat::Parquet {
                return run.hold_parquet(chunk);
            }
            run.stats.bytes_scanned = run.stats.bytes_scanned.saturating_add(chunk.len() as u64);
            // Uncompressed records with a delimiter are framed where they lie in the chunk.
            let record_end = match run.decompressor {
                Decompressor::None => run.record_end_byte(),
                _ => None,
            };
            let mut rest = chunk;
            while !rest.is_empty() && !run.emitter.done {
                match run.frame_in_place(record_end, rest, out.buffer())? {
                    Some(next) => rest = next,
                    None => {
                        let mut pending = std::mem::take(&mut run.pending);
                        let used = run.decompressor.push(rest, &mut pending, STEP_BYTES);
                        run.pending = pending;
                        // cannot fail: push never reports using more than the `rest` it was given.
                        rest = &rest[used?..];
                        run.frame(out.buffer(), false)?;
                    }
                }
                if out.buffer().len() >= FLUSH_BYTES {
                    out.flush()?;
                }
            }
            Ok(())
        })
    }

    /// Ends the input: flushes the last record and the aggregate row, and returns the Stats.
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<Stats> {
        self.guard(|run| {
            if run.query.options.input.format == InputFormat::Parquet {
                return run.finish_parquet(out);
            }
            if !run.emitter.done {
                let mut pending = std::mem::take(&mut run.pending);
                let r = run.decompressor.finish(&mut pending);
                run.pending = pending;
                r?;
                run.frame(out, true)?;
            }
            let plan = match &mut run.plan {
                Some(plan) => &*plan,
                // CSV with FileHeaderInfo USE and no header row at all: bind with an empty header.
                slot @ None => &*slot.insert(bind(
                    &run.query.ast,
                    &InputKind::Csv {
                        header: Some(vec![]),
                    },
                )?),
            };
            run.emitter
                .finish_aggregates(plan, run.query.options.now, out)?;
            run.emitter.done = true;
            let mut stats = run.stats;
            stats.bytes_returned = run.emitter.bytes_returned;
            stats.records_returned = run.emitter.returned;
            Ok(stats)
        })
    }

    /// Input bytes held while waiting for the end of a record (or, for Parquet given to
    /// `feed`, the object so far).
    pub fn buffered_bytes(&self) -> usize {
        self.pending.len() + self.parquet_object.len()
    }

    fn hold_parquet(&mut self, chunk: &[u8]) -> Result<()> {
        if self.parquet_object.len().saturating_add(chunk.len()) > MAX_FED_PARQUET_BYTES {
            return Err(SelectError::new(
                ErrorCode::OverMaxParquetBlockSize,
                format!(
                    "Parquet input given as a stream is held whole until its footer arrives, and this one is over {} MiB; read the file with random access instead.",
                    MAX_FED_PARQUET_BYTES >> 20
                ),
            ));
        }
        self.parquet_object.extend_from_slice(chunk);
        Ok(())
    }

    #[cfg(feature = "parquet")]
    fn finish_parquet(&mut self, out: &mut Vec<u8>) -> Result<Stats> {
        let object = std::mem::take(&mut self.parquet_object);
        crate::input::parquet::run_parquet(&self.query, object.as_slice(), out)
    }

    #[cfg(not(feature = "parquet"))]
    fn finish_parquet(&mut self, _out: &mut Vec<u8>) -> Result<Stats> {
        // cannot happen: compile refuses Parquet in builds without the reader.
        Err(SelectError::new(
            ErrorCode::UnrecognizedFormatException,
            "This build has no Parquet reader.",
        ))
    }

    /// Stats so far (for Progress events).
    pub fn progress(&self) -> Stats {
        Stats {
            bytes_returned: self.emitter.bytes_returned,
            records_returned: self.emitter.returned,
            ..self.stats
        }
    }

    fn guard<T>(&mut self, f: impl FnOnce(&mut Run) -> Result<T>) -> Result<T> {
        if self.failed {
            return Err(SelectError::new(
                ErrorCode::InvalidRequestParameter,
                "This run already failed; start a new one.",
            ));
        }
        let r = f(self);
        if r.is_err() {
            self.failed = true;
        }
        r
    }

    /// The last byte of the record delimiter, for the formats that have one (CSV, JSON LINES).
    fn record_end_byte(&self) -> Option<u8> {
        match &self.query.options.input.format {
            InputFormat::Csv(o) => o.record_delimiter.last().copied(),
            InputFormat::Json(JsonType::Lines) => Some(b'\n'),
            InputFormat::Json(JsonType::Document) | InputFormat::Parquet => None,
        }
    }

    /// Uncompressed CSV and JSON LINES are framed where they lie in the chunk, a step at a
    /// time, and only a record the chunk leaves unfinished is held (copying every byte cost a
    /// tenth of a COUNT(*)). `record_end` is the delimiter's last byte, `None` for the formats
    /// that are always held. The rest of `chunk` after what was used; `None` when nothing was
    /// (a record longer than a step, or the chunk's unfinished end): the caller then holds a
    /// step of it.
    fn frame_in_place<'c>(
        &mut self,
        record_end: Option<u8>,
        chunk: &'c [u8],
        out: &mut Vec<u8>,
    ) -> Result<Option<&'c [u8]>> {
        let Some(record_end) = record_end else {
            return Ok(None);
        };
        let step = &chunk[..chunk.len().min(STEP_BYTES)];
        if !self.pending.is_empty() {
            // The held record usually ends at the chunk's first delimiter, when that is near.
            let Some(end) = memchr::memchr(record_end, step) else {
                return Ok(None);
            };
            // Slicing cannot fail: end < step.len() <= chunk.len().
            self.pending.extend_from_slice(&step[..=end]);
            self.frame(out, false)?;
            if self.pending.is_empty() {
                return Ok(Some(&chunk[end + 1..]));
            }
            // A quoted delimiter: the record goes on. The rest of the step is held too, so a
            // record of many quoted delimiters is framed twice a step, not once a delimiter.
            self.pending.extend_from_slice(&step[end + 1..]);
            self.frame(out, false)?;
            return Ok(Some(&chunk[step.len()..]));
        }
        let result = self.frame_in(step, out, false);
        let used = std::mem::take(&mut self.pos);
        self.base += used as u64;
        result?;
        // Slicing cannot fail: framing never moves pos past the end of the buffer it was given.
        Ok((used > 0).then(|| &chunk[used..]))
    }

    /// Finds and processes every complete record in `pending`.
    fn frame(&mut self, out: &mut Vec<u8>, at_eof: bool) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        let result = self.frame_in(&pending, out, at_eof);
        self.pending = pending;
        if self.pos > 0 {
            // cannot fail: framing never moves pos past the end of the buffer it was given.
            self.pending.drain(..self.pos);
            self.base += self.pos as u64;
            self.doc.shift(self.pos);
            self.pos = 0;
        }
        result?;
        if self.pending.len() > MAX_RECORD_BYTES + 2 && !self.emitter.done {
            return Err(over_max_record());
        }
        Ok(())
    }

    fn frame_in(&mut self, buf: &[u8], out: &mut Vec<u8>, at_eof: bool) -> Result<()> {
        let format = self.query.options.input.format.clone();
        // CSV fields and the JSON strings a query reads are text: checking the whole buffer
        // once is much faster than checking each field, and a record outside the checked
        // prefix is checked field by field.
        let text_from = self.pos;
        let reads_text = match &format {
            // The plan is bound by the header when there is one: until then, assume it reads.
            InputFormat::Csv(_) => self.plan.as_ref().is_none_or(plan_reads_rows),
            // COUNT(*) without WHERE only checks each record (see `record`): no text is read.
            InputFormat::Json(_) => self.plan.as_ref().is_some_and(|p| {
                p.reads.json_members && (plan_reads_rows(p) || !p.from_steps.is_empty())
            }),
            InputFormat::Parquet => false,
        };
        let text = if reads_text {
            utf8_prefix(buf.get(text_from..).unwrap_or_default())
        } else {
            ""
        };
        let counts_in_place = self.record_end_byte().is_some()
            && self.query.options.scan_range.is_none()
            && self
                .plan
                .as_ref()
                .is_some_and(|p| !plan_reads_rows(p) && p.from_steps.is_empty());
        while !self.emitter.done {
            if counts_in_place {
                self.count_in_place(&format, buf);
            }
            let from = self.pos;
            let frame = match &format {
                InputFormat::Csv(o) => {
                    next_record(o, buf, from).map(|(end, next)| (from, end, next))
                }
                InputFormat::Json(JsonType::Lines) => {
                    next_line(buf, from).map(|(end, next)| (from, end, next))
                }
                InputFormat::Json(JsonType::Document) => {
                    self.doc.next_value(buf, from).map(|(s, e)| (s, e, e))
                }
                // Parquet never reaches framing: `feed` holds it for `finish`.
                InputFormat::Parquet => None,
            };
            let (start, end, next) = match frame {
                Some(f) => f,
                None if at_eof && from < buf.len() => match &format {
                    InputFormat::Csv(o) => {
                        let mut end = buf.len();
                        if o.record_delimiter.len() == 2 && buf.ends_with(b"\r") {
                            end -= 1;
                        }
                        (from, end, buf.len())
                    }
                    InputFormat::Json(JsonType::Lines) => (from, buf.len(), buf.len()),
                    InputFormat::Parquet => return Ok(()),
                    InputFormat::Json(JsonType::Document) => match self.doc.finish(buf) {
                        Some((s, e)) => (s, e, buf.len()),
                        // cannot fail: the arm's guard checked from < buf.len().
                        None if buf[from..].iter().all(u8::is_ascii_whitespace) => return Ok(()),
                        None => {
                            let e = SelectError::new(
                                ErrorCode::JSONParsingError,
                                "The JSON document ends in the middle of a value.",
                            );
                            return Err(json_type_hint(e, &format, &buf[from..], false));
                        }
                    },
                },
                None => return Ok(()),
            };
            // The arithmetic and slicing below cannot fail: every framer returns
            // from <= start <= end <= next <= buf.len().
            if end - start > MAX_RECORD_BYTES {
                return Err(over_max_record());
            }
            self.pos = next;
            let base = self.base;
            let rec_text = text.get(start - text_from..end - text_from);
            self.record(
                &format,
                self.base + start as u64,
                (next - from) as u64,
                (&buf[start..end], rec_text),
                out,
            )
            .map_err(|e| {
                let first = base == 0 && buf[..start].iter().all(u8::is_ascii_whitespace);
                json_type_hint(e, &format, &buf[start..end], first)
            })?;
        }
        Ok(())
    }

    /// COUNT(*) alone (no WHERE, FROM path or scan range) over CSV or JSON LINES: the records
    /// from `pos` that need no more than a check are counted where they lie, without the
    /// per-record work of `record` (half of a CSV count, a tenth of a JSON one). It stops at
    /// the first it cannot vouch for (a CSV header or comment, unbalanced quotes, JSON the
    /// compact checker declines) or one the buffer does not finish, which `frame_in` then reads
    /// as any other (and words its error).
    fn count_in_place(&mut self, format: &InputFormat, buf: &[u8]) {
        let start = self.pos;
        let mut pos = start;
        let mut records = 0;
        // JSON Lines of flat objects are checked a region at a time (`json_flat`); the lines of
        // a region it does not vouch for, line by line.
        let flat = matches!(format, InputFormat::Json(JsonType::Lines));
        let mut lines_until = pos;
        loop {
            if flat && pos >= lines_until {
                let region = flat_region(buf, pos);
                if let Some(n) = Some(region)
                    .filter(|r| !r.is_empty())
                    .and_then(json_flat::count)
                {
                    records += n;
                    pos += region.len();
                    continue;
                }
                // No region ends here (a long line, or the buffer's last bytes) or it was
                // declined: its lines (at least one) are read line by line.
                lines_until = pos + region.len();
            }
            let frame = match format {
                InputFormat::Csv(o) => next_record(o, buf, pos),
                InputFormat::Json(JsonType::Lines) => next_line(buf, pos),
                InputFormat::Json(JsonType::Document) | InputFormat::Parquet => None,
            };
            let Some((end, next)) = frame else { break };
            if end - pos > MAX_RECORD_BYTES {
                break;
            }
            // Slicing cannot fail: the framers return pos <= end < next <= buf.len().
            let rec = &buf[pos..end];
            let counts = match format {
                InputFormat::Csv(o) => {
                    if self.header_pending(o)
                        || is_comment(o, rec)
                        || check_unbalanced_quotes(o, rec).is_err()
                    {
                        break;
                    }
                    true
                }
                _ => {
                    let text = trim_ascii(rec);
                    if !text.is_empty() && !json_compact::vouches_for(text) {
                        break;
                    }
                    !text.is_empty()
                }
            };
            records += u64::from(counts);
            pos = next;
        }
        self.pos = pos;
        self.stats.bytes_processed = self
            .stats
            .bytes_processed
            .saturating_add((pos - start) as u64);
        if let Some(plan) = &self.plan {
            self.emitter.count_rows(plan, records);
        }
    }

    fn record(
        &mut self,
        format: &InputFormat,
        offset: u64,
        span: u64,
        (rec, rec_text): (&[u8], Option<&str>),
        out: &mut Vec<u8>,
    ) -> Result<()> {
        if let InputFormat::Csv(o) = format {
            if is_comment(o, rec) {
                return Ok(());
            }
            if self.header_pending(o) {
                self.header_seen = true;
                return self.header_record(o, rec, rec_text);
            }
        }
        if let Some(r) = self.query.options.scan_range {
            if offset > r.end {
                self.emitter.done = true;
                return Ok(());
            }
            if offset < r.start {
                return Ok(());
            }
        }
        self.stats.bytes_processed = self.stats.bytes_processed.saturating_add(span);
        let now = self.query.options.now;
        let ctx = Context {
            now,
            aggregates: &[],
        };
        // cannot fail: the plan is bound at compile time, or (FileHeaderInfo USE) by the
        // header record, which `record` sees before any data record.
        let plan = self
            .plan
            .as_ref()
            .expect("plan is bound before data records");
        match format {
            InputFormat::Csv(o) => {
                let quoted = check_unbalanced_quotes(o, rec)?;
                let row = if plan_reads_rows(plan) {
                    self.csv
                        .parse(o, (rec, rec_text), plan.reads.csv_fields, quoted)?
                } else {
                    CsvRow::EMPTY
                };
                let header = self.header.as_deref();
                self.emitter.row(plan, &ctx, &Row::Csv(&row), header, out)
            }
            InputFormat::Parquet => Ok(()),
            InputFormat::Json(kind) => {
                let text = trim_ascii(rec);
                if text.is_empty() && *kind == JsonType::Lines {
                    return Ok(());
                }
                if !plan_reads_rows(plan) && plan.from_steps.is_empty() {
                    if !json_compact::vouches_for(text) {
                        serde_json::from_slice::<serde::de::IgnoredAny>(text).map_err(|e| {
                            SelectError::new(
                                ErrorCode::JSONParsingError,
                                format!("The JSON input could not be parsed: {e}."),
                            )
                        })?;
                    }
                    return self
                        .emitter
                        .row(plan, &ctx, &Row::Json(&Value::Missing), None, out);
                }
                if plan.reads.json_members && members(text, &mut self.members) {
                    // Parse only the members the query reads; `SELECT *` re-reads the rows that
                    // pass WHERE in full.
                    let row = Row::JsonMembers(Members {
                        record: text,
                        text: rec_text.map(str::trim_ascii),
                        spans: &self.members,
                    });
                    if !matches_where(plan, &ctx, &row)? {
                        return Ok(());
                    }
                    if matches!(plan.output, Output::Star) {
                        if self.emitter.accept_json_text(plan, text, out)? {
                            return Ok(());
                        }
                        let full = parse_value(text)?;
                        return self
                            .emitter
                            .accept(plan, &ctx, &Row::Json(&full), None, out);
                    }
                    return self.emitter.accept(plan, &ctx, &row, None, out);
                }
                if plan.selection.is_none()
                    && plan.from_steps.is_empty()
                    && self.emitter.accept_json_text(plan, text, out)?
                {
                    return Ok(());
                }
                let value = parse_value(text)?;
                let mut rows = Vec::new();
                expand(&value, &plan.from_steps, &mut rows)?;
                for row in rows {
                    self.emitter.row(
                        plan,
                        &ctx,
                        &Row::Json(row.unwrap_or(&Value::Missing)),
                        None,
                        out,
                    )?;
                    if self.emitter.done {
                        break;
                    }
                }
                Ok(())
            }
        }
    }

    /// The next CSV record is the header (FileHeaderInfo USE or IGNORE, and not seen yet).
    fn header_pending(&self, o: &CsvInput) -> bool {
        !self.header_seen && o.file_header_info != FileHeaderInfo::None
    }

    fn header_record(&mut self, o: &CsvInput, rec: &[u8], rec_text: Option<&str>) -> Result<()> {
        self.stats.bytes_processed = self.stats.bytes_processed.saturating_add(rec.len() as u64);
        if o.file_header_info == FileHeaderInfo::Use {
            // The header row is not held to the quote-balance check, only data records.
            let quoted = has_quote(o, rec);
            let names = self.csv.parse(o, (rec, rec_text), None, quoted)?.names();
            self.plan = Some(bind(
                &self.query.ast,
                &InputKind::Csv {
                    header: Some(names.clone()),
                },
            )?);
            self.header = Some(names);
        }
        Ok(())
    }
}

fn over_max_record() -> SelectError {
    SelectError::new(
        ErrorCode::OverMaxRecordSize,
        "A record is larger than S3 Select's 1 MB limit. Check the RecordDelimiter (and for JSON, use LINES for large arrays).",
    )
}

/// A JSON parse error with the JSON Type that would likely read the input: LINES whose first
/// line opens a value it does not close (or a top-level array) is a document; a DOCUMENT value
/// that runs over lines which each hold a whole value is JSON Lines with one broken line.
fn json_type_hint(
    mut e: SelectError,
    format: &InputFormat,
    rec: &[u8],
    first: bool,
) -> SelectError {
    let InputFormat::Json(kind) = format else {
        return e;
    };
    if e.code != ErrorCode::JSONParsingError {
        return e;
    }
    let is_value = |b: &[u8]| serde_json::from_slice::<serde::de::IgnoredAny>(b).is_ok();
    let hint = if first && rec.starts_with(b"\xEF\xBB\xBF") {
        Some("The input starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow: save the file without it.")
    } else {
        match kind {
            JsonType::Lines if first => {
                let t = rec.trim_ascii();
                let open = serde_json::from_slice::<serde::de::IgnoredAny>(t)
                    .err()
                    .is_some_and(|e| e.is_eof());
                (t.starts_with(b"[") || (t.starts_with(b"{") && open)).then_some(
                    "Line 1 starts a value that goes on past the end of the line: this looks like a JSON document (an array or pretty-printed JSON), not one value per line; set JSON Type to DOCUMENT.",
                )
            }
            JsonType::Lines => None,
            JsonType::Document => {
                let lines: Vec<&[u8]> = rec
                    .split(|b| *b == b'\n')
                    .map(<[u8]>::trim_ascii)
                    .filter(|l| !l.is_empty())
                    .collect();
                // cannot fail: the slice starts at 1 only when there are 3 or more lines.
                let whole = if lines.len() >= 3 {
                    lines[1..].iter().filter(|l| is_value(l)).count()
                } else {
                    0
                };
                (whole >= 2 && whole * 2 >= lines.len() - 1).then_some(
                    "Most lines of this value hold a whole JSON value on their own: this looks like JSON Lines with a line that is not closed; set JSON Type to LINES to read each line on its own (the error then names that line).",
                )
            }
        }
    };
    if let Some(h) = hint {
        e.message.push(' ');
        e.message.push_str(h);
    }
    e
}

/// The longest prefix of `b` that is UTF-8 text.
fn utf8_prefix(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or_else(|e| {
        // cannot fail: valid_up_to is within b and ends where b stops being UTF-8.
        std::str::from_utf8(&b[..e.valid_up_to()]).unwrap_or_default()
    })
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

/// The most bytes `json_flat` checks at once: a region it declines is read again line by line.
const FLAT_REGION: usize = 16 << 10;

/// The lines of `buf` from `from`, up to `FLAT_REGION` bytes of them, through their newline
/// (empty when no line ends there).
fn flat_region(buf: &[u8], from: usize) -> &[u8] {
    let rest = buf.get(from..).unwrap_or_default();
    let window = &rest[..rest.len().min(FLAT_REGION)];
    memchr::memrchr(b'\n', window).map_or(&[], |end| &window[..=end])
}

/// Does anything in the plan read the row? (COUNT(*) with no WHERE does not.)
pub(crate) fn plan_reads_rows(plan: &Plan) -> bool {
    plan.selection.is_some()
        || matches!(plan.output, Output::Star)
        || !plan.is_aggregate()
        || plan
            .aggregates
            .iter()
            .any(|(f, arg)| *f != Aggregate::Count || arg.is_some())
}

/// The FROM path over one root value: each match, `None` (MISSING) where a step finds nothing.
/// Wildcards always yield at least one row.
pub(crate) fn expand<'v>(
    v: &'v Value,
    steps: &[PathStep],
    out: &mut Vec<Option<&'v Value>>,
) -> Result<()> {
    let Some((step, rest)) = steps.split_first() else {
        out.push(Some(v));
        return Ok(());
    };
    match (step, v) {
        (PathStep::Field(n), Value::Struct(_)) => match v.field(&n.text, n.quoted) {
            FieldLookup::Found(f) => expand(f, rest, out)?,
            FieldLookup::NotFound => out.push(None),
            FieldLookup::Ambiguous => {
                return Err(SelectError::new(
                    ErrorCode::AmbiguousFieldName,
                    format!("{} in the FROM path matches more than one field.", n.text),
                ))
            }
        },
        (PathStep::Index(i), Value::List(items)) => {
            match usize::try_from(*i).ok().and_then(|i| items.get(i)) {
                Some(x) => expand(x, rest, out)?,
                None => out.push(None),
            }
        }
        (PathStep::Wildcard, Value::List(items)) if !items.is_empty() => {
            for x in items {
                expand(x, rest, out)?;
            }
        }
        (PathStep::Wildcard, Value::Struct(fields)) if !fields.is_empty() => {
            for (_, x) in fields {
                expand(x, rest, out)?;
            }
        }
        _ => out.push(None),
    }
    Ok(())
}
