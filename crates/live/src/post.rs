//! Messages to the page, as crates/protocol defines them. Every text in them is scrubbed of
//! the credentials' secret keys and session tokens here, the one way out.

use crate::call::CallError;
use std::cell::RefCell;
use wyvern_aws::{redact, Credentials};
use wyvern_protocol::live::{FromLive, LiveError};

thread_local! {
    /// Secret keys and session tokens signed with since the last sign-out: an answer to a
    /// request signed before a refresh may still echo the old ones.
    static SECRETS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Adds `c`'s secrets to those no message may carry.
pub fn hide(c: &Credentials) {
    SECRETS.with_borrow_mut(|list| {
        for secret in c.secrets() {
            if !list.contains(&secret) {
                list.push(secret);
            }
        }
    });
}

/// Sign out: the worker keeps no secret, not even to scrub it.
pub fn forget_secrets() {
    SECRETS.with_borrow_mut(Vec::clear);
}

fn scrub(msg: &mut FromLive) {
    SECRETS.with_borrow(|list| msg.clean_texts(&mut |text| redact::scrub_text(text, list)));
}

/// Posts `msg`, scrubbed (but for the credentials the learner asked to keep on this device).
pub fn send(mut msg: FromLive) {
    scrub(&mut msg);
    let _ = crate::clock::scope().post_message(&msg.to_js());
}

/// The code and message of `e`, scrubbed as the page's messages are, for the engine's channel.
pub fn code_and_message(e: &CallError) -> (String, String) {
    let mut msg = failure(0, e);
    scrub(&mut msg);
    match msg {
        FromLive::Error { error, .. } => (error.code, error.message),
        _ => ("Cancelled".into(), "The read was cancelled.".into()),
    }
}

/// The end of a failed request: `Cancelled` when it was cancelled, else its error.
pub fn error(id: u64, e: &CallError) {
    send(failure(id, e));
}

fn failure(id: u64, e: &CallError) -> FromLive {
    let error = match e {
        CallError::Aborted => return FromLive::Cancelled { id },
        CallError::Aws(a) => LiveError {
            code: a.code.clone(),
            message: a.message.clone(),
            service: a.service.clone(),
            status: a.status,
            request_id: a.request_id.clone(),
        },
        CallError::Network(text) => LiveError::local(
            "NetworkError",
            format!("No answer from the service: {text}. Check the endpoint, your connection, and the service's CORS rules."),
        ),
        CallError::Local { code, message } => LiveError::local(code, message.clone()),
    };
    FromLive::Error { id, error }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wyvern_aws::AwsError;

    #[test]
    fn a_cancel_is_its_own_answer_and_errors_keep_the_services_details() {
        assert_eq!(
            failure(4, &CallError::Aborted),
            FromLive::Cancelled { id: 4 }
        );
        let denied = AwsError {
            service: "s3".into(),
            code: "AccessDenied".into(),
            message: "Access Denied".into(),
            request_id: Some("r1".into()),
            status: 403,
        };
        let FromLive::Error { id: 4, error } = failure(4, &CallError::Aws(denied)) else {
            panic!("not an error")
        };
        assert_eq!(
            (error.code.as_str(), error.service.as_str(), error.status),
            ("AccessDenied", "s3", 403)
        );
        assert_eq!(error.request_id.as_deref(), Some("r1"));
        let FromLive::Error { error, .. } = failure(1, &CallError::Network("refused".into()))
        else {
            panic!("not an error")
        };
        assert_eq!(error.code, "NetworkError");
        assert!(error.message.contains("refused"));
    }
}
