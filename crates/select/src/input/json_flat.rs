//! COUNT(*) over JSON Lines whose records are flat objects (`{"name":"Jorgla0","age":367}`),
//! checked 64 bytes at a time with bit arithmetic instead of token by token.
//!
//! A line of a flat object is a path through a small automaton over its tokens: newline,
//! `{`, key, `:`, value (a string or a scalar), `,`, `}`. Each token allows only certain
//! tokens next (a key only `:`, a value only `,` or `}`, ...). With the tokens of a block as
//! bit masks, "the next token after each X" is one addition: `(X << 1) + blank` carries each
//! bit through the blanks that follow X to the first byte that is not blank. So the whole
//! grammar is a handful of additions and masks per block, whatever the line's length, and
//! only scalars (numbers, `true`, `false`, `null`) are read one by one, with the checker's
//! own code. A key is told from a value string by what precedes it, and its closing quote by
//! the same carry through the string (`(in_string + key) & !in_string`).
//!
//! It vouches only for what `json_compact::vouches_for` vouches for line by line (a property
//! test holds it to that); anything else (nesting, escapes, fractions, other controls) is
//! left to the line-by-line path.

use super::json_blocks::BLOCK;
#[cfg(target_arch = "x86_64")]
use super::json_classes::x86;
use super::json_classes::{classify, scalar_byte, Classes};
use super::json_compact::scalar_end;

/// The number of flat objects in `text`, if each of its lines is one that
/// `json_compact::vouches_for` vouches for (surrounding blanks allowed) or blank. `text` ends
/// with a newline; `None` says nothing about the lines (ask the line-by-line path).
pub fn count(text: &[u8]) -> Option<u64> {
    #[cfg(target_arch = "x86_64")]
    {
        if has_bit_instructions() && is_x86_feature_detected!("avx512bw") {
            // SAFETY: the CPU has AVX-512BW and the bit instructions.
            return unsafe { count_avx512(text) };
        }
        if has_bit_instructions() && is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2 and the bit instructions.
            return unsafe { count_avx2(text) };
        }
    }
    count_with(text, classify, prefix_xor)
}

/// The CPU has the bit instructions `count_avx2` and `count_avx512` are compiled with.
#[cfg(target_arch = "x86_64")]
fn has_bit_instructions() -> bool {
    is_x86_feature_detected!("popcnt")
        && is_x86_feature_detected!("bmi1")
        && is_x86_feature_detected!("bmi2")
        && is_x86_feature_detected!("lzcnt")
        && is_x86_feature_detected!("pclmulqdq")
}

/// `count` compiled for AVX-512BW: only where the CPU has it.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512bw,popcnt,bmi1,bmi2,lzcnt,pclmulqdq")]
unsafe fn count_avx512(text: &[u8]) -> Option<u64> {
    // SAFETY: this function runs only where the CPU has AVX-512BW.
    count_with(
        text,
        |b| unsafe { x86::classify_avx512(b) },
        |q| unsafe { x86::prefix_xor(q) },
    )
}

/// `count` compiled for AVX2: only where the CPU has it.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt,bmi1,bmi2,lzcnt,pclmulqdq")]
unsafe fn count_avx2(text: &[u8]) -> Option<u64> {
    // SAFETY: this function runs only where the CPU has AVX2.
    count_with(
        text,
        |b| unsafe { x86::classify_avx2(b) },
        |q| unsafe { x86::prefix_xor(q) },
    )
}

/// `count` with a block's classes from `classify`, and `prefix_xor` as below.
#[inline(always)]
fn count_with(
    text: &[u8],
    classify: impl Fn(&[u8; BLOCK]) -> Classes,
    prefix_xor: impl Fn(u64) -> u64,
) -> Option<u64> {
    if text.last().is_some_and(|&c| c != b'\n') {
        return None;
    }
    let mut lines = Lines::default();
    let mut blocks = text.chunks_exact(BLOCK);
    for (k, block) in blocks.by_ref().enumerate() {
        // cannot fail: chunks_exact hands out BLOCK bytes.
        lines.block(
            text,
            k * BLOCK,
            classify(block.try_into().ok()?),
            &prefix_xor,
        )?;
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        // Padded with blanks, which the grammar skips.
        let mut last = [b' '; BLOCK];
        last[..rest.len()].copy_from_slice(rest);
        lines.block(text, text.len() - rest.len(), classify(&last), &prefix_xor)?;
    }
    // Strings are cut at ASCII quotes, so a text that is UTF-8 has UTF-8 strings.
    (!lines.high || std::str::from_utf8(text).is_ok()).then_some(lines.records)
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
    /// position in `at` (bit k: byte k of this block).
    #[inline(always)]
    fn after(&mut self, tokens: u64, at: u64, blank: u64) -> u64 {
        // A token's bit shifted out of the block and a carry out both land the next block's
        // carry in: they cannot happen together (the last byte is a token or a blank).
        let (sum, out) = add(blank, tokens << 1 | at, self.carry);
        self.carry = out | tokens >> 63;
        sum & !blank
    }
}

