//! A column chunk's pages, checked before the parquet crate decodes any of them.
//!
//! The crate's own `SerializedPageReader` is not used: it reserves a page's claimed
//! uncompressed size (up to 2 GiB, from the file) before decompressing, and its decoders assert
//! on inputs a corrupt file can hold. [`CheckedPages`] reads the page headers itself
//! ([`super::page_header`]), refuses a chunk whose headers disagree with the footer or with
//! each other before anything is decompressed, decompresses a page into at most its (checked)
//! size, then checks the page body ([`super::page_body`]) and only then hands the crate a
//! [`Page`].
//!
//! The crate (60.1) panics found by reading its source, and what guards each:
//! - `decode_page`'s `Vec::with_capacity(uncompressed_page_size)`, and `GZipCodec`'s unbounded
//!   `read_to_end`: every page's uncompressed size is bounded by its compressed size (equal
//!   when stored, the Snappy preamble's length, 1032x for deflate) and the chunk's pages by
//!   512 MB ([`check_sizes`]); decompression reads at most that many bytes ([`decompress`]).
//! - `Bytes::slice` out of range on a v2 page's level lengths: `def + rep` lengths within the
//!   page (here) and within the stored part (levels are not compressed).
//! - `LevelDecoder::new`'s `unreachable!` on a level encoding other than RLE / BIT_PACKED, and
//!   `ColumnValueDecoderImpl::set_data`'s `expect("Decoder for dict should have been set")`
//!   for a dictionary-encoded page without a dictionary page: [`check_encodings`].
//! - `DictDecoder::set_dict` allocating the claimed dictionary size, and the PLAIN decoders'
//!   `read_num_bytes` (`assert!(size <= src.len())`, the one the mutation test hit, on a
//!   BYTE_ARRAY length cut short) and slicing past the end: the PLAIN values a page or
//!   dictionary holds are counted against the values its levels ask for
//!   (`page_body::check_plain`).
//! - `BitReader::get_vlq_int`'s `assert!` on a run header over 10 bytes, and RLE values cut
//!   short: every RLE / bit-packed run the crate will read is walked first
//!   ([`super::levels::walk`]).
//! - `PlainDecoder`'s `assert!(type_length > 0)` for FIXED_LEN_BYTE_ARRAY: refused here.
//! - `RleValueDecoder::set_data`'s `read_num_bytes(4, ..)` on an RLE boolean page of under
//!   4 bytes: `page_body::check_values`.
//! - The DELTA decoders' asserts, allocations and unchecked slices: [`super::delta`] decodes
//!   each DELTA stream first.
//! - `ByteStreamSplitDecoder`'s strided indexing past the page: the values the levels ask for
//!   fit in the page (`page_body::check_values`).
//!
//! `contain_panics` stays as the native builds' backstop for what this list missed.

use super::page_body::{check_body, Body};
use super::page_header::{
    read_page_header, PageHeader, DATA_PAGE, DATA_PAGE_V2, DICTIONARY_PAGE, INDEX_PAGE,
};
use super::run::MAX_ROW_GROUP_BYTES;
use crate::error::{ErrorCode, Result, SelectError};
use bytes::Bytes;
use parquet::basic::{Compression, Encoding, Type};
use parquet::column::page::{Page, PageMetadata, PageReader};
use std::collections::VecDeque;
use std::io::Read;

/// Deflate's largest expansion is a little over 1032 to 1.
const MAX_DEFLATE_RATIO: u64 = 1032;

pub(crate) fn corrupt_page(why: impl std::fmt::Display) -> SelectError {
    SelectError::new(
        ErrorCode::ParquetParsingError,
        format!("A Parquet page is corrupt: {why}."),
    )
}

/// What the checks need to know about the leaf column.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Leaf {
    pub rows: u64,
    pub max_def: i16,
    pub max_rep: i16,
    pub physical: Type,
    pub type_length: i32,
    pub codec: Compression,
}

/// A page whose header passed the checks, its body still as stored.
struct Pending {
    header: PageHeader,
    stored: Bytes,
}

/// The checked pages of one column chunk, handed to the crate one at a time.
pub(crate) struct CheckedPages {
    leaf: Leaf,
    pages: VecDeque<Pending>,
}

