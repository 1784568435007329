//! The footer's metadata (parquet.thrift's `FileMetaData`) checked before the parquet crate
//! decodes it. The crate sizes buffers and loops by the counts the file states, and it reads
//! each field it knows as the type it expects without looking at the field's wire type, so a
//! field of another type makes its reading part from the bytes' real structure, into counts
//! nobody checked (fuzzed footers had it allocate 11 GB, or loop for seconds). So the whole
//! structure is walked here first with the strict compact-protocol reader, and:
//! - every field the crate reads ([`FILE_METADATA`] and what it holds, as parquet 60 reads
//!   them) must have the wire type it reads, so the crate's reading stays with ours;
//! - no list or map claims more elements than there are bytes, none is of booleans (the crate
//!   skips those as taking no bytes), nothing nests without bound;
//! - no schema element claims more children than the schema has elements.

use super::page_header::{Parsed, Reader, BINARY, BYTE, DOUBLE, FALSE, I16, I32, I64, LIST};
use super::page_header::{SET, STRUCT, TRUE};

/// A field's type as the crate reads it: types read alike share a variant.
#[derive(Clone, Copy)]
enum Ty {
    /// i16, i32, i64 and the enums: a zigzag varint whatever its width.
    Int,
    Byte,
    Double,
    /// Binary and string.
    Binary,
    /// A struct field's flag, held in its header: no bytes.
    Bool,
    /// A struct or a union, by its fields; an empty one for the unions' empty members.
    Struct(&'static [(i16, Ty)]),
    List(&'static Ty),
}

use Ty::*;

const EMPTY: Ty = Struct(&[]);
const TIME_UNIT: Ty = Struct(&[(1, EMPTY), (2, EMPTY), (3, EMPTY)]);
const TIMESTAMP_TYPE: Ty = Struct(&[(1, Bool), (2, TIME_UNIT)]);
const LOGICAL_TYPE: Ty = Struct(&[
    (1, EMPTY),
    (2, EMPTY),
    (3, EMPTY),
    (4, EMPTY),
    (5, Struct(&[(1, Int), (2, Int)])),
    (6, EMPTY),
    (7, TIMESTAMP_TYPE),
    (8, TIMESTAMP_TYPE),
    (10, Struct(&[(1, Byte), (2, Bool)])),
    (11, EMPTY),
    (12, EMPTY),
    (13, EMPTY),
    (14, EMPTY),
    (15, EMPTY),
    (16, Struct(&[(1, Byte)])),
    (17, Struct(&[(1, Binary)])),
    (18, Struct(&[(1, Binary), (2, Int)])),
    (19, EMPTY),
]);
const SCHEMA_ELEMENT_FIELDS: &[(i16, Ty)] = &[
    (1, Int),
    (2, Int),
    (3, Int),
    (4, Binary),
    (5, Int),
    (6, Int),
    (7, Int),
    (8, Int),
    (9, Int),
    (10, LOGICAL_TYPE),
];
const STATISTICS: Ty = Struct(&[
    (1, Binary),
    (2, Binary),
    (3, Int),
    (4, Int),
    (5, Binary),
    (6, Binary),
    (7, Bool),
    (8, Bool),
    (9, Int),
]);
const KEY_VALUE: Ty = Struct(&[(1, Binary), (2, Binary)]);
const COLUMN_META_DATA: Ty = Struct(&[
    (1, Int),
    (2, List(&Int)),
    (4, Int),
    (5, Int),
    (6, Int),
    (7, Int),
    (9, Int),
    (10, Int),
    (11, Int),
    (12, STATISTICS),
    (13, List(&Struct(&[(1, Int), (2, Int), (3, Int)]))),
    (14, Int),
    (15, Int),
    (16, Struct(&[(1, Int), (2, List(&Int)), (3, List(&Int))])),
    (
        17,
        Struct(&[
            (
                1,
                Struct(&[
                    (1, Double),
                    (2, Double),
                    (3, Double),
                    (4, Double),
                    (5, Double),
                    (6, Double),
                    (7, Double),
                    (8, Double),
                ]),
            ),
            (2, List(&Int)),
        ]),
    ),
]);
const COLUMN_CHUNK: Ty = Struct(&[
    (1, Binary),
    (2, Int),
    (3, COLUMN_META_DATA),
    (4, Int),
    (5, Int),
    (6, Int),
    (7, Int),
]);
const ROW_GROUP: Ty = Struct(&[
    (1, List(&COLUMN_CHUNK)),
    (2, Int),
    (3, Int),
    (4, List(&Struct(&[(1, Int), (2, Bool), (3, Bool)]))),
    (5, Int),
    (7, Int),
]);
/// `FileMetaData` (schema: field 2, checked apart for its children counts).
const FILE_METADATA: &[(i16, Ty)] = &[
    (1, Int),
    (3, Int),
    (4, List(&ROW_GROUP)),
    (5, List(&KEY_VALUE)),
    (6, Binary),
    (7, List(&Struct(&[(1, EMPTY), (2, EMPTY), (3, EMPTY)]))),
];

/// Whether wire type `t` is read as `ty`.
fn wire_fits(ty: Ty, t: u8) -> bool {
    match ty {
        Int => matches!(t, I16 | I32 | I64),
        Byte => t == BYTE,
        Double => t == DOUBLE,
        Binary => t == BINARY,
        Bool => matches!(t, TRUE | FALSE),
        Struct(_) => t == STRUCT,
        List(_) => matches!(t, LIST | SET),
    }
}

/// An error unless wire type `t` is read as `ty`.
fn expect_fits(ty: Ty, t: u8) -> Parsed<()> {
    if wire_fits(ty, t) {
        Ok(())
    } else {
        Err(format!(
            "a footer field has wire type {t}, not the format's"
        ))
    }
}

/// Walks field `id` of a struct whose fields the crate reads as `fields` (one it does not
/// read is skipped by its wire type, as the crate skips it).
fn field(r: &mut Reader, fields: &[(i16, Ty)], id: i16, t: u8, depth: u32) -> Parsed<()> {
    match fields.iter().find(|(f, _)| *f == id) {
        Some((_, ty)) => walk(r, *ty, t, depth),
        None => r.skip(t, depth),
    }
}

/// Walks a value of wire type `t` that the crate reads as `ty`.
fn walk(r: &mut Reader, ty: Ty, t: u8, depth: u32) -> Parsed<()> {
    expect_fits(ty, t)?;
    match ty {
        Struct(fields) => r.fields(depth + 1, |r, id, t, depth| field(r, fields, id, t, depth)),
        List(element) => {
            let (elem, n) = r.list_header()?;
            if n > 0 && !wire_fits(*element, elem) {
                return Err(format!(
                    "a footer list has elements of wire type {elem}, not the format's"
                ));
            }
            for _ in 0..n {
                walk(r, *element, elem, depth + 1)?;
            }
            Ok(())
        }
        _ => r.skip(t, depth),
    }
}

pub(crate) fn check_metadata(bytes: &[u8]) -> Parsed<()> {
    let mut r = Reader::footer(bytes);
    // Each schema element's child count (0 for a column), in order: the first schema only, as
    // the crate reads only the first.
    let mut children: Option<Vec<i32>> = None;
    r.fields(0, |r, id, t, depth| {
        if id != 2 {
            return field(r, FILE_METADATA, id, t, depth);
        }
        // schema: list<SchemaElement>, whose field 5 is num_children.
        if !matches!(t, LIST | SET) {
            return Err(format!("the footer's schema has wire type {t}"));
        }
        if children.is_some() {
            return Err("the footer has two schemas".to_string());
        }
        let (elem, n) = r.list_header()?;
        if elem != STRUCT {
            return Err(format!(
                "the footer's schema has elements of wire type {elem}"
            ));
        }
        let counts = children.insert(Vec::new());
        for _ in 0..n {
            let mut own = None;
            r.fields(depth + 1, |r, id, t, depth| match id {
                5 => {
                    expect_fits(Int, t)?;
                    own = Some(r.i32()?);
                    Ok(())
                }
                _ => field(r, SCHEMA_ELEMENT_FIELDS, id, t, depth),
            })?;
            counts.push(own.unwrap_or(0));
        }
        Ok(())
    })?;
    check_schema_tree(&children.unwrap_or_default())
}

/// Groups nest deeper than this nowhere real; the crate builds the tree by recursion.
const MAX_SCHEMA_DEPTH: usize = 64;

/// The schema's elements must make one tree, depth first, as the crate reads them: each group's
/// children are the elements that follow it, so no group may claim more than are left, every
/// group must get all it claims, and nothing may follow the tree. The crate allocates each
/// group's children by the count and recurses once per level: an unchecked count is an
/// allocation of the count's size, an unchecked nesting a stack overflow.
fn check_schema_tree(children: &[i32]) -> Parsed<()> {
    let total = children.len();
    // The children each open group still waits for, innermost last.
    let mut waiting: Vec<usize> = Vec::new();
    for (i, &count) in children.iter().enumerate() {
        let count = usize::try_from(count)
            .map_err(|_| format!("a schema element claims {count} children"))?;
        if i > 0 {
            match waiting.last_mut() {
                Some(left) => *left -= 1,
                None => {
                    return Err(format!(
                        "the schema has {total} elements, but its tree ends at {i}"
                    ))
                }
            }
        }
        if count > total - i - 1 {
            return Err(format!(
                "a schema element claims {count} children, with {} elements after it",
                total - i - 1
            ));
        }
        if count > 0 || i == 0 {
            waiting.push(count);
            if waiting.len() > MAX_SCHEMA_DEPTH {
                return Err(format!(
                    "the schema nests deeper than {MAX_SCHEMA_DEPTH} levels"
                ));
            }
        }
        while waiting.last() == Some(&0) {
            waiting.pop();
        }
    }
    match waiting.last() {
        Some(left) => Err(format!("a schema group lacks {left} of its children")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::check_metadata;

    /// `FileMetaData { schema: [SchemaElement { num_children: children }] }` in the compact
    /// protocol (other required fields are the crate's to miss).
    fn one_element(children: u16) -> Vec<u8> {
        let zigzag = u32::from(children) << 1;
        let mut b = vec![0x29, 0x1C, 0x55];
        let mut v = zigzag;
        while v >= 0x80 {
            b.push((v as u8 & 0x7f) | 0x80);
            v >>= 7;
        }
        b.push(v as u8);
        b.extend([0x00, 0x00]);
        b
    }

    #[test]
    fn a_schema_element_cannot_have_more_children_than_the_schema_has_elements() {
        assert_eq!(check_metadata(&one_element(0)), Ok(()));
        let e = check_metadata(&one_element(1000)).unwrap_err();
        assert!(
            e.contains("claims 1000 children, with 0 elements after it"),
            "{e}"
        );
    }

    fn varint(mut v: u64, out: &mut Vec<u8>) {
        while v >= 0x80 {
            out.push((v as u8 & 0x7f) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    /// `FileMetaData { schema }` with these child counts (0: a column, no num_children).
    fn schema(counts: &[u32]) -> Vec<u8> {
        let mut b = vec![0x29, 0xFC];
        varint(counts.len() as u64, &mut b);
        for &c in counts {
            if c > 0 {
                b.push(0x55);
                varint(u64::from(c) << 1, &mut b);
            }
            b.push(0x00);
        }
        b.push(0x00);
        b
    }

    #[test]
    fn the_schema_must_be_one_tree_of_bounded_depth() {
        // message { a; group b { c; d }; e }
        assert_eq!(check_metadata(&schema(&[3, 0, 2, 0, 0, 0])), Ok(()));
        let e = check_metadata(&schema(&[2, 0, 0, 0])).unwrap_err();
        assert!(e.contains("its tree ends at 3"), "{e}");
        let e = check_metadata(&schema(&[3, 0, 2, 0])).unwrap_err();
        assert!(
            e.contains("claims 2 children, with 1 elements after it"),
            "{e}"
        );
        // Every element a group claiming all the rest: each count fits, the tree does not (the
        // crate would allocate k·(k-1) pointers on its way down).
        let k = 20;
        let e = check_metadata(&schema(&vec![k - 1; k as usize])).unwrap_err();
        assert!(
            e.contains("claims 19 children, with 18 elements after it"),
            "{e}"
        );
        // A chain of single-child groups: fine at 60 levels, refused past 64 (the crate recurses).
        let chain = |n: usize| [vec![1; n], vec![0]].concat();
        assert_eq!(check_metadata(&schema(&chain(60))), Ok(()));
        let e = check_metadata(&schema(&chain(100))).unwrap_err();
        assert!(e.contains("nests deeper than 64"), "{e}");
        // The crate reads the first schema only: a second cannot stand in for it.
        let mut two = schema(&[1, 0]);
        two.pop();
        two.extend([0x09, 0x04, 0x1C, 0x00, 0x00]);
        let e = check_metadata(&two).unwrap_err();
        assert!(e.contains("two schemas"), "{e}");
    }

    #[test]
    fn a_list_cannot_claim_more_elements_than_bytes() {
        // schema: a list header claiming 2^20 structs, then nothing.
        let e = check_metadata(&[0x29, 0xFC, 0x80, 0x80, 0x40]).unwrap_err();
        assert!(e.contains("claims 1048576 elements in fewer bytes"), "{e}");
        assert!(check_metadata(&[0x29]).is_err(), "cut short");
    }

    #[test]
    fn a_footer_has_no_list_of_booleans() {
        // Field 1 (version, i32 1), then field 10, unknown: a list of three booleans.
        let e = check_metadata(&[0x15, 0x02, 0x99, 0x31, 1, 1, 1, 0x00]).unwrap_err();
        assert!(e.contains("list of booleans"), "{e}");
        assert_eq!(
            check_metadata(&[0x15, 0x02, 0x99, 0x01, 0x00]),
            Ok(()),
            "an empty one is nothing"
        );
    }

    #[test]
    fn a_field_the_crate_reads_must_have_the_type_it_reads() {
        // version (field 1, an i32) written as binary: the crate would read its length as the
        // version and go on inside the bytes.
        let e = check_metadata(&[0x18, 0x01, b'x', 0x00]).unwrap_err();
        assert!(e.contains("wire type 8"), "{e}");
        // row_groups (field 4) as a list of i32 rather than of structs.
        let e = check_metadata(&[0x49, 0x15, 0x02, 0x00]).unwrap_err();
        assert!(e.contains("elements of wire type 5"), "{e}");
        // A schema element's logical type (field 10, a union) written as an i32.
        let e = check_metadata(&[0x29, 0x1C, 0xA5, 0x02, 0x00, 0x00]).unwrap_err();
        assert!(e.contains("wire type 5"), "{e}");
        // Fields the crate does not read are skipped whatever their type.
        assert_eq!(
            check_metadata(&[0x15, 0x02, 0xF8, 0x01, b'x', 0x00]),
            Ok(())
        );
        // The integer widths are read alike: an i64 version is as good as an i32 one.
        assert_eq!(check_metadata(&[0x16, 0x02, 0x00]), Ok(()));
    }
}