/// `a + b + carry` and the carry out (0 or 1): one add and one add-with-carry.
#[inline(always)]
fn add(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let sum = u128::from(a) + u128::from(b) + u128::from(carry);
    (sum as u64, (sum >> 64) as u64)
}

/// `run + start` with the carry in and out: each bit of `start` at the start of a run of ones
/// in `run` clears the run and sets the bit after it.
#[inline(always)]
fn carry_through(carry: &mut u64, run: u64, start: u64) -> u64 {
    let (sum, out) = add(run, start, *carry);
    *carry = out;
    sum
}

/// Bit k: an odd number of quotes at or before byte k.
#[inline(always)]
fn prefix_xor(mut bits: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        bits ^= bits << shift;
    }
    bits
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

/// All ones if the top bit of `bits` is set.
#[inline(always)]
fn top(bits: u64) -> u64 {
    ((bits as i64) >> 63) as u64
}

impl Lines {
    /// Checks the block at `base` of `text`, of classes `c`; `None` when a line in it is not
    /// vouched for.
    #[inline(always)]
    fn block(
        &mut self,
        text: &[u8],
        base: usize,
        c: Classes,
        prefix_xor: impl Fn(u64) -> u64,
    ) -> Option<()> {
        let in_string = prefix_xor(c.quote) ^ self.in_string;
        self.in_string = top(in_string);
        let opening = c.quote & in_string;
        let closing = c.quote & !in_string;
        let outside = !(in_string | closing);
        let blank = c.blank & outside;
        let (open, close) = (c.open & outside, c.close & outside);
        let (colon, comma) = (c.colon & outside, c.comma & outside);
        let newline = c.newline & outside;
        let scalar = outside & !(c.blank | c.newline | c.open | c.close | c.colon | c.comma);
        let scalar_start = scalar & !(scalar << 1 | self.in_scalar);
        let continued = scalar & !scalar.wrapping_add(self.in_scalar);
        self.in_scalar = scalar >> 63;
        let past_scalar = carry_through(&mut self.past_scalar, scalar, scalar_start) & !scalar;

        // Which token may follow which: an operand (a string or a scalar) only after `{`,
        // `,` or `:`, and only a separator or `}` after an operand.
        let after_open = self.after_open.after(open, 0, blank);
        let after_comma = self.after_comma.after(comma, 0, blank);
        let after_colon = self.after_colon.after(colon, 0, blank);
        let after_operand = self.after_operand.after(closing, past_scalar, blank);
        let after_close = self.after_close.after(close, 0, blank);
        let after_newline = self.after_newline.after(newline, 0, blank);
        // Keys from values: in an object the separators go `:` `,` `:` ... `:` and then
        // `}`, so `:` comes at odd counts and `,` and `}` at even ones. A line that keeps
        // to it has an even count (none for `{}`), so each line starts at an even count.
        let filled_close = close & !after_open;
        let parity = prefix_xor(colon | comma | filled_close) ^ self.parity;
        self.parity = top(parity);

        // A scalar inside the block that starts with a digit or `-` is checked here as the
        // checker's `integer` reads it; the others (`true`, `false`, `null`, anything else)
        // and one that reaches the end of the block are read with the checker's own code.
        let last = match scalar.leading_ones() {
            0 => 0,
            n => !0 << (64 - n),
        };
        let inner = scalar & !continued & !last;
        let numbers = scalar_start & !last & (c.digit | c.minus);
        let number = inner & !inner.wrapping_add(numbers);
        let negative = numbers & c.minus;
        let first_digit = numbers & c.digit | negative << 1;
        let digits = number & c.digit;
        let mut long = digits & digits >> 1;
        long &= long >> 2;
        long &= long >> 4;
        long &= long >> 8;
        // Bit k: the 19 bytes from k are digits, more than an i64 is vouched for with.
        long &= digits >> 16 & digits >> 17 & digits >> 18;
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
        if refused != 0 {
            return None;
        }
        let mut starts = scalar_start & !numbers;
        while starts != 0 {
            let at = base + starts.trailing_zeros() as usize;
            // The checker's scalar must fill the run: the byte after it ends the run.
            let end = scalar_end(text, at)?;
            if text.get(end).is_none_or(|&c| scalar_byte(c)) {
                return None;
            }
            starts &= starts - 1;
        }
        self.records += u64::from(close.count_ones());
        self.high |= c.high;
        Some(())
    }
}

#[cfg(test)]
mod tests;
