//! Temporary credentials from Cognito: the identity pool's id, then the guest role through the
//! classic flow (GetOpenIdToken, STS AssumeRoleWithWebIdentity) when the config names it, or
//! GetCredentialsForIdentity (signed-in learners, and guests without a guest role).

use crate::call::{call, CallError, Errors, Shared, Spec};
use crate::state::{Config, Mode};
use serde_json::{json, Value};
use wyvern_aws::cognito;
use wyvern_aws::http_request::Request;
use wyvern_aws::redact;
use wyvern_aws::request::json11;
use wyvern_aws::signing::{Service, SignError};
use wyvern_aws::snippets::{json11_boto3, json11_cli};
use wyvern_aws::Credentials;

/// An unsigned JSON 1.1 call to Cognito (`service` is `cognito-identity` or `cognito-idp`).
pub async fn cognito_call(
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
    let spec = Spec::json11(service, action, &shown, config, None);
    let endpoint = config.endpoint();
    let target = format!("{prefix}.{action}");
    let build = |t, _: Option<&Credentials>| {
        json11(&endpoint, Service::Other(service), &target, &body, None, t)
    };
    let reply = call(shared, id, &spec, &build, false, None).await?;
    Ok(reply.body.unwrap_or_default())
}

pub fn malformed(what: &str) -> CallError {
    CallError::local(
        "MalformedResponse",
        format!("The service's answer had no {what}."),
    )
}

/// STS's query API: a form body POSTed to the STS endpoint.
pub fn sts_request(config: &Config, form: &str) -> Result<Request, SignError> {
    let url = format!("{}/", config.endpoint().base("sts"));
    Ok(Request::new("POST", &url)?
        .header("host", &wyvern_aws::url::host(&url))?
        .header("content-type", "application/x-www-form-urlencoded")?
        .body(form.as_bytes().to_vec()))
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
pub async fn identity_credentials(
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
