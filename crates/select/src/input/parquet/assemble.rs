//! Record assembly: the leaves' (definition, repetition, value) triplets back into one nested
//! value per row, following the shape's levels (Dremel's algorithm, read side).

use super::columns::{ended_early, LeafCursor};
use super::shape::Node;
use crate::error::{ErrorCode, Result, SelectError};
use crate::value::Value;

pub(crate) struct Assembler<'c> {
    pub leaves: &'c mut [LeafCursor],
}

impl Assembler<'_> {
    fn cursor(&mut self, slot: usize) -> Result<&mut LeafCursor> {
        self.leaves.get_mut(slot).ok_or_else(ended_early)
    }

    fn peek(&mut self, node: &Node) -> Result<(i16, i16)> {
        self.cursor(node.first_leaf())?
            .peek()?
            .ok_or_else(ended_early)
    }

    /// One value of `node` from the current triplets.
    pub(crate) fn read(&mut self, node: &Node) -> Result<Value> {
        match node {
            Node::Leaf(slot) => self.cursor(*slot)?.take(),
            Node::Optional { def, inner } => {
                if self.peek(inner)?.0 >= *def {
                    self.read(inner)
                } else {
                    self.skip(inner)?;
                    Ok(Value::Null)
                }
            }
            Node::Struct(fields) => {
                let mut out = Vec::with_capacity(fields.len());
                for (name, field) in fields {
                    out.push((name.clone(), self.read(field)?));
                }
                Ok(Value::Struct(out))
            }
            Node::Repeated { def, rep, inner } => {
                let mut items = Vec::new();
                if self.peek(inner)?.0 < *def {
                    self.skip(inner)?;
                    return Ok(Value::List(items));
                }
                let leaf = inner.first_leaf();
                loop {
                    let before = self.cursor(leaf)?.consumed;
                    items.push(self.read(inner)?);
                    // Each element consumes at least one triplet; corrupt levels must not
                    // loop forever.
                    if self.cursor(leaf)?.consumed == before {
                        return Err(SelectError::new(
                            ErrorCode::ParquetParsingError,
                            "A Parquet list's levels do not advance: the file is corrupt.",
                        ));
                    }
                    match self.cursor(leaf)?.peek()? {
                        Some((_, r)) if r >= *rep => {}
                        _ => break,
                    }
                }
                Ok(Value::List(items))
            }
        }
    }

    /// Passes over a NULL or empty `node`: one triplet in each leaf under it.
    fn skip(&mut self, node: &Node) -> Result<()> {
        match node {
            Node::Leaf(slot) => self.cursor(*slot)?.skip(),
            Node::Optional { inner, .. } | Node::Repeated { inner, .. } => self.skip(inner),
            Node::Struct(fields) => fields.iter().try_for_each(|(_, f)| self.skip(f)),
        }
    }
}

/// Passes over one whole record of a single leaf (for counting rows without reading them).
pub(crate) fn skip_record(leaf: &mut LeafCursor) -> Result<()> {
    leaf.skip()?;
    while let Some((_, rep)) = leaf.peek()? {
        if rep == 0 {
            break;
        }
        leaf.skip()?;
    }
    Ok(())
}
