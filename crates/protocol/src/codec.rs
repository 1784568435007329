//! Reading and writing the fields of a plain JS object.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

pub fn field(msg: &JsValue, key: &str) -> JsValue {
    Reflect::get(msg, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub fn text(msg: &JsValue, key: &str) -> String {
    field(msg, key).as_string().unwrap_or_default()
}

pub fn num(msg: &JsValue, key: &str) -> f64 {
    field(msg, key).as_f64().unwrap_or(0.0)
}

/// An object under construction: `Fields::new("done").num("id", 3.0)`.
pub struct Fields(Object);

impl Fields {
    /// An object with its `type`.
    pub fn new(kind: &str) -> Fields {
        Fields(Object::new()).set("type", &kind.into())
    }
    pub fn set(self, key: &str, value: &JsValue) -> Fields {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&self.0, &key.into(), value);
        self
    }
    pub fn num(self, key: &str, value: f64) -> Fields {
        self.set(key, &value.into())
    }
    pub fn text(self, key: &str, value: &str) -> Fields {
        self.set(key, &value.into())
    }
    pub fn build(self) -> JsValue {
        self.0.into()
    }
}
