//! GZIP (RFC 1952), pushed chunk by chunk: members one after another (as `cat a.gz b.gz`
//! makes), each a header, a DEFLATE stream (decoded by `miniz_oxide`) and a trailer whose CRC-32
//! and length are checked. Written here rather than taken from `flate2` because flate2's CRC
//! brings a 16 KB table into the browser's engine, which now decodes GZIP itself: the browser's
//! own decoder hands out a fresh buffer per chunk and lets about a hundred megabytes of them
//! pile up on a gigabyte.

use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

/// CRC-32 as GZIP computes it, with a 1 KB table.
const CRC32: crc::Crc<u32, crc::Table<1>> =
    crc::Crc::<u32, crc::Table<1>>::new(&crc::CRC_32_ISO_HDLC);

/// The most header bytes (a file name or comment can be any length): refused beyond.
const MAX_HEADER: usize = 64 * 1024;
/// Decoded bytes per call into the inflater.
const OUT_STEP: usize = 32 * 1024;

const FHCRC: u8 = 2;
const FEXTRA: u8 = 4;
const FNAME: u8 = 8;
const FCOMMENT: u8 = 16;

/// Why the data is not GZIP, for the engine's InvalidCompressionFormat message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GzipError {
    NotGzip,
    HeaderTooLong,
    Corrupt,
    Checksum,
    Length,
    /// The input ended inside a member.
    Truncated,
}

impl std::fmt::Display for GzipError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            GzipError::NotGzip => "no gzip header",
            GzipError::HeaderTooLong => "a gzip header longer than 64 KiB",
            GzipError::Corrupt => "corrupt deflate stream",
            GzipError::Checksum => "CRC-32 mismatch",
            GzipError::Length => "length mismatch",
            GzipError::Truncated => "the input ended inside a gzip member",
        })
    }
}

enum Part {
    Header,
    Body,
    Trailer,
}

pub struct Gunzip {
    part: Part,
    inflater: Box<InflateState>,
    crc: crc::Digest<'static, u32, crc::Table<1>>,
    /// Decoded bytes of the member, mod 2^32 (as its trailer counts them).
    size: u32,
    /// Header or trailer bytes collected so far.
    pending: Vec<u8>,
    members: u64,
    /// Where the inflater writes, reused (zeroing fresh room per call would cost more than
    /// decoding when input comes a few bytes at a time).
    window: Box<[u8]>,
}

impl Default for Gunzip {
    fn default() -> Self {
        Gunzip {
            part: Part::Header,
            inflater: InflateState::new_boxed(DataFormat::Raw),
            crc: CRC32.digest(),
            size: 0,
            pending: Vec::new(),
            members: 0,
            window: vec![0; OUT_STEP].into_boxed_slice(),
        }
    }
}

/// The header's length once `h` holds all of it; `Ok(None)` while it may still be coming.
fn header_len(h: &[u8]) -> Result<Option<usize>, GzipError> {
    let byte = |i: usize| h.get(i).copied();
    let (Some(id1), Some(id2), Some(method), Some(flags)) = (byte(0), byte(1), byte(2), byte(3))
    else {
        // What has come so far must already be a gzip header's start.
        return if h.iter().zip([0x1f, 0x8b, 8]).all(|(a, b)| *a == b) {
            Ok(None)
        } else {
            Err(GzipError::NotGzip)
        };
    };
    if (id1, id2, method) != (0x1f, 0x8b, 8) || flags & 0xe0 != 0 {
        return Err(GzipError::NotGzip);
    }
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let (Some(lo), Some(hi)) = (byte(at), byte(at + 1)) else {
            return Ok(None);
        };
        at += 2 + usize::from(u16::from_le_bytes([lo, hi]));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            match h
                .get(at..)
                .and_then(|rest| rest.iter().position(|&b| b == 0))
            {
                Some(end) => at += end + 1,
                None => return Ok(None),
            }
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    Ok((h.len() >= at).then_some(at))
}

