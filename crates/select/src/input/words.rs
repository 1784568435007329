//! Eight bytes at a time in a `u64` (SWAR): the byte searches of the JSON fast path and CSV
//! field splitting. Plain integer arithmetic, so it is as fast in wasm32 (which has 64-bit
//! integers) as natively, and records are too short for memchr's vector setup to pay off.

pub const ONES: u64 = 0x0101_0101_0101_0101;
pub const HIGHS: u64 = 0x8080_8080_8080_8080;
const LOWS: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// The eight bytes at `i` as a little-endian word, or the last few padded with `pad` and
/// `false`; `None` past the end.
#[inline]
pub fn word_at(b: &[u8], i: usize, pad: u8) -> Option<(u64, bool)> {
    if let Some(chunk) = b.get(i..i + 8) {
        return Some((u64::from_le_bytes(chunk.try_into().ok()?), true));
    }
    let rest = b.get(i..)?;
    let mut word = [pad; 8];
    // cannot fail: fewer than 8 bytes are left, or `get(i..i + 8)` would have taken them.
    word[..rest.len()].copy_from_slice(rest);
    Some((u64::from_le_bytes(word), false))
}

/// The high bit of exactly each byte of `w` equal to `byte`.
#[inline]
pub fn equal(w: u64, byte: u8) -> u64 {
    let x = w ^ (ONES * u64::from(byte));
    !(((x & LOWS) + LOWS) | x | LOWS)
}

/// Bit k set for each byte k of a word whose high bit is set in `marks`.
#[inline]
pub fn pack(marks: u64) -> u64 {
    // Moves bit 8k + 7 to bit 56 + k; the partial products never overlap, so nothing carries.
    ((marks >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// The high bit of exactly each byte of `w` below 0x20 (a control character): adding 0x60 to
/// its low 7 bits does not carry into the high bit.
#[inline]
pub fn control_bytes(w: u64) -> u64 {
    !(((w & !HIGHS) + ONES * 0x60) | w) & HIGHS
}

/// The index in its word of the lowest byte marked in `marks`.
#[inline]
pub fn first(marks: u64) -> usize {
    (marks.trailing_zeros() / 8) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_marks_exactly_the_equal_bytes() {
        for byte in [0u8, 1, b',', 0x7f, 0x80, 0xff] {
            for w in [0u64, u64::MAX, 0x2c00_2c2c_012c_ff80, 0x8001_7f00_2c2d_2b2c] {
                let expected = (0..8).fold(0, |m, k| {
                    if (w >> (8 * k)) as u8 == byte {
                        m | 0x80 << (8 * k)
                    } else {
                        m
                    }
                });
                assert_eq!(equal(w, byte), expected, "{w:#x} {byte}");
            }
        }
    }

    #[test]
    fn pack_gathers_the_high_bits() {
        for k in 0..8 {
            assert_eq!(pack(0x80 << (8 * k)), 1 << k);
        }
        assert_eq!(pack(HIGHS), 0xff);
        assert_eq!(pack(0x8000_0080_0000_8080), 0b1001_0011);
    }

    #[test]
    fn words_and_the_padded_tail() {
        assert_eq!(
            word_at(b"abcdefghij", 0, b' '),
            Some((u64::from_le_bytes(*b"abcdefgh"), true))
        );
        assert_eq!(
            word_at(b"abcdefghij", 8, b' '),
            Some((u64::from_le_bytes(*b"ij      "), false))
        );
        assert_eq!(
            word_at(b"ab", 2, b' '),
            Some((u64::from_le_bytes(*b"        "), false))
        );
        assert_eq!(word_at(b"ab", 3, b' '), None);
    }
}
