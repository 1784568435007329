//! The shape of the projected columns: a tree that says, for each nesting level, at which
//! definition and repetition level a value is present or a list goes on (Dremel's levels).
//! Groups become structs, LIST-annotated groups and repeated fields become lists.

use super::projection::Projection;
use crate::error::{ErrorCode, Result, SelectError};
use parquet::basic::{ConvertedType, LogicalType, Repetition};
use parquet::schema::types::{SchemaDescriptor, Type};

/// Nesting deeper than this is refused (the reader recurses once per level).
const MAX_DEPTH: usize = 64;

#[derive(Debug)]
pub(crate) enum Node {
    /// A leaf column, by its slot in [`Shape::leaves`].
    Leaf(usize),
    /// Present when the definition level reaches `def`, else NULL.
    Optional {
        def: i16,
        inner: Box<Node>,
    },
    /// A list: empty below definition level `def`; a next element starts at repetition `rep`.
    Repeated {
        def: i16,
        rep: i16,
        inner: Box<Node>,
    },
    Struct(Vec<(String, Node)>),
}

impl Node {
    /// A leaf under this node, whose levels tell whether the node is present.
    pub(crate) fn first_leaf(&self) -> usize {
        match self {
            Node::Leaf(i) => *i,
            Node::Optional { inner, .. } | Node::Repeated { inner, .. } => inner.first_leaf(),
            // cannot fail: `build` refuses groups with no fields.
            Node::Struct(fields) => fields.first().map_or(0, |(_, n)| n.first_leaf()),
        }
    }
}

/// The top-level fields a query reads, and the leaf columns under them.
#[derive(Debug)]
pub(crate) struct Shape {
    pub fields: Vec<(String, Node)>,
    /// Leaf column index in the file's schema, by slot.
    pub leaves: Vec<usize>,
}

fn corrupt(msg: String) -> SelectError {
    SelectError::new(ErrorCode::ParquetParsingError, msg)
}

fn unsupported(msg: String) -> SelectError {
    SelectError::new(ErrorCode::UnsupportedParquetType, msg)
}

fn leaf_count(t: &Type) -> usize {
    if t.is_group() {
        t.get_fields().iter().map(|f| leaf_count(f)).sum()
    } else {
        1
    }
}

fn is_annotated(t: &Type, logical: LogicalType, converted: ConvertedType) -> bool {
    let info = t.get_basic_info();
    info.logical_type_ref() == Some(&logical) || info.converted_type() == converted
}

impl Shape {
    pub(crate) fn new(schema: &SchemaDescriptor, projection: &Projection) -> Result<Shape> {
        let root = schema.root_schema();
        if !root.is_group() {
            return Err(corrupt("The Parquet schema's root is not a group.".into()));
        }
        let mut builder = Builder {
            next_leaf: 0,
            leaves: Vec::new(),
        };
        let mut fields = Vec::new();
        for field in root.get_fields() {
            if projection.wants(field.name()) {
                fields.push((field.name().to_string(), builder.field(field, 0, 0, 0)?));
            } else {
                builder.next_leaf += leaf_count(field);
            }
        }
        if builder.next_leaf != schema.num_columns() {
            return Err(corrupt(
                "The Parquet schema's leaves do not match its columns.".into(),
            ));
        }
        Ok(Shape {
            fields,
            leaves: builder.leaves,
        })
    }
}

struct Builder {
    /// Index in the schema of the next leaf met in depth-first order.
    next_leaf: usize,
    leaves: Vec<usize>,
}

impl Builder {
    /// A field with its own repetition applied to the levels of its parent.
    fn field(&mut self, t: &Type, def: i16, rep: i16, depth: usize) -> Result<Node> {
        if depth > MAX_DEPTH {
            return Err(unsupported(format!(
                "The Parquet schema nests deeper than {MAX_DEPTH} levels."
            )));
        }
        let info = t.get_basic_info();
        let repetition = if info.has_repetition() {
            info.repetition()
        } else {
            Repetition::REQUIRED
        };
        let bump = |x: i16| {
            x.checked_add(1)
                .ok_or_else(|| corrupt("The Parquet schema nests too deep.".into()))
        };
        match repetition {
            Repetition::REQUIRED => self.core(t, def, rep, depth),
            Repetition::OPTIONAL => {
                let def = bump(def)?;
                Ok(Node::Optional {
                    def,
                    inner: Box::new(self.core(t, def, rep, depth)?),
                })
            }
            Repetition::REPEATED => {
                let (def, rep) = (bump(def)?, bump(rep)?);
                Ok(Node::Repeated {
                    def,
                    rep,
                    inner: Box::new(self.core(t, def, rep, depth)?),
                })
            }
        }
    }

    /// What one value of the field is, its repetition already applied.
    fn core(&mut self, t: &Type, def: i16, rep: i16, depth: usize) -> Result<Node> {
        if t.is_primitive() {
            self.leaves.push(self.next_leaf);
            self.next_leaf += 1;
            return Ok(Node::Leaf(self.leaves.len() - 1));
        }
        if is_annotated(t, LogicalType::Map, ConvertedType::MAP)
            || is_annotated(t, LogicalType::Map, ConvertedType::MAP_KEY_VALUE)
        {
            return Err(unsupported(format!(
                "Column {} is a MAP, which S3 Select does not read from Parquet. Leave it out of the query.",
                t.name()
            )));
        }
        if is_annotated(t, LogicalType::List, ConvertedType::LIST) {
            if let [repeated] = t.get_fields() {
                let info = repeated.get_basic_info();
                if info.has_repetition() && info.repetition() == Repetition::REPEATED {
                    return self.list(t.name(), repeated, def, rep, depth);
                }
            }
        }
        self.group(t, def, rep, depth)
    }

    fn group(&mut self, t: &Type, def: i16, rep: i16, depth: usize) -> Result<Node> {
        if t.get_fields().is_empty() {
            return Err(corrupt(format!(
                "The Parquet group {} has no fields.",
                t.name()
            )));
        }
        let mut fields = Vec::with_capacity(t.get_fields().len());
        for f in t.get_fields() {
            fields.push((f.name().to_string(), self.field(f, def, rep, depth + 1)?));
        }
        Ok(Node::Struct(fields))
    }

    /// A LIST group's repeated child, with the format's backward-compatibility rules for what
    /// the element is: the single field inside it (three levels), or the child itself.
    fn list(
        &mut self,
        name: &str,
        repeated: &Type,
        def: i16,
        rep: i16,
        depth: usize,
    ) -> Result<Node> {
        let overflow = || corrupt("The Parquet schema nests too deep.".into());
        let def = def.checked_add(1).ok_or_else(overflow)?;
        let rep = rep.checked_add(1).ok_or_else(overflow)?;
        let element = match repeated.is_group().then(|| repeated.get_fields()) {
            Some([only])
                if repeated.name() != "array" && repeated.name() != format!("{name}_tuple") =>
            {
                self.field(only, def, rep, depth + 1)?
            }
            _ => self.core(repeated, def, rep, depth + 1)?,
        };
        Ok(Node::Repeated {
            def,
            rep,
            inner: Box::new(element),
        })
    }
}
