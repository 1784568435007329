//! Stage one of the JSON fast path: what a 64-byte block holds, as simdjson finds it. SSE2 on
//! x86_64 (always there) and SIMD128 on wasm32 (the browser build enables it) compare 16 bytes
//! an instruction; elsewhere the same answer comes from `u64` arithmetic (SWAR), which the
//! tests also hold the vector versions to.

use super::words::{equal, pack, HIGHS, ONES};

/// The bytes of a block.
pub const BLOCK: usize = 64;

/// What one pass over a block finds.
#[derive(Debug, PartialEq, Eq)]
pub struct Scan {
    /// Bit k: byte k is `"`.
    pub quotes: u64,
    /// Some byte is `\` or a control character (below 0x20).
    pub special: bool,
    /// Some byte is above 0x7f.
    pub high: bool,
}

#[cfg(target_arch = "x86_64")]
#[inline]
pub fn scan(block: &[u8; BLOCK]) -> Scan {
    // SAFETY: SSE2 is part of the x86_64 baseline, so every x86_64 CPU has it.
    unsafe { scan_sse2(block) }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
pub fn scan(block: &[u8; BLOCK]) -> Scan {
    // Safe to call: on wasm32 a missing feature fails validation, it is never undefined.
    scan_simd128(block)
}

#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
#[inline]
pub fn scan(block: &[u8; BLOCK]) -> Scan {
    scan_swar(block)
}

/// The block as eight little-endian words.
#[inline]
pub fn words(block: &[u8; BLOCK]) -> [u64; 8] {
    // cannot fail: k < 8, so the 8 bytes at 8k are in the block.
    std::array::from_fn(|k| {
        block[8 * k..8 * k + 8]
            .try_into()
            .map_or(0, u64::from_le_bytes)
    })
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn scan_sse2(block: &[u8; BLOCK]) -> Scan {
    use std::arch::x86_64::*;
    let w = words(block);
    let quote = _mm_set1_epi8(b'"' as i8);
    let backslash = _mm_set1_epi8(b'\\' as i8);
    let below_space = _mm_set1_epi8(0x1f);
    let (mut quotes, mut special, mut high) = (0u64, _mm_setzero_si128(), _mm_setzero_si128());
    for k in 0..4 {
        // Two words make one 16-byte load once compiled.
        let v = _mm_set_epi64x(w[2 * k + 1] as i64, w[2 * k] as i64);
        let q = _mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) as u16;
        quotes |= u64::from(q) << (16 * k);
        // Unsigned `v <= 0x1f` is `min(v, 0x1f) == v`.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, below_space), v);
        special = _mm_or_si128(special, _mm_or_si128(control, _mm_cmpeq_epi8(v, backslash)));
        high = _mm_or_si128(high, v);
    }
    Scan {
        quotes,
        special: _mm_movemask_epi8(special) != 0,
        high: _mm_movemask_epi8(high) != 0,
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[target_feature(enable = "simd128")]
fn scan_simd128(block: &[u8; BLOCK]) -> Scan {
    use std::arch::wasm32::*;
    let w = words(block);
    let quote = u8x16_splat(b'"');
    let backslash = u8x16_splat(b'\\');
    let space = u8x16_splat(b' ');
    let (mut quotes, mut special, mut high) = (0u64, u8x16_splat(0), u8x16_splat(0));
    for k in 0..4 {
        // Two words make one 16-byte load once compiled.
        let v = u64x2(w[2 * k], w[2 * k + 1]);
        quotes |= u64::from(u8x16_bitmask(u8x16_eq(v, quote))) << (16 * k);
        special = v128_or(special, v128_or(u8x16_lt(v, space), u8x16_eq(v, backslash)));
        high = v128_or(high, v);
    }
    Scan {
        quotes,
        special: v128_any_true(special),
        high: u8x16_bitmask(high) != 0,
    }
}

/// The portable version: eight bytes at a time in a `u64`.
#[cfg_attr(
    any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ),
    allow(dead_code)
)]
#[inline]
pub fn scan_swar(block: &[u8; BLOCK]) -> Scan {
    let (mut quotes, mut special, mut high) = (0u64, 0u64, 0u64);
    for (k, w) in words(block).into_iter().enumerate() {
        quotes |= pack(equal(w, b'"')) << (8 * k);
        // "Is any byte zero / below 0x20": borrows can mark bytes above a real one, never
        // the first, so the answer for the word is exact.
        let backslash = w ^ (ONES * u64::from(b'\\'));
        special |= (backslash.wrapping_sub(ONES) & !backslash) | (w.wrapping_sub(ONES * 0x20) & !w);
        high |= w;
    }
    Scan {
        quotes,
        special: special & HIGHS != 0,
        high: high & HIGHS != 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The answer byte by byte.
    fn naive(block: &[u8; BLOCK]) -> Scan {
        Scan {
            quotes: (0..BLOCK).fold(0, |m, k| m | u64::from(block[k] == b'"') << k),
            special: block.iter().any(|&c| c < 0x20 || c == b'\\'),
            high: block.iter().any(|&c| c > 0x7f),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Blocks mostly of the bytes that matter (and their neighbours, which borrows and
        /// carries would confuse), with any byte among them.
        #[test]
        fn every_version_agrees_byte_by_byte(bytes in proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(vec![b'"', b'#', b'!', b'\\', b']', 0x1f, 0x20, 0, 1, b'a', 0x7f, 0x80, 0xff]),
                any::<u8>(),
            ],
            BLOCK,
        )) {
            let block: [u8; BLOCK] = bytes.try_into().unwrap();
            let expected = naive(&block);
            prop_assert_eq!(scan_swar(&block), naive(&block));
            prop_assert_eq!(scan(&block), expected);
        }
    }
}
