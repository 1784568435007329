//! A query over one Parquet object, as a loop the caller drives: [`ParquetRun::wanted`] names the
//! byte ranges needed next, [`ParquetRun::supply`] takes them and emits what they decode to.
//! First the two ends of the object (magic and footer), then, if the footer is longer than the
//! tail read, the metadata, then one row group at a time (only the projected columns' chunks),
//! so memory is bounded by one row group's projected columns. An object no longer than the
//! tail read (64 KiB) is asked for once, whole, and read from those bytes.

use super::assemble::{skip_record, Assembler};
use super::columns::{chunk_range, Fetched, LeafCursor};
use super::footer;
use super::projection::Projection;
use super::shape::Shape;
use super::source::{ByteRange, RandomAccess};
use super::values::{leaf_kind, LeafKind};
use crate::engine::{expand, Emitter, Query, Sink, Stats, FLUSH_BYTES};
use crate::error::{ErrorCode, Result, SelectError};
use crate::eval::{Context, Row};
use crate::plan::Plan;
use crate::timestamp::Timestamp;
use crate::value::Value;
use parquet::basic::Compression;
use parquet::file::metadata::{ParquetMetaData, RowGroupMetaData};

/// S3 Select's limit on a row group's uncompressed size.
pub const MAX_ROW_GROUP_BYTES: i64 = 512 << 20;

enum Stage {
    /// Waiting for the leading magic and the tail.
    Ends,
    /// Waiting for the metadata (it did not fit in the tail).
    Metadata,
    /// Waiting for the projected column chunks of this row group.
    RowGroup(usize),
    Done,
}

/// What is known once the footer is decoded.
struct File {
    metadata: ParquetMetaData,
    shape: Shape,
    /// How each of the shape's leaves converts, by slot.
    kinds: Vec<LeafKind>,
}

pub struct ParquetRun {
    plan: Plan,
    now: Timestamp,
    object_len: u64,
    stage: Stage,
    wanted: Vec<ByteRange>,
    file: Option<File>,
    /// For row counting when the query reads no column: the cheapest leaf of the row group.
    count_leaf: Option<usize>,
    emitter: Emitter,
    stats: Stats,
    failed: bool,
    /// The whole object, when the first read held it (objects up to `footer::TAIL_BYTES`).
    whole: Option<Vec<u8>>,
}

fn caller_error(msg: &str) -> SelectError {
    SelectError::new(ErrorCode::InvalidRequestParameter, msg.to_string())
}

fn corrupt(msg: String) -> SelectError {
    SelectError::new(ErrorCode::ParquetParsingError, msg)
}

/// The parquet crate asserts on some corrupt pages instead of returning an error; `pages`
/// checks every page before the crate sees it so that none of those asserts is reached (the
/// `parquet_properties` mutation test runs without this backstop). Where panics unwind
/// (native builds) a panic the checks missed still becomes a ParquetParsingError; with
/// `panic = "abort"` (the browser build) it would abort the worker.
fn contain_panics<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    #[cfg(panic = "unwind")]
    {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
            Err(corrupt(
                "The Parquet file could not be decoded (a page is corrupt).".into(),
            ))
        })
    }
    #[cfg(not(panic = "unwind"))]
    {
        f()
    }
}

impl Query {
    /// Starts a run over a Parquet object of `object_len` bytes (needs a Parquet query).
    pub fn start_parquet(&self, object_len: u64) -> Result<ParquetRun> {
        let plan = match (&self.options().input.format, self.plan()) {
            (crate::serialization::InputFormat::Parquet, Some(plan)) => plan.clone(),
            _ => {
                return Err(caller_error(
                    "start_parquet needs a query compiled with InputSerialization Parquet.",
                ))
            }
        };
        Ok(ParquetRun {
            plan,
            now: self.options().now,
            object_len,
            stage: Stage::Ends,
            wanted: footer::first_reads(object_len)?,
            file: None,
            count_leaf: None,
            emitter: Emitter::new(&self.options().output),
            stats: Stats::default(),
            failed: false,
            whole: None,
        })
    }
}

