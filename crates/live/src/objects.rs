//! S3 objects: the browser's listing (ListObjectsV2), downloads, which the page hands to the
//! local engine (the fallback when S3 Select is unavailable, and "compare with local"), and
//! uploads of the learner's files (PutObject).

use crate::call::{call, CallError, Errors, Shared, Spec};
use crate::post;
use crate::state::Config;
use web_sys::{AbortController, AbortSignal};
use wyvern_aws::http_request::Request;
use wyvern_aws::request::s3_with_headers;
use wyvern_aws::s3::{list_folder_path, object_path, parse_list_objects, range_header};
use wyvern_aws::signing::{Service, SignError};
use wyvern_aws::snippets;
use wyvern_aws::Credentials;
use wyvern_protocol::live::{FromLive, Listing, ObjectSummary};
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

/// The largest file an upload reads into this worker (one PutObject, signed over its bytes).
const MAX_UPLOAD_BYTES: f64 = 100.0 * 1024.0 * 1024.0;

fn s3_build<'a>(
    config: &'a Config,
    method: &'static str,
    path: String,
    headers: &'a [(&'a str, &'a str)],
    body: &'a [u8],
) -> impl Fn(std::time::SystemTime, Option<&Credentials>) -> Result<Request, SignError> + 'a {
    let endpoint = config.endpoint();
    move |t, c| {
        let c = c.ok_or_else(|| SignError::new("no credentials"))?;
        s3_with_headers(&endpoint, method, &path, headers, body.to_vec(), c, t)
    }
}

/// The whole object's size from a ranged answer's `Content-Range: bytes 0-99/1234`.
fn whole_size(content_range: Option<&str>) -> Option<f64> {
    // Parsed as an integer: a float parser would add 10 KB to this worker.
    let total: u64 = content_range?.rsplit_once('/')?.1.trim().parse().ok()?;
    Some(total as f64)
}

/// GetObject of the whole object, or of `range` (a `Range` header value): its bytes as a Blob
/// (no copy through text), and the whole object's size when the answer is a part of it.
pub async fn get(
    shared: &Shared,
    id: u64,
    config: &Config,
    bucket: &str,
    key: &str,
    range: Option<&str>,
    signal: Option<&AbortSignal>,
) -> Result<(web_sys::Blob, Option<f64>), CallError> {
    let spec = Spec {
        service: "s3",
        operation: "GetObject".into(),
        errors: Errors::Xml,
        signing: Some(Service::S3),
        needs_credentials: true,
        cli: snippets::get_object_cli(bucket, key, range, &config.target()),
        boto3: snippets::get_object_boto3(bucket, key, range, &config.target()),
    };
    let headers: Vec<(&str, &str)> = range.iter().map(|r| ("range", *r)).collect();
    let build = s3_build(config, "GET", object_path(bucket, key), &headers, &[]);
    let reply = call(shared, id, &spec, &build, true, signal).await?;
    match reply.answer.blob().await {
        Ok(blob) => Ok((blob, whole_size(reply.answer.header("content-range")))),
        Err(TransportError::Aborted) => Err(CallError::Aborted),
        Err(e) => Err(CallError::Network(e.to_string())),
    }
}

/// GetObject for the page, posted as a Blob; with `first_bytes`, only the object's start (and
/// the whole object's size).
pub async fn get_object(
    shared: Shared,
    id: u64,
    bucket: String,
    key: String,
    first_bytes: Option<u64>,
) {
    let Some(config) = crate::select::config_of(&shared) else {
        return post::error(id, &CallError::local("NotConnected", "Connect first."));
    };
    let abort = register_abort(&shared, id);
    let range = first_bytes.map(|n| range_header(0, Some(n.max(1) - 1)));
    let got = get(
        &shared,
        id,
        &config,
        &bucket,
        &key,
        range.as_deref(),
        Some(&abort.signal()),
    )
    .await;
    match got {
        Ok((blob, size)) => post::send(FromLive::Object {
            id,
            blob,
            reason: None,
            size,
        }),
        Err(e) => post::error(id, &e),
    }
    shared.borrow_mut().aborts.remove(&id);
}

pub async fn list(shared: Shared, id: u64, bucket: String, prefix: String, token: Option<String>) {
    let Some(config) = crate::select::config_of(&shared) else {
        return post::error(id, &CallError::local("NotConnected", "Connect first."));
    };
    let token = token.as_deref().filter(|t| !t.is_empty());
    let spec = Spec {
        service: "s3",
        operation: "ListObjectsV2".into(),
        errors: Errors::Xml,
        signing: Some(Service::S3),
        needs_credentials: true,
        cli: snippets::list_objects_cli(&bucket, &prefix, &config.target()),
        boto3: snippets::list_objects_boto3(&bucket, &prefix, &config.target()),
    };
    let build = s3_build(
        &config,
        "GET",
        list_folder_path(&bucket, &prefix, token),
        &[],
        &[],
    );
    match call(&shared, id, &spec, &build, false, None).await {
        Ok(reply) => {
            let found = parse_list_objects(reply.body.as_deref().unwrap_or_default());
            let objects = found
                .objects
                .into_iter()
                .map(|o| ObjectSummary {
                    key: o.key,
                    size: o.size as f64,
                })
                .collect();
            let listing = Listing {
                folders: found.folders,
                objects,
                next: found.next_continuation_token,
            };
            post::send(FromLive::Listing { id, listing });
        }
        Err(e) => post::error(id, &e),
    }
}

/// The bytes of a file the page handed over.
async fn read_blob(blob: &web_sys::Blob) -> Result<Vec<u8>, CallError> {
    let unreadable = |_| CallError::local("FileUnreadable", "The browser could not read the file.");
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .map_err(unreadable)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

pub async fn put_object(shared: Shared, id: u64, bucket: String, key: String, blob: web_sys::Blob) {
    let Some(config) = crate::select::config_of(&shared) else {
        return post::error(id, &CallError::local("NotConnected", "Connect first."));
    };
    if blob.size() > MAX_UPLOAD_BYTES {
        return post::error(
            id,
            &CallError::local(
                "FileTooLarge",
                "Wyvern uploads files of up to 100 MiB from the page; the AWS CLI (Copy as AWS CLI) takes larger ones.",
            ),
        );
    }
    let body = match read_blob(&blob).await {
        Ok(b) => b,
        Err(e) => return post::error(id, &e),
    };
    let spec = Spec {
        service: "s3",
        operation: "PutObject".into(),
        errors: Errors::Xml,
        signing: Some(Service::S3),
        needs_credentials: true,
        cli: snippets::put_object_cli(&bucket, &key, &config.target()),
        boto3: snippets::put_object_boto3(&bucket, &key, &config.target()),
    };
    let build = s3_build(&config, "PUT", object_path(&bucket, &key), &[], &body);
    match call(&shared, id, &spec, &build, false, None).await {
        Ok(_) => post::send(FromLive::Uploaded { id }),
        Err(e) => post::error(id, &e),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_ranged_answer_tells_the_whole_size() {
        assert_eq!(super::whole_size(Some("bytes 0-99/1234")), Some(1234.0));
        assert_eq!(super::whole_size(Some("bytes 0-99/*")), None);
        assert_eq!(super::whole_size(None), None);
    }
}
