//! COUNT(*) over JSON Lines whose records are flat objects (`{"name":"Jorgla0","age":367}`),
//! checked 64 bytes at a time with bit arithmetic instead of token by token.
//!
//! A line of a flat object is a path through a small automaton over its tokens: newline,
//! `{`, key, `:`, value (a string or a scalar), `,`, `}`. Each token allows only certain
//! tokens next (an operand only a separator or `}`, ...). With the tokens of a block as bit
//! masks, "the next token after each X" is one addition: `(X << 1) + blank` carries each bit
//! through the blanks that follow X to the first byte that is not blank. Keys are told from
//! values by counting separators (`:` at odd counts). So the whole grammar is a handful of
//! additions and masks per block, whatever the line's length; integers are checked bitwise
//! too, and only `true`, `false`, `null` and numbers that reach the end of a block are read
//! one by one, with the checker's own code.
//!
//! The masks are a block's `u64`, or with AVX-512 eight blocks side by side (`lanes`), so
//! each step runs once for 512 bytes. It vouches only for what `json_compact::vouches_for`
//! vouches for line by line (a property test holds every version to that); anything else
//! (nesting, escapes, fractions, other controls) is left to the line-by-line path.

mod bits;
#[cfg(target_arch = "x86_64")]
mod lanes;

use super::json_blocks::BLOCK;
#[cfg(target_arch = "x86_64")]
use super::json_classes::x86;
use super::json_classes::{classify, scalar_byte, Classes};
use super::json_compact::scalar_end;
pub(super) use bits::prefix_xor;
use bits::Bits;

/// The number of flat objects in `text`, if each of its lines is one that
/// `json_compact::vouches_for` vouches for (surrounding blanks allowed) or blank. `text` ends
/// with a newline; `None` says nothing about the lines (ask the line-by-line path).
pub fn count(text: &[u8]) -> Option<u64> {
    #[cfg(target_arch = "x86_64")]
    {
        if has_bit_instructions() && lanes::supported() {
            // SAFETY: the CPU has AVX-512 (every feature the lanes need) and the bit
            // instructions.
            return unsafe { count_lanes(text) };
        }
        if has_bit_instructions() && is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2 and the bit instructions.
            return unsafe { count_avx2(text) };
        }
    }
    count_with(text, classify)
}

/// The CPU has the bit instructions `count_avx2` and `count_lanes` are compiled with.
#[cfg(target_arch = "x86_64")]
fn has_bit_instructions() -> bool {
    is_x86_feature_detected!("popcnt")
        && is_x86_feature_detected!("bmi1")
        && is_x86_feature_detected!("bmi2")
        && is_x86_feature_detected!("lzcnt")
}

/// `count` with eight blocks a step in AVX-512 lanes: only where `lanes::supported()` and
/// the CPU has the bit instructions.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512cd,avx512dq,avx512vpopcntdq")]
#[target_feature(enable = "popcnt,bmi1,bmi2,lzcnt")]
unsafe fn count_lanes(text: &[u8]) -> Option<u64> {
    if text.last().is_some_and(|&c| c != b'\n') {
        return None;
    }
    // SAFETY: this function runs only where the CPU has AVX-512BW.
    let one = |b: &[u8; BLOCK]| unsafe { x86::classify_avx512(b) };
    let mut lines = Lines::default();
    let mut groups = text.chunks_exact(8 * BLOCK);
    for (k, group) in groups.by_ref().enumerate() {
        let blocks: [Classes; 8] = std::array::from_fn(|b| {
            // cannot fail: a group is 8 blocks.
            one(group[b * BLOCK..][..BLOCK]
                .try_into()
                .unwrap_or(&[b' '; BLOCK]))
        });
        lines.block(text, k * 8 * BLOCK, lanes::gather(&blocks))?;
    }
    let done = text.len() - groups.remainder().len();
    lines.rest(text, done, one)
}

