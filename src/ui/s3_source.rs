//! The live data source: an S3 object (bucket and key, prefilled from the class's Parameter
//! Store names), an object browser (ListObjectsV2) with uploads (PutObject), and the "compare
//! with local" switch. With no class, choosing it opens the practice account.

use super::format::bytes;
use crate::effect::effect;
use crate::model::{settings_for_file, Dataset, View};
use crate::state::live::{ConfigState, Connection, Live};
use crate::state::live_select::{file_from, S3Choice};
use crate::ui::event::handler;
use leptos::prelude::*;
use wyvern_protocol::live::{FromLive, Mode, ParameterAnswer, ParameterCall, Request};
use wyvern_settings::DETECT_COMPRESSED_PREFIX_BYTES;

#[derive(Debug, Clone, PartialEq, Default)]
struct Listing {
    /// The folder shown ("" for the bucket's top), ending in "/".
    prefix: String,
    folders: Vec<String>,
    objects: Vec<(String, f64)>,
    next: Option<String>,
    error: Option<String>,
    loading: bool,
}

/// The folder above `prefix` ("a/b/" → "a/", "a/" → "").
fn parent(prefix: &str) -> String {
    let trimmed = prefix.trim_end_matches('/');
    trimmed
        .rfind('/')
        .map_or(String::new(), |i| trimmed[..=i].to_string())
}

/// What a listing row opens.
enum Entry {
    Folder(String),
    Object(String),
}

const UP: &str = "↑ up";

/// The rows of a folder's listing: up (below the top), its folders, then its objects, each
/// named relative to the folder (one row template keeps the page's code small).
fn entries(l: &Listing, here: &str) -> Vec<(String, String, Entry)> {
    let name = |full: &str| full.strip_prefix(here).unwrap_or(full).to_string();
    let up =
        (!here.is_empty()).then(|| (UP.to_string(), String::new(), Entry::Folder(parent(here))));
    up.into_iter()
        .chain(
            l.folders
                .iter()
                .map(|f| (name(f), String::new(), Entry::Folder(f.clone()))),
        )
        .chain(
            l.objects
                .iter()
                .map(|(k, n)| (name(k), bytes(*n), Entry::Object(k.clone()))),
        )
        .collect()
}

/// Fills bucket and key from config.json, or from the Parameter Store names it gives.
pub fn prefill(live: Live, choice: S3Choice) {
    let Some(site) = live.site() else { return };
    if !site.bucket.is_empty() {
        choice.bucket.set(site.bucket.clone());
        choice.key.set(site.key.clone());
        return;
    }
    if site.bucket_parameter.is_empty() || site.key_parameter.is_empty() {
        return;
    }
    let names = vec![site.bucket_parameter.clone(), site.key_parameter.clone()];
    let request = Request::Parameters(ParameterCall::GetMany { names });
    let _ = live.send(request, move |m| {
        let FromLive::Parameters {
            answer: ParameterAnswer::Parameters { parameters, .. },
            ..
        } = m
        else {
            return;
        };
        for p in parameters {
            if p.name == site.bucket_parameter && choice.bucket.get_untracked().is_empty() {
                choice.bucket.set(p.value);
            } else if p.name == site.key_parameter && choice.key.get_untracked().is_empty() {
                choice.key.set(p.value);
            }
        }
    });
}