/// Runs `query` over a whole Parquet object read with random access; result bytes go to `out`.
pub fn run_parquet(
    query: &Query,
    source: &(impl RandomAccess + ?Sized),
    out: &mut impl Sink,
) -> Result<Stats> {
    let mut run = query.start_parquet(source.len())?;
    while !run.wanted().is_empty() {
        let chunks = run
            .wanted()
            .iter()
            .map(|r| source.read_at(*r))
            .collect::<Result<Vec<_>>>()?;
        if let Err(e) = run.supply(chunks, out) {
            // Records before the error are delivered, as S3 streams them before its error.
            out.flush()?;
            return Err(e);
        }
    }
    let stats = run.finish(out.buffer());
    out.flush()?;
    stats
}

impl ParquetRun {
    /// The byte ranges to supply next, in this order; empty once no more input is needed.
    pub fn wanted(&self) -> &[ByteRange] {
        &self.wanted
    }

    /// True once LIMIT is met or every row group is read.
    pub fn is_done(&self) -> bool {
        matches!(self.stage, Stage::Done)
    }

    /// Stats so far (for Progress events).
    pub fn progress(&self) -> Stats {
        Stats {
            bytes_returned: self.emitter.bytes_returned,
            records_returned: self.emitter.returned,
            ..self.stats
        }
    }

    /// The bytes of each range in [`Self::wanted`]; result bytes go to `out`.
    pub fn supply(&mut self, chunks: Vec<Vec<u8>>, out: &mut impl Sink) -> Result<()> {
        let r = contain_panics(|| self.supply_uncontained(chunks, out));
        // A contained panic left the run half-way.
        self.failed |= r.is_err();
        r
    }

    /// [`Self::supply`] without the native builds' panic backstop, as the browser build runs
    /// it: for tests that prove a panic is not reachable.
    #[doc(hidden)]
    pub fn supply_uncontained(&mut self, chunks: Vec<Vec<u8>>, out: &mut impl Sink) -> Result<()> {
        if self.failed {
            return Err(caller_error("This run already failed; start a new one."));
        }
        let r = self.supply_checked(chunks, out);
        self.failed = r.is_err();
        r
    }

    /// Ends the run: writes the aggregate row and returns the Stats.
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<Stats> {
        if self.failed {
            return Err(caller_error("This run already failed; start a new one."));
        }
        if !self.is_done() {
            self.failed = true;
            return Err(caller_error(
                "finish was called before every wanted byte range was supplied.",
            ));
        }
        self.emitter.finish_aggregates(&self.plan, self.now, out)?;
        self.emitter.done = true;
        Ok(self.progress())
    }

    fn supply_checked(&mut self, chunks: Vec<Vec<u8>>, out: &mut impl Sink) -> Result<()> {
        let sizes_match = chunks.len() == self.wanted.len()
            && chunks
                .iter()
                .zip(&self.wanted)
                .all(|(c, r)| c.len() as u64 == r.len);
        if !sizes_match {
            return Err(caller_error(
                "supply needs exactly the wanted byte ranges, in order.",
            ));
        }
        let scanned: u64 = self.wanted.iter().map(|r| r.len).sum();
        self.stats.bytes_scanned = self.stats.bytes_scanned.saturating_add(scanned);
        let wanted = std::mem::take(&mut self.wanted);
        match self.stage {
            Stage::Ends => {
                // cannot fail: the chunks were checked against the first reads (the tail last).
                let tail = &chunks[chunks.len() - 1];
                let head = chunks[0].get(..4).unwrap_or_default();
                let range = footer::metadata_range(self.object_len, head, tail)?;
                match footer::metadata_in_tail(self.object_len, tail, range) {
                    Some(bytes) => self.open(bytes)?,
                    None => {
                        self.stage = Stage::Metadata;
                        self.wanted = vec![range];
                    }
                }
                if tail.len() as u64 == self.object_len {
                    self.whole = chunks.into_iter().last();
                }
                self.read_held(out)
            }
            // cannot fail: one chunk was wanted.
            Stage::Metadata => self.open(&chunks[0]),
            Stage::RowGroup(index) => self.read_and_advance(index, &wanted, chunks, out),
            Stage::Done => Err(caller_error("This run needs no more input.")),
        }
    }

