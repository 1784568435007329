//! Parameter Store calls, as the page asks for them: an action from a fixed list and its JSON
//! body; the answer goes back as the service's JSON.

use crate::call::{call, CallError, Errors, Shared, Spec};
use crate::post;
use serde_json::{json, Value};
use wyvern_aws::request::json11;
use wyvern_aws::signing::{Service, SignError};
use wyvern_aws::snippets::{json11_boto3, json11_cli};
use wyvern_aws::Credentials;

/// The actions the Parameter Store panel uses; anything else is refused.
const ACTIONS: &[&str] = &[
    "GetParameter",
    "GetParameters",
    "GetParametersByPath",
    "DescribeParameters",
    "PutParameter",
    "DeleteParameter",
    "GetParameterHistory",
];

pub async fn ssm(shared: Shared, id: u64, msg: Value) {
    let Some(config) = crate::select::config_of(&shared) else {
        return post::error(id, &CallError::local("NotConnected", "Connect first."));
    };
    let action = msg
        .get("action")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if !ACTIONS.contains(&action.as_str()) {
        return post::error(
            id,
            &CallError::local(
                "BadRequest",
                format!("{action} is not a Parameter Store action Wyvern makes."),
            ),
        );
    }
    let body = msg.get("body").cloned().unwrap_or_else(|| json!({}));
    let spec = Spec {
        service: "ssm",
        operation: action.clone(),
        errors: Errors::Json("ssm"),
        signing: Some(Service::Ssm),
        needs_credentials: true,
        cli: json11_cli("ssm", &action, &body, &config.target(), true),
        boto3: json11_boto3("ssm", &action, &body, &config.target(), true),
    };
    let endpoint = config.endpoint();
    let target = format!("AmazonSSM.{action}");
    let build = |t, c: Option<&Credentials>| -> Result<http::Request<Vec<u8>>, SignError> {
        json11(&endpoint, Service::Ssm, &target, &body, c, t)
    };
    match call(&shared, id, &spec, &build, false, None).await {
        Ok(reply) => {
            let answer: Value = serde_json::from_slice(reply.body.as_deref().unwrap_or_default())
                .unwrap_or(Value::Null);
            post::send(json!({"type": "result", "id": id, "action": action, "body": answer}));
        }
        Err(e) => post::error(id, &e),
    }
}
