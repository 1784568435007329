//! Reading a body (or a File's stream) chunk by chunk, without leaving garbage behind.

use crate::{js_failure, TransportError};
use js_sys::{Reflect, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStream, ReadableStreamByobReader, ReadableStreamDefaultReader};

/// Bytes asked for per read from a byte stream.
const READ_BYTES: u32 = 256 * 1024;

/// A stream's reader. With [`Chunks::reusing_buffer`], a byte stream (a File's, a fetch
/// body's) is read into one buffer that goes round and round: a default reader hands out a fresh
/// buffer per chunk, and a worker streaming a gigabyte would hold tens of megabytes of them until
/// the collector runs.
pub struct Chunks(Reader);

enum Reader {
    /// The buffer (moved into each read and handed back by it).
    Byob(ReadableStreamByobReader, RefCell<Option<Uint8Array>>),
    /// Any stream: a fresh buffer per chunk.
    Default(ReadableStreamDefaultReader),
}

fn field(result: &JsValue, key: &str) -> Result<JsValue, TransportError> {
    Reflect::get(result, &key.into()).map_err(js_failure)
}

/// A BYOB reader, when `stream` is a byte stream (`getReader` throws otherwise, which a
/// binding without `catch` could not recover from).
fn byob_reader(stream: &ReadableStream) -> Option<ReadableStreamByobReader> {
    let get_reader: js_sys::Function = Reflect::get(stream, &"getReader".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let options = js_sys::Object::new();
    Reflect::set(&options, &"mode".into(), &"byob".into()).ok()?;
    get_reader.call1(stream, &options).ok()?.dyn_into().ok()
}

impl Chunks {
    /// A fresh buffer per chunk: fine for answers the network paces.
    pub fn new(stream: ReadableStream) -> Chunks {
        Chunks(Reader::Default(stream.get_reader().unchecked_into()))
    }

    /// One buffer read into over and over when `stream` is a byte stream: for gigabyte files
    /// read as fast as the engine goes.
    pub fn reusing_buffer(stream: ReadableStream) -> Chunks {
        match byob_reader(&stream) {
            Some(reader) => Chunks(Reader::Byob(reader, RefCell::new(None))),
            None => Chunks::new(stream),
        }
    }

    /// The next chunk; `Ok(None)` at the end.
    pub async fn next(&self) -> Result<Option<Vec<u8>>, TransportError> {
        let result = match &self.0 {
            Reader::Default(reader) => JsFuture::from(reader.read()).await,
            Reader::Byob(reader, buffer) => {
                let view = buffer
                    .borrow_mut()
                    .take()
                    .unwrap_or_else(|| Uint8Array::new_with_length(READ_BYTES));
                JsFuture::from(reader.read_with_array_buffer_view(&view)).await
            }
        }
        .map_err(js_failure)?;
        if field(&result, "done")?.as_bool().unwrap_or(true) {
            return Ok(None);
        }
        let value: Uint8Array = field(&result, "value")?.unchecked_into();
        let bytes = value.to_vec();
        match &self.0 {
            // The read moved the buffer into `value`: take it back whole for the next read.
            Reader::Byob(_, buffer) => {
                *buffer.borrow_mut() = Some(Uint8Array::new_with_byte_offset_and_length(
                    &value.buffer(),
                    0,
                    READ_BYTES,
                ))
            }
            Reader::Default(_) => {}
        }
        Ok(Some(bytes))
    }

    pub fn cancel(&self) {
        let _ = match &self.0 {
            Reader::Byob(reader, _) => reader.cancel(),
            Reader::Default(reader) => reader.cancel(),
        };
    }
}
