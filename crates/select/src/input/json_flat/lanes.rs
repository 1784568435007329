//! Eight blocks' masks in one AVX-512 vector, a block a lane, so each step of the check runs
//! once for 512 bytes. What crosses from one block to the next crosses lanes here: a carry
//! ripples through the lanes as binary addition does through bits (a lane that overflowed
//! generates one, a lane of all ones passes it on), and the prefix XOR of each lane takes
//! the parity of the lanes before it.
//!
//! Only `count_lanes` (compiled for AVX-512, called only where the CPU has it) makes a
//! `Lanes`, so every intrinsic here runs on a CPU that has it.

use super::bits::Bits;
use crate::input::json_classes::Classes;
use std::arch::x86_64::*;
use std::ops::{BitAnd, BitOr, BitXor, Not, Shl, Shr};

/// The CPU has every feature the lanes need (`count_lanes` is compiled with them).
pub fn supported() -> bool {
    is_x86_feature_detected!("avx512f")
        && is_x86_feature_detected!("avx512bw")
        && is_x86_feature_detected!("avx512cd")
        && is_x86_feature_detected!("avx512dq")
        && is_x86_feature_detected!("avx512vpopcntdq")
}

#[derive(Clone, Copy)]
pub struct Lanes(__m512i);

/// `$body` runs only inside `count_lanes`'s AVX-512 code (see the module's comment).
macro_rules! avx512 {
    ($body:expr) => {
        // SAFETY: a `Lanes` exists only where `supported()`.
        unsafe { $body }
    };
}

impl Lanes {
    /// The eight blocks' words, the first block in lane 0.
    #[inline(always)]
    pub fn from_words(words: [u64; 8]) -> Self {
        avx512!(Lanes(_mm512_loadu_si512(words.as_ptr().cast())))
    }

    #[inline(always)]
    fn words(self) -> [u64; 8] {
        let mut words = [0u64; 8];
        avx512!(_mm512_storeu_si512(words.as_mut_ptr().cast(), self.0));
        words
    }

    #[inline(always)]
    fn splat(word: u64) -> Self {
        avx512!(Lanes(_mm512_set1_epi64(word as i64)))
    }
}

/// Eight blocks' classes, lane k from block k.
#[inline(always)]
pub fn gather(blocks: &[Classes; 8]) -> Classes<Lanes> {
    let lanes = |f: fn(&Classes) -> u64| Lanes::from_words(std::array::from_fn(|k| f(&blocks[k])));
    Classes {
        quote: lanes(|c| c.quote),
        open: lanes(|c| c.open),
        close: lanes(|c| c.close),
        colon: lanes(|c| c.colon),
        comma: lanes(|c| c.comma),
        newline: lanes(|c| c.newline),
        blank: lanes(|c| c.blank),
        control: lanes(|c| c.control),
        refused: lanes(|c| c.refused),
        digit: lanes(|c| c.digit),
        zero: lanes(|c| c.zero),
        minus: lanes(|c| c.minus),
        high: blocks.iter().any(|c| c.high),
    }
}

/// A bitwise operator as one instruction on the whole vector.
macro_rules! bitwise {
    ($trait:ident, $method:ident, $intrinsic:ident) => {
        impl $trait for Lanes {
            type Output = Self;
            #[inline(always)]
            fn $method(self, other: Self) -> Self {
                avx512!(Lanes($intrinsic(self.0, other.0)))
            }
        }
    };
}

bitwise!(BitAnd, bitand, _mm512_and_si512);
bitwise!(BitOr, bitor, _mm512_or_si512);
bitwise!(BitXor, bitxor, _mm512_xor_si512);

impl Not for Lanes {
    type Output = Self;
    #[inline(always)]
    fn not(self) -> Self {
        self ^ Lanes::splat(!0)
    }
}

impl Shl<u32> for Lanes {
    type Output = Self;
    #[inline(always)]
    fn shl(self, n: u32) -> Self {
        avx512!(Lanes(_mm512_sll_epi64(self.0, _mm_cvtsi32_si128(n as i32))))
    }
}

impl Shr<u32> for Lanes {
    type Output = Self;
    #[inline(always)]
    fn shr(self, n: u32) -> Self {
        avx512!(Lanes(_mm512_srl_epi64(self.0, _mm_cvtsi32_si128(n as i32))))
    }
}

impl Bits for Lanes {
    // SAFETY: any 64 bytes are a valid __m512i.
    const ZERO: Self = Lanes(unsafe { std::mem::transmute::<[u64; 8], __m512i>([0; 8]) });

    #[inline(always)]
    fn previous_top(self, carry: u64) -> Self {
        // Lane k of the result is lane k - 1 of `self`; lane 0 is the carry's.
        avx512!(Lanes(_mm512_srli_epi64::<63>(_mm512_alignr_epi64::<7>(
            self.0,
            _mm512_set1_epi64((carry << 63) as i64)
        ))))
    }

    #[inline(always)]
    fn last_top(self) -> u64 {
        avx512!(u64::from(_mm512_movepi64_mask(self.0) >> 7))
    }

    #[inline(always)]
    fn wrapping_add(self, other: Self) -> Self {
        avx512!(Lanes(_mm512_add_epi64(self.0, other.0)))
    }

