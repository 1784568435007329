//! The DELTA encodings, decoded here the way the parquet crate's `DeltaBitPackDecoder` reads
//! them, to check a page before the crate decodes it. Its hazards on a corrupt page: header
//! varints over 10 bytes (`get_vlq_int` asserts), a claimed value count it allocates for
//! (`DeltaLengthByteArrayDecoder` resizes its lengths to it), byte lengths it slices without
//! checking (`data.slice(offset..offset + len)`), a block end past the page
//! (`data.slice(get_offset()..)`), and fewer suffixes than prefixes (`ByteArray::data`
//! expects a value), a value asked of an empty stream (`values_left -= 1` underflows).

type Walked<T> = Result<T, String>;

/// Blocks larger than this are refused (writers use 128 or a few multiples of it).
const MAX_BLOCK_SIZE: u64 = 1 << 16;
/// Values in one DELTA stream: the crate allocates 4 bytes per length of a byte array stream
/// however few bytes the stream takes (zero-width blocks cost nothing), so a page claiming
/// more than this (writers cut pages at 20,000 rows) is refused.
const MAX_STREAM_VALUES: usize = 1 << 24;

struct Bits<'a> {
    data: &'a [u8],
    /// Position in bits.
    at: usize,
}

impl Bits<'_> {
    fn byte_offset(&self) -> usize {
        self.at.div_ceil(8)
    }

    /// The crate's `get_vlq_int`: byte-aligned, at most 10 bytes.
    fn vlq(&mut self) -> Walked<u64> {
        let mut at = self.byte_offset();
        let mut v = 0u64;
        for i in 0..10 {
            let b = *self.data.get(at).ok_or("a delta header is cut short")?;
            at += 1;
            v |= u64::from(b & 0x7f).checked_shl(7 * i).unwrap_or(0);
            if b & 0x80 == 0 {
                self.at = at * 8;
                return Ok(v);
            }
        }
        Err("a delta header varint is over 10 bytes".into())
    }

    fn zigzag(&mut self) -> Walked<i64> {
        let u = self.vlq()?;
        Ok((u >> 1) as i64 ^ -((u & 1) as i64))
    }

    /// Checks that `n` values of `width` bits are there.
    fn has(&self, n: usize, width: usize) -> Walked<()> {
        n.checked_mul(width)
            .and_then(|bits| self.at.checked_add(bits))
            .filter(|end| *end <= self.data.len() * 8)
            .map(|_| ())
            .ok_or_else(|| "a delta mini block is cut short".into())
    }

    /// The next value of `width` bits, least significant bit first (checked by `has`).
    fn value(&mut self, width: usize) -> u64 {
        let mut v = 0u64;
        for b in 0..width {
            let bit = self.at + b;
            v |= u64::from((self.data[bit / 8] >> (bit % 8)) & 1) << b;
        }
        self.at += width;
        v
    }
}

