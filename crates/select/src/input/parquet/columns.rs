//! One row group's leaf columns, read from the byte ranges fetched for them: a cursor per leaf
//! that hands out (definition level, repetition level, value) one at a time, decoding a batch
//! of records at once underneath.

use super::pages::{CheckedPages, Leaf};
use super::source::ByteRange;
use super::values::LeafKind;
use crate::error::{ErrorCode, Result, SelectError};
use crate::value::Value;
use bytes::Bytes;
use parquet::column::page::PageReader;
use parquet::column::reader::{get_column_reader, ColumnReader};
use parquet::data_type::{ByteArray, FixedLenByteArray, Int96};
use parquet::file::metadata::{ColumnChunkMetaData, RowGroupMetaData};
use parquet::schema::types::ColumnDescPtr;

/// Records decoded per refill of a leaf's buffers.
const BATCH_RECORDS: usize = 1024;

pub(crate) fn parquet_error(e: parquet::errors::ParquetError) -> SelectError {
    SelectError::new(
        ErrorCode::ParquetParsingError,
        format!("The Parquet file could not be read: {e}."),
    )
}

/// Where a column chunk lies in the file: the crate's `byte_range` without its assert on the
/// negative offsets a corrupt footer can hold.
pub(crate) fn chunk_range(chunk: &ColumnChunkMetaData) -> Option<ByteRange> {
    let start = chunk
        .dictionary_page_offset()
        .unwrap_or(chunk.data_page_offset());
    Some(ByteRange {
        start: u64::try_from(start).ok()?,
        len: u64::try_from(chunk.compressed_size()).ok()?,
    })
}

/// The byte ranges fetched for one row group, each at its offset in the object.
pub(crate) struct Fetched {
    parts: Vec<(ByteRange, Bytes)>,
}

impl Fetched {
    pub(crate) fn new(ranges: &[ByteRange], chunks: Vec<Vec<u8>>) -> Fetched {
        let parts = ranges
            .iter()
            .zip(chunks)
            .map(|(r, c)| (*r, Bytes::from(c)))
            .collect();
        Fetched { parts }
    }

    /// The bytes of `range`, if they were fetched.
    fn get(&self, range: ByteRange) -> Option<Bytes> {
        self.parts.iter().find_map(|(at, bytes)| {
            let offset = usize::try_from(range.start.checked_sub(at.start)?).ok()?;
            let end = offset.checked_add(usize::try_from(range.len).ok()?)?;
            (end <= bytes.len()).then(|| bytes.slice(offset..end))
        })
    }
}

/// Decoded values of one batch, in the leaf's physical type.
enum Values {
    Bool(Vec<bool>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    I96(Vec<Int96>),
    F32(Vec<f32>),
    F64(Vec<f64>),
    Bytes(Vec<ByteArray>),
    Fixed(Vec<FixedLenByteArray>),
}

impl Values {
    fn for_reader(reader: &ColumnReader) -> Values {
        match reader {
            ColumnReader::BoolColumnReader(_) => Values::Bool(Vec::new()),
            ColumnReader::Int32ColumnReader(_) => Values::I32(Vec::new()),
            ColumnReader::Int64ColumnReader(_) => Values::I64(Vec::new()),
            ColumnReader::Int96ColumnReader(_) => Values::I96(Vec::new()),
            ColumnReader::FloatColumnReader(_) => Values::F32(Vec::new()),
            ColumnReader::DoubleColumnReader(_) => Values::F64(Vec::new()),
            ColumnReader::ByteArrayColumnReader(_) => Values::Bytes(Vec::new()),
            ColumnReader::FixedLenByteArrayColumnReader(_) => Values::Fixed(Vec::new()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Values::Bool(v) => v.len(),
            Values::I32(v) => v.len(),
            Values::I64(v) => v.len(),
            Values::I96(v) => v.len(),
            Values::F32(v) => v.len(),
            Values::F64(v) => v.len(),
            Values::Bytes(v) => v.len(),
            Values::Fixed(v) => v.len(),
        }
    }

    fn convert(&self, i: usize, kind: LeafKind) -> Option<Result<Value>> {
        Some(match self {
            Values::Bool(v) => kind.read_bool(*v.get(i)?),
            Values::I32(v) => kind.read_i32(*v.get(i)?),
            Values::I64(v) => kind.read_i64(*v.get(i)?),
            // cannot be reached: `leaf_kind` refuses INT96 columns before they are read.
            Values::I96(_) => Err(SelectError::new(
                ErrorCode::UnsupportedParquetType,
                "INT96 values are not read.",
            )),
            Values::F32(v) => kind.read_f32(*v.get(i)?),
            Values::F64(v) => kind.read_f64(*v.get(i)?),
            Values::Bytes(v) => kind.read_bytes(v.get(i)?.data()),
            Values::Fixed(v) => kind.read_bytes(v.get(i)?.data()),
        })
    }
}

/// The triplets of one leaf column in one row group.
pub(crate) struct LeafCursor {
    reader: ColumnReader,
    kind: LeafKind,
    max_def: i16,
    max_rep: i16,
    defs: Vec<i16>,
    reps: Vec<i16>,
    values: Values,
    /// Triplets in the buffers, the next one, and the next value.
    levels: usize,
    next_level: usize,
    next_value: usize,
    ended: bool,
    /// Triplets consumed so far (to check that reading makes progress).
    pub(crate) consumed: u64,
}

impl LeafCursor {
    pub(crate) fn new(
        fetched: &Fetched,
        row_group: &RowGroupMetaData,
        column: usize,
        descr: ColumnDescPtr,
        kind: LeafKind,
    ) -> Result<LeafCursor> {
        let chunk = row_group.column(column);
        let rows = usize::try_from(row_group.num_rows()).map_err(|_| {
            SelectError::new(
                ErrorCode::ParquetParsingError,
                "A Parquet row group has a negative row count.",
            )
        })?;
        let bytes = chunk_range(chunk)
            .and_then(|r| fetched.get(r))
            .ok_or_else(|| {
                SelectError::new(
                    ErrorCode::ParquetParsingError,
                    "A Parquet column chunk was not among the bytes read for its row group.",
                )
            })?;
        let (max_def, max_rep) = (descr.max_def_level(), descr.max_rep_level());
        let leaf = Leaf {
            rows: rows as u64,
            max_def,
            max_rep,
            physical: descr.physical_type(),
            type_length: descr.type_length(),
            codec: chunk.compression(),
        };
        let pages: Box<dyn PageReader> = Box::new(CheckedPages::new(bytes, leaf)?);
        let reader = get_column_reader(descr, pages);
        Ok(LeafCursor {
            values: Values::for_reader(&reader),
            reader,
            kind,
            max_def,
            max_rep,
            defs: Vec::new(),
            reps: Vec::new(),
            levels: 0,
            next_level: 0,
            next_value: 0,
            ended: false,
            consumed: 0,
        })
    }

