//! The Parameter Store panel: browse by path (a tree, page by page), view a parameter with or
//! without decryption, its history, put one (overwrite only after a confirm), delete with a
//! confirm. Every error shows the service's code.

use crate::effect::effect;
use crate::state::live::Live;
use crate::ui::event::handler;
use leptos::either::Either;
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wyvern_protocol::live::{
    FromLive, LiveError, Parameter, ParameterAnswer, ParameterCall, Request,
};

/// Orders of the lists, as one function-pointer type: the page's wasm then carries one sort.
type Order = fn(&Param, &Param) -> std::cmp::Ordering;
const ORDER_BY_NAME: Order = |a, b| a.name.cmp(&b.name);
const ORDER_NEWEST_FIRST: Order = |a, b| b.version.cmp(&a.version);

#[derive(Debug, Clone, PartialEq)]
struct Param {
    name: String,
    kind: String,
    value: String,
    version: i64,
    modified: String,
}

/// A parameter as the panel shows it (its modification time in ISO 8601).
fn param_from(p: Parameter) -> Param {
    let modified = p
        .modified
        .map(|s| {
            js_sys::Date::new(&JsValue::from_f64(s * 1000.0))
                .to_iso_string()
                .as_string()
                .unwrap_or_default()
        })
        .unwrap_or_default();
    Param {
        name: p.name,
        kind: p.kind,
        value: p.value,
        version: p.version,
        modified,
    }
}

fn ssm(live: Live, call: ParameterCall, on: impl Fn(FromLive) + 'static) {
    let _ = live.send(Request::Parameters(call), on);
}

fn failure(e: &LiveError) -> String {
    format!("{}: {}", e.code, e.message)
}

/// A row of the tree view: a folder (each shown once, where its first parameter is) or a
/// parameter (by index), with its depth.
#[derive(Debug, Clone, PartialEq)]
enum TreeRow {
    Folder { depth: usize, name: String },
    Leaf { depth: usize, index: usize },
}

/// The tree of sorted parameter names: `/a/b/c` is folder `a/`, folder `b/`, then `c`.
fn tree(names: &[&str]) -> Vec<TreeRow> {
    let mut rows = Vec::new();
    let mut open: Vec<&str> = Vec::new();
    for (index, name) in names.iter().enumerate() {
        let segments: Vec<&str> = name.trim_start_matches('/').split('/').collect();
        let dirs = &segments[..segments.len() - 1];
        let shared = open.iter().zip(dirs).take_while(|(a, b)| a == b).count();
        open.truncate(shared);
        for (depth, dir) in dirs.iter().enumerate().skip(shared) {
            rows.push(TreeRow::Folder {
                depth,
                name: format!("{dir}/"),
            });
            open.push(dir);
        }
        rows.push(TreeRow::Leaf {
            depth: dirs.len(),
            index,
        });
    }
    rows
}