/// A DELTA_BINARY_PACKED stream of integers of `bits` (32 or 64) bits: each value goes to
/// `each`; returns how many there are and where the crate takes the stream to end (its
/// `get_offset` once every value is read). Refused when it claims more than `max_values`.
pub(crate) fn binary_packed(
    data: &[u8],
    max_values: usize,
    bits: u32,
    mut each: impl FnMut(i64) -> Walked<()>,
) -> Walked<(usize, usize)> {
    let wrap = |v: i64| if bits == 32 { v as i32 as i64 } else { v };
    let fits = |v: i64| bits == 64 || i32::try_from(v).is_ok();
    let mut r = Bits { data, at: 0 };
    let block_size = r.vlq()?;
    let mini_blocks = r.vlq()?;
    let total = r.vlq()?;
    let first = r.zigzag()?;
    let shape_ok = block_size > 0
        && block_size <= MAX_BLOCK_SIZE
        && block_size % 128 == 0
        && mini_blocks > 0
        && block_size % mini_blocks == 0
        && (block_size / mini_blocks) % 32 == 0;
    if !shape_ok || !fits(first) {
        return Err("a delta header is not one the format allows".into());
    }
    let total = usize::try_from(total)
        .ok()
        .filter(|t| *t <= max_values.min(MAX_STREAM_VALUES))
        .ok_or("a delta stream claims more values than its page")?;
    let per_mini = (block_size / mini_blocks) as usize;
    let mini_blocks = mini_blocks as usize;
    let mut block_end = 0;
    let mut read = 0;
    if total > 0 {
        each(first)?;
        read = 1;
    }
    let mut last = first;
    while read < total {
        let min_delta = r.zigzag()?;
        if !fits(min_delta) {
            return Err("a delta block's minimum is out of range".into());
        }
        let start = r.byte_offset();
        let widths = data
            .get(start..start.saturating_add(mini_blocks))
            .ok_or("a delta block's bit widths are cut short")?;
        r.at = (start + mini_blocks) * 8;
        // As the crate does: mini blocks past the last value count as zero bits wide.
        let mut remaining = total - read;
        block_end = r.byte_offset();
        for &w in widths {
            let w = if remaining == 0 { 0 } else { usize::from(w) };
            remaining = remaining.saturating_sub(per_mini);
            block_end += w * per_mini / 8;
        }
        for &w in widths {
            if read == total {
                break;
            }
            let w = usize::from(w);
            if w > bits as usize {
                return Err("a delta mini block is wider than its type".into());
            }
            let n = per_mini.min(total - read);
            r.has(n, w)?;
            for _ in 0..n {
                let d = wrap(r.value(w) as i64);
                last = wrap(last.wrapping_add(min_delta).wrapping_add(d));
                each(last)?;
            }
            read += n;
        }
    }
    let end = r.byte_offset().max(block_end);
    if end > data.len() {
        return Err("a delta block ends past its page".into());
    }
    Ok((total, end))
}

/// A DELTA_LENGTH_BYTE_ARRAY stream: how many values it holds, each within the page.
pub(crate) fn length_byte_array(data: &[u8], max_values: usize) -> Walked<usize> {
    let mut total_len = 0u64;
    let (count, end) = binary_packed(data, max_values, 32, |len| {
        total_len += u64::try_from(len).map_err(|_| "a value has a negative length")?;
        Ok(())
    })?;
    // cannot underflow: `binary_packed` checks that the stream ends within `data`.
    if total_len > (data.len() - end) as u64 {
        return Err("a value runs past its page".into());
    }
    Ok(count)
}

/// A DELTA_BYTE_ARRAY stream: prefix lengths, then the suffixes as DELTA_LENGTH_BYTE_ARRAY.
pub(crate) fn byte_array(data: &[u8], max_values: usize) -> Walked<()> {
    let (prefixes, end) = binary_packed(data, max_values, 32, |_| Ok(()))?;
    let suffixes = length_byte_array(&data[end..], max_values)?;
    if suffixes < prefixes {
        return Err("a delta stream has fewer suffixes than prefixes".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_stream_decodes() {
        // block 128, 4 mini blocks, 3 values, first 5; min delta 1, widths 0: 5, 6, 7.
        let data = [0x80, 0x01, 4, 3, 10, 2, 0, 0, 0, 0];
        let mut values = Vec::new();
        let (count, end) = binary_packed(&data, 3, 32, |v| {
            values.push(v);
            Ok(())
        })
        .unwrap();
        assert_eq!(count, 3);
        assert_eq!(values, [5, 6, 7]);
        assert_eq!(end, data.len());
    }

    #[test]
    fn a_stream_claiming_more_values_than_its_page_is_refused() {
        let data = [0x80, 0x01, 4, 0xff, 0xff, 0xff, 0xff, 0x07, 0];
        assert!(binary_packed(&data, 100, 32, |_| Ok(())).is_err());
    }
}
