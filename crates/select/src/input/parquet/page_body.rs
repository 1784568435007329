//! A decompressed page's body, checked against what the crate's decoders will read from it:
//! levels first (their runs walked, the values they mark present counted), then that many
//! values (PLAIN and BYTE_STREAM_SPLIT values counted, dictionary indices and RLE booleans
//! walked, DELTA streams decoded by [`super::delta`]).

use super::delta;
use super::levels::{bit_width, unpack, walk};
use super::page_header::{PageHeader, DATA_PAGE, DATA_PAGE_V2, DICTIONARY_PAGE};
use super::pages::{corrupt_page, encoding, Leaf};
use crate::error::Result;
use parquet::basic::{Encoding, Type};

pub(crate) struct Body<'a> {
    pub header: &'a PageHeader,
    pub buf: &'a [u8],
    pub leaf: &'a Leaf,
}

/// The dictionary index bit width the crate accepts (`MAX_RLE_DICTIONARY_BIT_WIDTH`).
const MAX_INDEX_BIT_WIDTH: u8 = 32;

pub(crate) fn check_body(body: &Body) -> Result<()> {
    let h = body.header;
    let leaf = body.leaf;
    match (h.page_type, &h.dictionary, &h.data_v1, &h.data_v2) {
        (DICTIONARY_PAGE, Some(d), _, _) => {
            let n = usize::try_from(d.num_values)
                .map_err(|_| corrupt_page("a dictionary has a negative size"))?;
            check_plain(body.buf, n, leaf)
        }
        (DATA_PAGE, _, Some(v1), _) => {
            let levels = v1.num_values.max(0) as usize;
            let mut at = 0;
            if leaf.max_rep > 0 {
                at += v1_levels(&body.buf[at..], v1.rep_encoding, leaf.max_rep, levels)?.0;
            }
            let present = if leaf.max_def > 0 {
                let (len, present) =
                    v1_levels(&body.buf[at..], v1.def_encoding, leaf.max_def, levels)?;
                at += len;
                present
            } else {
                levels
            };
            check_values(&body.buf[at..], v1.encoding, present, levels, leaf)
        }
        (DATA_PAGE_V2, _, _, Some(v2)) => {
            // cannot fail: `pages` checked both lengths against the page.
            let rep_len = v2.rep_levels_len as usize;
            let def_len = v2.def_levels_len as usize;
            let levels = v2.num_values.max(0) as usize;
            let rep = &body.buf[..rep_len];
            let def = &body.buf[rep_len..rep_len + def_len];
            if leaf.max_rep > 0 {
                walk(rep, bit_width(leaf.max_rep), levels, None).map_err(corrupt_page)?;
            }
            // The crate reads at most num_values - num_nulls values from a v2 page.
            let non_null = (v2.num_values - v2.num_nulls).max(0) as usize;
            let present = if leaf.max_def > 0 {
                let runs = walk(
                    def,
                    bit_width(leaf.max_def),
                    levels,
                    Some(leaf.max_def as u64),
                )
                .map_err(corrupt_page)?;
                runs.matching.min(non_null)
            } else {
                non_null
            };
            check_values(
                &body.buf[rep_len + def_len..],
                v2.encoding,
                present,
                levels,
                leaf,
            )
        }
        _ => Err(corrupt_page("a page lacks the header of its type")),
    }
}

/// One v1 level section: its length in the page and how many levels equal `max`.
fn v1_levels(buf: &[u8], code: i32, max: i16, levels: usize) -> Result<(usize, usize)> {
    let width = bit_width(max);
    #[allow(deprecated)]
    match encoding(code) {
        Some(Encoding::RLE) => {
            let prefix: [u8; 4] = buf
                .get(..4)
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| corrupt_page("its levels are cut short"))?;
            let len = u32::from_le_bytes(prefix) as usize;
            let runs = buf
                .get(4..4usize.saturating_add(len))
                .ok_or_else(|| corrupt_page("its levels run past the page"))?;
            let walked = walk(runs, width, levels, Some(max as u64)).map_err(corrupt_page)?;
            Ok((4 + len, walked.matching))
        }
        // The crate reads these with its `BitReader`, least significant bit first.
        Some(Encoding::BIT_PACKED) => {
            let len = levels.saturating_mul(usize::from(width)).div_ceil(8);
            let packed = buf
                .get(..len)
                .ok_or_else(|| corrupt_page("its levels run past the page"))?;
            let present = (0..levels)
                .filter(|&i| unpack(packed, i, width) == max as u64)
                .count();
            Ok((len, present))
        }
        _ => Err(corrupt_page("levels are not RLE or BIT_PACKED")),
    }
}