/// The object's bucket, key and listing: live mode's, in its wasm part (src/lazy.rs).
#[component]
pub fn S3Details(
    live: Live,
    view: RwSignal<View>,
    choice: S3Choice,
    /// An object's first bytes and its whole size, for the engine to detect its settings.
    on_object_start: Callback<(web_sys::File, Option<f64>)>,
) -> impl IntoView {
    let listing = RwSignal::new(None::<Listing>);
    // A class's guests and learners may not write to its bucket (its CORS rules have no PUT
    // either): uploads are for the practice account and the learner's own keys.
    let may_upload = move || matches!(live.connection.get(), Connection::Connected(c) if matches!(c.mode, Mode::Practice | Mode::Keys));
    // Lists one folder (ListObjectsV2 with delimiter "/"); a token pages on in the same folder.
    let browse = move |prefix: String, token: Option<String>| {
        let append = token.is_some();
        let request = Request::List {
            bucket: choice.bucket.get_untracked(),
            prefix: prefix.clone(),
            token,
        };
        listing.update(|l| {
            let l = l.get_or_insert_with(Listing::default);
            l.loading = true;
            l.error = None;
        });
        let _ = live.send(request, move |m| {
            listing.update(|l| {
                let l = l.get_or_insert_with(Listing::default);
                l.loading = false;
                match m {
                    FromLive::Listing { listing: found, .. } => {
                        let objects = found.objects.into_iter().map(|o| (o.key, o.size));
                        if append {
                            l.objects.extend(objects);
                            l.folders.extend(found.folders);
                        } else {
                            l.objects = objects.collect();
                            l.folders = found.folders;
                        }
                        l.prefix = prefix.clone();
                        l.next = found.next.filter(|t| !t.is_empty());
                    }
                    FromLive::Error { error, .. } => {
                        l.error = Some(format!("{}: {}", error.code, error.message))
                    }
                    _ => {}
                }
            });
        });
    };
    // PutObject of a file of the learner's into the folder on show; the folder is listed again.
    let upload = move |e: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&e);
        let Some(file) = input.files().and_then(|l| l.get(0)) else {
            return;
        };
        input.set_value("");
        let here =
            listing.with_untracked(|l| l.as_ref().map(|l| l.prefix.clone()).unwrap_or_default());
        let request = Request::PutObject {
            bucket: choice.bucket.get_untracked(),
            key: format!("{here}{}", file.name()),
            blob: file.into(),
        };
        listing.update(|l| {
            if let Some(l) = l {
                l.loading = true;
                l.error = None;
            }
        });
        let _ = live.send(request, move |m| match m {
            FromLive::Uploaded { .. } => browse(here.clone(), None),
            FromLive::Error { error, .. } => listing.update(|l| {
                if let Some(l) = l {
                    l.loading = false;
                    l.error = Some(format!("{}: {}", error.code, error.message));
                }
            }),
            _ => {}
        });
    };
    // The object's first bytes (one ranged GET), so its settings come from its content.
    let peek = move |key: String| {
        // No key, or a folder: nothing to read.
        if key.is_empty() || key.ends_with('/') {
            return;
        }
        let request = Request::GetObject {
            bucket: choice.bucket.get_untracked(),
            key: key.clone(),
            first_bytes: Some(DETECT_COMPRESSED_PREFIX_BYTES as f64),
        };
        let _ = live.send(request, move |m| {
            if let FromLive::Object { blob, size, .. } = m {
                // Another object chosen meanwhile: this one's settings no longer apply.
                if choice.key.get_untracked() != key {
                    return;
                }
                if let Some(f) = file_from(&blob, &key) {
                    on_object_start.run((f, size));
                }
            }
        });
    };
    let pick = move |key: String| {
        peek(key.clone());
        choice.key.set(key.clone());
        view.update(|v| {
            v.dataset = Dataset::S3;
            v.input = if key.ends_with(".json") {
                Dataset::S3.input()
            } else {
                settings_for_file(&key)
            };
        });
        listing.set(None);
    };
    view! {
        <div class:hidden=move || view.with(|v| v.dataset != Dataset::S3)>
            <div class="grid">
                <label class="field small"><span>"Bucket"</span>
                    <input id="s3-bucket" type="text" spellcheck="false" prop:value=move || choice.bucket.get() on:change=handler(move |e| choice.bucket.set(event_target_value(&e).trim().to_string()))/>
                </label>
                <label class="field small"><span>"Key"</span>
                    <input id="s3-key" type="text" spellcheck="false" prop:value=move || choice.key.get() on:change=handler(move |e| { let key = event_target_value(&e).trim().to_string(); peek(key.clone()); choice.key.set(key) })/>
                </label>
            </div>
            <div class="row">
                <button class="secondary" id="s3-browse" on:click=handler(move |_| browse(String::new(), None)) disabled=move || choice.bucket.with(String::is_empty)>"Browse objects…"</button>
                <label class="check">
                    <input type="checkbox" id="s3-compare" prop:checked=move || choice.compare.get() on:change=handler(move |e| choice.compare.set(event_target_checked(&e)))/>
                    <span>"Compare with the local engine"</span>
                </label>
            </div>
            {move || listing.get().map(|l| {
                let here = l.prefix.clone();
                let rows = entries(&l, &here);
                view! {
                <div class="listing" id="s3-listing">
                    <p class="hint" id="s3-folder">{format!("s3://{}/{}", choice.bucket.get_untracked(), here)}</p>
                    {l.error.map(|e| view! { <p class="error">{e}</p> })}
                    {l.loading.then(|| view! { <p class="hint">"Listing…"</p> })}
                    <ul>
                        {rows.into_iter().map(|(name, hint, target)| {
                            let up = (name == UP).then_some("s3-up");
                            let open = move |_| match &target {
                                Entry::Folder(prefix) => browse(prefix.clone(), None),
                                Entry::Object(key) => pick(key.clone()),
                            };
                            view! { <li><button class="link" id=up on:click=handler(open)>{name}</button><span class="hint">{hint}</span></li> }
                        }).collect_view()}
                    </ul>
                    {l.next.map(|t| {
                        let here = here.clone();
                        view! { <button class="secondary" on:click=handler(move |_| browse(here.clone(), Some(t.clone())))>"More…"</button> }
                    })}
                    <label class="file-button" class:hidden=move || !may_upload()>
                        <input id="s3-upload" type="file" on:change=handler(upload)/>
                        <span>"Upload a file here…"</span>
                    </label>
                </div>
            }})}
        </div>
    }
}

