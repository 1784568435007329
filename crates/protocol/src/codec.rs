//! Reading and writing the fields of a plain JS object.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

pub fn field(msg: &JsValue, key: &str) -> JsValue {
    Reflect::get(msg, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub fn text(msg: &JsValue, key: &str) -> String {
    field(msg, key).as_string().unwrap_or_default()
}

pub fn num(msg: &JsValue, key: &str) -> f64 {
    field(msg, key).as_f64().unwrap_or(0.0)
}

/// A text field, `None` when it is absent (or not a string).
pub fn maybe_text(msg: &JsValue, key: &str) -> Option<String> {
    field(msg, key).as_string()
}

pub fn maybe_num(msg: &JsValue, key: &str) -> Option<f64> {
    field(msg, key).as_f64()
}

pub fn flag(msg: &JsValue, key: &str) -> bool {
    field(msg, key).as_bool().unwrap_or(false)
}

/// The items of an array field (none when it is not an array).
pub fn list(msg: &JsValue, key: &str) -> Vec<JsValue> {
    let f = field(msg, key);
    if Array::is_array(&f) {
        Array::from(&f).iter().collect()
    } else {
        Vec::new()
    }
}

pub fn texts(msg: &JsValue, key: &str) -> Vec<String> {
    list(msg, key)
        .iter()
        .filter_map(JsValue::as_string)
        .collect()
}

/// The bytes of a `Uint8Array` (none when it is not one).
pub fn bytes(v: &JsValue) -> Vec<u8> {
    v.dyn_ref::<Uint8Array>()
        .map(Uint8Array::to_vec)
        .unwrap_or_default()
}

/// Pairs (headers, a form's problems) cross as two-item arrays.
pub fn pairs(msg: &JsValue, key: &str) -> Vec<(String, String)> {
    list(msg, key)
        .iter()
        .map(|p| {
            let a = Array::from(p);
            (
                a.get(0).as_string().unwrap_or_default(),
                a.get(1).as_string().unwrap_or_default(),
            )
        })
        .collect()
}

/// An object under construction: `Fields::new("done").num("id", 3.0)`.
pub struct Fields(Object);

impl Fields {
    /// An object with its `type`.
    pub fn new(kind: &str) -> Fields {
        Fields::plain().text("type", kind)
    }
    /// An object without a `type` (an item of a list, a nested record).
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
    /// Writes the field only when there is a value.
    pub fn maybe_text(self, key: &str, value: Option<&str>) -> Fields {
        match value {
            Some(v) => self.text(key, v),
            None => self,
        }
    }
    pub fn maybe_num(self, key: &str, value: Option<f64>) -> Fields {
        match value {
            Some(v) => self.num(key, v),
            None => self,
        }
    }
    pub fn list(self, key: &str, items: impl IntoIterator<Item = JsValue>) -> Fields {
        let array: Array = items.into_iter().collect();
        self.set(key, &array)
    }
    pub fn texts(self, key: &str, items: &[String]) -> Fields {
        self.list(key, items.iter().map(|t| JsValue::from_str(t)))
    }
    pub fn pairs(self, key: &str, items: &[(String, String)]) -> Fields {
        self.list(
            key,
            items
                .iter()
                .map(|(a, b)| Array::of2(&a.into(), &b.into()).into()),
        )
    }
    pub fn bytes(self, key: &str, value: &[u8]) -> Fields {
        self.set(key, &Uint8Array::from(value))
    }
    pub fn build(self) -> JsValue {
        self.0.into()
    }
}