/// The values section holds at least the `present` values the crate will decode (of a page
/// of `levels` levels).
fn check_values(buf: &[u8], code: i32, present: usize, levels: usize, leaf: &Leaf) -> Result<()> {
    let walked = |r: std::result::Result<(), String>| r.map_err(corrupt_page);
    match encoding(code) {
        Some(Encoding::PLAIN) => check_plain(buf, present, leaf),
        Some(Encoding::PLAIN_DICTIONARY | Encoding::RLE_DICTIONARY) => {
            if present == 0 {
                return Ok(());
            }
            let (&width, runs) = buf
                .split_first()
                .ok_or_else(|| corrupt_page("its dictionary indices are missing"))?;
            if width > MAX_INDEX_BIT_WIDTH {
                return Err(corrupt_page("its dictionary indices are over 32 bits"));
            }
            walk(runs, width, present, None).map_err(corrupt_page)?;
            Ok(())
        }
        Some(Encoding::RLE) => {
            // RLE booleans: a 4-byte length, then runs of 1 bit.
            let prefix: [u8; 4] = buf
                .get(..4)
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| corrupt_page("its RLE values are cut short"))?;
            let len = u32::from_le_bytes(prefix) as usize;
            let runs = buf
                .get(4..4usize.saturating_add(len))
                .ok_or_else(|| corrupt_page("its RLE values run past the page"))?;
            walk(runs, 1, present, None).map_err(corrupt_page)?;
            Ok(())
        }
        Some(Encoding::DELTA_BINARY_PACKED) => {
            let bits = if leaf.physical == Type::INT64 { 64 } else { 32 };
            let (values, _) =
                delta::binary_packed(buf, levels, bits, |_| Ok(())).map_err(corrupt_page)?;
            // The crate's decoder underflows when asked for a value of an empty stream.
            if values < present {
                return Err(corrupt_page("it holds fewer values than its levels say"));
            }
            Ok(())
        }
        Some(Encoding::DELTA_LENGTH_BYTE_ARRAY) => {
            walked(delta::length_byte_array(buf, levels).map(|_| ()))
        }
        Some(Encoding::DELTA_BYTE_ARRAY) => walked(delta::byte_array(buf, levels)),
        // The crate reads value i's bytes at i + k * (len / width): `present` values must fit.
        Some(Encoding::BYTE_STREAM_SPLIT) => match fixed_width(leaf) {
            Some(width) => fits(present.saturating_mul(width), buf),
            None => Err(corrupt_page("BYTE_STREAM_SPLIT of a variable-width type")),
        },
        // cannot happen: `pages` refuses the other encodings.
        _ => Err(corrupt_page("an unknown encoding")),
    }
}

/// The bytes of one value of a fixed-width type.
fn fixed_width(leaf: &Leaf) -> Option<usize> {
    match leaf.physical {
        Type::INT32 | Type::FLOAT => Some(4),
        Type::INT64 | Type::DOUBLE => Some(8),
        Type::INT96 => Some(12),
        // cannot be 0 or negative: `CheckedPages::new` refuses that.
        Type::FIXED_LEN_BYTE_ARRAY => Some(leaf.type_length as usize),
        Type::BOOLEAN | Type::BYTE_ARRAY => None,
    }
}

/// `n` PLAIN values of the leaf's type fit in `buf`; byte arrays are walked length by length.
fn check_plain(buf: &[u8], n: usize, leaf: &Leaf) -> Result<()> {
    if let Some(width) = fixed_width(leaf) {
        return fits(n.saturating_mul(width), buf);
    }
    match leaf.physical {
        Type::BOOLEAN => fits(n.div_ceil(8), buf),
        _ => {
            let mut at = 0usize;
            for _ in 0..n {
                let prefix: [u8; 4] = buf
                    .get(at..at + 4)
                    .and_then(|b| b.try_into().ok())
                    .ok_or_else(|| corrupt_page("its values are cut short"))?;
                at = (at + 4)
                    .checked_add(u32::from_le_bytes(prefix) as usize)
                    .filter(|end| *end <= buf.len())
                    .ok_or_else(|| corrupt_page("a value runs past the page"))?;
            }
            Ok(())
        }
    }
}

fn fits(len: usize, buf: &[u8]) -> Result<()> {
    if len <= buf.len() {
        Ok(())
    } else {
        Err(corrupt_page("it holds fewer values than its levels say"))
    }
}
