//! Page headers, read with our own thrift compact-protocol reader (the parquet crate keeps its
//! `PageHeader` private). Strict on purpose: a field with a wire type other than the format's,
//! a varint longer than its integer, or nesting deeper than real headers have, is an error.
//! The header read here is the one the pages are decoded by ([`super::pages`]), so no second
//! parser can see a different page in the same bytes.

/// The page types of parquet.thrift's `PageType`.
pub(crate) const DATA_PAGE: i32 = 0;
pub(crate) const INDEX_PAGE: i32 = 1;
pub(crate) const DICTIONARY_PAGE: i32 = 2;
pub(crate) const DATA_PAGE_V2: i32 = 3;

#[derive(Debug, Clone, Default)]
pub(crate) struct PageHeader {
    pub page_type: i32,
    pub uncompressed_size: i32,
    pub compressed_size: i32,
    pub data_v1: Option<DataPageV1>,
    pub dictionary: Option<DictionaryPage>,
    pub data_v2: Option<DataPageV2>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct DataPageV1 {
    pub num_values: i32,
    pub encoding: i32,
    pub def_encoding: i32,
    pub rep_encoding: i32,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct DictionaryPage {
    pub num_values: i32,
    pub encoding: i32,
    pub is_sorted: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct DataPageV2 {
    pub num_values: i32,
    pub num_nulls: i32,
    pub num_rows: i32,
    pub encoding: i32,
    pub def_levels_len: i32,
    pub rep_levels_len: i32,
    /// Absent means compressed.
    pub is_compressed: bool,
}

// Compact protocol wire types.
pub(super) const STOP: u8 = 0;
pub(super) const TRUE: u8 = 1;
pub(super) const FALSE: u8 = 2;
pub(super) const BYTE: u8 = 3;
pub(super) const I16: u8 = 4;
pub(super) const I32: u8 = 5;
pub(super) const I64: u8 = 6;
pub(super) const DOUBLE: u8 = 7;
pub(super) const BINARY: u8 = 8;
pub(super) const LIST: u8 = 9;
pub(super) const SET: u8 = 10;
pub(super) const MAP: u8 = 11;
pub(super) const STRUCT: u8 = 12;

/// Statistics nest a struct or two; nothing in a page header goes deeper.
const MAX_DEPTH: u32 = 8;
/// The footer's metadata nests deeper (row groups, columns, their metadata, statistics, …):
/// room for what parquet.thrift defines and more, still a bound on recursion.
const MAX_METADATA_DEPTH: u32 = 32;

pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// What is read, for the error messages ("page header", "footer").
    what: &'static str,
    max_depth: u32,
    /// Whether a list of booleans may appear. The footer has none, and the parquet crate skips
    /// a list's booleans as if they took no bytes (they take one each), so its reading of a
    /// footer that has one parts from ours, at counts this reader never checked.
    boolean_lists: bool,
}

pub(super) type Parsed<T> = Result<T, String>;

impl<'a> Reader<'a> {
    /// A reader of the footer's metadata.
    pub(super) fn footer(bytes: &'a [u8]) -> Reader<'a> {
        Reader {
            bytes,
            at: 0,
            what: "footer",
            max_depth: MAX_METADATA_DEPTH,
            boolean_lists: false,
        }
    }

    fn byte(&mut self) -> Parsed<u8> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| format!("the {} is cut short", self.what))?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self, max_bytes: u32) -> Parsed<u64> {
        let mut v = 0u64;
        for i in 0..max_bytes {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(format!("a {} varint is too long", self.what))
    }

    pub(super) fn i32(&mut self) -> Parsed<i32> {
        let z = self.varint(5)?;
        let v = (z >> 1) as i64 ^ -((z & 1) as i64);
        i32::try_from(v).map_err(|_| format!("a {} i32 is out of range", self.what))
    }

    fn skip_bytes(&mut self, n: u64) -> Parsed<()> {
        let n = usize::try_from(n).map_err(|_| format!("a {} length is too large", self.what))?;
        let end = self.at.checked_add(n).filter(|e| *e <= self.bytes.len());
        self.at = end.ok_or_else(|| format!("a {} field runs past its end", self.what))?;
        Ok(())
    }

    /// A list's, set's or map's element count: each element takes a byte at least, so a count
    /// over the bytes left is corrupt (and would have a decoder loop or allocate for nothing).
    fn count(&mut self, n: u64) -> Parsed<u64> {
        if n > (self.bytes.len() - self.at) as u64 {
            return Err(format!(
                "a {} list claims {n} elements in fewer bytes",
                self.what
            ));
        }
        Ok(n)
    }

    /// A list's or set's header: its elements' wire type and their count (checked against the
    /// bytes left; a list of booleans only where this reader allows one).
    pub(super) fn list_header(&mut self) -> Parsed<(u8, u64)> {
        let head = self.byte()?;
        let n = match head >> 4 {
            15 => self.varint(5)?,
            n => u64::from(n),
        };
        let n = self.count(n)?;
        let elem = head & 0x0f;
        if matches!(elem, TRUE | FALSE) && !self.boolean_lists && n > 0 {
            return Err(format!("a {} has a list of booleans", self.what));
        }
        Ok((elem, n))
    }

    /// Skips a value of wire type `t` (fields this reader does not use, like statistics).
    pub(super) fn skip(&mut self, t: u8, depth: u32) -> Parsed<()> {
        if depth > self.max_depth {
            return Err(format!("a {} nests too deeply", self.what));
        }
        match t {
            TRUE | FALSE => Ok(()),
            BYTE => self.skip_bytes(1),
            I16 | I32 | I64 => self.varint(10).map(|_| ()),
            DOUBLE => self.skip_bytes(8),
            BINARY => {
                let n = self.varint(5)?;
                self.skip_bytes(n)
            }
            LIST | SET => {
                let (elem, n) = self.list_header()?;
                for _ in 0..n {
                    // Booleans in a list are one byte each.
                    if matches!(elem, TRUE | FALSE) {
                        self.skip_bytes(1)?;
                    } else {
                        self.skip(elem, depth + 1)?;
                    }
                }
                Ok(())
            }
            MAP => {
                let n = self.varint(5)?;
                let n = self.count(n)?;
                if n == 0 {
                    return Ok(());
                }
                let kinds = self.byte()?;
                for _ in 0..n {
                    self.skip(kinds >> 4, depth + 1)?;
                    self.skip(kinds & 0x0f, depth + 1)?;
                }
                Ok(())
            }
            STRUCT => self.fields(depth + 1, |r, _, t, depth| r.skip(t, depth)),
            _ => Err(format!("a {} has an unknown wire type {t}", self.what)),
        }
    }

    /// Reads a struct's fields up to its STOP, handing each (id, wire type) to `field`.
    pub(super) fn fields(
        &mut self,
        depth: u32,
        mut field: impl FnMut(&mut Self, i16, u8, u32) -> Parsed<()>,
    ) -> Parsed<()> {
        if depth > self.max_depth {
            return Err(format!("a {} nests too deeply", self.what));
        }
        let mut last = 0i16;
        loop {
            let head = self.byte()?;
            let t = head & 0x0f;
            if t == STOP {
                return Ok(());
            }
            let id = match head >> 4 {
                0 => i16::try_from(self.i32()?).map_err(|_| "a field id is out of range")?,
                delta => last
                    .checked_add(i16::from(delta))
                    .ok_or("a field id is out of range")?,
            };
            field(self, id, t, depth)?;
            last = id;
        }
    }
}

fn expect(t: u8, want: u8) -> Parsed<()> {
    if t == want {
        Ok(())
    } else {
        Err(format!("a field has wire type {t}, not {want}"))
    }
}

fn bool_field(t: u8) -> Parsed<bool> {
    match t {
        TRUE => Ok(true),
        FALSE => Ok(false),
        _ => Err(format!("a page header flag has wire type {t}")),
    }
}

fn read_i32(r: &mut Reader, t: u8) -> Parsed<i32> {
    expect(t, I32)?;
    r.i32()
}

fn data_v1(r: &mut Reader, depth: u32) -> Parsed<DataPageV1> {
    let mut h = DataPageV1::default();
    let mut seen = [false; 4];
    r.fields(depth, |r, id, t, depth| {
        match id {
            1 => h.num_values = read_i32(r, t)?,
            2 => h.encoding = read_i32(r, t)?,
            3 => h.def_encoding = read_i32(r, t)?,
            4 => h.rep_encoding = read_i32(r, t)?,
            _ => return r.skip(t, depth),
        }
        seen[id as usize - 1] = true;
        Ok(())
    })?;
    required(&seen, "data page")?;
    Ok(h)
}

fn dictionary(r: &mut Reader, depth: u32) -> Parsed<DictionaryPage> {
    let mut h = DictionaryPage::default();
    let mut seen = [false; 2];
    r.fields(depth, |r, id, t, depth| {
        match id {
            1 => h.num_values = read_i32(r, t)?,
            2 => h.encoding = read_i32(r, t)?,
            3 => {
                h.is_sorted = bool_field(t)?;
                return Ok(());
            }
            _ => return r.skip(t, depth),
        }
        seen[id as usize - 1] = true;
        Ok(())
    })?;
    required(&seen, "dictionary page")?;
    Ok(h)
}

fn data_v2(r: &mut Reader, depth: u32) -> Parsed<DataPageV2> {
    let mut h = DataPageV2 {
        is_compressed: true,
        ..DataPageV2::default()
    };
    let mut seen = [false; 6];
    r.fields(depth, |r, id, t, depth| {
        match id {
            1 => h.num_values = read_i32(r, t)?,
            2 => h.num_nulls = read_i32(r, t)?,
            3 => h.num_rows = read_i32(r, t)?,
            4 => h.encoding = read_i32(r, t)?,
            5 => h.def_levels_len = read_i32(r, t)?,
            6 => h.rep_levels_len = read_i32(r, t)?,
            7 => {
                h.is_compressed = bool_field(t)?;
                return Ok(());
            }
            _ => return r.skip(t, depth),
        }
        seen[id as usize - 1] = true;
        Ok(())
    })?;
    required(&seen, "data page v2")?;
    Ok(h)
}

fn required(seen: &[bool], what: &str) -> Parsed<()> {
    if seen.iter().all(|s| *s) {
        Ok(())
    } else {
        Err(format!("a {what} header lacks a required field"))
    }
}

/// The page header at the start of `bytes`, and how many bytes it takes.
pub(crate) fn read_page_header(bytes: &[u8]) -> Parsed<(PageHeader, usize)> {
    let mut r = Reader {
        bytes,
        at: 0,
        what: "page header",
        max_depth: MAX_DEPTH,
        boolean_lists: true,
    };
    let mut h = PageHeader::default();
    let mut seen = [false; 3];
    r.fields(1, |r, id, t, depth| {
        match id {
            1 => h.page_type = read_i32(r, t)?,
            2 => h.uncompressed_size = read_i32(r, t)?,
            3 => h.compressed_size = read_i32(r, t)?,
            5 => {
                expect(t, STRUCT)?;
                h.data_v1 = Some(data_v1(r, depth + 1)?);
                return Ok(());
            }
            7 => {
                expect(t, STRUCT)?;
                h.dictionary = Some(dictionary(r, depth + 1)?);
                return Ok(());
            }
            8 => {
                expect(t, STRUCT)?;
                h.data_v2 = Some(data_v2(r, depth + 1)?);
                return Ok(());
            }
            // crc (4) and the index page header (6) are not used.
            _ => return r.skip(t, depth),
        }
        seen[id as usize - 1] = true;
        Ok(())
    })?;
    required(&seen, "page")?;
    Ok((h, r.at))
}
