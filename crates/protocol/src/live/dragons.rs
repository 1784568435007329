//! The course's Dragon API: listing and searching dragons, and reporting one (the live worker
//! maps these to and from crates/aws's `dragons` types).

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

/// The report form, field by field (the form's problems name them by the course's JSON names:
/// `dragonName`, `reportingPhoneNumber`, …).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DragonReport {
    pub dragon_name: String,
    pub description: String,
    pub family: String,
    pub city: String,
    pub country: String,
    pub state: String,
    pub neighborhood: String,
    pub reporting_phone_number: String,
    pub confirmation_required: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dragon {
    pub name: String,
    pub family: String,
    pub description: String,
    pub city: String,
    pub country: String,
    pub state: String,
    pub neighborhood: String,
}

/// A report the worker refused before sending: the field (its JSON name) and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub field: String,
    pub problem: String,
}

impl DragonReport {
    fn to_js(&self) -> JsValue {
        Fields::plain()
            .text("dragonName", &self.dragon_name)
            .text("description", &self.description)
            .text("family", &self.family)
            .text("city", &self.city)
            .text("country", &self.country)
            .text("state", &self.state)
            .text("neighborhood", &self.neighborhood)
            .text("reportingPhoneNumber", &self.reporting_phone_number)
            .flag("confirmationRequired", self.confirmation_required)
            .build()
    }
    fn from_js(v: &JsValue) -> DragonReport {
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
}

impl DragonCall {
    pub(super) fn write(&self, m: Fields) -> Fields {
        match self {
            DragonCall::List(DragonFilter::All) => m.text("by", "all"),
            DragonCall::List(DragonFilter::Name(n)) => m.text("by", "name").text("value", n),
            DragonCall::List(DragonFilter::Family(f)) => m.text("by", "family").text("value", f),
            DragonCall::Report(d) => m.set("report", &d.to_js()),
        }
    }
    pub(super) fn read(msg: &JsValue) -> DragonCall {
        let report = field(msg, "report");
        if report.is_object() {
            return DragonCall::Report(DragonReport::from_js(&report));
        }
        DragonCall::List(match text(msg, "by").as_str() {
            "name" => DragonFilter::Name(text(msg, "value")),
            "family" => DragonFilter::Family(text(msg, "value")),
            _ => DragonFilter::All,
        })
    }
}

impl Dragon {
    pub(super) fn to_js(&self) -> JsValue {
        Fields::plain()
            .text("name", &self.name)
            .text("family", &self.family)
            .text("description", &self.description)
            .text("city", &self.city)
            .text("country", &self.country)
            .text("state", &self.state)
            .text("neighborhood", &self.neighborhood)
            .build()
    }
    pub(super) fn from_js(v: &JsValue) -> Dragon {
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
}