/// `count` compiled for AVX2: only where the CPU has it and the bit instructions.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt,bmi1,bmi2,lzcnt")]
unsafe fn count_avx2(text: &[u8]) -> Option<u64> {
    // SAFETY: this function runs only where the CPU has AVX2.
    count_with(text, |b| unsafe { x86::classify_avx2(b) })
}

/// `count` a block at a time, with a block's classes from `classify`.
#[inline(always)]
fn count_with(text: &[u8], classify: impl Fn(&[u8; BLOCK]) -> Classes) -> Option<u64> {
    if text.last().is_some_and(|&c| c != b'\n') {
        return None;
    }
    Lines::default().rest(text, 0, classify)
}

/// "The first byte that is not blank after each token", carried from block to block.
#[derive(Default)]
struct Next {
    /// 1 when the block before ended in a token, or in blanks after one: the first byte
    /// that is not blank in this block follows it.
    carry: u64,
}

impl Next {
    /// The first byte that is not blank after each token in `tokens`, or at or after each
    /// position in `at`.
    #[inline(always)]
    fn after<B: Bits>(&mut self, tokens: B, at: B, blank: B) -> B {
        // A token's bit shifted out of the last block and a carry out both land the next
        // block's carry in: they cannot happen together (the last byte is a token or a
        // blank).
        let start = tokens << 1 | tokens.previous_top(0) | at;
        let (sum, out) = blank.add_carrying(start, self.carry);
        self.carry = out | tokens.last_top();
        sum & !blank
    }
}

/// What carries from one block to the next.
struct Lines {
    /// All ones while a string is open at the end of the block before.
    in_string: u64,
    /// All ones after an odd number of separators (see `block`).
    parity: u64,
    /// 1: the last byte of the block before was part of a scalar.
    in_scalar: u64,
    past_scalar: u64,
    after_open: Next,
    after_comma: Next,
    after_colon: Next,
    after_operand: Next,
    after_close: Next,
    after_newline: Next,
    records: u64,
    high: bool,
}

impl Default for Lines {
    fn default() -> Self {
        Lines {
            in_string: 0,
            parity: 0,
            in_scalar: 0,
            past_scalar: 0,
            after_open: Next::default(),
            after_comma: Next::default(),
            after_colon: Next::default(),
            after_operand: Next::default(),
            after_close: Next::default(),
            // The text starts as a line does, after a newline.
            after_newline: Next { carry: 1 },
            records: 0,
            high: false,
        }
    }
}

/// All ones if the top bit of the last block of `bits` is set.
#[inline(always)]
fn top<B: Bits>(bits: B) -> u64 {
    bits.last_top().wrapping_neg()
}

impl Lines {
    /// Checks the blocks of `text` from `from` on, the last padded with blanks, which the
    /// grammar skips; then the text's UTF-8. The count, if every line
    /// is vouched for.
    #[inline(always)]
    fn rest(
        mut self,
        text: &[u8],
        from: usize,
        classify: impl Fn(&[u8; BLOCK]) -> Classes,
    ) -> Option<u64> {
        // One call of `block` (the last block, short, padded), so its code is there once.
        let mut at = from;
        while let Some(rest) = text.get(at..).filter(|r| !r.is_empty()) {
            let mut padded = [b' '; BLOCK];
            let block = match rest.get(..BLOCK) {
                // cannot fail: the slice is BLOCK bytes.
                Some(full) => full.try_into().ok()?,
                None => {
                    padded[..rest.len()].copy_from_slice(rest);
                    &padded
                }
            };
            self.block(text, at, classify(block))?;
            at += BLOCK;
        }
        // Strings are cut at ASCII quotes, so a text that is UTF-8 has UTF-8 strings.
        (!self.high || std::str::from_utf8(text).is_ok()).then_some(self.records)
    }

