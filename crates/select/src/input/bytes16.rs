//! Sixteen bytes at once: which equal a given byte, and whether any is one JSON escapes. One
//! vector compare with SSE2 on x86_64 (always there) and SIMD128 on wasm32 (the browser build
//! enables it), two SWAR words elsewhere. CSV field splitting and JSON string output take
//! their text 16 bytes a step with them.

use super::json_compact::specials;

/// Bytes a step.
pub const WIDTH: usize = 16;

/// The two little-endian words of 16 bytes.
#[inline]
fn halves(bytes: &[u8; WIDTH]) -> (u64, u64) {
    let (low, high) = bytes.split_at(8);
    // cannot fail: both halves are 8 bytes.
    let word = |h: &[u8]| h.try_into().map_or(0, u64::from_le_bytes);
    (word(low), word(high))
}

/// Bit k set when byte k equals `byte`.
#[cfg(target_arch = "x86_64")]
#[inline]
pub fn equal_bits(bytes: &[u8; WIDTH], byte: u8) -> u32 {
    use std::arch::x86_64::*;
    let (low, high) = halves(bytes);
    // SAFETY: SSE2 is part of the x86_64 baseline, so every x86_64 CPU has it. The two words
    // make one 16-byte load once compiled.
    unsafe {
        let v = _mm_set_epi64x(high as i64, low as i64);
        _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(byte as i8))) as u32
    }
}

/// Bit k set when byte k equals `byte`.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
pub fn equal_bits(bytes: &[u8; WIDTH], byte: u8) -> u32 {
    use std::arch::wasm32::*;
    let (low, high) = halves(bytes);
    u32::from(u8x16_bitmask(u8x16_eq(u64x2(low, high), u8x16_splat(byte))))
}

/// Bit k set when byte k is `"`, `\` or a control character (below 0x20): the bytes a JSON
/// string escapes.
#[cfg(target_arch = "x86_64")]
#[inline]
pub fn json_special_bits(bytes: &[u8; WIDTH]) -> u32 {
    use std::arch::x86_64::*;
    let (low, high) = halves(bytes);
    // SAFETY: SSE2 is part of the x86_64 baseline, so every x86_64 CPU has it.
    unsafe {
        let v = _mm_set_epi64x(high as i64, low as i64);
        // Unsigned `v <= 0x1f` is `min(v, 0x1f) == v`.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) as u32
    }
}

/// Bit k set when byte k is `"`, `\` or a control character (below 0x20): the bytes a JSON
/// string escapes.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
pub fn json_special_bits(bytes: &[u8; WIDTH]) -> u32 {
    use std::arch::wasm32::*;
    let (low, high) = halves(bytes);
    let v = u64x2(low, high);
    let control = u8x16_lt(v, u8x16_splat(0x20));
    let quote = u8x16_eq(v, u8x16_splat(b'"'));
    let backslash = u8x16_eq(v, u8x16_splat(b'\\'));
    u32::from(u8x16_bitmask(v128_or(control, v128_or(quote, backslash))))
}

/// Whether `text` has a byte JSON escapes. Sixteen bytes a step, the last step overlapping the
/// one before; shorter text in two overlapping words (or byte by byte), so nothing is copied
/// to pad it.
#[inline]
pub fn has_json_special(text: &[u8]) -> bool {
    let n = text.len();
    // The slicing below cannot fail: each range ends at n, or at WIDTH, 8 or 4 <= n.
    if n >= WIDTH {
        let mut steps = text.chunks_exact(WIDTH);
        if steps.any(|s| s.try_into().is_ok_and(|s| json_special_bits(s) != 0)) {
            return true;
        }
        return !steps.remainder().is_empty()
            && text[n - WIDTH..]
                .try_into()
                .is_ok_and(|s| json_special_bits(s) != 0);
    }
    let word = |at: usize| text[at..at + 8].try_into().map_or(0, u64::from_le_bytes);
    let half = |at: usize| text[at..at + 4].try_into().map_or(0, u32::from_le_bytes);
    if n >= 8 {
        specials(word(0)) | specials(word(n - 8)) != 0
    } else if n >= 4 {
        specials(u64::from(half(0)) | u64::from(half(n - 4)) << 32) != 0
    } else {
        text.iter().any(|&c| c < 0x20 || c == b'"' || c == b'\\')
    }
}

/// The portable answers: two SWAR words. The vector versions are held to them by the tests.
mod swar {
    #![cfg_attr(
        any(
            target_arch = "x86_64",
            all(target_arch = "wasm32", target_feature = "simd128")
        ),
        allow(dead_code)
    )]
    use super::{halves, WIDTH};
    use crate::input::words::{control_bytes, equal, pack};

    #[inline]
    pub fn json_special_bits(bytes: &[u8; WIDTH]) -> u32 {
        // Exact for every byte, not only the first as `specials` is.
        let bits = |w: u64| pack(equal(w, b'"') | equal(w, b'\\') | control_bytes(w));
        let (low, high) = halves(bytes);
        (bits(low) | bits(high) << 8) as u32
    }

    #[inline]
    pub fn equal_bits(bytes: &[u8; WIDTH], byte: u8) -> u32 {
        let (low, high) = halves(bytes);
        (pack(equal(low, byte)) | pack(equal(high, byte)) << 8) as u32
    }
}

#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
pub use swar::{equal_bits, json_special_bits};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn every_version_agrees_byte_by_byte(
            bytes in proptest::collection::vec(
                prop_oneof![
                    proptest::sample::select(vec![b',', b'+', b'-', 0, 0x7f, 0x80, 0xac, 0xff]),
                    any::<u8>(),
                ],
                WIDTH,
            ),
            byte in proptest::sample::select(vec![b',', b'|', b'\t', 0, 0x80, 0xff]),
        ) {
            let bytes: [u8; WIDTH] = bytes.try_into().unwrap();
            let naive = (0..WIDTH).fold(0u32, |m, k| m | u32::from(bytes[k] == byte) << k);
            prop_assert_eq!(swar::equal_bits(&bytes, byte), naive);
            prop_assert_eq!(equal_bits(&bytes, byte), naive);
        }

        #[test]
        fn json_specials_agree_byte_by_byte(
            bytes in proptest::collection::vec(
                prop_oneof![
                    8 => proptest::sample::select(vec![b'a', b'!', b'#', b'[', b']', 0x20, 0x7f, 0x80, 0xff]),
                    1 => proptest::sample::select(vec![b'"', b'\\', 0, 0x1f]),
                ],
                WIDTH,
            ),
        ) {
            let bytes: [u8; WIDTH] = bytes.try_into().unwrap();
            let naive = (0..WIDTH).fold(0u32, |m, k| {
                let c = bytes[k];
                m | u32::from(c < 0x20 || c == b'"' || c == b'\\') << k
            });
            prop_assert_eq!(swar::json_special_bits(&bytes), naive);
            prop_assert_eq!(json_special_bits(&bytes), naive);
        }

        /// Text of every length around the steps and words, with at most one special byte.
        #[test]
        fn has_json_special_finds_one_anywhere(
            len in 0usize..70,
            at in any::<proptest::sample::Index>(),
            special in proptest::sample::select(vec![None, Some(b'"'), Some(b'\\'), Some(0), Some(0x1f)]),
        ) {
            let mut text = vec![b'a'; len];
            if let (Some(c), false) = (special, text.is_empty()) {
                text[at.index(len)] = c;
            }
            let naive = text.iter().any(|&c| c < 0x20 || c == b'"' || c == b'\\');
            prop_assert_eq!(has_json_special(&text), naive);
        }
    }
}
