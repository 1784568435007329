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

fn new_dragon(v: &Value) -> NewDragon {
    NewDragon {
        dragon_name: trimmed(v, "dragonName"),
        description: trimmed(v, "description"),
        family: trimmed(v, "family"),
        city: trimmed(v, "city"),
        country: trimmed(v, "country"),
        state: trimmed(v, "state"),
        neighborhood: trimmed(v, "neighborhood"),
        reporting_phone_number: trimmed(v, "reportingPhoneNumber"),
        confirmation_required: v
            .get("confirmationRequired")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }
}

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
    let report = msg.get("dragon").map(new_dragon);
    if let Some(d) = &report {
        let problems = dragons::validate(d);
        if !problems.is_empty() {
            let fields: Vec<Value> = problems.iter().map(|(f, m)| json!([f, m])).collect();
            return post::send(json!({"type": "invalid", "id": id, "fields": fields}));
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
    let body_text = report.as_ref().map(|_| msg["dragon"].to_string());
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
            let answer: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            post::send(
                json!({"type": "result", "id": id, "status": reply.answer.status, "body": answer}),
            );
        }
        Err(e) => post::error(id, &e),
    }
}
