//! Parameter Store calls, as the page asks for them: the protocol's call mapped to a
//! crates/aws `ssm::Call` (which builds the request and parses the answer), its answer mapped
//! back.

use crate::call::{call, CallError, Errors, Shared, Spec};
use crate::post;
use wyvern_aws::request::json11;
use wyvern_aws::signing::{Service, SignError};
use wyvern_aws::snippets::{json11_boto3, json11_cli};
use wyvern_aws::ssm::{self, Answer, Call};
use wyvern_aws::Credentials;
use wyvern_protocol::live::{FromLive, Parameter, ParameterAnswer, ParameterCall};

fn call_of(c: ParameterCall) -> Call {
    match c {
        ParameterCall::Browse {
            path,
            recursive,
            decrypt,
            next_token,
        } => Call::Browse {
            path,
            recursive,
            decrypt,
            next_token,
        },
        ParameterCall::Get { name, decrypt } => Call::Get { name, decrypt },
        ParameterCall::GetMany { names } => Call::GetMany { names },
        ParameterCall::History { name, decrypt } => Call::History { name, decrypt },
        ParameterCall::Put {
            name,
            value,
            kind,
            overwrite,
        } => Call::Put {
            name,
            value,
            kind,
            overwrite,
        },
        ParameterCall::Delete { name } => Call::Delete { name },
    }
}

fn parameter(p: ssm::Parameter) -> Parameter {
    Parameter {
        name: p.name,
        kind: p.kind,
        value: p.value,
        version: p.version,
        modified: p.modified,
    }
}

fn answer_of(a: Answer) -> ParameterAnswer {
    match a {
        Answer::Parameters {
            parameters,
            next_token,
        } => ParameterAnswer::Parameters {
            parameters: parameters.into_iter().map(parameter).collect(),
            next_token,
        },
        Answer::Parameter { parameter: p } => ParameterAnswer::Parameter(parameter(p)),
        Answer::Saved { version } => ParameterAnswer::Saved { version },
        Answer::Deleted => ParameterAnswer::Deleted,
    }
}

pub async fn parameters(shared: Shared, id: u64, asked: ParameterCall) {
    let Some(config) = crate::select::config_of(&shared) else {
        return post::error(id, &CallError::local("NotConnected", "Connect first."));
    };
    let ssm_call = call_of(asked);
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
            Some(answer) => post::send(FromLive::Parameters {
                id,
                answer: answer_of(answer),
            }),
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