    fn refill(&mut self) -> Result<()> {
        self.defs.clear();
        self.reps.clear();
        let defs = (self.max_def > 0).then_some(&mut self.defs);
        let reps = (self.max_rep > 0).then_some(&mut self.reps);
        macro_rules! read {
            ($reader:expr, $values:expr) => {{
                $values.clear();
                $reader
                    .read_records(BATCH_RECORDS, defs, reps, $values)
                    .map_err(parquet_error)?
            }};
        }
        let (_, values, levels) = match (&mut self.reader, &mut self.values) {
            (ColumnReader::BoolColumnReader(r), Values::Bool(v)) => read!(r, v),
            (ColumnReader::Int32ColumnReader(r), Values::I32(v)) => read!(r, v),
            (ColumnReader::Int64ColumnReader(r), Values::I64(v)) => read!(r, v),
            (ColumnReader::Int96ColumnReader(r), Values::I96(v)) => read!(r, v),
            (ColumnReader::FloatColumnReader(r), Values::F32(v)) => read!(r, v),
            (ColumnReader::DoubleColumnReader(r), Values::F64(v)) => read!(r, v),
            (ColumnReader::ByteArrayColumnReader(r), Values::Bytes(v)) => read!(r, v),
            (ColumnReader::FixedLenByteArrayColumnReader(r), Values::Fixed(v)) => read!(r, v),
            // cannot happen: `values` is made for its reader in `new`.
            _ => return Err(corrupt_levels()),
        };
        // With no definition levels every triplet holds a value.
        self.levels = if self.max_def > 0 { levels } else { values };
        self.next_level = 0;
        self.next_value = 0;
        self.ended = self.levels == 0;
        let present = if self.max_def > 0 {
            self.defs.iter().filter(|d| **d == self.max_def).count()
        } else {
            self.levels
        };
        let levels_ok = (self.max_def == 0 || self.defs.len() == self.levels)
            && (self.max_rep == 0 || self.reps.len() == self.levels);
        if present != self.values.len() || !levels_ok {
            return Err(corrupt_levels());
        }
        Ok(())
    }

    /// The next triplet's (definition, repetition) levels; `None` at the end of the column.
    pub(crate) fn peek(&mut self) -> Result<Option<(i16, i16)>> {
        if self.next_level >= self.levels && !self.ended {
            self.refill()?;
        }
        if self.ended {
            return Ok(None);
        }
        let def = if self.max_def > 0 {
            *self.defs.get(self.next_level).ok_or_else(corrupt_levels)?
        } else {
            0
        };
        let rep = if self.max_rep > 0 {
            *self.reps.get(self.next_level).ok_or_else(corrupt_levels)?
        } else {
            0
        };
        Ok(Some((def, rep)))
    }

    /// Consumes the next triplet: its value, or NULL when it is not defined down to the leaf.
    pub(crate) fn take(&mut self) -> Result<Value> {
        let Some((def, _)) = self.peek()? else {
            return Err(ended_early());
        };
        self.next_level += 1;
        self.consumed += 1;
        if def < self.max_def {
            return Ok(Value::Null);
        }
        let i = self.next_value;
        self.next_value += 1;
        self.values
            .convert(i, self.kind)
            .unwrap_or_else(|| Err(corrupt_levels()))
    }

    /// Consumes the next triplet without converting its value.
    pub(crate) fn skip(&mut self) -> Result<()> {
        let Some((def, _)) = self.peek()? else {
            return Err(ended_early());
        };
        self.next_level += 1;
        self.consumed += 1;
        if def >= self.max_def {
            self.next_value += 1;
        }
        Ok(())
    }
}

fn corrupt_levels() -> SelectError {
    SelectError::new(
        ErrorCode::ParquetParsingError,
        "A Parquet column's levels and values do not agree: the file is corrupt.",
    )
}

pub(crate) fn ended_early() -> SelectError {
    SelectError::new(
        ErrorCode::ParquetParsingError,
        "A Parquet column ended before its row group's last row: the file is corrupt.",
    )
}
