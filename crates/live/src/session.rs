//! Connecting: guest credentials from the identity pool (classic flow when the config names the
//! guest role, else the enhanced flow), sign-in through the user pool (with the new-password
//! challenge), or pasted keys checked with STS GetCallerIdentity. Also refresh and sign out.

use crate::call::{call, CallError, Errors, Shared, Spec};
use crate::clock::{epoch_ms, now, now_ms, sleep};
use crate::post;
use crate::state::{Challenge, Config, Mode, Session};
use serde_json::{json, Value};
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, UNIX_EPOCH};
use wyvern_aws::cognito::{self, CredentialCache, SignIn};
use wyvern_aws::redact;
use wyvern_aws::request::json11;
use wyvern_aws::retry::{needs_refresh, REFRESH_AHEAD};
use wyvern_aws::signing::{sign_request, Overrides, Service, SignError};
use wyvern_aws::snippets::{json11_boto3, json11_cli};
use wyvern_aws::Credentials;

/// An unsigned JSON 1.1 call to Cognito (`service` is `cognito-identity` or `cognito-idp`).
async fn cognito_call(
    shared: &Shared,
    id: u64,
    config: &Config,
    service: &'static str,
    action: &str,
    body: Value,
) -> Result<Vec<u8>, CallError> {
    let prefix = if service == "cognito-idp" {
        "AWSCognitoIdentityProviderService"
    } else {
        "AWSCognitoIdentityService"
    };
    let shown = redact::json_value(&body);
    let spec = Spec {
        service,
        operation: action.into(),
        errors: Errors::Json(service),
        signing: None,
        needs_credentials: false,
        cli: json11_cli(service, action, &shown, &config.target(), false),
        boto3: json11_boto3(service, action, &shown, &config.target(), false),
    };
    let endpoint = config.endpoint();
    let target = format!("{prefix}.{action}");
    let build = |t, _: Option<&Credentials>| {
        json11(&endpoint, Service::Other(service), &target, &body, None, t)
    };
    let reply = call(shared, id, &spec, &build, false, None).await?;
    Ok(reply.body.unwrap_or_default())
}

fn malformed(what: &str) -> CallError {
    CallError::local(
        "MalformedResponse",
        format!("The service's answer had no {what}."),
    )
}