/// The S3 object among the data sources; what it needs comes with live mode's part when it is
/// chosen.
#[component]
pub fn S3Source(
    live: Live,
    view: RwSignal<View>,
    choice: S3Choice,
    /// An object's first bytes and its whole size, for the engine to detect its settings.
    on_object_start: Callback<(web_sys::File, Option<f64>)>,
) -> impl IntoView {
    let connected = move || live.is_connected();
    // With no class, choosing the S3 object opens the practice account.
    let practice_ready = move || live.config.get() == ConfigState::Missing;
    let chosen = move || view.with(|v| v.dataset == Dataset::S3);
    // Connected (so live mode's part is in), the course's bucket and key are looked up.
    effect(move |was: Option<bool>| {
        let now = matches!(live.connection.get(), Connection::Connected(_));
        if now && was != Some(true) && choice.bucket.get_untracked().is_empty() {
            crate::lazy::run(crate::lazy::prefill(live, choice));
        }
        now
    });
    view! {
        <div class="s3-source">
            <label class="radio">
                <input
                    type="radio"
                    name="dataset"
                    id="dataset-s3"
                    disabled=move || !connected() && !practice_ready()
                    prop:checked=move || view.with(|v| v.dataset == Dataset::S3)
                    on:change=handler(move |_| {
                        crate::lazy::run(crate::lazy::practice_by_default(live));
                        view.update(|v| { v.dataset = Dataset::S3; v.input = Dataset::S3.input(); })
                    })
                />
                <span>{move || if connected() { "S3 object (live, S3 Select)" } else if practice_ready() { "S3 object (the practice account's bucket)" } else { "S3 object (live: connect first)" }}</span>
            </label>
            {crate::lazy::later(chosen, move || crate::lazy::s3_details(live, view, choice, on_object_start))}
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_folder_above() {
        assert_eq!(super::parent("a/b/"), "a/");
        assert_eq!(super::parent("a/"), "");
        assert_eq!(super::parent(""), "");
    }
}
