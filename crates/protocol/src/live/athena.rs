//! Athena: a query the page asks for, and what the worker reports while it runs (its state and
//! figures, then its rows a page at a time).

use crate::codec::{list, maybe_num, text, texts, Fields};
use js_sys::Array;
use wasm_bindgen::JsValue;

/// What a query costs, for the page (the worker does not need it).
pub use wyvern_aws::athena::cost_usd;

#[derive(Debug, Clone, PartialEq)]
pub struct AthenaQuery {
    pub sql: String,
    pub database: String,
    pub workgroup: String,
}

/// Where a query is (GetQueryExecution), sent at each poll.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AthenaStatus {
    pub query_id: String,
    /// QUEUED, RUNNING or SUCCEEDED (a failed or cancelled query ends with an error instead).
    pub state: String,
    pub scanned_bytes: Option<f64>,
    pub engine_ms: Option<f64>,
}

/// A page of rows; NULL is `None`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AthenaRows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

impl AthenaQuery {
    pub(super) fn write(&self, m: Fields) -> Fields {
        m.text("sql", &self.sql)
            .text("database", &self.database)
            .text("workgroup", &self.workgroup)
    }

    pub(super) fn read(msg: &JsValue) -> AthenaQuery {
        AthenaQuery {
            sql: text(msg, "sql"),
            database: text(msg, "database"),
            workgroup: text(msg, "workgroup"),
        }
    }
}

impl AthenaStatus {
    pub(super) fn write(&self, m: Fields) -> Fields {
        m.text("queryId", &self.query_id)
            .text("state", &self.state)
            .maybe_num("scanned", self.scanned_bytes)
            .maybe_num("engineMs", self.engine_ms)
    }

    pub(super) fn read(msg: &JsValue) -> AthenaStatus {
        AthenaStatus {
            query_id: text(msg, "queryId"),
            state: text(msg, "state"),
            scanned_bytes: maybe_num(msg, "scanned"),
            engine_ms: maybe_num(msg, "engineMs"),
        }
    }
}

impl AthenaRows {
    pub(super) fn write(&self, m: Fields) -> Fields {
        let row = |r: &Vec<Option<String>>| -> JsValue {
            r.iter()
                .map(|v| v.as_deref().map_or(JsValue::NULL, JsValue::from_str))
                .collect::<Array>()
                .into()
        };
        m.texts("columns", &self.columns)
            .list("rows", self.rows.iter().map(row))
    }

    pub(super) fn read(msg: &JsValue) -> AthenaRows {
        AthenaRows {
            columns: texts(msg, "columns"),
            rows: list(msg, "rows")
                .iter()
                .map(|r| Array::from(r).iter().map(|v| v.as_string()).collect())
                .collect(),
        }
    }
}
