//! The bit masks `json_flat` checks with: one block's `u64`, or (`lanes`) eight consecutive
//! blocks' side by side in a vector. Shifts and `wrapping_add` act within each block; the
//! `*_carrying` operations and `previous_top` see the blocks as one long number, as if the
//! text were one block.

use std::ops::{BitAnd, BitOr, BitXor, Not, Shl, Shr};

pub trait Bits:
    Copy
    + BitAnd<Output = Self>
    + BitOr<Output = Self>
    + BitXor<Output = Self>
    + Not<Output = Self>
    + Shl<u32, Output = Self>
    + Shr<u32, Output = Self>
{
    const ZERO: Self;

    /// For each block, the top bit of the block before as bit 0 (the first block: `carry`,
    /// 0 or 1).
    fn previous_top(self, carry: u64) -> Self;
    /// The top bit of the last block (0 or 1).
    fn last_top(self) -> u64;
    /// Within each block.
    fn wrapping_add(self, other: Self) -> Self;
    /// `self + other + carry` over all blocks as one number, and the carry out (0 or 1).
    fn add_carrying(self, other: Self, carry: u64) -> (Self, u64);
    /// Bit k: an odd number of ones at or before bit k, all blocks as one number, with
    /// `carry` (all ones or none) for an odd number before the first.
    fn prefix_xor_carrying(self, carry: u64) -> Self;
    /// In each block, the run of ones that reaches its top bit (none if that bit is clear).
    fn top_run(self) -> Self;
    fn any(self) -> bool;
    fn count_ones(self) -> u64;
    /// Calls `f` with the index and bits of each block that has any, in order.
    fn each_block(self, f: impl FnMut(usize, u64) -> Option<()>) -> Option<()>;
}

/// Bit k: an odd number of ones at or before bit k, within each block.
#[inline(always)]
pub fn prefix_xor<B: Bits>(mut bits: B) -> B {
    for shift in [1, 2, 4, 8, 16, 32] {
        bits = bits ^ bits << shift;
    }
    bits
}

impl Bits for u64 {
    const ZERO: Self = 0;

    #[inline(always)]
    fn previous_top(self, carry: u64) -> Self {
        carry
    }

    #[inline(always)]
    fn last_top(self) -> u64 {
        self >> 63
    }

    #[inline(always)]
    fn wrapping_add(self, other: Self) -> Self {
        u64::wrapping_add(self, other)
    }

    #[inline(always)]
    fn add_carrying(self, other: Self, carry: u64) -> (Self, u64) {
        // One add and one add-with-carry.
        let sum = u128::from(self) + u128::from(other) + u128::from(carry);
        (sum as u64, (sum >> 64) as u64)
    }

    #[inline(always)]
    fn prefix_xor_carrying(self, carry: u64) -> Self {
        prefix_xor(self) ^ carry
    }

    #[inline(always)]
    fn top_run(self) -> Self {
        match self.leading_ones() {
            0 => 0,
            n => !0 << (64 - n),
        }
    }

    #[inline(always)]
    fn any(self) -> bool {
        self != 0
    }

    #[inline(always)]
    fn count_ones(self) -> u64 {
        u64::from(u64::count_ones(self))
    }

    #[inline(always)]
    fn each_block(self, mut f: impl FnMut(usize, u64) -> Option<()>) -> Option<()> {
        if self != 0 {
            f(0, self)?;
        }
        Some(())
    }
}
