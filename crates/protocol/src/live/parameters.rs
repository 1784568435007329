//! Parameter Store: the calls the panel makes and what they answer, carried across.

use crate::codec::{field, flag, list, maybe_num, maybe_text, num, text, texts, Fields};
use wasm_bindgen::JsValue;

/// The panel's calls and their answers are crates/aws's own (which builds the requests and
/// parses the answers); this module only carries them across.
pub use wyvern_aws::ssm::{Answer as ParameterAnswer, Call as ParameterCall, Parameter};

fn parameter_to_js(p: &Parameter) -> JsValue {
    Fields::plain()
        .text("name", &p.name)
        .text("kind", &p.kind)
        .text("value", &p.value)
        .num("version", p.version as f64)
        .maybe_num("modified", p.modified)
        .build()
}

fn parameter_from_js(v: &JsValue) -> Parameter {
    Parameter {
        name: text(v, "name"),
        kind: text(v, "kind"),
        value: text(v, "value"),
        version: num(v, "version") as i64,
        modified: maybe_num(v, "modified"),
    }
}

pub(super) fn write_call(call: &ParameterCall, m: Fields) -> Fields {
    match call {
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
pub(super) fn read_call(msg: &JsValue) -> Option<ParameterCall> {
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

pub(super) fn write_answer(answer: &ParameterAnswer, m: Fields) -> Fields {
    match answer {
        ParameterAnswer::Parameters {
            parameters,
            next_token,
        } => m
            .text("answer", "parameters")
            .list("parameters", parameters.iter().map(parameter_to_js))
            .maybe_text("nextToken", next_token.as_deref()),
        ParameterAnswer::Parameter(p) => m
            .text("answer", "parameter")
            .set("parameter", &parameter_to_js(p)),
        ParameterAnswer::Saved { version } => {
            m.text("answer", "saved").num("version", *version as f64)
        }
        ParameterAnswer::Deleted => m.text("answer", "deleted"),
    }
}
pub(super) fn read_answer(msg: &JsValue) -> Option<ParameterAnswer> {
    Some(match text(msg, "answer").as_str() {
        "parameters" => ParameterAnswer::Parameters {
            parameters: list(msg, "parameters")
                .iter()
                .map(parameter_from_js)
                .collect(),
            next_token: maybe_text(msg, "nextToken"),
        },
        "parameter" => ParameterAnswer::Parameter(parameter_from_js(&field(msg, "parameter"))),
        "saved" => ParameterAnswer::Saved {
            version: num(msg, "version") as i64,
        },
        "deleted" => ParameterAnswer::Deleted,
        _ => return None,
    })
}
