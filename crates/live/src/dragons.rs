//! The course's Dragon API: list, search, and report a dragon. Signed-in learners send their id
//! token (the user-pool authorizer); others sign with SigV4 for execute-api (IAM authorization).

use crate::call::{call, CallError, Errors, Shared, Spec};
use crate::post;
use crate::state::Mode;
use wyvern_aws::dragons::{self, Auth, Filter, NewDragon};
use wyvern_aws::http_request::Request;
use wyvern_aws::signing::{Service, SignError};
use wyvern_aws::snippets::{http_curl, http_requests};
use wyvern_aws::Credentials;
use wyvern_protocol::live::{DragonCall, DragonFilter, FromLive, Problem};

/// The form's report, without surrounding whitespace.
fn trimmed(d: NewDragon) -> NewDragon {
    let t = |s: String| s.trim().to_string();
    NewDragon {
        dragon_name: t(d.dragon_name),
        description: t(d.description),
        family: t(d.family),
        city: t(d.city),
        country: t(d.country),
        state: t(d.state),
        neighborhood: t(d.neighborhood),
        reporting_phone_number: t(d.reporting_phone_number),
        confirmation_required: d.confirmation_required,
    }
}

/// A search by an empty name or family lists every dragon.
fn filter_of(f: &DragonFilter) -> Filter<'_> {
    match f {
        DragonFilter::Name(n) if !n.trim().is_empty() => Filter::Name(n.trim()),
        DragonFilter::Family(f) if !f.trim().is_empty() => Filter::Family(f.trim()),
        _ => Filter::All,
    }
}

pub async fn dragons(shared: Shared, id: u64, asked: DragonCall) {
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
    let (report, asked_filter) = match asked {
        DragonCall::Report(d) => (Some(trimmed(d)), DragonFilter::All),
        DragonCall::List(f) => (None, f),
    };
    if let Some(d) = &report {
        let problems: Vec<Problem> = dragons::validate(d)
            .into_iter()
            .map(|(field, problem)| Problem {
                field: field.into(),
                problem: problem.into(),
            })
            .collect();
        if !problems.is_empty() {
            return post::send(FromLive::Invalid { id, problems });
        }
    }
    let filter = filter_of(&asked_filter);
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
    let build = |t, c: Option<&Credentials>| -> Result<Request, SignError> {
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
            if report.is_some() {
                let message = dragons::parse_message(&body).unwrap_or_default();
                return post::send(FromLive::Reported { id, message });
            }
            match dragons::parse_list(&body) {
                Some(list) => post::send(FromLive::Dragons { id, dragons: list }),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_trimmed_and_an_empty_search_lists_all() {
        let d = trimmed(NewDragon {
            dragon_name: " Puff ".into(),
            confirmation_required: true,
            ..NewDragon::default()
        });
        assert_eq!(
            (d.dragon_name.as_str(), d.confirmation_required),
            ("Puff", true)
        );
        assert_eq!(
            filter_of(&DragonFilter::Family(" red ".into())),
            Filter::Family("red")
        );
        assert_eq!(filter_of(&DragonFilter::Name("  ".into())), Filter::All);
    }
}
