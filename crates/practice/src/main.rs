//! Wyvern's practice AWS account in a Web Worker, started by the live worker when the learner
//! picks it: every request live mode signs comes here instead of the network
//! (crates/protocol's `ToPractice`), crates/sandbox answers it as AWS would, and the account's
//! state is saved to IndexedDB after each change, so it outlives a reload until Reset.

mod snapshot;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{DedicatedWorkerGlobalScope, IdbDatabase, MessageEvent};
use wyvern_protocol::practice::{FromPractice, HttpRequest, HttpResponse, ToPractice};
use wyvern_sandbox::{Sandbox, State};

struct Account {
    sandbox: Sandbox,
    db: Option<IdbDatabase>,
    /// The sandbox's revision last seen, and whether a change waits to be saved.
    revision: u64,
    unsaved: bool,
    saving: bool,
}

type Shared = Rc<RefCell<Account>>;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(msg: FromPractice) {
    let _ = scope().post_message(&msg.to_js());
}

fn warn(what: &str) {
    web_sys::console::warn_1(&what.into());
}

/// The page's clock (`SystemTime::now` is not available in wasm).
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(js_sys::Date::now() as u64)
}

/// A request live mode could not have sent (it builds them with the same crate): answered as
/// a malformed request rather than dropped, so the caller never waits forever.
fn malformed(why: &str) -> HttpResponse {
    HttpResponse {
        status: 400,
        headers: vec![("content-type".into(), "text/plain".into())],
        body: format!("The practice account could not read this request: {why}").into_bytes(),
    }
}

fn answer(shared: &Shared, request: HttpRequest) -> HttpResponse {
    let req = match request.into_http() {
        Ok(r) => r,
        Err(e) => return malformed(&e.to_string()),
    };
    let mut account = shared.borrow_mut();
    let length = req.body().len();
    let response = if length > wyvern_sandbox::body_limit(&req) {
        account.sandbox.too_large(&req, length, now())
    } else {
        account.sandbox.handle(&req, now())
    };
    if account.sandbox.revision() != account.revision {
        account.revision = account.sandbox.revision();
        account.unsaved = true;
    }
    HttpResponse {
        status: response.status().as_u16(),
        headers: wyvern_aws::http_request::header_pairs(response.headers()),
        body: response.into_body(),
    }
}

/// Saves the state when it changed, one save at a time (a change during a save is saved next).
fn save_soon(shared: &Shared) {
    {
        let mut account = shared.borrow_mut();
        if account.saving || !account.unsaved || account.db.is_none() {
            return;
        }
        account.saving = true;
    }
    let shared = shared.clone();
    spawn_local(async move {
        loop {
            let (db, json) = {
                let mut account = shared.borrow_mut();
                let Some(db) = account.db.clone().filter(|_| account.unsaved) else {
                    account.saving = false;
                    return;
                };
                account.unsaved = false;
                (db, account.sandbox.state().to_json())
            };
            if snapshot::save(&db, &json).await.is_err() {
                warn("The practice account could not be saved in this browser (IndexedDB refused it); it lives on until this tab closes.");
            }
        }
    });
}

fn dispatch(shared: &Shared, msg: ToPractice) {
    match msg {
        ToPractice::Call { id, request } => {
            let response = answer(shared, request);
            post(FromPractice::Answer { id, response });
        }
        ToPractice::Reset { id } => {
            {
                let mut account = shared.borrow_mut();
                account.sandbox = Sandbox::seeded(now());
                account.revision = 0;
                account.unsaved = true;
            }
            post(FromPractice::Reset { id });
        }
    }
    save_soon(shared);
}

/// The saved account, or the seed when there is none (or it cannot be read).
async fn restore(db: Option<&IdbDatabase>) -> Sandbox {
    let Some(db) = db else {
        return Sandbox::seeded(now());
    };
    match snapshot::load(db).await {
        Ok(Some(json)) => match State::from_json(&json) {
            Ok(state) => Sandbox::from_state(state),
            Err(e) => {
                warn(&format!(
                    "The saved practice account was set aside ({e}); it starts from its seed."
                ));
                Sandbox::seeded(now())
            }
        },
        _ => Sandbox::seeded(now()),
    }
}

fn main() {
    spawn_local(async {
        let db = snapshot::open().await.ok();
        if db.is_none() {
            warn("IndexedDB is not available: the practice account lives until this tab closes.");
        }
        let sandbox = restore(db.as_ref()).await;
        let shared: Shared = Rc::new(RefCell::new(Account {
            sandbox,
            db,
            revision: 0,
            unsaved: false,
            saving: false,
        }));
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some(msg) = ToPractice::from_js(&ev.data()) {
                dispatch(&shared, msg);
            }
        });
        scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        post(FromPractice::Ready);
    });
}
