//! Connecting: as a guest, by signing in to the user pool (with the new-password challenge), or
//! with pasted keys checked at once with STS GetCallerIdentity.

use crate::call::{call, CallError, Errors, Shared, Spec};
use crate::identity::{cognito_call, malformed, sts_request};
use crate::post;
use crate::practice::Practice;
use crate::session::{announce, arm_refresh_timer, drop_session, install, store};
use crate::state::{Challenge, Config, Mode};
use serde_json::json;
use std::rc::Rc;
use std::time::{Duration, UNIX_EPOCH};
use wyvern_aws::cognito::{self, SignIn};
use wyvern_aws::signing::{sign_request, Overrides, Service};
use wyvern_aws::snippets::{json11_boto3, json11_cli};
use wyvern_aws::Credentials;
use wyvern_protocol::live::{self as wire, Connect, FromLive, Keys, Login, Remembered};
use wyvern_settings::{ClassConfig, PRACTICE_ACCESS_KEY_ID, PRACTICE_SECRET_ACCESS_KEY};

/// Gets the first credentials of a freshly installed guest or signed-in session.
async fn first_credentials(shared: &Shared, id: u64) {
    match crate::call::credentials(shared).await {
        Ok(_) => announce(shared, Some(id), None),
        Err(e) => {
            drop_session(shared);
            post::error(id, &e);
        }
    }
}

pub async fn connect(shared: Shared, id: u64, request: Connect) {
    let Connect {
        config,
        remember,
        login,
    } = request;
    let config = match login {
        Login::Practice => Config(ClassConfig::practice()),
        _ => Config(config),
    };
    shared.borrow_mut().allowed_origins = config.origins();
    match login {
        Login::Guest => {
            if config.identity_pool_id.is_empty() {
                return post::error(
                    id,
                    &CallError::local(
                        "NoIdentityPool",
                        "config.json names no identityPoolId: guest access is not set up.",
                    ),
                );
            }
            install(&shared, config, Mode::Guest, remember);
            first_credentials(&shared, id).await;
        }
        Login::SignIn { username, password } => {
            let body = cognito::initiate_auth(&config.user_pool_client_id, &username, &password);
            let answer =
                cognito_call(&shared, id, &config, "cognito-idp", "InitiateAuth", body).await;
            signed_in(&shared, id, config, username, remember, answer).await;
        }
        Login::Keys(keys) => {
            let pasted = credentials(&keys, None);
            connect_with_keys(&shared, id, config, pasted, Mode::Keys, None, remember).await
        }
        Login::Restore(saved) => {
            let Remembered {
                mode,
                identity_id,
                username,
                id_token,
                keys,
                expiration,
            } = saved;
            let mode = match mode {
                wire::Mode::Guest => Mode::Guest,
                wire::Mode::SignIn => Mode::SignedIn { username, id_token },
                wire::Mode::Keys => Mode::Keys,
                wire::Mode::Practice => {
                    let practice = Config(ClassConfig::practice());
                    shared.borrow_mut().allowed_origins = practice.origins();
                    return connect_practice(&shared, id, practice).await;
                }
            };
            let kept = credentials(&keys, expiration);
            connect_with_keys(&shared, id, config, kept, mode, identity_id, remember).await
        }
        Login::Practice => connect_practice(&shared, id, config).await,
    }
}

/// The practice account: its worker started (once a tab) with the saved account loaded, then a
/// session with its public keys, held and used like any other credentials.
async fn connect_practice(shared: &Shared, id: u64, config: Config) {
    let started = shared.borrow().practice.clone();
    let account = match started.map_or_else(|| Practice::start().map(Rc::new), Ok) {
        Ok(account) => account,
        Err(e) => return post::error(id, &CallError::local("PracticeUnavailable", e.to_string())),
    };
    shared.borrow_mut().practice = Some(account.clone());
    if let Err(e) = account.ready().await {
        return post::error(id, &CallError::local("PracticeUnavailable", e.to_string()));
    }
    install(shared, config, Mode::Practice, false);
    if let Some(s) = shared.borrow_mut().session.as_mut() {
        let keys = Credentials::new(PRACTICE_ACCESS_KEY_ID, PRACTICE_SECRET_ACCESS_KEY, None);
        store(s, keys);
    }
    announce(shared, Some(id), None);
}

/// Puts the practice account back to its seed (only while connected to it).
pub async fn reset_practice(shared: Shared, id: u64) {
    let account = shared.borrow().practice_answers();
    let Some(account) = account else {
        return post::error(
            id,
            &CallError::local(
                "NotPractice",
                "Reset is for the practice account: open it first.",
            ),
        );
    };
    match account.reset().await {
        Ok(()) => post::send(FromLive::PracticeReset { id }),
        Err(e) => post::error(id, &CallError::local("PracticeUnavailable", e.to_string())),
    }
}

