//! Result records (JSON objects, or CSV fields) as table rows. MISSING (a key that is not
//! there) and NULL stay distinct.

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::JsValue;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Missing,
    Null,
    Text(String),
    Number(String),
    Bool(bool),
    /// A list or struct, shown as compact JSON.
    Nested(String),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<(String, Cell)>>,
}

fn cell(v: &JsValue) -> Cell {
    if v.is_null() {
        Cell::Null
    } else if let Some(s) = v.as_string() {
        Cell::Text(s)
    } else if let Some(b) = v.as_bool() {
        Cell::Bool(b)
    } else if v.as_f64().is_some() {
        // As JSON writes it (and without Rust's float formatting in the page).
        Cell::Number(
            JSON::stringify(v)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default(),
        )
    } else {
        Cell::Nested(
            JSON::stringify(v)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default(),
        )
    }
}

impl Table {
    /// Adds one JSON record (an object); a record that is not one is skipped.
    pub fn push_json(&mut self, record: &str) {
        let Ok(value) = JSON::parse(record) else {
            return;
        };
        let obj = Object::from(value);
        let mut row = Vec::new();
        // A key first seen in a later record goes after the key before it in that record,
        // so columns keep the SELECT list's order even when early records lack them.
        let mut at = 0;
        for key in Array::from(&Object::keys(&obj)).iter() {
            let Some(name) = key.as_string() else {
                continue;
            };
            let v = Reflect::get(&obj, &key).unwrap_or(JsValue::UNDEFINED);
            match self.columns.iter().position(|c| *c == name) {
                Some(i) => at = i + 1,
                None => {
                    self.columns.insert(at, name.clone());
                    at += 1;
                }
            }
            row.push((name, cell(&v)));
        }
        self.rows.push(row);
    }

    /// Adds one CSV record's fields (S3 Select's CSV output has no header: columns are
    /// `_1.._N`).
    pub fn push_fields(&mut self, fields: Vec<String>) {
        let mut row = Vec::new();
        for (i, f) in fields.into_iter().enumerate() {
            let name = format!("_{}", i + 1);
            if !self.columns.contains(&name) {
                self.columns.push(name.clone());
            }
            row.push((name, Cell::Text(f)));
        }
        self.rows.push(row);
    }

    pub fn get<'a>(&self, row: &'a [(String, Cell)], column: &str) -> &'a Cell {
        row.iter()
            .find(|(k, _)| k == column)
            .map_or(&Cell::Missing, |(_, c)| c)
    }
}
