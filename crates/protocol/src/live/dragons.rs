//! The course's Dragon API: listing and searching dragons, and reporting one.

use crate::codec::{field, flag, text, Fields};
use wasm_bindgen::JsValue;

#[derive(Debug, Clone, PartialEq)]
pub enum DragonCall {
    List(DragonFilter),
    Report(DragonReport),
}

#[derive(Debug, Clone, PartialEq)]
pub enum DragonFilter {
    All,
    Name(String),
    Family(String),
}

/// The report form and the dragons listed are crates/aws's own types (which write and read the
/// course's JSON); this module only carries them across. The form's problems name its fields
/// by the course's JSON names (`dragonName`, `reportingPhoneNumber`, …).
pub use wyvern_aws::dragons::{Dragon, NewDragon as DragonReport};

/// A report the worker refused before sending: the field (its JSON name) and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub field: String,
    pub problem: String,
}

fn report_to_js(d: &DragonReport) -> JsValue {
    Fields::plain()
        .text("dragonName", &d.dragon_name)
        .text("description", &d.description)
        .text("family", &d.family)
        .text("city", &d.city)
        .text("country", &d.country)
        .text("state", &d.state)
        .text("neighborhood", &d.neighborhood)
        .text("reportingPhoneNumber", &d.reporting_phone_number)
        .flag("confirmationRequired", d.confirmation_required)
        .build()
}

fn report_from_js(v: &JsValue) -> DragonReport {
    DragonReport {
        dragon_name: text(v, "dragonName"),
        description: text(v, "description"),
        family: text(v, "family"),
        city: text(v, "city"),
        country: text(v, "country"),
        state: text(v, "state"),
        neighborhood: text(v, "neighborhood"),
        reporting_phone_number: text(v, "reportingPhoneNumber"),
        confirmation_required: flag(v, "confirmationRequired"),
    }
}

impl DragonCall {
    pub(super) fn write(&self, m: Fields) -> Fields {
        match self {
            DragonCall::List(DragonFilter::All) => m.text("by", "all"),
            DragonCall::List(DragonFilter::Name(n)) => m.text("by", "name").text("value", n),
            DragonCall::List(DragonFilter::Family(f)) => m.text("by", "family").text("value", f),
            DragonCall::Report(d) => m.set("report", &report_to_js(d)),
        }
    }
    pub(super) fn read(msg: &JsValue) -> DragonCall {
        let report = field(msg, "report");
        if report.is_object() {
            return DragonCall::Report(report_from_js(&report));
        }
        DragonCall::List(match text(msg, "by").as_str() {
            "name" => DragonFilter::Name(text(msg, "value")),
            "family" => DragonFilter::Family(text(msg, "value")),
            _ => DragonFilter::All,
        })
    }
}

pub(super) fn dragon_to_js(d: &Dragon) -> JsValue {
    Fields::plain()
        .text("name", &d.name)
        .text("family", &d.family)
        .text("description", &d.description)
        .text("city", &d.city)
        .text("country", &d.country)
        .text("state", &d.state)
        .text("neighborhood", &d.neighborhood)
        .build()
}

pub(super) fn dragon_from_js(v: &JsValue) -> Dragon {
    Dragon {
        name: text(v, "name"),
        family: text(v, "family"),
        description: text(v, "description"),
        city: text(v, "city"),
        country: text(v, "country"),
        state: text(v, "state"),
        neighborhood: text(v, "neighborhood"),
    }
}
