//! The messages between the page and its engine worker, defined once: the page and the worker
//! both build and read them here, so a field cannot be spelled two ways. Messages cross as plain
//! JS objects (a `File` cannot be serialized, only cloned by `postMessage`), written and read by
//! the one codec below. The benchmark page (static/bench.js) speaks the same shapes.
//!
//! Why not serde: deriving `Deserialize` for tagged enums costs about 10 KB of gzipped wasm in
//! each binary, and the offline page's budget has 1.5 KB left.

mod codec;
mod detection;
pub mod engine;