impl Gunzip {
    /// Decodes from the start of `input` onto `out` until `out` has grown by about `step` or the
    /// input is used up; returns the input bytes used.
    pub fn push(
        &mut self,
        input: &[u8],
        out: &mut Vec<u8>,
        step: usize,
    ) -> Result<usize, GzipError> {
        let (start, mut used) = (out.len(), 0);
        // `out` only grows from `start`, and `used` never passes `input.len()`.
        while used < input.len() && out.len() - start < step {
            let rest = &input[used..];
            match self.part {
                Part::Header => {
                    let room = MAX_HEADER.saturating_sub(self.pending.len());
                    let take = rest.len().min(room);
                    self.pending.extend_from_slice(&rest[..take]);
                    match header_len(&self.pending)? {
                        Some(len) => {
                            // The bytes past the header belong to the body: give them back.
                            used += take - (self.pending.len() - len);
                            self.pending.clear();
                            self.part = Part::Body;
                        }
                        None if take == room => return Err(GzipError::HeaderTooLong),
                        None => used += take,
                    }
                }
                Part::Body => {
                    let r = inflate(&mut self.inflater, rest, &mut self.window, MZFlush::None);
                    let written = self.window.get(..r.bytes_written).unwrap_or_default();
                    out.extend_from_slice(written);
                    self.crc.update(written);
                    self.size = self.size.wrapping_add(r.bytes_written as u32);
                    used += r.bytes_consumed;
                    match r.status {
                        Ok(MZStatus::StreamEnd) => self.part = Part::Trailer,
                        // No progress with input and room to spare would loop forever.
                        _ if r.bytes_consumed == 0 && r.bytes_written == 0 => {
                            return Err(GzipError::Corrupt)
                        }
                        Ok(_) | Err(MZError::Buf) => {}
                        Err(_) => return Err(GzipError::Corrupt),
                    }
                }
                Part::Trailer => {
                    let take = rest.len().min(8 - self.pending.len());
                    self.pending.extend_from_slice(&rest[..take]);
                    used += take;
                    if let Ok(trailer) = <[u8; 8]>::try_from(self.pending.as_slice()) {
                        self.end_member(trailer)?;
                    }
                }
            }
        }
        Ok(used)
    }

    fn end_member(&mut self, trailer: [u8; 8]) -> Result<(), GzipError> {
        let [c0, c1, c2, c3, s0, s1, s2, s3] = trailer;
        let crc = std::mem::replace(&mut self.crc, CRC32.digest()).finalize();
        if crc != u32::from_le_bytes([c0, c1, c2, c3]) {
            return Err(GzipError::Checksum);
        }
        if self.size != u32::from_le_bytes([s0, s1, s2, s3]) {
            return Err(GzipError::Length);
        }
        self.inflater
            .reset_as(miniz_oxide::inflate::stream::MinReset);
        self.size = 0;
        self.pending.clear();
        self.members += 1;
        self.part = Part::Header;
        Ok(())
    }

    /// Checks that the input ended between members.
    pub fn finish(&self) -> Result<(), GzipError> {
        match self.part {
            Part::Header if self.pending.is_empty() => Ok(()),
            _ => Err(GzipError::Truncated),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8], level: u32) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    /// Decodes `input` pushed in pieces of `piece` bytes, with output steps of `step`.
    fn decode(input: &[u8], piece: usize, step: usize) -> Result<Vec<u8>, GzipError> {
        let (mut g, mut out) = (Gunzip::default(), Vec::new());
        for chunk in input.chunks(piece.max(1)) {
            let mut at = 0;
            while at < chunk.len() {
                at += g.push(&chunk[at..], &mut out, step)?;
            }
        }
        g.finish().map(|()| out)
    }