    #[inline(always)]
    fn add_carrying(self, other: Self, carry: u64) -> (Self, u64) {
        avx512!({
            let sum = _mm512_add_epi64(self.0, other.0);
            let generate = u32::from(_mm512_cmplt_epu64_mask(sum, self.0));
            let propagate = u32::from(_mm512_cmpeq_epi64_mask(sum, _mm512_set1_epi64(-1)));
            // Bit k: a carry comes into lane k (bit 8: out of the last lane).
            let ripple = propagate + (generate << 1 | carry as u32);
            let into = (ripple ^ propagate) as u8;
            let sum = _mm512_mask_sub_epi64(sum, into, sum, _mm512_set1_epi64(-1));
            (Lanes(sum), u64::from(ripple >> 8 & 1))
        })
    }

    #[inline(always)]
    fn prefix_xor_carrying(self, carry: u64) -> Self {
        let within = super::bits::prefix_xor(self);
        avx512!({
            // Lane k flips if the lanes before it hold an odd number of ones, or the carry.
            let mut odd = _mm512_movepi64_mask(within.0);
            odd ^= odd << 1;
            odd ^= odd << 2;
            odd ^= odd << 4;
            let flips = odd << 1 ^ (carry as u8);
            Lanes(_mm512_xor_si512(within.0, _mm512_movm_epi64(flips)))
        })
    }

    #[inline(always)]
    fn top_run(self) -> Self {
        avx512!({
            let ones = _mm512_lzcnt_epi64(_mm512_xor_si512(self.0, _mm512_set1_epi64(-1)));
            // A shift by 64 (no run) gives 0.
            let shift = _mm512_sub_epi64(_mm512_set1_epi64(64), ones);
            Lanes(_mm512_sllv_epi64(_mm512_set1_epi64(-1), shift))
        })
    }

    #[inline(always)]
    fn any(self) -> bool {
        avx512!(_mm512_test_epi64_mask(self.0, self.0) != 0)
    }

    #[inline(always)]
    fn count_ones(self) -> u64 {
        avx512!(_mm512_reduce_add_epi64(_mm512_popcnt_epi64(self.0)) as u64)
    }

    #[inline(always)]
    fn each_block(self, mut f: impl FnMut(usize, u64) -> Option<()>) -> Option<()> {
        if self.any() {
            for (k, word) in self.words().into_iter().enumerate() {
                if word != 0 {
                    f(k, word)?;
                }
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Runs `f` only where the CPU has what the lanes need.
    fn with_lanes(f: impl FnOnce()) {
        if supported() {
            f();
        }
    }

    /// Words with long runs of ones and zeros, where carries and runs cross blocks.
    fn words() -> impl Strategy<Value = [u64; 8]> {
        proptest::array::uniform8(prop_oneof![
            Just(0u64),
            Just(!0u64),
            Just(1u64 << 63),
            Just(1u64),
            any::<u64>(),
            (0u32..64, 0u32..64).prop_map(|(a, b)| (!0u64 << a) >> b),
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Each operation on eight lanes is the same as on the eight blocks one by one.
        #[test]
        fn lanes_are_blocks_one_after_another(a in words(), b in words(), bit in 0u64..2) {
            with_lanes(|| {
                let (x, y) = (Lanes::from_words(a), Lanes::from_words(b));
                let one_by_one = |f: &mut dyn FnMut(usize) -> u64| -> [u64; 8] { std::array::from_fn(f) };

                let (sum, out) = x.add_carrying(y, bit);
                let mut carry = bit;
                let expected = one_by_one(&mut |k| {
                    let (s, c) = a[k].add_carrying(b[k], carry);
                    carry = c;
                    s
                });
                assert_eq!((sum.words(), out), (expected, carry));

                let mut parity = bit.wrapping_neg();
                let expected = one_by_one(&mut |k| {
                    let p = a[k].prefix_xor_carrying(parity);
                    parity = (p >> 63).wrapping_neg();
                    p
                });
                assert_eq!(x.prefix_xor_carrying(bit.wrapping_neg()).words(), expected);

                let expected = one_by_one(&mut |k| if k == 0 { bit } else { a[k - 1] >> 63 });
                assert_eq!(x.previous_top(bit).words(), expected);
                assert_eq!(x.last_top(), a[7] >> 63);
                assert_eq!(x.top_run().words(), a.map(|w| w.top_run()));
                assert_eq!(x.wrapping_add(y).words(), std::array::from_fn(|k| a[k].wrapping_add(b[k])));
                assert_eq!(x.count_ones(), a.iter().map(|w| u64::from(w.count_ones())).sum::<u64>());
                assert_eq!(x.any(), a.iter().any(|&w| w != 0));
                assert_eq!((x << 3).words(), a.map(|w| w << 3));
                assert_eq!((x >> 17).words(), a.map(|w| w >> 17));
                assert_eq!((!x & y | x ^ y).words(), std::array::from_fn(|k| !a[k] & b[k] | a[k] ^ b[k]));
                let mut seen = vec![];
                x.each_block(|k, w| {
                    seen.push((k, w));
                    Some(())
                });
                let expected: Vec<_> = a.iter().copied().enumerate().filter(|&(_, w)| w != 0).collect();
                assert_eq!(seen, expected);
            });
        }
    }
}
