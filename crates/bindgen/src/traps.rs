//! Exported functions made traps before the split, so the splitter drops what only they reach.
//!
//! The splitter (`wasm_split_cli_support`) follows the linker's relocations from the module's
//! exports: what they reach stays in the main wasm, and what nothing reaches is left out, its
//! slots in the function table too. Dropping an export after the split (`classes`) leaves the
//! code it reached in the table, where wasm-opt must keep it: wasm-streams' futures and their
//! drop code stayed in the page's wasm. Here such an export's body becomes `unreachable` before
//! the split, padded with `nop` to its size so that every other offset holds, and its
//! relocations go: the splitter then finds nothing reached through it. The export itself stays
//! for wasm-bindgen, which describes it, and `classes` drops it after.

use anyhow::{bail, Context, Result};

const CODE: u8 = 10;
const IMPORT: u8 = 2;
const EXPORT: u8 = 7;
const UNREACHABLE: u8 = 0x00;
const NOP: u8 = 0x01;
const END: u8 = 0x0b;

/// `wasm` with the body of each exported function that `dead` names made a trap of the same
/// size, and the code relocations inside those bodies dropped; returns it and how many.
pub fn trap_exports(wasm: &[u8], dead: impl Fn(&str) -> bool) -> Result<(Vec<u8>, usize)> {
    let sections = sections(wasm)?;
    let mut imported_funcs = 0;
    let mut dead_funcs = Vec::new();
    let mut code = None;
    let mut relocs = None;
    for &(id, header, start, end) in &sections {
        let mut r = Reader::new(wasm, start, end);
        match id {
            IMPORT => {
                for _ in 0..r.leb()? {
                    r.name()?;
                    r.name()?;
                    match r.byte()? {
                        0 => {
                            r.leb()?;
                            imported_funcs += 1;
                        }
                        1 => {
                            r.byte()?;
                            r.limits()?;
                        }
                        2 => r.limits()?,
                        3 => {
                            r.byte()?;
                            r.byte()?;
                        }
                        4 => {
                            r.byte()?;
                            r.leb()?;
                        }
                        kind => bail!("import of unknown kind {kind}"),
                    }
                }
            }
            EXPORT => {
                for _ in 0..r.leb()? {
                    let name = r.name()?;
                    let (kind, index) = (r.byte()?, r.leb()?);
                    if kind == 0 && dead(name) {
                        dead_funcs.push(index);
                    }
                }
            }
            CODE => code = Some((start, end)),
            0 if r.name()? == "reloc.CODE" => relocs = Some((header, r.at, end)),
            _ => {}
        }
    }
    let (code_start, code_end) = code.context("no code section")?;
    // Each dead function's body, as offsets in the code section's payload (what relocations
    // count from).
    let mut bodies = Vec::new();
    let mut r = Reader::new(wasm, code_start, code_end);
    for index in 0..r.leb()? {
        let size = r.leb()? as usize;
        if dead_funcs.contains(&(imported_funcs + index)) {
            bodies.push((r.at, r.at + size));
        }
        r.at += size;
    }
    let mut out = wasm.to_vec();
    for &(start, end) in &bodies {
        // No locals, a trap, padding, the end: any signature's valid body.
        if end - start < 3 {
            bail!("a body of {} bytes", end - start);
        }
        out[start] = 0;
        out[start + 1] = UNREACHABLE;
        out[start + 2..end - 1].fill(NOP);
        out[end - 1] = END;
    }
    if let Some((header, start, end)) = relocs {
        let kept = kept_relocations(wasm, start, end, |offset| {
            let at = code_start + offset;
            bodies.iter().any(|&(s, e)| (s..e).contains(&at))
        })?;
        // The same section with fewer entries, in its place.
        let name = b"reloc.CODE";
        let mut payload = leb(name.len() as u64);
        payload.extend_from_slice(name);
        payload.extend(kept);
        let mut section = vec![0];
        section.extend(leb(payload.len() as u64));
        section.extend(payload);
        out.splice(header..end, section);
    }
    Ok((out, bodies.len()))
}

/// reloc.CODE's payload after its name (the target section and the entries), without the
/// entries whose offset `drop` says.
fn kept_relocations(
    wasm: &[u8],
    start: usize,
    end: usize,
    drop: impl Fn(usize) -> bool,
) -> Result<Vec<u8>> {
    let mut r = Reader::new(wasm, start, end);
    let target = r.leb()?;
    let count = r.leb()?;
    let mut entries = Vec::new();
    let mut kept = 0u64;
    for _ in 0..count {
        let from = r.at;
        let kind = r.byte()?;
        let offset = r.leb()? as usize;
        r.leb()?;
        if has_addend(kind)? {
            r.leb()?;
        }
        if !drop(offset) {
            entries.extend_from_slice(&wasm[from..r.at]);
            kept += 1;
        }
    }
    if r.at != end {
        bail!("reloc.CODE has bytes after its entries");
    }
    let mut out = leb(target);
    out.extend(leb(kept));
    out.extend(entries);
    Ok(out)
}

