//! Dataset, file and serialization controls, with the S3 console's choices.

use crate::model::{
    parse_control, show_control, Compression, Dataset, FileHeaderInfo, Format, JsonType,
    QuoteFields, View,
};
use crate::net::engine::Detected;
use crate::ui::event::handler;
use leptos::ev;
use leptos::prelude::*;

/// Whether detection set the AWS setting `name` (its control is highlighted).
type Marked = Signal<bool>;

fn marked(detected: RwSignal<Option<Detected>>, name: &'static str) -> Marked {
    Signal::derive(move || {
        detected.with(|d| {
            d.as_ref()
                .is_some_and(|d| d.input.is_some() && d.reasons.iter().any(|r| r.setting == name))
        })
    })
}

/// A select of AWS names. The typed wrappers below box their closures into this one body, so
/// the view is compiled once rather than once per control.
fn select_field(
    label: &'static str,
    id: &'static str,
    mark: Marked,
    names: Vec<&'static str>,
    get: Signal<&'static str>,
    set: Callback<String>,
) -> impl IntoView {
    view! {
        <label class="field" class:detected=mark>
            <span>{label}</span>
            <select id=id prop:value=get on:change=handler(move |e| set.run(event_target_value(&e)))>
                {names.into_iter().map(|n| view! { <option value=n>{n}</option> }).collect_view()}
            </select>
        </label>
    }
}

fn choice<T: Copy + PartialEq + Send + Sync + 'static>(
    label: &'static str,
    id: &'static str,
    mark: Marked,
    options: &'static [T],
    name: fn(T) -> &'static str,
    get: impl Fn() -> T + Send + Sync + 'static,
    set: impl Fn(T) + Send + Sync + 'static,
) -> impl IntoView {
    let names = options.iter().map(|o| name(*o)).collect();
    let chosen = Callback::new(move |v: String| {
        if let Some(t) = options.iter().find(|t| name(**t) == v) {
            set(*t);
        }
    });
    select_field(
        label,
        id,
        mark,
        names,
        Signal::derive(move || name(get())),
        chosen,
    )
}

/// A delimiter's text box: `\t`, `\r` and `\n` typed stand for those characters.
fn text_field(
    label: &'static str,
    id: &'static str,
    mark: Marked,
    get: impl Fn() -> String + Send + Sync + 'static,
    set: impl Fn(String) + Send + Sync + 'static,
) -> impl IntoView {
    text_input(
        label,
        id,
        mark,
        Signal::derive(move || show_control(&get())),
        Callback::new(move |typed: String| set(parse_control(&typed))),
    )
}

fn text_input(
    label: &'static str,
    id: &'static str,
    mark: Marked,
    get: Signal<String>,
    set: Callback<String>,
) -> impl IntoView {
    view! {
        <label class="field small" class:detected=mark>
            <span>{label}</span>
            <input
                id=id
                type="text"
                spellcheck="false"
                prop:value=get
                on:change=handler(move |e| set.run(event_target_value(&e)))
            />
        </label>
    }
}

#[component]
pub fn DataControls<C: IntoView + 'static>(
    view: RwSignal<View>,
    file_name: RwSignal<Option<String>>,
    on_file: Callback<web_sys::File>,
    /// More sources (the live S3 object).
    children: TypedChildren<C>,
) -> impl IntoView {
    let children = children.into_inner();
    let on_change = move |e: ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&e);
        if let Some(f) = input.files().and_then(|l| l.get(0)) {
            on_file.run(f);
        }
        // Let the same file be chosen again later.
        input.set_value("");
    };
    let pick = move |d: Dataset| {
        view.update(|v| {
            v.dataset = d;
            v.input = d.input();
        })
    };
    view! {
        <section class="panel">
            <h2>"Data"</h2>
            <div class="datasets" role="radiogroup" aria-label="Dataset">
                {Dataset::BUNDLED
                    .iter()
                    .map(|d| {
                        let d = *d;
                        view! {
                            <label class="radio">
                                <input
                                    type="radio"
                                    name="dataset"
                                    id=format!("dataset-{}", d.id())
                                    prop:checked=move || view.with(|v| v.dataset == d)
                                    on:change=handler(move |_| pick(d))
                                />
                                <span>{d.label()}</span>
                            </label>
                        }
                    })
                    .collect_view()}
                <label class="radio">
                    <input
                        type="radio"
                        name="dataset"
                        id="dataset-file"
                        disabled=move || file_name.with(Option::is_none)
                        prop:checked=move || view.with(|v| v.dataset == Dataset::File)
                        on:change=handler(move |_| view.update(|v| v.dataset = Dataset::File))
                    />
                    <span>{move || match file_name.get() {
                        Some(n) => format!("your file: {n}"),
                        None => "your file (open or drop one)".to_string(),
                    }}</span>
                </label>
                {children()}
            </div>
            <label class="file-button">
                <input id="file-input" type="file" accept=".csv,.tsv,.txt,.json,.jsonl,.ndjson,.parquet,.gz,.bz2" on:change=handler(on_change) />
                <span>"Open a file…"</span>
            </label>
            <p class="hint">"CSV, JSON or JSON Lines (optionally .gz or .bz2), or Parquet. It is read in your browser and never uploaded."</p>
        </section>
    }
}

