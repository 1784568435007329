//! The data's shape, as the engine worker samples it for the editor's "Data shape" panel. The
//! worker writes every text the panel shows, so the page only lays them out.

use crate::codec::{list, text, Fields};
use wasm_bindgen::JsValue;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShapePath {
    /// As a query names it (`s.loc.city`, `s.tags[*]`).
    pub path: String,
    /// The types seen: `string`, or `int 180 · string 20`.
    pub types: String,
    /// How often it is absent: `MISSING 3 · NULL 1`, or empty.
    pub absent: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shape {
    /// What was sampled (`200 records sampled.`), or why nothing was (the error's code and
    /// message).
    pub note: String,
    pub paths: Vec<ShapePath>,
}

impl Shape {
    pub(crate) fn write(&self, m: Fields) -> Fields {
        m.text("note", &self.note).list(
            "paths",
            self.paths.iter().map(|p| {
                Fields::plain()
                    .text("path", &p.path)
                    .text("types", &p.types)
                    .text("absent", &p.absent)
                    .build()
            }),
        )
    }

    pub(crate) fn read(msg: &JsValue) -> Shape {
        Shape {
            note: text(msg, "note"),
            paths: list(msg, "paths")
                .iter()
                .map(|p| ShapePath {
                    path: text(p, "path"),
                    types: text(p, "types"),
                    absent: text(p, "absent"),
                })
                .collect(),
        }
    }
}