    #[test]
    fn members_at_any_chunk_size() {
        let text: Vec<u8> = (0..200_000u32)
            .flat_map(|i| format!("{i},dragon\n").into_bytes())
            .collect();
        let mut two = gz(&text, 6);
        two.extend(gz(b"last,one\n", 1));
        let mut want = text.clone();
        want.extend_from_slice(b"last,one\n");
        for piece in [1, 7, 512, 65_536, two.len()] {
            assert_eq!(decode(&two, piece, 100_000).unwrap(), want, "piece {piece}");
        }
        let small = gz(b"a,b\nc,d\n", 9);
        assert_eq!(decode(&small, 1, 1).unwrap(), b"a,b\nc,d\n");
        assert_eq!(decode(&[], 1, 10).unwrap(), b"");
    }

    #[test]
    fn header_fields_are_skipped() {
        let body = gz(b"hello\n", 6);
        // FEXTRA, FNAME, FCOMMENT and FHCRC, around the same DEFLATE stream and trailer.
        let mut h = vec![
            0x1f,
            0x8b,
            8,
            FEXTRA | FNAME | FCOMMENT | FHCRC,
            0,
            0,
            0,
            0,
            0,
            3,
        ];
        h.extend([3, 0, b'a', b'b', b'c']);
        h.extend(b"name.csv\0a comment\0");
        h.extend([0xaa, 0xbb]);
        h.extend(&body[10..]);
        for piece in [1, 3, 1000] {
            assert_eq!(decode(&h, piece, 10).unwrap(), b"hello\n");
        }
    }

    #[test]
    fn damage_is_named() {
        let good = gz(b"some text that compresses\n", 9);
        let cut = &good[..good.len() - 3];
        assert_eq!(decode(cut, 5, 100), Err(GzipError::Truncated));
        let mut crc = good.clone();
        let n = crc.len();
        crc[n - 8] ^= 1;
        assert_eq!(decode(&crc, 5, 100), Err(GzipError::Checksum));
        let mut len = good.clone();
        len[n - 1] ^= 1;
        assert_eq!(decode(&len, 5, 100), Err(GzipError::Length));
        assert_eq!(decode(b"a,b\n", 5, 100), Err(GzipError::NotGzip));
        assert_eq!(decode(&[0x1f], 5, 100), Err(GzipError::Truncated));
        let mut trailing = good.clone();
        trailing.extend_from_slice(b"junk");
        assert_eq!(decode(&trailing, 5, 100), Err(GzipError::NotGzip));
        let mut body = good;
        body[12] ^= 0xff;
        assert!(decode(&body, 5, 100).is_err());
        let mut long = vec![0x1f, 0x8b, 8, FNAME, 0, 0, 0, 0, 0, 3];
        long.resize(MAX_HEADER + 10, b'x');
        assert_eq!(decode(&long, 4096, 100), Err(GzipError::HeaderTooLong));
    }

    #[test]
    fn a_bomb_comes_out_in_steps() {
        let zeros = gz(&vec![0u8; 50_000_000], 9);
        let (mut g, mut out) = (Gunzip::default(), Vec::new());
        let used = g.push(&zeros, &mut out, 1 << 20).unwrap();
        assert!(
            used < zeros.len() && out.len() < (1 << 20) + OUT_STEP,
            "{} {}",
            used,
            out.len()
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Damaged GZIP (bytes changed, cut, or inserted anywhere) is an error or some output,
        /// never a panic or a loop, at any chunk size.
        #[test]
        fn damaged_input_never_panics(
            edits in proptest::collection::vec((0usize..4000, proptest::prelude::any::<u8>(), 0u8..3), 1..6),
            piece in 1usize..600,
        ) {
            let text: Vec<u8> = (0..300u32).flat_map(|i| format!("{i},a \"dragon\"\n").into_bytes()).collect();
            let mut two = gz(&text, 6);
            two.extend(gz(b"x\n", 1));
            for (at, byte, kind) in edits {
                let at = at % (two.len() + 1);
                match kind {
                    0 if at < two.len() => two[at] = byte,
                    1 => two.truncate(at),
                    _ => two.insert(at, byte),
                }
            }
            let _ = decode(&two, piece, 1 << 16);
        }
    }
}