impl CheckedPages {
    /// Reads and checks every page header of `chunk` (the column chunk's bytes).
    pub(crate) fn new(chunk: Bytes, leaf: Leaf) -> Result<CheckedPages> {
        if leaf.physical == Type::FIXED_LEN_BYTE_ARRAY && leaf.type_length <= 0 {
            return Err(corrupt_page("a FIXED_LEN_BYTE_ARRAY column has no length"));
        }
        let mut pages = VecDeque::new();
        let mut at = 0usize;
        let mut uncompressed_total = 0u64;
        let mut levels_total = 0u64;
        let mut has_dictionary = false;
        while at < chunk.len() {
            let (header, header_len) = read_page_header(&chunk[at..]).map_err(corrupt_page)?;
            at += header_len;
            let stored_len = usize::try_from(header.compressed_size)
                .map_err(|_| corrupt_page("a page has a negative size"))?;
            let end = at
                .checked_add(stored_len)
                .filter(|e| *e <= chunk.len())
                .ok_or_else(|| corrupt_page("a page runs past its column chunk"))?;
            let stored = chunk.slice(at..end);
            at = end;
            uncompressed_total = uncompressed_total
                .saturating_add(u64::try_from(header.uncompressed_size).unwrap_or(u64::MAX));
            if uncompressed_total > MAX_ROW_GROUP_BYTES as u64 {
                return Err(SelectError::new(
                    ErrorCode::OverMaxParquetBlockSize,
                    "A Parquet column chunk's pages add up to more than 512 MB uncompressed; S3 Select reads row groups of up to 512 MB.",
                ));
            }
            match header.page_type {
                INDEX_PAGE => continue,
                DICTIONARY_PAGE => {
                    if has_dictionary || !pages.is_empty() {
                        return Err(corrupt_page("a dictionary page is not the chunk's first"));
                    }
                    has_dictionary = true;
                }
                DATA_PAGE | DATA_PAGE_V2 => {
                    levels_total = levels_total.saturating_add(num_levels(&header)? as u64);
                }
                other => return Err(corrupt_page(format!("unknown page type {other}"))),
            }
            check_sizes(&header, &stored, leaf.codec)?;
            check_encodings(&header, &leaf, has_dictionary)?;
            pages.push_back(Pending { header, stored });
        }
        // Without repetition every row has exactly one level; with it, at least one.
        let levels_fit = if leaf.max_rep == 0 {
            levels_total == leaf.rows
        } else {
            levels_total >= leaf.rows
        };
        if !levels_fit {
            return Err(corrupt_page(format!(
                "its data pages hold {levels_total} values for {} rows",
                leaf.rows
            )));
        }
        Ok(CheckedPages { leaf, pages })
    }
}

/// The number of levels (values, nulls included) a data page claims, checked to be sane.
fn num_levels(header: &PageHeader) -> Result<u32> {
    let n = match (header.page_type, &header.data_v1, &header.data_v2) {
        (DATA_PAGE, Some(v1), _) => v1.num_values,
        (DATA_PAGE_V2, _, Some(v2)) => {
            let fits = (0..=v2.num_values).contains(&v2.num_nulls)
                && (0..=v2.num_values).contains(&v2.num_rows)
                && v2.def_levels_len >= 0
                && v2.rep_levels_len >= 0;
            if !fits {
                return Err(corrupt_page("a v2 data page's counts disagree"));
            }
            v2.num_values
        }
        _ => return Err(corrupt_page("a data page lacks its header")),
    };
    u32::try_from(n).map_err(|_| corrupt_page("a data page has a negative value count"))
}

/// The bytes at the start of a v2 page's body that are levels, stored uncompressed.
fn levels_prefix(header: &PageHeader) -> u64 {
    header.data_v2.as_ref().map_or(0, |v2| {
        v2.def_levels_len.max(0) as u64 + v2.rep_levels_len.max(0) as u64
    })
}

fn is_compressed(header: &PageHeader, codec: Compression) -> bool {
    codec != Compression::UNCOMPRESSED && header.data_v2.as_ref().is_none_or(|v2| v2.is_compressed)
}

/// The uncompressed size is what decompression may allocate: it must be one the stored bytes
/// can produce.
fn check_sizes(header: &PageHeader, stored: &[u8], codec: Compression) -> Result<()> {
    let uncompressed = u64::try_from(header.uncompressed_size)
        .map_err(|_| corrupt_page("a page has a negative uncompressed size"))?;
    let stored_len = stored.len() as u64;
    let levels = levels_prefix(header);
    if levels > uncompressed || levels > stored_len {
        return Err(corrupt_page("a v2 page's levels are longer than the page"));
    }
    let (payload_out, payload_in) = (uncompressed - levels, &stored[levels as usize..]);
    let plausible = if !is_compressed(header, codec) {
        uncompressed == stored_len
    } else if payload_out == 0 {
        // The crate does not decompress an empty payload (a page of nulls).
        true
    } else {
        match codec {
            Compression::SNAPPY => {
                snap::raw::decompress_len(payload_in).is_ok_and(|n| n as u64 == payload_out)
            }
            Compression::GZIP(_) => {
                payload_out <= (payload_in.len() as u64).saturating_mul(MAX_DEFLATE_RATIO)
            }
            _ => false,
        }
    };
    if plausible {
        Ok(())
    } else {
        Err(corrupt_page(format!(
            "{stored_len} stored bytes cannot hold the {uncompressed} bytes its header claims"
        )))
    }
}