#[component]
pub fn ParameterPanel(live: Live) -> impl IntoView {
    let path = RwSignal::new("/dragons".to_string());
    let recursive = RwSignal::new(true);
    let decrypt = RwSignal::new(false);
    let listed = RwSignal::new(Vec::<Param>::new());
    let next = RwSignal::new(None::<String>);
    let list_error = RwSignal::new(None::<String>);
    let selected = RwSignal::new(None::<Param>);
    let history = RwSignal::new(None::<Vec<Param>>);
    let detail_error = RwSignal::new(None::<String>);
    let confirm_delete = RwSignal::new(false);
    let put_name = RwSignal::new(String::new());
    let put_kind = RwSignal::new("String".to_string());
    let put_value = RwSignal::new(String::new());
    let put_state = RwSignal::new(None::<(String, String)>);
    let confirm_overwrite = RwSignal::new(false);
    // The practice account back at its seed: what was listed from it is gone.
    effect(move |was: Option<u32>| {
        let now = live.resets.get();
        if was.is_some_and(|w| w != now) {
            listed.set(Vec::new());
            next.set(None);
            selected.set(None);
            history.set(None);
        }
        now
    });

    let browse = move |token: Option<String>| {
        list_error.set(None);
        let more = token.is_some();
        let call = ParameterCall::Browse {
            path: path.get_untracked(),
            recursive: recursive.get_untracked(),
            decrypt: decrypt.get_untracked(),
            next_token: token,
        };
        ssm(live, call, move |m| match m {
            FromLive::Parameters {
                answer:
                    ParameterAnswer::Parameters {
                        parameters,
                        next_token,
                    },
                ..
            } => {
                let found: Vec<Param> = parameters.into_iter().map(param_from).collect();
                listed.update(|l| {
                    if !more {
                        l.clear();
                    }
                    l.extend(found);
                    l.sort_by(ORDER_BY_NAME);
                });
                next.set(next_token.filter(|t| !t.is_empty()));
            }
            FromLive::Error { error, .. } => list_error.set(Some(failure(&error))),
            _ => {}
        });
    };
    let open = move |name: String| {
        detail_error.set(None);
        history.set(None);
        confirm_delete.set(false);
        let call = ParameterCall::Get {
            name,
            decrypt: decrypt.get_untracked(),
        };
        ssm(live, call, move |m| match m {
            FromLive::Parameters {
                answer: ParameterAnswer::Parameter(p),
                ..
            } => selected.set(Some(param_from(p))),
            FromLive::Error { error, .. } => detail_error.set(Some(failure(&error))),
            _ => {}
        });
    };
    let load_history = move |name: String| {
        let call = ParameterCall::History {
            name,
            decrypt: decrypt.get_untracked(),
        };
        ssm(live, call, move |m| match m {
            FromLive::Parameters {
                answer: ParameterAnswer::Parameters { parameters, .. },
                ..
            } => {
                let mut versions: Vec<Param> = parameters.into_iter().map(param_from).collect();
                versions.sort_by(ORDER_NEWEST_FIRST);
                history.set(Some(versions));
            }
            FromLive::Error { error, .. } => detail_error.set(Some(failure(&error))),
            _ => {}
        });
    };
    let delete = move |name: String| {
        let call = ParameterCall::Delete { name: name.clone() };
        ssm(live, call, move |m| match m {
            FromLive::Parameters { .. } => {
                selected.set(None);
                confirm_delete.set(false);
                listed.update(|l| l.retain(|p| p.name != name));
            }
            FromLive::Error { error, .. } => detail_error.set(Some(failure(&error))),
            _ => {}
        });
    };
    let put = move |overwrite: bool| {
        let name = put_name.get_untracked().trim().to_string();
        if name.is_empty() {
            put_state.set(Some(("error".into(), "Give the parameter a name.".into())));
            return;
        }
        let call = ParameterCall::Put {
            name: name.clone(),
            value: put_value.get_untracked(),
            kind: put_kind.get_untracked(),
            overwrite,
        };
        put_state.set(None);
        ssm(live, call, move |m| match m {
            FromLive::Parameters {
                answer: ParameterAnswer::Saved { version },
                ..
            } => {
                confirm_overwrite.set(false);
                put_state.set(Some((
                    "ok".into(),
                    format!(
                        "Saved {name}, version {}.",
                        super::format::count(version as f64)
                    ),
                )));
            }
            FromLive::Error { error, .. } if error.code == "ParameterAlreadyExists" => {
                confirm_overwrite.set(true)
            }
            FromLive::Error { error, .. } => put_state.set(Some(("error".into(), failure(&error)))),
            _ => {}
        });
    };

    let connected = move || live.is_connected();
    let tree = move || {
        let params = listed.get();
        let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
        tree(&names)
            .into_iter()
            .map(|row| match row {
                TreeRow::Folder { depth, name } => {
                    Either::Left(view! { <li class=format!("folder depth-{}", depth.min(6))>{name}</li> })
                }
                TreeRow::Leaf { depth, index } => {
                    let p = params[index].clone();
                    let name = p.name.clone();
                    let leaf = p.name.rsplit('/').next().unwrap_or(&p.name).to_string();
                    Either::Right(view! {
                        <li class=format!("depth-{}", depth.min(6))>
                            <button class="link param-name" data-name=name.clone() on:click=handler(move |_| open(name.clone()))>{leaf}</button>
                            <span class="chip">{p.kind}</span>
                        </li>
                    })
                }
            })
            .collect_view()
    };
    let detail = move || {
        selected.get().map(|p| {
            let (n1, n2, n3) = (p.name.clone(), p.name.clone(), p.name.clone());
            let secure = p.kind == "SecureString";
            view! {
                <div class="param-detail" id="param-detail">
                    <h3 class="mono">{p.name.clone()}</h3>
                    <dl>
                        <dt>"Type"</dt><dd>{p.kind.clone()}</dd>
                        <dt>"Version"</dt><dd id="param-version">{p.version}</dd>
                        <dt>"Modified"</dt><dd>{p.modified.clone()}</dd>
                        <dt>"Value"</dt><dd><pre id="param-value">{p.value.clone()}</pre></dd>
                    </dl>
                    {secure.then(|| view! { <p class="hint">{if decrypt.get_untracked() { "Decrypted with the parameter's KMS key." } else { "Encrypted: tick “With decryption” and open it again to see the value." }}</p> })}
                    <div class="row">
                        <button class="secondary" id="param-history" on:click=handler(move |_| load_history(n1.clone()))>"History"</button>
                        <button class="secondary danger" id="param-delete" on:click=handler(move |_| confirm_delete.set(true))>"Delete…"</button>
                    </div>
                        <p class="confirm" role="alertdialog" class:hidden=move || !confirm_delete.get()>
                            {format!("Delete {}? This cannot be undone. ", n2)}
                            <button class="primary danger" id="param-delete-confirm" on:click=handler({let n = n3.clone(); move |_| delete(n.clone())})>"Delete"</button>
                            <button class="secondary" on:click=handler(move |_| confirm_delete.set(false))>"Keep it"</button>
                        </p>
                    {move || history.get().map(|h| view! {
                        <table class="history" id="param-history-table">
                            <thead><tr><th>"Version"</th><th>"Value"</th><th>"Modified"</th></tr></thead>
                            <tbody>
                                {h.into_iter().map(|v| view! { <tr><td>{v.version}</td><td class="mono">{v.value}</td><td>{v.modified}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                    })}
                </div>
            }
        })
    };
    view! {
        <div class="single">
            <p class="panel hint" id="ssm-connect-first" class:hidden=connected>"Connect above (the practice account, guest, sign in or your keys) to browse Parameter Store. Writing parameters needs a signed-in class account or your own keys."</p>
            <div class="group" class:hidden=move || !connected()>
                <section class="panel" id="ssm-browse">
                    <h2>"Browse"</h2>
                    <form class="row" on:submit=handler(move |e: leptos::ev::SubmitEvent| { e.prevent_default(); browse(None) })>
                        <label class="field small"><span>"Path"</span>
                            <input id="ssm-path" type="text" spellcheck="false" prop:value=move || path.get() on:change=handler(move |e| path.set(event_target_value(&e)))/>
                        </label>
                        <label class="check"><input type="checkbox" id="ssm-recursive" prop:checked=move || recursive.get() on:change=handler(move |e| recursive.set(event_target_checked(&e)))/><span>"Recursive"</span></label>
                        <label class="check"><input type="checkbox" id="ssm-decrypt" prop:checked=move || decrypt.get() on:change=handler(move |e| decrypt.set(event_target_checked(&e)))/><span>"With decryption"</span></label>
                        <button class="primary" id="ssm-browse-button" type="submit">"Browse"</button>
                    </form>
                    {move || list_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <ul class="tree" id="ssm-tree">{tree}</ul>
                    {move || next.get().map(|t| view! { <button class="secondary" id="ssm-more" on:click=handler(move |_| browse(Some(t.clone())))>"More…"</button> })}
                    {move || detail_error.get().map(|e| view! { <p class="error" role="alert" id="ssm-error">{e}</p> })}
                    {detail}
                </section>
                <section class="panel" id="ssm-put">
                    <h2>"Put a parameter"</h2>
                    <form class="put-form" on:submit=handler(move |e: leptos::ev::SubmitEvent| { e.prevent_default(); put(false) })>
                        <label class="field"><span>"Name"</span><input id="put-name" type="text" spellcheck="false" placeholder="/dragons/notes/first" prop:value=move || put_name.get() on:input=handler(move |e| put_name.set(event_target_value(&e)))/></label>
                        <label class="field"><span>"Type"</span>
                            <select id="put-type" prop:value=move || put_kind.get() on:change=handler(move |e| put_kind.set(event_target_value(&e)))>
                                <option value="String">"String"</option>
                                <option value="StringList">"StringList (comma-separated)"</option>
                                <option value="SecureString">"SecureString (encrypted with KMS)"</option>
                            </select>
                        </label>
                        <label class="field"><span>"Value"</span><textarea id="put-value" rows="3" spellcheck="false" prop:value=move || put_value.get() on:input=handler(move |e| put_value.set(event_target_value(&e)))></textarea></label>
                        <button class="primary" id="put-save" type="submit">"Save"</button>
                    </form>
                        <p class="confirm" role="alertdialog" id="put-confirm" class:hidden=move || !confirm_overwrite.get()>
                            {move || format!("{} already exists. Overwrite it with a new version? ", put_name.get())}
                            <button class="primary" id="put-overwrite" on:click=handler(move |_| put(true))>"Overwrite"</button>
                            <button class="secondary" on:click=handler(move |_| confirm_overwrite.set(false))>"Cancel"</button>
                        </p>
                    {move || put_state.get().map(|(kind, text)| view! { <p class=format!("note {kind}") id="put-result" role="status">{text}</p> })}
                </section>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_show_once_and_nest() {
        let rows = tree(&[
            "/dragons/api/stage",
            "/dragons/families",
            "/dragons/secret/feeding-schedule",
            "dragon_data_bucket_name",
        ]);
        let folder = |depth, name: &str| TreeRow::Folder {
            depth,
            name: name.into(),
        };
        let leaf = |depth, index| TreeRow::Leaf { depth, index };
        assert_eq!(
            rows,
            vec![
                folder(0, "dragons/"),
                folder(1, "api/"),
                leaf(2, 0),
                leaf(1, 1),
                folder(1, "secret/"),
                leaf(2, 2),
                leaf(0, 3),
            ]
        );
    }
}
