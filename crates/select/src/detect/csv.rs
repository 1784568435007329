//! CSV dialect: the line ending, then every combination of delimiter, quote and escape scored
//! on how the lines split; the best one becomes the [`Table`] the settings are read from.

use super::scan::{modal, scan, Dialect, Ending, Scan};

const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];
const QUOTES: [u8; 2] = [b'"', b'\''];

pub(super) struct Candidate {
    pub(super) dialect: Dialect,
    scan: Scan,
    /// The field count most data lines have, how many have it, and how many there are.
    modal: usize,
    consistent: usize,
    total: usize,
    /// The order tried: earlier wins a tie.
    pref: usize,
}

impl Candidate {
    fn stray(&self) -> usize {
        self.scan.stray + usize::from(self.scan.unterminated)
    }
    /// consistent / total, compared without division.
    fn ratio_cmp(&self, other: &Candidate) -> std::cmp::Ordering {
        (self.consistent * other.total.max(1)).cmp(&(other.consistent * self.total.max(1)))
    }
}

fn evaluate(text: &[u8], dialect: Dialect, complete: bool, pref: usize) -> Candidate {
    let scan = scan(text, dialect, complete, false);
    let data = scan.data();
    let (modal, consistent) = modal(&data);
    let total = data.len();
    Candidate {
        dialect,
        scan,
        modal,
        consistent,
        total,
        pref,
    }
}

/// Every ',' outside quotes sits between two digits (a decimal comma).
fn commas_are_decimal(text: &[u8]) -> bool {
    let mut any = false;
    for (i, &b) in text.iter().enumerate() {
        if b == b',' {
            any = true;
            let before = i.checked_sub(1).and_then(|j| text.get(j));
            let after = text.get(i + 1);
            if !(before.is_some_and(u8::is_ascii_digit) && after.is_some_and(u8::is_ascii_digit)) {
                return false;
            }
        }
    }
    any
}

/// The text with its best dialect.
pub(super) struct Table<'a> {
    pub(super) text: &'a [u8],
    pub(super) complete: bool,
    pub(super) ending: Ending,
    /// Lines ending in `\r\n`, `\n` and a lone `\r`.
    pub(super) ending_counts: (usize, usize, usize),
    pub(super) best: Candidate,
    pub(super) decimal_comma: bool,
}

impl Table<'_> {
    /// Splits into two or more fields on most lines.
    pub(super) fn is_table(&self) -> bool {
        self.best.modal >= 2 && self.best.total >= 2 && self.best.consistent == self.best.total
    }
}

fn line_endings(text: &[u8], complete: bool) -> (usize, usize, usize) {
    let (mut crlf, mut lf, mut cr) = (0, 0, 0);
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'\n' if i > 0 && text.get(i - 1) == Some(&b'\r') => crlf += 1,
            b'\n' => lf += 1,
            b'\r' => match text.get(i + 1) {
                Some(b'\n') => {}
                None if !complete => {}
                _ => cr += 1,
            },
            _ => {}
        }
    }
    (crlf, lf, cr)
}

pub(super) fn table(text: &[u8], complete: bool) -> Table<'_> {
    let (crlf, lf, cr) = line_endings(text, complete);
    let ending = if crlf > 0 && crlf >= lf && crlf >= cr {
        Ending::CrLf
    } else if cr > lf && cr > crlf {
        Ending::Cr
    } else {
        Ending::Lf
    };
    let mut best: Option<Candidate> = None;
    let decimal_comma = commas_are_decimal(text);
    let mut pref = 0;
    for delimiter in DELIMITERS {
        for quote in QUOTES {
            for escape in [quote, b'\\'] {
                let d = Dialect {
                    ending,
                    delimiter,
                    quote,
                    escape,
                };
                let c = evaluate(text, d, complete, pref);
                pref += 1;
                best = Some(match best {
                    None => c,
                    Some(b) => {
                        if better(&c, &b, decimal_comma) {
                            c
                        } else {
                            b
                        }
                    }
                });
            }
        }
    }
    // cannot fail: the loops above ran.
    let best = best.unwrap_or_else(|| {
        evaluate(
            text,
            Dialect {
                ending,
                delimiter: b',',
                quote: b'"',
                escape: b'"',
            },
            complete,
            0,
        )
    });
    Table {
        text,
        complete,
        ending,
        ending_counts: (crlf, lf, cr),
        best,
        decimal_comma,
    }
}

/// Is `a` a better reading than `b`? Each test only breaks the tie of the ones before.
fn better(a: &Candidate, b: &Candidate, decimal_comma: bool) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let split = |c: &Candidate| c.modal >= 2;
    let semicolon_over_decimal_comma = match (a.dialect.delimiter, b.dialect.delimiter) {
        (b';', b',') if decimal_comma => Greater,
        (b',', b';') if decimal_comma => Less,
        _ => Equal,
    };
    split(a)
        .cmp(&split(b))
        .then(a.ratio_cmp(b))
        .then(b.stray().cmp(&a.stray()))
        .then(semicolon_over_decimal_comma)
        .then(a.modal.cmp(&b.modal))
        // An escape that is never used is no evidence: the plain doubled quote stays.
        .then(b.pref.cmp(&a.pref))
        == Greater
}
