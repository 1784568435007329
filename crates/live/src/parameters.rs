//! Parameter Store calls, as the page asks for them: a [`Call`] (crates/aws builds its request
//! and parses the answer), posted back as the typed [`Answer`].

use crate::call::{call, CallError, Errors, Shared, Spec};
use crate::post;
use serde_json::{json, Value};
use wyvern_aws::request::json11;
use wyvern_aws::signing::{Service, SignError};
use wyvern_aws::snippets::{json11_boto3, json11_cli};
use wyvern_aws::ssm::Call;
use wyvern_aws::Credentials;

pub async fn ssm(shared: Shared, id: u64, msg: Value) {
    let Some(config) = crate::select::config_of(&shared) else {
        return post::error(id, &CallError::local("NotConnected", "Connect first."));
    };
    let Some(ssm_call) = Call::from_json(&msg) else {
        return post::error(
            id,
            &CallError::local("BadRequest", "Not a Parameter Store call Wyvern makes."),
        );
    };
    let (action, body) = (ssm_call.action(), ssm_call.body());
    let spec = Spec {
        service: "ssm",
        operation: action.to_string(),
        errors: Errors::Json("ssm"),
        signing: Some(Service::Ssm),
        needs_credentials: true,
        cli: json11_cli("ssm", action, &body, &config.target(), true),
        boto3: json11_boto3("ssm", action, &body, &config.target(), true),
    };
    let endpoint = config.endpoint();
    let target = format!("AmazonSSM.{action}");
    let build = |t, c: Option<&Credentials>| -> Result<http::Request<Vec<u8>>, SignError> {
        json11(&endpoint, Service::Ssm, &target, &body, c, t)
    };
    match call(&shared, id, &spec, &build, false, None).await {
        Ok(reply) => match ssm_call.answer(reply.body.as_deref().unwrap_or_default()) {
            Some(answer) => {
                let mut m = answer.to_json();
                m["type"] = json!("result");
                m["id"] = json!(id);
                post::send(m);
            }
            None => post::error(
                id,
                &CallError::local(
                    "UnexpectedAnswer",
                    format!("{action} answered in a shape Wyvern does not know."),
                ),
            ),
        },
        Err(e) => post::error(id, &e),
    }
}
