//! The course's Dragon API: list, search, and report a dragon. Signed-in learners send their id
//! token (the user-pool authorizer); others sign with SigV4 for execute-api (IAM authorization).

use crate::call::{call, CallError, Errors, Shared, Spec};
use crate::fields::trimmed;
use crate::post;
use crate::state::Mode;
use serde_json::{json, Value};
use wyvern_aws::dragons::{self, Auth, Filter, NewDragon};
use wyvern_aws::signing::{Service, SignError};
use wyvern_aws::snippets::{http_curl, http_requests};
use wyvern_aws::Credentials;

pub async fn dragons(shared: Shared, id: u64, msg: Value) {
    let (config, id_token) = {
        let st = shared.borrow();
        let Some(s) = st.session.as_ref() else {
            return post::error(id, &CallError::local("NotConnected", "Connect first."));
        };
        let token = match &s.mode {
            Mode::SignedIn { id_token, .. } => Some(id_token.clone()),
            _ => None,
        };
        (s.config.clone(), token)
    };
    if config.dragon_api_url.is_empty() {
        return post::error(
            id,
            &CallError::local("NoDragonApi", "config.json names no dragonApiUrl."),
        );
    }
    let api = config.dragon_api_url.clone();
    let report = msg.get("dragon").map(NewDragon::from_json);
    if let Some(d) = &report {
        let problems = dragons::validate(d);
        if !problems.is_empty() {
            let mut m = json!({"type": "invalid", "id": id});
            m["fields"] = Value::Array(problems.iter().map(|(f, m)| json!([f, m])).collect());
            return post::send(m);
        }
    }
    let (name, family) = (trimmed(&msg, "name"), trimmed(&msg, "family"));
    let filter = if !family.is_empty() {
        Filter::Family(&family)
    } else if !name.is_empty() {
        Filter::Name(&name)
    } else {
        Filter::All
    };
    let body_text = report.as_ref().map(|d| d.to_json().to_string());
    let preview = match report {
        Some(_) => api.clone(),
        None => dragons::list_url(&api, filter),
    };
    let method = if report.is_some() { "POST" } else { "GET" };
    let spec = Spec {
        service: "execute-api",
        operation: if report.is_some() {
            "POST /dragons"
        } else {
            "GET /dragons"
        }
        .into(),
        errors: Errors::Api,
        signing: id_token.is_none().then_some(Service::ExecuteApi),
        needs_credentials: id_token.is_none(),
        cli: http_curl(method, &preview, body_text.as_deref(), id_token.is_some()),
        boto3: http_requests(method, &preview, body_text.as_deref(), id_token.is_some()),
    };
    let region = config.region.clone();
    let build = |t, c: Option<&Credentials>| -> Result<http::Request<Vec<u8>>, SignError> {
        let auth = match (&id_token, c) {
            (Some(tok), _) => Auth::IdToken(tok),
            (None, Some(c)) => Auth::Iam {
                credentials: c,
                region: &region,
            },
            (None, None) => return Err(SignError::new("no credentials")),
        };
        match &report {
            Some(d) => dragons::report(&api, d, auth, t),
            None => dragons::list(&api, filter, auth, t),
        }
    };
    match call(&shared, id, &spec, &build, false, None).await {
        Ok(reply) => {
            let body = reply.body.unwrap_or_default();
            let status = reply.answer.status;
            if report.is_some() {
                let message = dragons::parse_message(&body).unwrap_or_default();
                return post::send(
                    json!({"type": "result", "id": id, "status": status, "message": message}),
                );
            }
            match dragons::parse_list(&body) {
                Some(list) => {
                    let mut m = json!({"type": "result", "id": id, "status": status});
                    m["dragons"] =
                        Value::Array(list.iter().map(dragons::Dragon::to_json).collect());
                    post::send(m)
                }
                None => post::error(
                    id,
                    &CallError::local(
                        "UnexpectedAnswer",
                        "The Dragon API answered with something other than a list of dragons.",
                    ),
                ),
            }
        }
        Err(e) => post::error(id, &e),
    }
}
