//! Parameter Store calls, as the page asks for them: a crates/aws `ssm::Call` (which builds the
//! request and parses the answer into the `ssm::Answer` the page gets).

use crate::call::{call, CallError, Shared, Spec};
use crate::post;
use wyvern_aws::http_request::Request;
use wyvern_aws::request::json11;
use wyvern_aws::signing::{Service, SignError};
use wyvern_aws::Credentials;
use wyvern_protocol::live::{FromLive, ParameterCall};

pub async fn parameters(shared: Shared, id: u64, asked: ParameterCall) {
    let Some(config) = crate::select::config_of(&shared) else {
        return post::error(id, &CallError::local("NotConnected", "Connect first."));
    };
    let ssm_call = asked;
    let (action, body) = (ssm_call.action(), ssm_call.body());
    let spec = Spec::json11("ssm", action, &body, &config, Some(Service::Ssm));
    let endpoint = config.endpoint();
    let target = format!("AmazonSSM.{action}");
    let build = |t, c: Option<&Credentials>| -> Result<Request, SignError> {
        json11(&endpoint, Service::Ssm, &target, &body, c, t)
    };
    match call(&shared, id, &spec, &build, false, None).await {
        Ok(reply) => match ssm_call.answer(reply.body.as_deref().unwrap_or_default()) {
            Some(answer) => post::send(FromLive::Parameters { id, answer }),
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
