//! The Dragon API panel: list every dragon, search by name or family, and report a new one with
//! the course's fields; the signed-in learner's id token authorises the calls.

use crate::effect::effect;
use crate::state::live::{Connection, Live};
use crate::ui::event::handler;
use leptos::prelude::*;
use wyvern_protocol::live::{
    Dragon, DragonCall, DragonFilter, DragonReport, FromLive, Mode, Problem, Request,
};

/// The report form's fields: JSON name (the problems the worker finds name them so), label,
/// placeholder.
const FIELDS: &[(&str, &str, &str)] = &[
    ("dragonName", "Dragon name", "e.g. Ember"),
    (
        "description",
        "Description",
        "e.g. small, fast, fond of toast",
    ),
    ("family", "Family", "e.g. red"),
    ("city", "City", "e.g. anchorage"),
    ("state", "State", "e.g. alaska"),
    ("country", "Country", "e.g. usa"),
    ("neighborhood", "Neighborhood", "e.g. w fireweed ln"),
    (
        "reportingPhoneNumber",
        "Your phone number",
        "e.g. +1 555 0100",
    ),
];

/// The table's columns: heading, and the dragon's field.
type Column = (&'static str, fn(&Dragon) -> &String);
const COLUMNS: &[Column] = &[
    ("Name", |d| &d.name),
    ("Family", |d| &d.family),
    ("Description", |d| &d.description),
    ("City", |d| &d.city),
    ("State", |d| &d.state),
    ("Country", |d| &d.country),
    ("Neighborhood", |d| &d.neighborhood),
];

/// The report as the form holds it.
fn report_from_form() -> DragonReport {
    let field = |k: &str| input_value(&format!("dragon-{k}"));
    DragonReport {
        dragon_name: field("dragonName"),
        description: field("description"),
        family: field("family"),
        city: field("city"),
        country: field("country"),
        state: field("state"),
        neighborhood: field("neighborhood"),
        reporting_phone_number: field("reportingPhoneNumber"),
        confirmation_required: field("confirmationRequired") == "true",
    }
}

fn input_value(id: &str) -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .map(|e| {
            if let Some(i) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlInputElement>(&e) {
                if i.type_() == "checkbox" {
                    return i.checked().to_string();
                }
                return i.value();
            }
            String::new()
        })
        .unwrap_or_default()
}

#[component]
pub fn DragonPanel(live: Live) -> impl IntoView {
    let rows = RwSignal::new(None::<Vec<Vec<String>>>);
    let list_error = RwSignal::new(None::<String>);
    let search_by = RwSignal::new("dragonName".to_string());
    let field_errors = RwSignal::new(Vec::<(String, String)>::new());
    let report_result = RwSignal::new(None::<(String, String)>);
    // The practice account back at its seed: its old list and report are gone.
    effect(move |was: Option<u32>| {
        let now = live.resets.get();
        if was.is_some_and(|w| w != now) {
            rows.set(None);
            report_result.set(None);
        }
        now
    });
    let can_use = move || match live.connection.get() {
        Connection::Connected(c) => c.mode != Mode::Guest,
        _ => false,
    };

    let fetch = move |by: Option<(String, String)>| {
        list_error.set(None);
        let filter = match by {
            Some((k, v)) if k == "family" => DragonFilter::Family(v),
            Some((_, v)) => DragonFilter::Name(v),
            None => DragonFilter::All,
        };
        let request = Request::Dragons(DragonCall::List(filter));
        let _ = live.send(request, move |m| match m {
            FromLive::Dragons { dragons, .. } => rows.set(Some(
                dragons
                    .iter()
                    .map(|d| COLUMNS.iter().map(|(_, cell)| cell(d).clone()).collect())
                    .collect(),
            )),
            FromLive::Error { error, .. } => {
                list_error.set(Some(format!("{}: {}", error.code, error.message)))
            }
            _ => {}
        });
    };
    let report = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        field_errors.set(Vec::new());
        report_result.set(None);
        let request = Request::Dragons(DragonCall::Report(report_from_form()));
        let _ = live.send(request, move |m| match m {
            FromLive::Invalid { problems, .. } => field_errors.set(
                problems
                    .into_iter()
                    .map(|Problem { field, problem }| (field, problem))
                    .collect(),
            ),
            FromLive::Reported { message, .. } => {
                report_result.set(Some((
                    "ok".into(),
                    if message.is_empty() {
                        "Reported.".into()
                    } else {
                        message
                    },
                )));
            }
            FromLive::Error { error, .. } => report_result.set(Some((
                "error".into(),
                format!("{}: {}", error.code, error.message),
            ))),
            _ => {}
        });
    };
    let field_error = move |k: &'static str| {
        move || {
            field_errors
                .get()
                .into_iter()
                .find(|(f, _)| f == k)
                .map(|(_, msg)| view! { <span class="field-error">{msg}</span> })
        }
    };
    let table = move || {
        rows.get().map(|list| {
            let count = list.len();
            view! {
                <p class="hint" id="dragon-count">{format!("{count} dragons")}</p>
                <div class="table-wrap">
                    <table class="data" id="dragon-table">
                        <thead><tr>{COLUMNS.iter().map(|(label, _)| view! { <th>{*label}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {list.into_iter().map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
        })
    };
    view! {
        <div class="single">
            <p class="panel hint" id="dragons-sign-in-first" class:hidden=can_use>"The Dragon API is for signed-in learners: its authorizer is the class's user pool. Sign in above, or open the practice account."</p>
            <div class="group" class:hidden=move || !can_use()>
                <section class="panel" id="dragon-list">
                    <h2>"Dragons"</h2>
                    <form class="row" on:submit=handler(move |e: leptos::ev::SubmitEvent| {
                        e.prevent_default();
                        let q = input_value("dragon-search").trim().to_string();
                        fetch((!q.is_empty()).then(|| (search_by.get_untracked(), q)));
                    })>
                        <select id="dragon-search-by" prop:value=move || search_by.get() on:change=handler(move |e| search_by.set(event_target_value(&e)))>
                            <option value="dragonName">"by name"</option>
                            <option value="family">"by family"</option>
                        </select>
                        <input id="dragon-search" type="search" placeholder="empty lists all" spellcheck="false"/>
                        <button class="primary" id="dragon-search-button" type="submit">"Search"</button>
                    </form>
                    {move || list_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    {table}
                </section>
                <section class="panel" id="dragon-report">
                    <h2>"Report a dragon"</h2>
                    <form class="report-form grid" on:submit=handler(report)>
                        {FIELDS.iter().map(|(k, label, hint)| view! {
                            <label class="field">
                                <span>{*label}</span>
                                <input id=format!("dragon-{k}") type="text" placeholder=*hint spellcheck="false"/>
                                {field_error(k)}
                            </label>
                        }).collect_view()}
                        <label class="check"><input type="checkbox" id="dragon-confirmationRequired"/><span>"Ask for a confirmation"</span></label>
                        <button class="primary" id="dragon-report-button" type="submit">"Report"</button>
                    </form>
                    {move || report_result.get().map(|(kind, text)| view! { <p class=format!("note {kind}") id="report-result" role="status">{text}</p> })}
                </section>
            </div>
        </div>
    }
}
