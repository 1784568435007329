//! S3 objects: the browser's listing (ListObjectsV2) and downloads, which the page hands to the
//! local engine (the fallback when S3 Select is unavailable, and "compare with local").

use crate::call::{call, CallError, Errors, Shared, Spec};
use crate::fields::text;
use crate::post;
use crate::state::Config;
use serde_json::{json, Value};
use web_sys::{AbortController, AbortSignal};
use wyvern_aws::request::s3;
use wyvern_aws::s3::{list_folder_path, object_path, parse_list_objects};
use wyvern_aws::signing::{Service, SignError};
use wyvern_aws::snippets;
use wyvern_aws::Credentials;
use wyvern_transport::TransportError;

/// An AbortController for call `id`, so Cancel (or Sign out) can stop its fetch.
pub fn register_abort(shared: &Shared, id: u64) -> AbortController {
    let controller = AbortController::new().expect("AbortController exists in workers");
    shared.borrow_mut().aborts.insert(id, controller.clone());
    controller
}

pub fn cancel(shared: &Shared, id: u64) {
    if let Some(c) = shared.borrow_mut().aborts.remove(&id) {
        c.abort();
    }
}

fn s3_build<'a>(
    config: &'a Config,
    method: &'static str,
    path: String,
) -> impl Fn(std::time::SystemTime, Option<&Credentials>) -> Result<http::Request<Vec<u8>>, SignError> + 'a
{
    let endpoint = config.endpoint();
    move |t, c| {
        let c = c.ok_or_else(|| SignError::new("no credentials"))?;
        s3(&endpoint, method, &path, Vec::new(), c, t)
    }
}

/// GetObject, posted to the page as a Blob with the reason it was fetched.
pub async fn download(
    shared: &Shared,
    id: u64,
    config: &Config,
    bucket: &str,
    key: &str,
    reason: &str,
    signal: Option<&AbortSignal>,
) {
    let spec = Spec {
        service: "s3",
        operation: "GetObject".into(),
        errors: Errors::Xml,
        signing: Some(Service::S3),
        needs_credentials: true,
        cli: snippets::get_object_cli(bucket, key, &config.target()),
        boto3: snippets::get_object_boto3(bucket, key, &config.target()),
    };
    let build = s3_build(config, "GET", object_path(bucket, key));
    match call(shared, id, &spec, &build, true, signal).await {
        Ok(reply) => match reply.answer.blob().await {
            Ok(blob) => post::object(id, &blob, reason),
            Err(TransportError::Aborted) => post::error(id, &CallError::Aborted),
            Err(e) => post::error(id, &CallError::Network(e.to_string())),
        },
        Err(e) => post::error(id, &e),
    }
}

pub async fn get_object(shared: Shared, id: u64, msg: Value) {
    let Some(config) = crate::select::config_of(&shared) else {
        return post::error(id, &CallError::local("NotConnected", "Connect first."));
    };
    let abort = register_abort(&shared, id);
    download(
        &shared,
        id,
        &config,
        &text(&msg, "bucket"),
        &text(&msg, "key"),
        "",
        Some(&abort.signal()),
    )
    .await;
    shared.borrow_mut().aborts.remove(&id);
}

pub async fn list(shared: Shared, id: u64, msg: Value) {
    let Some(config) = crate::select::config_of(&shared) else {
        return post::error(id, &CallError::local("NotConnected", "Connect first."));
    };
    let (bucket, prefix) = (text(&msg, "bucket"), text(&msg, "prefix"));
    let token = msg
        .get("token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty());
    let spec = Spec {
        service: "s3",
        operation: "ListObjectsV2".into(),
        errors: Errors::Xml,
        signing: Some(Service::S3),
        needs_credentials: true,
        cli: snippets::list_objects_cli(&bucket, &prefix, &config.target()),
        boto3: snippets::list_objects_boto3(&bucket, &prefix, &config.target()),
    };
    let build = s3_build(&config, "GET", list_folder_path(&bucket, &prefix, token));
    match call(&shared, id, &spec, &build, false, None).await {
        Ok(reply) => {
            let listing = parse_list_objects(reply.body.as_deref().unwrap_or_default());
            let objects = listing
                .objects
                .iter()
                .map(|o| json!({"key": o.key, "size": o.size, "lastModified": o.last_modified}))
                .collect();
            let mut m = json!({"type": "listing", "id": id, "bucket": bucket, "prefix": prefix, "folders": listing.folders, "next": listing.next_continuation_token});
            // Moved in: `json!` would serialize the values a second time.
            m["objects"] = Value::Array(objects);
            post::send(m);
        }
        Err(e) => post::error(id, &e),
    }
}
