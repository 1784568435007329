//! A record's quotes as one bit per byte, 64 bytes at a time (`json_blocks`), so the checker
//! finds where a string ends with a bit scan. A byte search per string exits its loop after a
//! number of words that depends on the string's length, a branch mispredicted about once per
//! string; here a branch depends on a 64-byte block.
//!
//! Vouched-for strings have no `\` and no control character. A block with either anywhere is
//! rare (a backslash is declined outright; control characters are whitespace outside
//! strings), so a cheap "any" test runs on every block and the exact in-string test only then.

use super::json_blocks::{scan, words, BLOCK};
use super::json_flat::prefix_xor;
use super::words::{control_bytes, equal, pack};

/// The quotes of one text, handed out in order; the checker takes each string's pair.
#[derive(Clone, Copy)]
pub struct Quotes<'a> {
    text: &'a [u8],
    /// Quote bits of the current block not taken yet (bit k: byte `at + k`).
    bits: u64,
    at: usize,
    /// Where the next block starts.
    next: usize,
    /// A byte above 0x7f was in a block: the text must then be UTF-8 (see `finish`).
    non_ascii: bool,
}

impl<'a> Quotes<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        Quotes {
            text,
            bits: 0,
            at: 0,
            next: 0,
            non_ascii: false,
        }
    }

    /// The index of the closing quote of the string that opens at `open`, if its content
    /// has no `\` and no control character. Called for each string in order, so the next
    /// quote left is always `open`'s (anything else declines).
    #[inline]
    pub fn string_end(&mut self, open: usize) -> Option<usize> {
        if self.take(false)? != open {
            return None;
        }
        self.take(true)
    }

    /// The next quote. `inside`: the text since the last quote taken is a string's content.
    #[inline(always)]
    fn take(&mut self, inside: bool) -> Option<usize> {
        if self.bits == 0 {
            self.refill(inside)?;
        }
        let at = self.at + self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some(at)
    }

    /// Scans blocks up to one with a quote (kept out of line: most quotes are taken from the
    /// current block's bits).
    #[inline(never)]
    fn refill(&mut self, inside: bool) -> Option<()> {
        while self.bits == 0 {
            self.block(inside)?;
        }
        Some(())
    }

    /// Scans the next block; `None` past the end or when a block has what is not vouched for.
    #[inline]
    fn block(&mut self, inside: bool) -> Option<()> {
        let start = self.next;
        let rest = self.text.get(start..).filter(|r| !r.is_empty())?;
        let mut padded = [b' '; BLOCK];
        // The last block of a text of a block or more is its last 64 bytes, the first `skip`
        // of them scanned already (and found plain, or the text was declined): a copy would
        // cost more, as 16-byte loads from bytes just stored one by one wait for the stores.
        // A shorter text is padded with spaces: no quote, nothing special.
        let (block, skip): (&[u8; BLOCK], usize) = match rest.get(..BLOCK) {
            Some(full) => (full.try_into().ok()?, 0),
            None => match self.text.len().checked_sub(BLOCK) {
                Some(from) => (self.text.get(from..)?.try_into().ok()?, start - from),
                None => {
                    // cannot fail: rest is shorter than a block here.
                    padded[..rest.len()].copy_from_slice(rest);
                    (&padded, 0)
                }
            },
        };
        let scan = scan(block);
        let quotes = scan.quotes >> skip;
        if scan.special && !plain_strings(block, skip, quotes, inside) {
            return None;
        }
        self.non_ascii |= scan.high;
        self.bits = quotes;
        self.at = start;
        self.next = start + BLOCK;
        Some(())
    }

    /// After the checker accepted the text: are its strings UTF-8? A text that is UTF-8 has
    /// UTF-8 strings (they are cut at ASCII quotes); one that is not has a string that is not,
    /// or a byte the checker already refused outside strings (declining is then safe).
    pub fn finish(&self) -> bool {
        !self.non_ascii || std::str::from_utf8(self.text).is_ok()
    }
}

/// The exact test for a block with a `\` or control character: no `\` at all (outside a
/// string it is an error anyway), and control characters only outside strings, where the
/// checker takes them for whitespace or refuses them. Bytes before `skip` were tested with
/// the block before (a `\` there declined the text); `quotes` are the quotes from `skip` on,
/// and `inside` says whether byte `skip` is in a string.
#[cold]
fn plain_strings(block: &[u8; BLOCK], skip: usize, quotes: u64, inside: bool) -> bool {
    let mut controls = 0u64;
    for (k, w) in words(block).into_iter().enumerate() {
        if equal(w, b'\\') != 0 {
            return false;
        }
        controls |= pack(control_bytes(w)) << (8 * k);
    }
    let controls = controls >> skip;
    // Bit k: an odd number of quotes at or before byte k (with the carry in), that is byte k
    // is a string's opening quote or content.
    let mut in_string = prefix_xor(quotes);
    if inside {
        in_string = !in_string;
    }
    controls & in_string == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_in_order_across_blocks() {
        let mut text = vec![b' '; 200];
        for at in [0, 5, 63, 64, 127, 190, 199] {
            text[at] = b'"';
        }
        text[100] = b'\n';
        let mut q = Quotes::new(&text);
        assert_eq!(q.string_end(0), Some(5));
        assert_eq!(q.string_end(63), Some(64));
        assert_eq!(q.string_end(127), Some(190));
        assert_eq!(q.string_end(199), None);
        // The newline is outside strings; inside one it is declined.
        text[100] = b'"';
        text[101] = b'\n';
        let mut q = Quotes::new(&text);
        assert_eq!(q.string_end(0), Some(5));
        // The block of the closing quote is refused whole.
        assert_eq!(q.string_end(63), None);
        let mut q = Quotes::new(br#""a""#);
        assert_eq!(q.string_end(1), None);
    }
}