pub(crate) fn encoding(code: i32) -> Option<Encoding> {
    Some(match code {
        0 => Encoding::PLAIN,
        2 => Encoding::PLAIN_DICTIONARY,
        3 => Encoding::RLE,
        #[allow(deprecated)]
        4 => Encoding::BIT_PACKED,
        5 => Encoding::DELTA_BINARY_PACKED,
        6 => Encoding::DELTA_LENGTH_BYTE_ARRAY,
        7 => Encoding::DELTA_BYTE_ARRAY,
        8 => Encoding::RLE_DICTIONARY,
        9 => Encoding::BYTE_STREAM_SPLIT,
        _ => return None,
    })
}

/// The value encodings the crate decodes for each physical type.
fn values_encoding_fits(e: Encoding, t: Type) -> bool {
    use Encoding as E;
    match e {
        E::PLAIN | E::PLAIN_DICTIONARY | E::RLE_DICTIONARY => true,
        E::RLE => t == Type::BOOLEAN,
        E::DELTA_BINARY_PACKED => matches!(t, Type::INT32 | Type::INT64),
        E::DELTA_LENGTH_BYTE_ARRAY => t == Type::BYTE_ARRAY,
        E::DELTA_BYTE_ARRAY => matches!(t, Type::BYTE_ARRAY | Type::FIXED_LEN_BYTE_ARRAY),
        E::BYTE_STREAM_SPLIT => matches!(
            t,
            Type::INT32 | Type::INT64 | Type::FLOAT | Type::DOUBLE | Type::FIXED_LEN_BYTE_ARRAY
        ),
        _ => false,
    }
}

fn check_encodings(header: &PageHeader, leaf: &Leaf, has_dictionary: bool) -> Result<()> {
    let known =
        |code| encoding(code).ok_or_else(|| corrupt_page(format!("unknown encoding {code}")));
    let values = match (&header.dictionary, &header.data_v1, &header.data_v2) {
        (Some(d), _, _) if header.page_type == DICTIONARY_PAGE => {
            return match known(d.encoding)? {
                Encoding::PLAIN | Encoding::PLAIN_DICTIONARY => Ok(()),
                e => Err(corrupt_page(format!("a dictionary page is {e}"))),
            };
        }
        (_, Some(v1), _) if header.page_type == DATA_PAGE => {
            for (code, max) in [
                (v1.rep_encoding, leaf.max_rep),
                (v1.def_encoding, leaf.max_def),
            ] {
                #[allow(deprecated)]
                let level_ok = matches!(known(code)?, Encoding::RLE | Encoding::BIT_PACKED);
                if max > 0 && !level_ok {
                    return Err(corrupt_page("levels are not RLE or BIT_PACKED"));
                }
            }
            known(v1.encoding)?
        }
        (_, _, Some(v2)) if header.page_type == DATA_PAGE_V2 => known(v2.encoding)?,
        _ => return Err(corrupt_page("a page lacks the header of its type")),
    };
    if !values_encoding_fits(values, leaf.physical) {
        return Err(corrupt_page(format!(
            "{values} is not an encoding of {}",
            leaf.physical
        )));
    }
    let dictionary_encoded = matches!(
        values,
        Encoding::PLAIN_DICTIONARY | Encoding::RLE_DICTIONARY
    );
    if dictionary_encoded && !has_dictionary {
        return Err(corrupt_page("a dictionary-encoded page has no dictionary"));
    }
    Ok(())
}

