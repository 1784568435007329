//! The messages between the page and its workers, defined once: the page and each worker build
//! and read them here, so a field cannot be spelled two ways. [`engine`] is the page ⇄ engine
//! worker protocol, [`live`] the page ⇄ live-mode worker one, [`practice`] the live worker ⇄
//! practice-account worker one, [`ranges`] the engine worker ⇄ live worker one (a live object read by byte
//! ranges). Messages cross as plain JS objects
//! (a `File` or a `Blob` cannot be serialized, only cloned by `postMessage`), written and read
//! by the one codec below. A `MessagePort` always travels under the key `port`, which is how
//! the sender knows to transfer it (a port cannot be cloned). The benchmark page (static/bench.js) speaks the engine's shapes.
//!
//! Why not serde: deriving `Deserialize` for tagged enums costs about 10 KB of gzipped wasm in
//! each binary, and the offline page's budget has 1.5 KB left.

mod codec;
mod detection;
pub mod engine;
pub mod live;
pub mod practice;
pub mod ranges;
mod shape;