    fn read_and_advance(
        &mut self,
        index: usize,
        ranges: &[ByteRange],
        chunks: Vec<Vec<u8>>,
        out: &mut impl Sink,
    ) -> Result<()> {
        self.read_row_group(index, ranges, chunks, out)?;
        if self.emitter.done {
            self.stage = Stage::Done;
            Ok(())
        } else {
            self.plan_row_group(index + 1)
        }
    }

    /// Reads the row groups of an object the first read held whole, without asking for it
    /// again (that would count its bytes twice in BytesScanned).
    fn read_held(&mut self, out: &mut impl Sink) -> Result<()> {
        loop {
            let (Stage::RowGroup(index), Some(whole)) = (&self.stage, &self.whole) else {
                return Ok(());
            };
            let index = *index;
            let chunks = self
                .wanted
                .iter()
                .map(|r| whole.as_slice().read_at(*r))
                .collect::<Result<Vec<_>>>()?;
            let wanted = std::mem::take(&mut self.wanted);
            self.read_and_advance(index, &wanted, chunks, out)?;
        }
    }

    /// Decodes the metadata and works out which columns to read.
    fn open(&mut self, metadata: &[u8]) -> Result<()> {
        let metadata = footer::decode(metadata)?;
        let schema = metadata.file_metadata().schema_descr();
        let shape = Shape::new(schema, &Projection::of(&self.plan))?;
        let kinds = shape
            .leaves
            .iter()
            .map(|&leaf| leaf_kind(&schema.column(leaf)))
            .collect::<Result<Vec<_>>>()?;
        self.file = Some(File {
            metadata,
            shape,
            kinds,
        });
        self.plan_row_group(0)
    }

    /// Names the byte ranges of row group `index`, or ends the run after the last one.
    fn plan_row_group(&mut self, index: usize) -> Result<()> {
        let Some(file) = &self.file else {
            return Err(caller_error("The Parquet footer was not read."));
        };
        let Some(row_group) = file.metadata.row_groups().get(index) else {
            self.stage = Stage::Done;
            return Ok(());
        };
        if row_group.total_byte_size() > MAX_ROW_GROUP_BYTES {
            return Err(SelectError::new(
                ErrorCode::OverMaxParquetBlockSize,
                format!(
                    "Row group {index} is {} MB uncompressed; S3 Select reads row groups of up to 512 MB. Write the file with smaller row groups.",
                    row_group.total_byte_size() >> 20
                ),
            ));
        }
        let (columns, count_leaf) = columns_to_read(&file.shape, row_group);
        self.count_leaf = count_leaf;
        let mut total = 0u64;
        let mut wanted = Vec::with_capacity(columns.len());
        for column in columns {
            let chunk = row_group
                .columns()
                .get(column)
                .ok_or_else(|| corrupt(format!("Row group {index} lacks column {column}.")))?;
            match chunk.compression() {
                Compression::UNCOMPRESSED | Compression::SNAPPY | Compression::GZIP(_) => {}
                other => {
                    return Err(SelectError::new(
                        ErrorCode::ParquetUnsupportedCompressionCodec,
                        format!(
                            "Column {} is compressed with {other}; S3 Select reads Parquet columns compressed with GZIP or Snappy, or uncompressed.",
                            chunk.column_path()
                        ),
                    ))
                }
            }
            let range = chunk_range(chunk).filter(|r| r.start.checked_add(r.len).is_some());
            let Some(range) = range.filter(|r| r.end() <= self.object_len) else {
                return Err(corrupt(format!(
                    "Column {} of row group {index} lies outside the file.",
                    chunk.column_path()
                )));
            };
            total = total.saturating_add(range.len);
            self.stats.bytes_processed = self
                .stats
                .bytes_processed
                .saturating_add(u64::try_from(chunk.uncompressed_size()).unwrap_or(0));
            wanted.push(range);
        }
        // Column chunks do not overlap, so together they are no larger than the file.
        if total > self.object_len {
            return Err(corrupt(format!(
                "The column chunks of row group {index} add up to more than the file."
            )));
        }
        self.stage = Stage::RowGroup(index);
        self.wanted = wanted;
        Ok(())
    }