/// The page's body as the crate reads it: v2 levels as stored, the rest decompressed into
/// exactly the checked size.
fn decompress(header: &PageHeader, stored: Bytes, codec: Compression) -> Result<Bytes> {
    // cannot fail: `check_sizes` checked both against the page.
    let uncompressed = header.uncompressed_size as usize;
    let levels = levels_prefix(header) as usize;
    if !is_compressed(header, codec) || uncompressed == levels {
        return Ok(if uncompressed == levels {
            stored.slice(..levels)
        } else {
            stored
        });
    }
    let mut out = Vec::with_capacity(uncompressed);
    out.extend_from_slice(&stored[..levels]);
    let payload = &stored[levels..];
    let failed = |e: String| corrupt_page(format!("it does not decompress ({e})"));
    match codec {
        Compression::SNAPPY => {
            out.resize(uncompressed, 0);
            let n = snap::raw::Decoder::new()
                .decompress(payload, &mut out[levels..])
                .map_err(|e| failed(e.to_string()))?;
            out.truncate(levels + n);
        }
        Compression::GZIP(_) => {
            // One byte more than expected, to tell a page that is too long.
            let limit = (uncompressed - levels) as u64 + 1;
            flate2::read::MultiGzDecoder::new(payload)
                .take(limit)
                .read_to_end(&mut out)
                .map_err(|e| failed(e.to_string()))?;
        }
        // cannot happen: `run` refuses other codecs before fetching, `check_sizes` here.
        other => return Err(failed(format!("codec {other}"))),
    }
    if out.len() != uncompressed {
        return Err(corrupt_page(format!(
            "it decompresses to {} bytes, not the {uncompressed} its header claims",
            out.len()
        )));
    }
    Ok(Bytes::from(out))
}

impl CheckedPages {
    fn next_page(&mut self) -> Result<Option<Page>> {
        let Some(Pending { header, stored }) = self.pages.pop_front() else {
            return Ok(None);
        };
        let buf = decompress(&header, stored, self.leaf.codec)?;
        let body = Body {
            header: &header,
            buf: &buf,
            leaf: &self.leaf,
        };
        check_body(&body)?;
        // cannot fail: `new` checked the header of each page type and its encodings.
        let enc = |code| encoding(code).ok_or_else(|| corrupt_page("unknown encoding"));
        let count = |n: i32| u32::try_from(n).map_err(|_| corrupt_page("a negative count"));
        let page = match (
            header.page_type,
            header.dictionary,
            header.data_v1,
            header.data_v2,
        ) {
            (DICTIONARY_PAGE, Some(d), _, _) => Page::DictionaryPage {
                buf,
                num_values: count(d.num_values)?,
                encoding: enc(d.encoding)?,
                is_sorted: d.is_sorted,
            },
            (DATA_PAGE, _, Some(v1), _) => Page::DataPage {
                buf,
                num_values: count(v1.num_values)?,
                encoding: enc(v1.encoding)?,
                def_level_encoding: enc(v1.def_encoding)?,
                rep_level_encoding: enc(v1.rep_encoding)?,
                statistics: None,
            },
            (DATA_PAGE_V2, _, _, Some(v2)) => Page::DataPageV2 {
                buf,
                num_values: count(v2.num_values)?,
                encoding: enc(v2.encoding)?,
                num_nulls: count(v2.num_nulls)?,
                num_rows: count(v2.num_rows)?,
                def_levels_byte_len: count(v2.def_levels_len)?,
                rep_levels_byte_len: count(v2.rep_levels_len)?,
                is_compressed: v2.is_compressed,
                statistics: None,
            },
            _ => return Err(corrupt_page("a page lacks the header of its type")),
        };
        Ok(Some(page))
    }
}

/// The crate's reader takes `parquet::errors::ParquetError`; the message keeps ours.
fn to_parquet(e: SelectError) -> parquet::errors::ParquetError {
    parquet::errors::ParquetError::General(e.message)
}

impl Iterator for CheckedPages {
    type Item = parquet::errors::Result<Page>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_page().map_err(to_parquet).transpose()
    }
}

impl PageReader for CheckedPages {
    fn get_next_page(&mut self) -> parquet::errors::Result<Option<Page>> {
        self.next_page().map_err(to_parquet)
    }

    fn peek_next_page(&mut self) -> parquet::errors::Result<Option<PageMetadata>> {
        Ok(self.pages.front().map(|p| {
            let h = &p.header;
            match (&h.data_v1, &h.data_v2) {
                _ if h.page_type == DICTIONARY_PAGE => PageMetadata {
                    num_rows: None,
                    num_levels: None,
                    is_dict: true,
                },
                (_, Some(v2)) if h.page_type == DATA_PAGE_V2 => PageMetadata {
                    num_rows: usize::try_from(v2.num_rows).ok(),
                    num_levels: usize::try_from(v2.num_values).ok(),
                    is_dict: false,
                },
                (v1, _) => PageMetadata {
                    num_rows: None,
                    num_levels: v1.as_ref().and_then(|v| usize::try_from(v.num_values).ok()),
                    is_dict: false,
                },
            }
        }))
    }

    fn skip_next_page(&mut self) -> parquet::errors::Result<()> {
        self.pages.pop_front();
        Ok(())
    }
}
