//! The RLE / bit-packed hybrid runs that carry levels, dictionary indices and RLE booleans,
//! walked the way the parquet crate's `RleDecoder` reads them, so that a page is known to hold
//! what the crate will ask of it before the crate sees it.

type Walked<T> = Result<T, String>;

/// What a walk over `count` values found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Runs {
    /// Values the runs hold (fewer than asked when the data ends first).
    pub decoded: usize,
    /// How many of them equal the value asked about.
    pub matching: usize,
}

/// Bits needed for values up to `max` (the level bit width of the format).
pub(crate) fn bit_width(max: i16) -> u8 {
    (16 - (max.max(0) as u16).leading_zeros()) as u8
}

/// Walks up to `count` values of `width` bits in `data`, counting those equal to `target`
/// (when there is one: unpacking every value to compare it is the costly part).
/// Errors where the crate would overrun: a run header varint longer than the crate's
/// `MAX_VLQ_BYTE_LEN` (its `get_vlq_int` asserts), an RLE value cut short or wider than
/// `width`.
pub(crate) fn walk(data: &[u8], width: u8, count: usize, target: Option<u64>) -> Walked<Runs> {
    if width > 32 {
        return Err(format!("a run's bit width is {width}, over 32"));
    }
    let width_usize = usize::from(width);
    let mut at = 0usize;
    let mut runs = Runs {
        decoded: 0,
        matching: 0,
    };
    while runs.decoded < count && at < data.len() {
        let (header, len) = varint(&data[at..])?;
        at += len;
        if header == 0 {
            // The crate reads a zero header as the end (fastparquet pads pages with zeros).
            break;
        }
        let wanted = count - runs.decoded;
        if header & 1 == 1 {
            let groups = usize::try_from(header >> 1).map_err(|_| "a run is too long")?;
            let values = groups.saturating_mul(8);
            let run_bytes = groups.saturating_mul(width_usize);
            let held = data.len() - at;
            // A final run cut short is read as far as it goes, as the crate does.
            let available = if width == 0 {
                values
            } else {
                values.min(held.saturating_mul(8) / width_usize)
            };
            let n = available.min(wanted);
            runs.matching += match target {
                None => 0,
                Some(t) if width == 0 => usize::from(t == 0) * n,
                Some(t) => (0..n)
                    .filter(|&i| unpack(&data[at..], i, width) == t)
                    .count(),
            };
            runs.decoded += n;
            at = at.saturating_add(run_bytes).min(data.len());
        } else {
            let values = usize::try_from(header >> 1).map_err(|_| "a run is too long")?;
            let value_bytes = width_usize.div_ceil(8);
            let bytes = data
                .get(at..at + value_bytes)
                .ok_or("an RLE run's value is cut short")?;
            let value = bytes
                .iter()
                .rev()
                .fold(0u64, |v, b| (v << 8) | u64::from(*b));
            if width < 64 && value >> width != 0 {
                return Err("an RLE run's value is wider than its bit width".into());
            }
            at += value_bytes;
            let n = values.min(wanted);
            if target == Some(value) {
                runs.matching += n;
            }
            runs.decoded += n;
        }
    }
    Ok(runs)
}

/// Value `i` of a bit-packed run (least significant bit first), `width` <= 32.
pub(crate) fn unpack(run: &[u8], i: usize, width: u8) -> u64 {
    let mut v = 0u64;
    for b in 0..usize::from(width) {
        let bit = i * usize::from(width) + b;
        let byte = run.get(bit / 8).copied().unwrap_or(0);
        v |= u64::from((byte >> (bit % 8)) & 1) << b;
    }
    v
}

/// An unsigned LEB128 varint of at most 5 bytes (run headers are u32 in the format; the crate
/// asserts past 10 bytes).
fn varint(data: &[u8]) -> Walked<(u64, usize)> {
    let mut v = 0u64;
    for (i, b) in data.iter().take(5).enumerate() {
        v |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Ok((v, i + 1));
        }
    }
    Err("a run header is cut short or longer than 5 bytes".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rle_and_bit_packed_runs_count_their_values() {
        // RLE: 5 x value 1 (width 1); bit-packed: one group of 8 values 0,1,0,1,...
        let data = [5 << 1, 1, 0b11, 0b1010_1010];
        let runs = walk(&data, 1, 13, Some(1)).unwrap();
        assert_eq!(
            runs,
            Runs {
                decoded: 13,
                matching: 9
            }
        );
    }

    #[test]
    fn an_over_long_run_header_is_refused() {
        assert!(walk(&[0x80; 12], 1, 1, None).is_err());
    }

    #[test]
    fn level_bit_widths() {
        assert_eq!([0, 1, 2, 3, 4, 7, 8].map(bit_width), [0, 1, 2, 2, 3, 3, 4]);
    }
}