#[component]
pub fn SerializationControls(
    view: RwSignal<View>,
    /// The settings detected in the opened file: their controls are highlighted.
    detected: RwSignal<Option<Detected>>,
) -> impl IntoView {
    let mark = move |name| marked(detected, name);
    let no_mark = Signal::stored(false);
    let input = move || view.with(|v| v.input.clone());
    let output = move || view.with(|v| v.output.clone());
    // Both formats' fields are built once and the other format's hidden: cheaper in the page's
    // wasm than building them on each switch.
    let csv_in = move || input().format == Format::Csv;
    let json_in = move || input().format == Format::Json;
    let csv_out = move || output().format == Format::Csv;
    view! {
        <details class="panel" open>
            <summary>"Input serialization"</summary>
            <div class="grid">
                {choice("Format", "in-format", mark("Format"), Format::ALL, Format::name, move || input().format, move |f| view.update(|v| v.input.format = f))}
                {choice("Compression", "in-compression", mark("CompressionType"), Compression::ALL, Compression::name, move || input().compression, move |c| view.update(|v| v.input.compression = c))}
                <div class="group" class:hidden=move || !json_in()>
                    {choice("JSON type", "in-json-type", mark("Type"), JsonType::ALL, JsonType::name, move || input().json_type, move |t| view.update(|v| v.input.json_type = t))}
                </div>
                <div class="group" class:hidden=move || !csv_in()>
                    {choice("File header", "in-header", mark("FileHeaderInfo"), FileHeaderInfo::ALL, FileHeaderInfo::name, move || input().file_header_info, move |h| view.update(|v| v.input.file_header_info = h))}
                    {text_field("Field delimiter", "in-fd", mark("FieldDelimiter"), move || input().field_delimiter, move |s| view.update(|v| v.input.field_delimiter = s))}
                    {text_field("Record delimiter", "in-rd", mark("RecordDelimiter"), move || input().record_delimiter, move |s| view.update(|v| v.input.record_delimiter = s))}
                    {text_field("Quote", "in-qc", mark("QuoteCharacter"), move || input().quote_character, move |s| view.update(|v| v.input.quote_character = s))}
                    {text_field("Quote escape", "in-qe", mark("QuoteEscapeCharacter"), move || input().quote_escape_character, move |s| view.update(|v| v.input.quote_escape_character = s))}
                    {text_field("Comments", "in-cm", mark("Comments"), move || input().comments, move |s| view.update(|v| v.input.comments = s))}
                    <label class="check" class:detected=mark("AllowQuotedRecordDelimiter")>
                        <input
                            type="checkbox"
                            id="in-aq"
                            prop:checked=move || input().allow_quoted_record_delimiter
                            on:change=handler(move |e| view.update(|v| v.input.allow_quoted_record_delimiter = event_target_checked(&e)))
                        />
                        <span>"Allow quoted record delimiters"</span>
                    </label>
                </div>
            </div>
        </details>
        <details class="panel" open>
            <summary>"Output serialization"</summary>
            <div class="grid">
                {choice("Format", "out-format", no_mark, Format::OUTPUT, Format::name, move || output().format, move |f| view.update(|v| v.output.format = f))}
                <div class="group" class:hidden=move || !csv_out()>
                    {choice("Quote fields", "out-quote-fields", no_mark, QuoteFields::ALL, QuoteFields::name, move || output().quote_fields, move |q| view.update(|v| v.output.quote_fields = q))}
                    {text_field("Field delimiter", "out-fd", no_mark, move || output().field_delimiter, move |s| view.update(|v| v.output.field_delimiter = s))}
                    {text_field("Quote", "out-qc", no_mark, move || output().quote_character, move |s| view.update(|v| v.output.quote_character = s))}
                    {text_field("Quote escape", "out-qe", no_mark, move || output().quote_escape_character, move |s| view.update(|v| v.output.quote_escape_character = s))}
                </div>
                {text_field("Record delimiter", "out-rd", no_mark, move || output().record_delimiter, move |s| view.update(|v| v.output.record_delimiter = s))}
            </div>
        </details>
    }
}