    fn read_row_group(
        &mut self,
        index: usize,
        ranges: &[ByteRange],
        chunks: Vec<Vec<u8>>,
        out: &mut impl Sink,
    ) -> Result<()> {
        let Some(file) = &self.file else {
            return Err(caller_error("The Parquet footer was not read."));
        };
        let Some(row_group) = file.metadata.row_groups().get(index) else {
            return Ok(());
        };
        let schema = file.metadata.file_metadata().schema_descr();
        let fetched = Fetched::new(ranges, chunks);
        let rows = u64::try_from(row_group.num_rows())
            .map_err(|_| corrupt(format!("Row group {index} has a negative row count.")))?;
        let ctx = Context {
            now: self.now,
            aggregates: &[],
        };
        if let Some(leaf) = self.count_leaf {
            let kind = LeafKind::Bool;
            let mut cursor = LeafCursor::new(&fetched, row_group, leaf, schema.column(leaf), kind)?;
            for _ in 0..rows {
                skip_record(&mut cursor)?;
                let row = Row::Json(&Value::Missing);
                self.emitter
                    .row(&self.plan, &ctx, &row, None, out.buffer())?;
                if self.emitter.done {
                    break;
                }
                if out.buffer().len() >= FLUSH_BYTES {
                    out.flush()?;
                }
            }
            return Ok(());
        }
        if file.shape.leaves.is_empty() {
            // No column at all: the row group has no rows to give.
            return Ok(());
        }
        let mut cursors = file
            .shape
            .leaves
            .iter()
            .zip(&file.kinds)
            .map(|(&leaf, &kind)| {
                LeafCursor::new(&fetched, row_group, leaf, schema.column(leaf), kind)
            })
            .collect::<Result<Vec<_>>>()?;
        let mut assembler = Assembler {
            leaves: &mut cursors,
        };
        for _ in 0..rows {
            let mut fields = Vec::with_capacity(file.shape.fields.len());
            for (name, node) in &file.shape.fields {
                fields.push((name.clone(), assembler.read(node)?));
            }
            let value = Value::Struct(fields);
            let mut expanded = Vec::new();
            expand(&value, &self.plan.from_steps, &mut expanded)?;
            for item in &expanded {
                let row = Row::Json(item.unwrap_or(&Value::Missing));
                self.emitter
                    .row(&self.plan, &ctx, &row, None, out.buffer())?;
                if self.emitter.done {
                    return Ok(());
                }
            }
            if out.buffer().len() >= FLUSH_BYTES {
                out.flush()?;
            }
        }
        Ok(())
    }
}

/// The schema leaves to fetch: the projected ones, or for a query that reads no column, the
/// smallest chunk (its levels give the row count), also returned as the counting leaf.
fn columns_to_read(shape: &Shape, row_group: &RowGroupMetaData) -> (Vec<usize>, Option<usize>) {
    if !shape.leaves.is_empty() {
        return (shape.leaves.clone(), None);
    }
    let smallest =
        (0..row_group.num_columns()).min_by_key(|&c| row_group.column(c).compressed_size());
    (smallest.into_iter().collect(), smallest)
}
