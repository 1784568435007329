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

pub fn flag(msg: &JsValue, key: &str) -> bool {
    field(msg, key).as_bool().unwrap_or(false)
}

/// The items of an array field (none when the field is not an array).
pub fn list(msg: &JsValue, key: &str) -> Vec<JsValue> {
    let f = field(msg, key);
    if js_sys::Array::is_array(&f) {
        js_sys::Array::from(&f).iter().collect()
    } else {
        Vec::new()
    }
}

/// An object under construction: `Fields::new("done").num("id", 3.0)`.
pub struct Fields(Object);

impl Fields {
    /// An object with its `type`.
    pub fn new(kind: &str) -> Fields {
        Fields::plain().set("type", &kind.into())
    }
    /// An object with no `type` (a part of a message).
    pub fn plain() -> Fields {
        Fields(Object::new())
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
    pub fn flag(self, key: &str, value: bool) -> Fields {
        self.set(key, &value.into())
    }
    pub fn list(self, key: &str, items: impl IntoIterator<Item = JsValue>) -> Fields {
        let array: js_sys::Array = items.into_iter().collect();
        self.set(key, &array)
    }
    pub fn build(self) -> JsValue {
        self.0.into()
    }
}
