//! Stage one of counting flat JSON Lines records (`json_flat`): which bytes of a 64-byte block
//! are in each class the check needs, one bit per byte. On x86_64 SSE2 (always there) compares
//! 16 bytes an instruction, AVX2 32 and AVX-512BW the whole block (`json_flat` picks by what
//! the CPU has); SIMD128 on wasm32 (the browser build enables it) 16. Elsewhere a byte loop
//! gives the same answer, and the tests hold the vector versions to it.

use super::json_blocks::BLOCK;

/// The classes of a block's bytes (bit k: byte k), or of several blocks' (`json_flat::bits`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Classes<W = u64> {
    pub quote: W,
    /// `{`
    pub open: W,
    /// `}`
    pub close: W,
    pub colon: W,
    pub comma: W,
    pub newline: W,
    /// Space, tab and CR: whitespace within a line.
    pub blank: W,
    /// Tab, CR and newline: the control characters allowed outside strings only.
    pub control: W,
    /// What no vouched line holds anywhere: `\` and the other control characters.
    /// (`[` and `]` are in no class: outside strings they fail as scalars do.)
    pub refused: W,
    /// `0` to `9`.
    pub digit: W,
    pub zero: W,
    pub minus: W,
    /// Some byte is above 0x7f.
    pub high: bool,
}

/// One byte's classes, as bits in the order of `Classes`' masks: the definition the vector
/// versions are held to.
const QUOTE: u16 = 1;
const OPEN: u16 = 1 << 1;
const CLOSE: u16 = 1 << 2;
const COLON: u16 = 1 << 3;
const COMMA: u16 = 1 << 4;
const NEWLINE: u16 = 1 << 5;
const BLANK: u16 = 1 << 6;
const CONTROL: u16 = 1 << 7;
const REFUSED: u16 = 1 << 8;

const fn byte_classes(c: u8) -> u16 {
    match c {
        b'"' => QUOTE,
        b'{' => OPEN,
        b'}' => CLOSE,
        b':' => COLON,
        b',' => COMMA,
        b'\n' => NEWLINE | CONTROL,
        b' ' => BLANK,
        b'\t' | b'\r' => BLANK | CONTROL,
        b'\\' | 0..0x20 => REFUSED,
        _ => 0,
    }
}

/// Can `c` be part of a scalar (a number or `true`, `false`, `null`) as the check reads a
/// line: a byte outside strings in none of the classes.
pub fn scalar_byte(c: u8) -> bool {
    byte_classes(c) == 0
}

/// The classes of `block`'s bytes.
#[inline(always)]
pub fn classify(block: &[u8; BLOCK]) -> Classes {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of the x86_64 baseline, so every x86_64 CPU has it.
    return unsafe { classify_sse2(block) };
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    return classify_simd128(block);
    #[allow(unreachable_code)]
    classify_bytes(block)
}

/// The portable version, byte by byte.
#[cfg_attr(
    any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ),
    allow(dead_code)
)]
pub fn classify_bytes(block: &[u8; BLOCK]) -> Classes {
    let mut c = Classes::default();
    for (k, &b) in block.iter().enumerate() {
        let bits = byte_classes(b);
        let has = |class: u16| u64::from(bits & class != 0) << k;
        c.quote |= has(QUOTE);
        c.open |= has(OPEN);
        c.close |= has(CLOSE);
        c.colon |= has(COLON);
        c.comma |= has(COMMA);
        c.newline |= has(NEWLINE);
        c.blank |= has(BLANK);
        c.control |= has(CONTROL);
        c.refused |= has(REFUSED);
        c.digit |= u64::from(b.is_ascii_digit()) << k;
        c.zero |= u64::from(b == b'0') << k;
        c.minus |= u64::from(b == b'-') << k;
        c.high |= b > 0x7f;
    }
    c
}

/// x86_64: SSE2 16 bytes a step, AVX2 32, AVX-512BW the whole block.
#[cfg(target_arch = "x86_64")]
pub mod x86 {
    use super::{from_masks, Classes, BLOCK};
    use std::arch::x86_64::*;

