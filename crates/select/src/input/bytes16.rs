//! Which of 16 bytes equal a given byte, as 16 bits: one vector compare with SSE2 on x86_64
//! (always there) and SIMD128 on wasm32 (the browser build enables it), two SWAR words
//! elsewhere. CSV field splitting takes a record 16 bytes a step with it.

use super::words::{equal, pack};

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

/// Bit k set when byte k equals `byte`.
#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
#[inline]
pub fn equal_bits(bytes: &[u8; WIDTH], byte: u8) -> u32 {
    equal_bits_swar(bytes, byte)
}

/// The portable answer, which the tests hold the vector versions to.
#[cfg_attr(
    any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ),
    allow(dead_code)
)]
#[inline]
pub fn equal_bits_swar(bytes: &[u8; WIDTH], byte: u8) -> u32 {
    let (low, high) = halves(bytes);
    (pack(equal(low, byte)) | pack(equal(high, byte)) << 8) as u32
}

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
            prop_assert_eq!(equal_bits_swar(&bytes, byte), naive);
            prop_assert_eq!(equal_bits(&bytes, byte), naive);
        }
    }
}
