//! The engine's answer to "what settings read this file?": the proposed InputSerialization in
//! the shape the page's controls hold, the reasons, and a preview of the first lines.

use crate::codec::{field, flag, list, text, texts, Fields};
use wasm_bindgen::JsValue;
use wyvern_settings::{Compression, FileHeaderInfo, Format, InputSettings, JsonType};

#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    /// The proposed settings; `None` when nothing could be proposed (`error` says why).
    pub input: Option<InputSettings>,
    /// How sure the detector is: "high", "medium" or "low" (empty without settings).
    pub confidence: String,
    pub reasons: Vec<DetectReason>,
    /// Why there are no settings, as S3 Select would refuse the file.
    pub error: Option<crate::engine::EngineError>,
    /// The first lines as S3 Select reads them (decompressed), invisible characters shown.
    pub preview: Vec<String>,
}

/// One line of explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectReason {
    /// The setting it explains, as AWS names it ("RecordDelimiter"); empty for a note.
    pub setting: String,
    /// Something that will go wrong or needs a look.
    pub warning: bool,
    pub text: String,
}

fn input_to_js(i: &InputSettings) -> JsValue {
    Fields::plain()
        .text("format", i.format.name())
        .text("file_header_info", i.file_header_info.name())
        .text("field_delimiter", &i.field_delimiter)
        .text("record_delimiter", &i.record_delimiter)
        .text("quote_character", &i.quote_character)
        .text("quote_escape_character", &i.quote_escape_character)
        .text("comments", &i.comments)
        .flag(
            "allow_quoted_record_delimiter",
            i.allow_quoted_record_delimiter,
        )
        .text("json_type", i.json_type.name())
        .text("compression", i.compression.name())
        .build()
}

fn input_from_js(v: &JsValue) -> Option<InputSettings> {
    Some(InputSettings {
        format: Format::from_name(&text(v, "format"))?,
        file_header_info: FileHeaderInfo::from_name(&text(v, "file_header_info"))?,
        field_delimiter: text(v, "field_delimiter"),
        record_delimiter: text(v, "record_delimiter"),
        quote_character: text(v, "quote_character"),
        quote_escape_character: text(v, "quote_escape_character"),
        comments: text(v, "comments"),
        allow_quoted_record_delimiter: flag(v, "allow_quoted_record_delimiter"),
        json_type: JsonType::from_name(&text(v, "json_type"))?,
        compression: Compression::from_name(&text(v, "compression"))?,
    })
}

impl Detected {
    /// Writes the fields of a `detected` message onto `m`.
    pub(crate) fn write(&self, m: Fields) -> Fields {
        let m = match &self.input {
            Some(i) => m.set("input", &input_to_js(i)),
            None => m,
        };
        let m = match &self.error {
            Some(e) => m.set("error", &e.to_js()),
            None => m,
        };
        m.text("confidence", &self.confidence)
            .list(
                "reasons",
                self.reasons.iter().map(|r| {
                    Fields::plain()
                        .text("setting", &r.setting)
                        .flag("warning", r.warning)
                        .text("text", &r.text)
                        .build()
                }),
            )
            .texts("preview", &self.preview)
    }

    pub(crate) fn read(msg: &JsValue) -> Detected {
        let error = field(msg, "error");
        Detected {
            input: input_from_js(&field(msg, "input")),
            confidence: text(msg, "confidence"),
            reasons: list(msg, "reasons")
                .iter()
                .map(|r| DetectReason {
                    setting: text(r, "setting"),
                    warning: flag(r, "warning"),
                    text: text(r, "text"),
                })
                .collect(),
            error: (!error.is_undefined()).then(|| crate::engine::EngineError::from_js(&error)),
            preview: texts(msg, "preview"),
        }
    }
}