    /// The classes of the 16 bytes in `v` as 16-bit masks, in the order of `Classes`.
    #[inline(always)]
    unsafe fn step(v: __m128i) -> [u16; 12] {
        let eq = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
        let mask = |m: __m128i| _mm_movemask_epi8(m) as u16;
        // Unsigned `v <= 0x1f` is `min(v, 0x1f) == v`.
        let below_space = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
        let newline = eq(b'\n');
        let tab_cr = _mm_or_si128(eq(b'\t'), eq(b'\r'));
        let control = _mm_or_si128(tab_cr, newline);
        let refused = _mm_or_si128(eq(b'\\'), _mm_andnot_si128(control, below_space));
        // `v - '0' <= 9` unsigned.
        let offset = _mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8));
        let digit = _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(9)), offset);
        [
            mask(eq(b'"')),
            mask(eq(b'{')),
            mask(eq(b'}')),
            mask(eq(b':')),
            mask(eq(b',')),
            mask(newline),
            mask(_mm_or_si128(eq(b' '), tab_cr)),
            mask(control),
            mask(refused),
            mask(digit),
            mask(eq(b'0')),
            mask(eq(b'-')),
        ]
    }

    #[target_feature(enable = "sse2")]
    pub unsafe fn classify_sse2(block: &[u8; BLOCK]) -> Classes {
        let mut masks = [0u64; 12];
        let mut high = _mm_setzero_si128();
        for k in 0..4 {
            // SAFETY: bytes 16k..16k + 16 are in the block; loadu takes any alignment.
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast());
            for (m, s) in masks.iter_mut().zip(step(v)) {
                *m |= u64::from(s) << (16 * k);
            }
            high = _mm_or_si128(high, v);
        }
        from_masks(masks, _mm_movemask_epi8(high) != 0)
    }

    /// The classes of the 32 bytes in `v` as 32-bit masks, in the order of `Classes`.
    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn step_avx2(v: __m256i) -> [u32; 12] {
        macro_rules! eq {
            ($b:expr) => {
                _mm256_cmpeq_epi8(v, _mm256_set1_epi8($b as i8))
            };
        }
        macro_rules! mask {
            ($m:expr) => {
                _mm256_movemask_epi8($m) as u32
            };
        }
        let below_space = _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1f)), v);
        let newline = eq!(b'\n');
        let tab_cr = _mm256_or_si256(eq!(b'\t'), eq!(b'\r'));
        let control = _mm256_or_si256(tab_cr, newline);
        let refused = _mm256_or_si256(eq!(b'\\'), _mm256_andnot_si256(control, below_space));
        let offset = _mm256_sub_epi8(v, _mm256_set1_epi8(b'0' as i8));
        let digit = _mm256_cmpeq_epi8(_mm256_min_epu8(offset, _mm256_set1_epi8(9)), offset);
        [
            mask!(eq!(b'"')),
            mask!(eq!(b'{')),
            mask!(eq!(b'}')),
            mask!(eq!(b':')),
            mask!(eq!(b',')),
            mask!(newline),
            mask!(_mm256_or_si256(eq!(b' '), tab_cr)),
            mask!(control),
            mask!(refused),
            mask!(digit),
            mask!(eq!(b'0')),
            mask!(eq!(b'-')),
        ]
    }

    /// Only where the CPU has AVX2.
    #[target_feature(enable = "avx2")]
    #[inline]
    pub unsafe fn classify_avx2(block: &[u8; BLOCK]) -> Classes {
        // SAFETY: both 32-byte halves are in the block; loadu takes any alignment.
        let low = _mm256_loadu_si256(block.as_ptr().cast());
        let high = _mm256_loadu_si256(block.as_ptr().add(32).cast());
        let (l, h) = (step_avx2(low), step_avx2(high));
        let masks = std::array::from_fn(|k| u64::from(l[k]) | u64::from(h[k]) << 32);
        from_masks(masks, _mm256_movemask_epi8(_mm256_or_si256(low, high)) != 0)
    }

    /// Only where the CPU has AVX-512BW.
    #[target_feature(enable = "avx512bw")]
    #[inline]
    pub unsafe fn classify_avx512(block: &[u8; BLOCK]) -> Classes {
        // SAFETY: the 64 bytes are the block's; loadu takes any alignment.
        let v = _mm512_loadu_si512(block.as_ptr().cast());
        macro_rules! eq {
            ($b:expr) => {
                _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8($b as i8))
            };
        }
        let newline = eq!(b'\n');
        let tab_cr = eq!(b'\t') | eq!(b'\r');
        let control = tab_cr | newline;
        let below_space = _mm512_cmplt_epu8_mask(v, _mm512_set1_epi8(0x20));
        Classes {
            quote: eq!(b'"'),
            open: eq!(b'{'),
            close: eq!(b'}'),
            colon: eq!(b':'),
            comma: eq!(b','),
            newline,
            blank: eq!(b' ') | tab_cr,
            control,
            refused: eq!(b'\\') | below_space & !control,
            digit: _mm512_cmplt_epu8_mask(
                _mm512_sub_epi8(v, _mm512_set1_epi8(b'0' as i8)),
                _mm512_set1_epi8(10),
            ),
            zero: eq!(b'0'),
            minus: eq!(b'-'),
            high: _mm512_movepi8_mask(v) != 0,
        }
    }
}