    /// Checks the blocks at `base` of `text`, of classes `c`; `None` when a line in them is
    /// not vouched for.
    #[inline(always)]
    fn block<B: Bits>(&mut self, text: &[u8], base: usize, c: Classes<B>) -> Option<()> {
        let in_string = c.quote.prefix_xor_carrying(self.in_string);
        self.in_string = top(in_string);
        let opening = c.quote & in_string;
        let closing = c.quote & !in_string;
        let outside = !(in_string | closing);
        let blank = c.blank & outside;
        let (open, close) = (c.open & outside, c.close & outside);
        let (colon, comma) = (c.colon & outside, c.comma & outside);
        let newline = c.newline & outside;
        let scalar = outside & !(c.blank | c.newline | c.open | c.close | c.colon | c.comma);
        let continues = scalar.previous_top(self.in_scalar);
        let scalar_start = scalar & !(scalar << 1 | continues);
        self.in_scalar = scalar.last_top();
        // Each start carried through its run: the byte after each scalar.
        let (past, carry) = scalar.add_carrying(scalar_start, self.past_scalar);
        self.past_scalar = carry;
        let past_scalar = past & !scalar;

        // Which token may follow which: an operand (a string or a scalar) only after `{`,
        // `,` or `:`, and only a separator or `}` after an operand.
        let after_open = self.after_open.after(open, B::ZERO, blank);
        let after_comma = self.after_comma.after(comma, B::ZERO, blank);
        let after_colon = self.after_colon.after(colon, B::ZERO, blank);
        let after_operand = self.after_operand.after(closing, past_scalar, blank);
        let after_close = self.after_close.after(close, B::ZERO, blank);
        let after_newline = self.after_newline.after(newline, B::ZERO, blank);
        // Keys from values: in an object the separators go `:` `,` `:` ... `:` and then
        // `}`, so `:` comes at odd counts and `,` and `}` at even ones. A line that keeps
        // to it has an even count (none for `{}`), so each line starts at an even count.
        let filled_close = close & !after_open;
        let parity = (colon | comma | filled_close).prefix_xor_carrying(self.parity);
        self.parity = top(parity);

        // A scalar inside the block that starts with a digit or `-` is checked here as the
        // checker's `integer` reads it; the others (`true`, `false`, `null`, anything else)
        // and one that reaches the end of the block are read with the checker's own code.
        let last = scalar.top_run();
        let numbers = scalar_start & !last & (c.digit | c.minus);
        // The runs that start at one of `numbers` (they end inside the block).
        let number = scalar & !scalar.wrapping_add(numbers);
        let negative = numbers & c.minus;
        let first_digit = numbers & c.digit | negative << 1;
        let digits = number & c.digit;
        let mut long = digits & digits >> 1;
        long = long & long >> 2;
        long = long & long >> 4;
        long = long & long >> 8;
        // Bit k: the 19 bytes from k are digits, more than an i64 is vouched for with.
        long = long & digits >> 16 & digits >> 17 & digits >> 18;
        let numbers_refused = number & !(c.digit | negative)
            | first_digit & !digits
            // `-0` is a float to serde_json; `01` is no JSON number.
            | negative << 1 & c.zero
            | (first_digit & c.zero) << 1 & number
            | long;

        let refused = numbers_refused
            | c.refused
            | c.control & in_string
            | after_open & !(opening | close)
            | after_comma & !opening
            | after_colon & !(opening | scalar_start)
            | after_operand & !(colon | comma | close)
            | after_close & !newline
            | after_newline & !(open | newline)
            | colon & !parity
            | (comma | filled_close) & parity;
        if refused.any() {
            return None;
        }
        (scalar_start & !numbers).each_block(|k, mut starts| {
            while starts != 0 {
                let at = base + k * BLOCK + starts.trailing_zeros() as usize;
                // The checker's scalar must fill the run: the byte after it ends the run.
                let end = scalar_end(text, at)?;
                if text.get(end).is_none_or(|&c| scalar_byte(c)) {
                    return None;
                }
                starts &= starts - 1;
            }
            Some(())
        })?;
        self.records += close.count_ones();
        self.high |= c.high;
        Some(())
    }
}

#[cfg(test)]
mod tests;