/// Keys as typed or remembered, without surrounding whitespace (an empty token is none).
fn credentials(keys: &Keys, expiration_ms: Option<f64>) -> Credentials {
    let token = keys.session_token.trim();
    Credentials {
        access_key_id: keys.access_key_id.trim().to_string(),
        secret_access_key: keys.secret_access_key.trim().to_string(),
        session_token: (!token.is_empty()).then(|| token.to_string()),
        expiration: expiration_ms.map(|ms| UNIX_EPOCH + Duration::from_millis(ms as u64)),
    }
}

async fn signed_in(
    shared: &Shared,
    id: u64,
    config: Config,
    username: String,
    remember: bool,
    answer: Result<Vec<u8>, CallError>,
) {
    let body = match answer {
        Ok(b) => b,
        Err(e) => return post::error(id, &e),
    };
    match cognito::parse_sign_in(&body) {
        Some(SignIn::Tokens { id_token, .. }) => {
            install(
                shared,
                config,
                Mode::SignedIn { username, id_token },
                remember,
            );
            first_credentials(shared, id).await;
        }
        Some(SignIn::NewPasswordRequired { session }) => {
            shared.borrow_mut().challenge = Some(Challenge {
                config,
                username,
                session,
            });
            shared.borrow_mut().remember = remember;
            post::send(FromLive::NewPasswordRequired { id });
        }
        Some(SignIn::OtherChallenge(name)) => post::error(
            id,
            &CallError::local(
                "UnsupportedChallenge",
                format!("The user pool asks for {name}, which Wyvern cannot answer."),
            ),
        ),
        None => post::error(id, &malformed("tokens")),
    }
}

pub async fn new_password(shared: Shared, id: u64, password: String) {
    let Some(ch) = shared.borrow_mut().challenge.take() else {
        return post::error(
            id,
            &CallError::local(
                "NoChallenge",
                "Sign in again: no password change is pending.",
            ),
        );
    };
    let body = cognito::respond_new_password(
        &ch.config.user_pool_client_id,
        &ch.session,
        &ch.username,
        &password,
    );
    let remember = shared.borrow().remember;
    let answer = cognito_call(
        &shared,
        id,
        &ch.config,
        "cognito-idp",
        "RespondToAuthChallenge",
        body,
    )
    .await;
    if answer.is_err() {
        // Keep the challenge so the learner can try another password.
        shared.borrow_mut().challenge = Some(Challenge { ..ch });
        return post::error(id, &answer.err().unwrap_or(CallError::Aborted));
    }
    signed_in(
        &shared,
        id,
        ch.config.clone(),
        ch.username.clone(),
        remember,
        answer,
    )
    .await;
}

/// Pasted keys: checked at once with STS GetCallerIdentity, which needs no permission, so a
/// wrong secret shows SignatureDoesNotMatch before anything else is tried. A remembered guest or
/// signed-in session is taken up again as it was.
async fn connect_with_keys(
    shared: &Shared,
    id: u64,
    config: Config,
    credentials: Credentials,
    mode: Mode,
    identity_id: Option<String>,
    remember: bool,
) {
    if credentials.access_key_id.is_empty() || credentials.secret_access_key.is_empty() {
        return post::error(
            id,
            &CallError::local(
                "MissingKeys",
                "Paste an access key id and its secret access key.",
            ),
        );
    }
    let restoring = mode != Mode::Keys;
    install(shared, config.clone(), mode, remember);
    if let Some(s) = shared.borrow_mut().session.as_mut() {
        store(s, credentials);
        s.identity_id = identity_id;
    }
    if restoring {
        announce(shared, Some(id), None);
        arm_refresh_timer(shared);
        return;
    }
    let spec = Spec {
        service: "sts",
        operation: "GetCallerIdentity".into(),
        errors: Errors::Xml,
        signing: Some(Service::Sts),
        needs_credentials: true,
        cli: json11_cli(
            "sts",
            "GetCallerIdentity",
            &json!({}),
            &config.target(),
            true,
        ),
        boto3: json11_boto3(
            "sts",
            "GetCallerIdentity",
            &json!({}),
            &config.target(),
            true,
        ),
    };
    let region = config.region.clone();
    let build = |t, c: Option<&Credentials>| {
        let mut req = sts_request(&config, "Action=GetCallerIdentity&Version=2011-06-15")?;
        if let Some(c) = c {
            sign_request(&mut req, c, &region, Service::Sts, t, Overrides::default())?;
        }
        Ok(req)
    };
    match call(shared, id, &spec, &build, false, None).await {
        Ok(reply) => {
            let body =
                String::from_utf8_lossy(reply.body.as_deref().unwrap_or_default()).into_owned();
            let arn = body
                .split_once("<Arn>")
                .and_then(|(_, rest)| rest.split_once("</Arn>"))
                .map(|(arn, _)| arn.to_string())
                .unwrap_or_default();
            if let Some(s) = shared.borrow_mut().session.as_mut() {
                s.identity_id = Some(arn.clone());
            }
            announce(shared, Some(id), Some(&arn));
        }
        Err(e) => {
            drop_session(shared);
            post::error(id, &e);
        }
    }
}