#[cfg(target_arch = "x86_64")]
use x86::classify_sse2;

/// The classes from their masks in the order of `Classes`.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
#[inline(always)]
fn from_masks(m: [u64; 12], high: bool) -> Classes {
    Classes {
        quote: m[0],
        open: m[1],
        close: m[2],
        colon: m[3],
        comma: m[4],
        newline: m[5],
        blank: m[6],
        control: m[7],
        refused: m[8],
        digit: m[9],
        zero: m[10],
        minus: m[11],
        high,
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn classify_simd128(block: &[u8; BLOCK]) -> Classes {
    use std::arch::wasm32::*;
    let mut masks = [0u64; 12];
    let mut high = u8x16_splat(0);
    for (k, chunk) in block.chunks_exact(16).enumerate() {
        // cannot fail: chunks_exact(16) hands out 16 bytes.
        let v = u8x16_from(chunk);
        let eq = |b: u8| u8x16_eq(v, u8x16_splat(b));
        let newline = eq(b'\n');
        let tab_cr = v128_or(eq(b'\t'), eq(b'\r'));
        let control = v128_or(tab_cr, newline);
        let below_space = u8x16_lt(v, u8x16_splat(0x20));
        let refused = v128_or(eq(b'\\'), v128_andnot(below_space, control));
        let digit = u8x16_le(u8x16_sub(v, u8x16_splat(b'0')), u8x16_splat(9));
        let steps = [
            eq(b'"'),
            eq(b'{'),
            eq(b'}'),
            eq(b':'),
            eq(b','),
            newline,
            v128_or(eq(b' '), tab_cr),
            control,
            refused,
            digit,
            eq(b'0'),
            eq(b'-'),
        ];
        for (m, s) in masks.iter_mut().zip(steps) {
            *m |= u64::from(u8x16_bitmask(s)) << (16 * k);
        }
        high = v128_or(high, v);
    }
    from_masks(masks, u8x16_bitmask(high) != 0)
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn u8x16_from(chunk: &[u8]) -> std::arch::wasm32::v128 {
    let word = |h: &[u8]| h.try_into().map_or(0, u64::from_le_bytes);
    std::arch::wasm32::u64x2(word(&chunk[..8]), word(&chunk[8..16]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_classes_of_some_bytes() {
        let mut block = [b'a'; BLOCK];
        block[..12].copy_from_slice(b"{\"k\": [1]}\t\\");
        block[63] = b'\n';
        block[20] = 0x01;
        block[21] = 0xc3;
        let c = classify_bytes(&block);
        assert_eq!(c.quote, 1 << 1 | 1 << 3);
        assert_eq!(c.open, 1);
        assert_eq!(c.close, 1 << 9);
        assert_eq!(c.colon, 1 << 4);
        assert_eq!(c.blank, 1 << 5 | 1 << 10);
        assert_eq!(c.newline, 1 << 63);
        assert_eq!(c.control, 1 << 10 | 1 << 63);
        assert_eq!(c.refused, 1 << 11 | 1 << 20);
        assert!(c.high);
        assert!(scalar_byte(b'-') && scalar_byte(0xc3) && scalar_byte(b'['));
        assert!(!scalar_byte(b'"') && !scalar_byte(b' ') && !scalar_byte(b'\n'));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Blocks mostly of the bytes that matter and their neighbours, with any byte among them.
        #[test]
        fn the_vector_version_agrees_byte_by_byte(bytes in proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(b"\"{}:,\n\t\r \\[]Z^\x1f\x00\x7f\x80\xff09-tz/".to_vec()),
                any::<u8>(),
            ],
            BLOCK,
        )) {
            let block: [u8; BLOCK] = bytes.try_into().unwrap();
            let expected = classify_bytes(&block);
            prop_assert_eq!(classify(&block), expected);
            #[cfg(target_arch = "x86_64")]
            {
                if is_x86_feature_detected!("avx2") {
                    // SAFETY: the CPU has AVX2.
                    prop_assert_eq!(unsafe { x86::classify_avx2(&block) }, expected);
                }
                if is_x86_feature_detected!("avx512bw") {
                    // SAFETY: the CPU has AVX-512BW.
                    prop_assert_eq!(unsafe { x86::classify_avx512(&block) }, expected);
                }
            }
        }
    }
}