/// STS's query API: a form body POSTed to the STS endpoint.
fn sts_request(config: &Config, form: &str) -> Result<http::Request<Vec<u8>>, SignError> {
    let url = format!("{}/", config.endpoint().base("sts"));
    http::Request::builder()
        .method("POST")
        .uri(&url)
        .header("host", wyvern_aws::url::host(&url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.as_bytes().to_vec())
        .map_err(|e| SignError::new(e.to_string()))
}

/// Classic guest flow, second half: the identity's OpenID token exchanged for the guest role.
async fn assume_guest_role(
    shared: &Shared,
    id: u64,
    config: &Config,
    token: &str,
) -> Result<Credentials, CallError> {
    let form =
        cognito::assume_role_with_web_identity_body(&config.guest_role_arn, "wyvern-guest", token);
    let shown = json!({"RoleArn": config.guest_role_arn, "RoleSessionName": "wyvern-guest", "WebIdentityToken": redact::REDACTED});
    let spec = Spec {
        service: "sts",
        operation: "AssumeRoleWithWebIdentity".into(),
        errors: Errors::Xml,
        signing: None,
        needs_credentials: false,
        cli: json11_cli(
            "sts",
            "AssumeRoleWithWebIdentity",
            &shown,
            &config.target(),
            false,
        ),
        boto3: json11_boto3(
            "sts",
            "AssumeRoleWithWebIdentity",
            &shown,
            &config.target(),
            false,
        ),
    };
    let build = |_, _: Option<&Credentials>| sts_request(config, &form);
    let reply = call(shared, id, &spec, &build, false, None).await?;
    cognito::parse_sts_credentials(&reply.body.unwrap_or_default())
        .ok_or_else(|| malformed("credentials"))
}

/// Fresh credentials for a guest or signed-in identity; also returns the identity id.
async fn identity_credentials(
    shared: &Shared,
    id: u64,
    config: &Config,
    mode: &Mode,
    identity_id: Option<String>,
) -> Result<(Credentials, String), CallError> {
    let logins = match mode {
        Mode::SignedIn { id_token, .. } => {
            cognito::logins(&config.region, &config.user_pool_id, id_token)
        }
        _ => Default::default(),
    };
    let identity = match identity_id {
        Some(i) => i,
        None => {
            let body = cognito::get_id(&config.identity_pool_id, &logins);
            let answer =
                cognito_call(shared, id, config, "cognito-identity", "GetId", body).await?;
            cognito::parse_identity_id(&answer).ok_or_else(|| malformed("IdentityId"))?
        }
    };
    let credentials = if *mode == Mode::Guest && !config.guest_role_arn.is_empty() {
        let body = cognito::get_open_id_token(&identity, &logins);
        let answer = cognito_call(
            shared,
            id,
            config,
            "cognito-identity",
            "GetOpenIdToken",
            body,
        )
        .await?;
        let token = cognito::parse_open_id_token(&answer).ok_or_else(|| malformed("Token"))?;
        assume_guest_role(shared, id, config, &token).await?
    } else {
        let body = cognito::get_credentials_for_identity(&identity, &logins);
        let answer = cognito_call(
            shared,
            id,
            config,
            "cognito-identity",
            "GetCredentialsForIdentity",
            body,
        )
        .await?;
        cognito::parse_identity_credentials(&answer).ok_or_else(|| malformed("Credentials"))?
    };
    Ok((credentials, identity))
}

fn expiration_ms(c: &Credentials) -> Value {
    c.expiration.map_or(Value::Null, |e| json!(epoch_ms(e)))
}

/// What "remember on this device" keeps in sessionStorage (the learner opted in).
fn remembered(s: &Session, c: &Credentials) -> Value {
    let (mode, username, id_token) = match &s.mode {
        Mode::Guest => ("guest", "", ""),
        Mode::SignedIn { username, id_token } => ("signin", username.as_str(), id_token.as_str()),
        Mode::Keys => ("keys", "", ""),
    };
    json!({
        "mode": mode, "identityId": s.identity_id, "username": username, "idToken": id_token,
        "accessKeyId": c.access_key_id, "secretAccessKey": c.secret_access_key,
        "sessionToken": c.session_token, "expiration": expiration_ms(c),
    })
}

/// Tells the page who is connected and until when.
fn announce(shared: &Shared, kind: &str, id: u64, remember: bool, label: Option<&str>) {
    let st = shared.borrow();
    let Some(s) = st.session.as_ref() else {
        return;
    };
    let Some(c) = s.cache.current() else {
        return;
    };
    let (mode, user) = match &s.mode {
        Mode::Guest => ("guest", String::new()),
        Mode::SignedIn { username, .. } => ("signin", username.clone()),
        Mode::Keys => ("keys", label.unwrap_or_default().to_string()),
    };
    let mut msg = json!({
        "type": kind, "id": id, "mode": mode, "user": user, "identityId": s.identity_id,
        "accessKeyId": c.access_key_id, "expiration": expiration_ms(c),
        "hasIdToken": matches!(s.mode, Mode::SignedIn { .. }),
    });
    if remember {
        msg["remember"] = remembered(s, c);
    }
    post::send(msg);
}

type Pending<T> = Pin<Box<dyn Future<Output = T>>>;

/// Renews the session's credentials (boxed: calls made during the refresh go through `call`,
/// which may itself ask for a refresh).
pub fn refresh(shared: Shared) -> Pending<Result<Credentials, CallError>> {
    Box::pin(async move {
        let (config, mode, identity_id, generation) = {
            let st = shared.borrow();
            let Some(s) = st.session.as_ref() else {
                return Err(CallError::local("NotConnected", "Not connected."));
            };
            (
                s.config.clone(),
                s.mode.clone(),
                s.identity_id.clone(),
                s.generation,
            )
        };
        let result = if mode == Mode::Keys {
            Err(CallError::local(
                "ExpiredToken",
                "The pasted credentials have expired: paste new ones.",
            ))
        } else {
            identity_credentials(&shared, 0, &config, &mode, identity_id).await
        };
        let remember = {
            let mut st = shared.borrow_mut();
            let Some(s) = st.session.as_mut().filter(|s| s.generation == generation) else {
                return Err(CallError::local("NotConnected", "Signed out."));
            };
            match &result {
                Ok((c, identity)) => {
                    s.cache.refreshed(c.clone());
                    s.identity_id = Some(identity.clone());
                }
                Err(_) => s.cache.refresh_failed(),
            }
            st.remember
        };
        let (credentials, _) = result?;
        announce(&shared, "credentials", 0, remember, None);
        arm_refresh_timer(&shared);
        Ok(credentials)
    })
}

/// The service said the credentials expired: forget them so the next attempt refreshes.
/// Returns whether a refresh is possible (not for pasted keys).
pub fn invalidate(shared: &Shared) -> bool {
    let mut st = shared.borrow_mut();
    match st.session.as_mut() {
        Some(s) if s.mode != Mode::Keys => {
            s.cache.invalidate();
            true
        }
        _ => false,
    }
}

/// Refreshes in the background five minutes before expiry, so the countdown the page shows
/// renews by itself and calls never wait for it.
fn arm_refresh_timer(shared: &Shared) {
    let (generation, expiration) = {
        let st = shared.borrow();
        let Some(s) = st.session.as_ref() else { return };
        let Some(e) = s.cache.current().and_then(|c| c.expiration) else {
            return;
        };
        (s.generation, e)
    };
    let token = (generation, epoch_ms(expiration) as u64);
    shared.borrow_mut().refresh_timer = Some(token);
    let due = epoch_ms(expiration) - REFRESH_AHEAD.as_millis() as f64 - now_ms();
    // Never sooner than 15 s: short-lived credentials are renewed by the next call instead.
    let wait = Duration::from_millis(due.max(15_000.0) as u64);
    let shared = shared.clone();
    wasm_bindgen_futures::spawn_local(async move {
        sleep(wait).await;
        if shared.borrow().refresh_timer != Some(token) {
            return;
        }
        let stale = shared
            .borrow()
            .session
            .as_ref()
            .and_then(|s| {
                s.cache
                    .current()
                    .map(|c| needs_refresh(c.expiration, now()))
            })
            .unwrap_or(false);
        if stale {
            let _ = crate::call::credentials(&shared).await;
        }
    });
}

fn install(shared: &Shared, config: Config, mode: Mode, remember: bool) {
    let mut st = shared.borrow_mut();
    st.generation += 1;
    let generation = st.generation;
    st.remember = remember;
    st.challenge = None;
    st.session = Some(Session {
        config,
        mode,
        identity_id: None,
        cache: CredentialCache::default(),
        generation,
    });
}

fn drop_session(shared: &Shared) {
    let mut st = shared.borrow_mut();
    st.session = None;
    st.generation += 1;
}

/// Gets the first credentials of a freshly installed guest or signed-in session.
async fn first_credentials(shared: &Shared, id: u64) {
    match crate::call::credentials(shared).await {
        Ok(_) => {
            let remember = shared.borrow().remember;
            announce(shared, "connected", id, remember, None);
        }
        Err(e) => {
            drop_session(shared);
            post::error(id, &e);
        }
    }
}

fn text(msg: &Value, key: &str) -> String {
    msg.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

pub async fn connect(shared: Shared, id: u64, msg: Value) {
    let config = Config::from_json(msg.get("config").unwrap_or(&Value::Null));
    shared.borrow_mut().allowed_origins = config.origins();
    let remember = msg
        .get("remember")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    match text(&msg, "mode").as_str() {
        "guest" => {
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
        "signin" => {
            let username = text(&msg, "username");
            let body = cognito::initiate_auth(
                &config.user_pool_client_id,
                &username,
                &text(&msg, "password"),
            );
            let answer =
                cognito_call(&shared, id, &config, "cognito-idp", "InitiateAuth", body).await;
            signed_in(&shared, id, config, username, remember, answer).await;
        }
        "keys" => connect_with_keys(&shared, id, config, &msg, remember).await,
        other => post::error(
            id,
            &CallError::local("BadRequest", format!("unknown mode {other:?}")),
        ),
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
            post::send(json!({"type": "challenge", "id": id, "name": "NEW_PASSWORD_REQUIRED"}));
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

pub async fn new_password(shared: Shared, id: u64, msg: Value) {
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
        &text(&msg, "password"),
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
/// wrong secret shows SignatureDoesNotMatch before anything else is tried.
async fn connect_with_keys(shared: &Shared, id: u64, config: Config, msg: &Value, remember: bool) {
    let token = text(msg, "sessionToken");
    let expiration = msg
        .get("expiration")
        .and_then(Value::as_f64)
        .map(|ms| UNIX_EPOCH + Duration::from_millis(ms as u64));
    let credentials = Credentials {
        access_key_id: text(msg, "accessKeyId").trim().to_string(),
        secret_access_key: text(msg, "secretAccessKey").trim().to_string(),
        session_token: (!token.trim().is_empty()).then(|| token.trim().to_string()),
        expiration,
    };
    if credentials.access_key_id.is_empty() || credentials.secret_access_key.is_empty() {
        return post::error(
            id,
            &CallError::local(
                "MissingKeys",
                "Paste an access key id and its secret access key.",
            ),
        );
    }
    let identity_id = msg
        .get("identityId")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mode = match msg.get("restoreMode").and_then(Value::as_str) {
        Some("guest") => Mode::Guest,
        Some("signin") => Mode::SignedIn {
            username: text(msg, "username"),
            id_token: text(msg, "idToken"),
        },
        _ => Mode::Keys,
    };
    let restoring = mode != Mode::Keys;
    install(shared, config.clone(), mode, remember);
    if let Some(s) = shared.borrow_mut().session.as_mut() {
        s.cache.refreshed(credentials);
        s.identity_id = identity_id;
    }
    if restoring {
        announce(shared, "connected", id, remember, None);
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
            announce(shared, "connected", id, remember, Some(&arn));
        }
        Err(e) => {
            drop_session(shared);
            post::error(id, &e);
        }
    }
}

pub fn sign_out(shared: &Shared) {
    let mut st = shared.borrow_mut();
    st.session = None;
    st.challenge = None;
    st.generation += 1;
    st.refresh_timer = None;
    for (_, abort) in st.aborts.drain() {
        abort.abort();
    }
}
