//! The practice account's one snapshot in IndexedDB, per origin (a worker has no localStorage,
//! and the objects would not fit in it anyway).

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, IdbDatabase, IdbRequest, IdbTransactionMode, WorkerGlobalScope};

const DATABASE: &str = "wyvern-practice";
const STORE: &str = "account";
const KEY: &str = "state";

/// Waits for an IndexedDB request to succeed or fail.
async fn finished(req: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |_: Event| resolve.call0(&JsValue::NULL));
        let failed = Closure::once_into_js(move |_: Event| reject.call0(&JsValue::NULL));
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(failed.unchecked_ref()));
    });
    JsFuture::from(promise)
        .await
        .map_err(|_| JsValue::from_str("IndexedDB refused the request"))?;
    req.result()
}

pub async fn open() -> Result<IdbDatabase, JsValue> {
    let scope: WorkerGlobalScope = js_sys::global().unchecked_into();
    let factory = scope
        .indexed_db()?
        .ok_or_else(|| JsValue::from_str("this browser offers no IndexedDB here"))?;
    let req = factory.open_with_u32(DATABASE, 1)?;
    let created = req.clone();
    let upgrade = Closure::once_into_js(move |_: Event| {
        if let Ok(db) = created.result() {
            let _ = db
                .unchecked_into::<IdbDatabase>()
                .create_object_store(STORE);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    Ok(finished(&req).await?.unchecked_into())
}

/// The saved snapshot's JSON, if there is one.
pub async fn load(db: &IdbDatabase) -> Result<Option<String>, JsValue> {
    let store = db.transaction_with_str(STORE)?.object_store(STORE)?;
    Ok(finished(&store.get(&KEY.into())?).await?.as_string())
}

/// Saves the snapshot, done when its transaction has committed (a put can succeed and its
/// transaction still abort, over the quota say).
pub async fn save(db: &IdbDatabase, json: &str) -> Result<(), JsValue> {
    let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?;
    let committed = Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |_: Event| resolve.call0(&JsValue::NULL));
        let failed = reject.clone();
        let error = Closure::once_into_js(move |_: Event| failed.call0(&JsValue::NULL));
        let aborted = Closure::once_into_js(move |_: Event| reject.call0(&JsValue::NULL));
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onerror(Some(error.unchecked_ref()));
        tx.set_onabort(Some(aborted.unchecked_ref()));
    });
    tx.object_store(STORE)?
        .put_with_key(&json.into(), &KEY.into())?;
    JsFuture::from(committed)
        .await
        .map(|_| ())
        .map_err(|_| JsValue::from_str("IndexedDB did not commit the snapshot"))
}
