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
use std::ops::Range;
use wasmparser::{ExternalKind, KnownCustom, Parser, Payload, TypeRef};

const UNREACHABLE: u8 = 0x00;
const NOP: u8 = 0x01;
const END: u8 = 0x0b;

/// `wasm` with the body of each exported function that `dead` names made a trap of the same
/// size, and the code relocations inside those bodies dropped; returns it and how many.
pub fn trap_exports(wasm: &[u8], dead: impl Fn(&str) -> bool) -> Result<(Vec<u8>, usize)> {
    let mut imported_funcs = 0;
    let mut dead_funcs = Vec::new();
    let mut code_start = None;
    let mut bodies = Vec::new();
    let mut relocs = None;
    // Where the section being read starts (its id's byte): where the one before ended.
    let mut section_start = 0;
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload?;
        let header = section_start;
        if let Some((_, range)) = payload.as_section() {
            section_start = range.end as usize;
        }
        match payload {
            Payload::Version { range, .. } => section_start = range.end as usize,
            Payload::ImportSection(imports) => {
                for import in imports.into_imports() {
                    if let TypeRef::Func(_) | TypeRef::FuncExact(_) = import?.ty {
                        imported_funcs += 1;
                    }
                }
            }
            Payload::ExportSection(exports) => {
                for export in exports {
                    let export = export?;
                    if export.kind == ExternalKind::Func && dead(export.name) {
                        dead_funcs.push(export.index);
                    }
                }
            }
            Payload::CodeSectionStart { range, .. } => code_start = Some(range.start),
            Payload::CodeSectionEntry(body) => bodies.push(body.range()),
            Payload::CustomSection(custom) if custom.name() == "reloc.CODE" => {
                let KnownCustom::Reloc(reader) = custom.as_known() else {
                    bail!("reloc.CODE does not read as relocations");
                };
                relocs = Some((header, custom.range().end, reader));
            }
            _ => {}
        }
    }
    let code_start = code_start.context("no code section")? as usize;
    // The dead functions' bodies, from their locals to their end.
    let dead_bodies: Vec<Range<usize>> = bodies
        .into_iter()
        .enumerate()
        .filter(|&(index, _)| dead_funcs.contains(&(imported_funcs + index as u32)))
        .map(|(_, body)| body.start as usize..body.end as usize)
        .collect();
    let mut out = wasm.to_vec();
    for body in &dead_bodies {
        // No locals, a trap, padding, the end: any signature's valid body.
        if body.len() < 3 {
            bail!("a body of {} bytes", body.len());
        }
        out[body.start] = 0;
        out[body.start + 1] = UNREACHABLE;
        out[body.start + 2..body.end - 1].fill(NOP);
        out[body.end - 1] = END;
    }
    if let Some((header, end, reader)) = relocs {
        // The same section without the entries in dead bodies (their offsets count from the
        // code section's contents), each kept one copied as it was.
        let entries = reader.entries();
        let entries_end = entries.range().end as usize;
        let mut kept = Vec::new();
        let mut count = 0u32;
        let mut items = entries.into_iter_with_offsets().peekable();
        while let Some(item) = items.next() {
            let (from, entry) = item?;
            let to = match items.peek() {
                Some(Ok((next, _))) => *next as usize,
                _ => entries_end,
            };
            let from = from as usize;
            let at = code_start + entry.offset as usize;
            if !dead_bodies.iter().any(|body| body.contains(&at)) {
                kept.extend_from_slice(&wasm[from..to]);
                count += 1;
            }
        }
        let name = b"reloc.CODE";
        let mut payload = leb(name.len() as u64);
        payload.extend_from_slice(name);
        payload.extend(leb(u64::from(reader.section_index())));
        payload.extend(leb(u64::from(count)));
        payload.extend(kept);
        let mut section = vec![0];
        section.extend(leb(payload.len() as u64));
        section.extend(payload);
        out.splice(header..end as usize, section);
    }
    Ok((out, dead_bodies.len()))
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

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: u8 = 7;
    const CODE: u8 = 10;

    /// Where the code section's contents start, and reloc.CODE's contents after its name.
    fn code_and_relocations(wasm: &[u8]) -> (usize, Vec<u8>) {
        let (mut code, mut relocs) = (0, Vec::new());
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.unwrap() {
                Payload::CodeSectionStart { range, .. } => code = range.start as usize,
                Payload::CustomSection(c) if c.name() == "reloc.CODE" => relocs = c.data().to_vec(),
                _ => {}
            }
        }
        (code, relocs)
    }

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
        let (code, relocs) = code_and_relocations(&out);
        // The first body: no locals, unreachable, nops, end; the second as it was.
        assert_eq!(
            out[code + 2..code + 10],
            [0, UNREACHABLE, NOP, NOP, NOP, NOP, NOP, END]
        );
        assert_eq!(out[code + 10..code + 19], wasm[code + 10..code + 19]);
        // Only the second body's relocation is left.
        assert_eq!(relocs, [3, 1, 0, 13, 1]);
    }

    #[test]
    fn nothing_dead_leaves_the_module_as_it_was() {
        let wasm = module();
        let (out, trapped) = trap_exports(&wasm, |_| false).unwrap();
        assert_eq!((out, trapped), (wasm, 0));
    }
}