/// Whether a relocation of this type carries an addend (the tool conventions' list).
fn has_addend(kind: u8) -> Result<bool> {
    Ok(match kind {
        3 | 4 | 5 | 8 | 9 | 11 | 14 | 15 | 16 | 17 | 21 | 22 | 23 | 25 => true,
        0 | 1 | 2 | 6 | 7 | 10 | 12 | 13 | 18 | 19 | 20 | 24 | 26 => false,
        _ => bail!("relocation of unknown type {kind}"),
    })
}

/// Each section's id, start (its id's byte) and payload range.
fn sections(wasm: &[u8]) -> Result<Vec<(u8, usize, usize, usize)>> {
    if wasm.get(..8) != Some(b"\0asm\x01\0\0\0".as_slice()) {
        bail!("not a wasm module");
    }
    let mut r = Reader::new(wasm, 8, wasm.len());
    let mut out = Vec::new();
    while r.at < wasm.len() {
        let header = r.at;
        let id = r.byte()?;
        let size = r.leb()? as usize;
        let start = r.at;
        r.at += size;
        if r.at > wasm.len() {
            bail!("section {id} runs past the end");
        }
        out.push((id, header, start, r.at));
    }
    Ok(out)
}

fn leb(mut n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

struct Reader<'a> {
    wasm: &'a [u8],
    at: usize,
    end: usize,
}

impl<'a> Reader<'a> {
    fn new(wasm: &'a [u8], at: usize, end: usize) -> Self {
        Reader { wasm, at, end }
    }

    fn byte(&mut self) -> Result<u8> {
        if self.at >= self.end {
            bail!("read past the end of a section");
        }
        self.at += 1;
        Ok(self.wasm[self.at - 1])
    }

    /// An unsigned or signed LEB128 number's bits (only its length matters for signed ones).
    fn leb(&mut self) -> Result<u64> {
        let (mut n, mut shift) = (0u64, 0);
        loop {
            let byte = self.byte()?;
            if shift < 64 {
                n |= u64::from(byte & 0x7f) << shift;
            }
            shift += 7;
            if byte & 0x80 == 0 {
                return Ok(n);
            }
        }
    }

    fn name(&mut self) -> Result<&'a str> {
        let len = self.leb()? as usize;
        let bytes = self
            .wasm
            .get(self.at..self.at + len)
            .filter(|_| self.at + len <= self.end)
            .context("a name runs past its section")?;
        self.at += len;
        Ok(std::str::from_utf8(bytes)?)
    }

    fn limits(&mut self) -> Result<()> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 != 0 {
            self.leb()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two functions that each call the second (a padded index, relocated), exported as
    /// "dead" and "live", with their relocations.
    fn module() -> Vec<u8> {
        let call = [0x10, 0x81, 0x80, 0x80, 0x80, 0x00];
        let body: Vec<u8> = [vec![8, 0], call.to_vec(), vec![END]].concat();
        let code = [vec![2], body.clone(), body].concat();
        let relocs = [
            leb(10),
            b"reloc.CODE".to_vec(),
            // The code section (the fourth), two function-index relocations at the calls.
            vec![3, 2, 0, 4, 1, 0, 13, 1],
        ]
        .concat();
        let exports = [
            vec![2, 4],
            b"dead".to_vec(),
            vec![0, 0, 4],
            b"live".to_vec(),
            vec![0, 1],
        ];
        let section =
            |id: u8, payload: Vec<u8>| [vec![id], leb(payload.len() as u64), payload].concat();
        [
            b"\0asm\x01\0\0\0".to_vec(),
            section(1, vec![1, 0x60, 0, 0]),
            section(3, vec![2, 0, 0]),
            section(EXPORT, exports.concat()),
            section(CODE, code),
            section(0, relocs),
        ]
        .concat()
    }

    #[test]
    fn a_dead_export_becomes_a_trap_of_its_size_without_its_relocations() {
        let wasm = module();
        let (out, trapped) = trap_exports(&wasm, |name| name == "dead").unwrap();
        assert_eq!(trapped, 1);
        let sections = sections(&out).unwrap();
        let &(_, _, code, _) = sections.iter().find(|s| s.0 == CODE).unwrap();
        // The first body: no locals, unreachable, nops, end; the second as it was.
        assert_eq!(
            out[code + 2..code + 10],
            [0, UNREACHABLE, NOP, NOP, NOP, NOP, NOP, END]
        );
        assert_eq!(out[code + 10..code + 19], wasm[code + 10..code + 19]);
        let &(_, _, start, end) = sections.last().unwrap();
        let mut r = Reader::new(&out, start, end);
        assert_eq!(r.name().unwrap(), "reloc.CODE");
        // Only the second body's relocation is left.
        assert_eq!(out[r.at..end], [3, 1, 0, 13, 1]);
    }

    #[test]
    fn nothing_dead_leaves_the_module_as_it_was() {
        let wasm = module();
        let (out, trapped) = trap_exports(&wasm, |_| false).unwrap();
        assert_eq!((out, trapped), (wasm, 0));
    }
}
