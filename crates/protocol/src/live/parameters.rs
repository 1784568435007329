//! Parameter Store: the calls the panel makes and what they answer (the live worker maps them
//! to and from crates/aws's `ssm::Call` and `ssm::Answer`).

use crate::codec::{field, flag, list, maybe_num, maybe_text, num, text, texts, Fields};
use wasm_bindgen::JsValue;

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    /// String, StringList or SecureString.
    pub kind: String,
    pub value: String,
    pub version: i64,
    /// LastModifiedDate, in seconds since 1970.
    pub modified: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParameterCall {
    /// GetParametersByPath, a page at a time.
    Browse {
        path: String,
        recursive: bool,
        decrypt: bool,
        next_token: Option<String>,
    },
    Get {
        name: String,
        decrypt: bool,
    },
    /// GetParameters, not decrypted (the class's bucket and key names).
    GetMany {
        names: Vec<String>,
    },
    History {
        name: String,
        decrypt: bool,
    },
    Put {
        name: String,
        value: String,
        kind: String,
        overwrite: bool,
    },
    Delete {
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParameterAnswer {
    /// Browse, GetMany and History.
    Parameters {
        parameters: Vec<Parameter>,
        next_token: Option<String>,
    },
    Parameter(Parameter),
    /// Put: the version it made.
    Saved {
        version: i64,
    },
    Deleted,
}

impl Parameter {
    fn to_js(&self) -> JsValue {
        Fields::plain()
            .text("name", &self.name)
            .text("kind", &self.kind)
            .text("value", &self.value)
            .num("version", self.version as f64)
            .maybe_num("modified", self.modified)
            .build()
    }
    fn from_js(v: &JsValue) -> Parameter {
        Parameter {
            name: text(v, "name"),
            kind: text(v, "kind"),
            value: text(v, "value"),
            version: num(v, "version") as i64,
            modified: maybe_num(v, "modified"),
        }
    }
}

impl ParameterCall {
    pub(super) fn write(&self, m: Fields) -> Fields {
        match self {
            ParameterCall::Browse {
                path,
                recursive,
                decrypt,
                next_token,
            } => m
                .text("call", "browse")
                .text("path", path)
                .flag("recursive", *recursive)
                .flag("decrypt", *decrypt)
                .maybe_text("nextToken", next_token.as_deref()),
            ParameterCall::Get { name, decrypt } => m
                .text("call", "get")
                .text("name", name)
                .flag("decrypt", *decrypt),
            ParameterCall::GetMany { names } => m.text("call", "get_many").texts("names", names),
            ParameterCall::History { name, decrypt } => m
                .text("call", "history")
                .text("name", name)
                .flag("decrypt", *decrypt),
            ParameterCall::Put {
                name,
                value,
                kind,
                overwrite,
            } => m
                .text("call", "put")
                .text("name", name)
                .text("value", value)
                .text("kind", kind)
                .flag("overwrite", *overwrite),
            ParameterCall::Delete { name } => m.text("call", "delete").text("name", name),
        }
    }
    pub(super) fn read(msg: &JsValue) -> Option<ParameterCall> {
        let name = || text(msg, "name");
        let decrypt = || flag(msg, "decrypt");
        Some(match text(msg, "call").as_str() {
            "browse" => ParameterCall::Browse {
                path: text(msg, "path"),
                recursive: flag(msg, "recursive"),
                decrypt: decrypt(),
                next_token: maybe_text(msg, "nextToken"),
            },
            "get" => ParameterCall::Get {
                name: name(),
                decrypt: decrypt(),
            },
            "get_many" => ParameterCall::GetMany {
                names: texts(msg, "names"),
            },
            "history" => ParameterCall::History {
                name: name(),
                decrypt: decrypt(),
            },
            "put" => ParameterCall::Put {
                name: name(),
                value: text(msg, "value"),
                kind: text(msg, "kind"),
                overwrite: flag(msg, "overwrite"),
            },
            "delete" => ParameterCall::Delete { name: name() },
            _ => return None,
        })
    }
}

impl ParameterAnswer {
    pub(super) fn write(&self, m: Fields) -> Fields {
        match self {
            ParameterAnswer::Parameters {
                parameters,
                next_token,
            } => m
                .text("answer", "parameters")
                .list("parameters", parameters.iter().map(Parameter::to_js))
                .maybe_text("nextToken", next_token.as_deref()),
            ParameterAnswer::Parameter(p) => {
                m.text("answer", "parameter").set("parameter", &p.to_js())
            }
            ParameterAnswer::Saved { version } => {
                m.text("answer", "saved").num("version", *version as f64)
            }
            ParameterAnswer::Deleted => m.text("answer", "deleted"),
        }
    }
    pub(super) fn read(msg: &JsValue) -> Option<ParameterAnswer> {
        Some(match text(msg, "answer").as_str() {
            "parameters" => ParameterAnswer::Parameters {
                parameters: list(msg, "parameters")
                    .iter()
                    .map(Parameter::from_js)
                    .collect(),
                next_token: maybe_text(msg, "nextToken"),
            },
            "parameter" => ParameterAnswer::Parameter(Parameter::from_js(&field(msg, "parameter"))),
            "saved" => ParameterAnswer::Saved {
                version: num(msg, "version") as i64,
            },
            "deleted" => ParameterAnswer::Deleted,
            _ => return None,
        })
    }
}
