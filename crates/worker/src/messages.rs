//! Reading and building the plain JS objects exchanged with the page.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

pub fn get_str(msg: &JsValue, key: &str) -> String {
    Reflect::get(msg, &key.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

pub fn get_f64(msg: &JsValue, key: &str) -> f64 {
    Reflect::get(msg, &key.into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

pub struct Reply(Object);

pub fn reply(kind: &str, id: f64) -> Reply {
    Reply(Object::new()).str("type", kind).num("id", id)
}

impl Reply {
    pub fn str(self, key: &str, value: &str) -> Self {
        let _ = Reflect::set(&self.0, &key.into(), &value.into());
        self
    }
    pub fn num(self, key: &str, value: f64) -> Self {
        let _ = Reflect::set(&self.0, &key.into(), &value.into());
        self
    }
    pub fn build(self) -> Object {
        self.0
    }
}
