//! Temporary credentials from Cognito: identity pools (the enhanced flow, and the classic flow
//! through STS AssumeRoleWithWebIdentity, which guests need for usable rights), user-pool
//! sign-in (USER_PASSWORD_AUTH, with the NEW_PASSWORD_REQUIRED challenge), and a cache that
//! refreshes ahead of expiry with at most one refresh at a time.

use crate::credentials::Credentials;
use crate::retry::needs_refresh;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const GET_ID: &str = "AWSCognitoIdentityService.GetId";
pub const GET_CREDENTIALS_FOR_IDENTITY: &str =
    "AWSCognitoIdentityService.GetCredentialsForIdentity";
pub const GET_OPEN_ID_TOKEN: &str = "AWSCognitoIdentityService.GetOpenIdToken";
pub const INITIATE_AUTH: &str = "AWSCognitoIdentityProviderService.InitiateAuth";
pub const RESPOND_TO_AUTH_CHALLENGE: &str =
    "AWSCognitoIdentityProviderService.RespondToAuthChallenge";

/// The Logins map entry for a user pool's id token.
pub fn logins(region: &str, user_pool_id: &str, id_token: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(
        format!("cognito-idp.{region}.amazonaws.com/{user_pool_id}"),
        id_token.to_string(),
    )])
}

pub fn get_id(identity_pool_id: &str, logins: &BTreeMap<String, String>) -> Value {
    let mut v = json!({ "IdentityPoolId": identity_pool_id });
    if !logins.is_empty() {
        v["Logins"] = json!(logins); // cannot fail: v is the object built above
    }
    v
}

pub fn get_credentials_for_identity(identity_id: &str, logins: &BTreeMap<String, String>) -> Value {
    let mut v = json!({ "IdentityId": identity_id });
    if !logins.is_empty() {
        v["Logins"] = json!(logins); // cannot fail: v is the object built above
    }
    v
}

pub fn get_open_id_token(identity_id: &str, logins: &BTreeMap<String, String>) -> Value {
    get_credentials_for_identity(identity_id, logins)
}

pub fn initiate_auth(client_id: &str, username: &str, password: &str) -> Value {
    json!({ "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id, "AuthParameters": { "USERNAME": username, "PASSWORD": password } })
}

pub fn respond_new_password(
    client_id: &str,
    session: &str,
    username: &str,
    new_password: &str,
) -> Value {
    json!({
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "ClientId": client_id,
        "Session": session,
        "ChallengeResponses": { "USERNAME": username, "NEW_PASSWORD": new_password },
    })
}

/// The STS query call for the classic flow (form body; no signature).
pub fn assume_role_with_web_identity_body(
    role_arn: &str,
    session_name: &str,
    token: &str,
) -> String {
    format!(
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn={}&RoleSessionName={}&WebIdentityToken={}&DurationSeconds=3600",
        crate::url::encode(role_arn),
        crate::url::encode(session_name),
        crate::url::encode(token)
    )
}

fn json_body(body: &[u8]) -> Option<Value> {
    serde_json::from_slice(body).ok()
}

pub fn parse_identity_id(body: &[u8]) -> Option<String> {
    json_body(body)?
        .get("IdentityId")?
        .as_str()
        .map(str::to_string)
}

pub fn parse_open_id_token(body: &[u8]) -> Option<String> {
    json_body(body)?.get("Token")?.as_str().map(str::to_string)
}

/// `{"Credentials":{"AccessKeyId","SecretKey","SessionToken","Expiration": epoch seconds}}`.
pub fn parse_identity_credentials(body: &[u8]) -> Option<Credentials> {
    let v = json_body(body)?;
    let c = v.get("Credentials")?;
    // An Expiration no Duration or SystemTime can hold reads as unknown (it used to panic).
    let expiration = c
        .get("Expiration")
        .and_then(Value::as_f64)
        .and_then(|s| Duration::try_from_secs_f64(s.max(0.0)).ok())
        .and_then(|d| UNIX_EPOCH.checked_add(d));
    Some(Credentials {
        access_key_id: c.get("AccessKeyId")?.as_str()?.to_string(),
        secret_access_key: c.get("SecretKey")?.as_str()?.to_string(),
        session_token: c
            .get("SessionToken")
            .and_then(Value::as_str)
            .map(str::to_string),
        expiration,
    })
}

/// STS's XML answer to AssumeRoleWithWebIdentity.
pub fn parse_sts_credentials(body: &[u8]) -> Option<Credentials> {
    let mut reader = Reader::from_reader(body);
    let mut buf = Vec::new();
    let mut current = Vec::new();
    let mut fields: BTreeMap<Vec<u8>, String> = BTreeMap::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => current = e.name().as_ref().to_vec(),
            Ok(Event::Text(t)) => {
                fields.insert(
                    current.clone(),
                    t.unescape().map(|s| s.into_owned()).unwrap_or_default(),
                );
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    let expiration = fields
        .get(b"Expiration".as_slice())
        .and_then(|s| DateTime::from_str(s.trim(), Format::DateTimeWithOffset).ok())
        .and_then(|t| SystemTime::try_from(t).ok());
    Some(Credentials {
        access_key_id: fields.get(b"AccessKeyId".as_slice())?.clone(),
        secret_access_key: fields.get(b"SecretAccessKey".as_slice())?.clone(),
        session_token: fields.get(b"SessionToken".as_slice()).cloned(),
        expiration,
    })
}

/// What user-pool sign-in answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    Tokens {
        id_token: String,
        access_token: String,
        refresh_token: Option<String>,
        expires_in: u64,
    },
    NewPasswordRequired {
        session: String,
    },
    OtherChallenge(String),
}

pub fn parse_sign_in(body: &[u8]) -> Option<SignIn> {
    let v = json_body(body)?;
    if let Some(r) = v.get("AuthenticationResult") {
        return Some(SignIn::Tokens {
            id_token: r.get("IdToken")?.as_str()?.to_string(),
            access_token: r
                .get("AccessToken")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            refresh_token: r
                .get("RefreshToken")
                .and_then(Value::as_str)
                .map(str::to_string),
            expires_in: r.get("ExpiresIn").and_then(Value::as_u64).unwrap_or(3600),
        });
    }
    match v.get("ChallengeName")?.as_str()? {
        "NEW_PASSWORD_REQUIRED" => Some(SignIn::NewPasswordRequired {
            session: v.get("Session")?.as_str()?.to_string(),
        }),
        other => Some(SignIn::OtherChallenge(other.to_string())),
    }
}

/// What the caller should do to get credentials now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// These are good: use them.
    Use(Credentials),
    /// Fetch new ones, then report with `refreshed` or `refresh_failed`.
    Refresh,
    /// Another refresh is under way: wait for it.
    Wait,
}

/// Holds the current credentials; hands out at most one refresh at a time, five minutes before
/// expiry (old credentials still work meanwhile, so callers keep using them while one refreshes).
#[derive(Debug, Default)]
pub struct CredentialCache {
    current: Option<Credentials>,
    refreshing: bool,
}

impl CredentialCache {
    pub fn need(&mut self, now: SystemTime) -> Need {
        let fresh = self
            .current
            .as_ref()
            .filter(|c| !needs_refresh(c.expiration, now));
        if let Some(c) = fresh {
            return Need::Use(c.clone());
        }
        let usable = self
            .current
            .as_ref()
            .filter(|c| c.expiration.is_none_or(|e| now < e));
        if self.refreshing {
            return usable.map_or(Need::Wait, |c| Need::Use(c.clone()));
        }
        self.refreshing = true;
        Need::Refresh
    }

    pub fn refreshed(&mut self, credentials: Credentials) {
        self.current = Some(credentials);
        self.refreshing = false;
    }

    pub fn refresh_failed(&mut self) {
        self.refreshing = false;
    }

    /// Sign out: forget everything.
    /// Drops the current credentials (the service said they expired): the next caller refreshes.
    pub fn invalidate(&mut self) {
        self.current = None;
    }

    pub fn current(&self) -> Option<&Credentials> {
        self.current.as_ref()
    }

    pub fn clear(&mut self) {
        *self = CredentialCache::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(expires: SystemTime) -> Credentials {
        Credentials {
            access_key_id: "ASIA1".into(),
            secret_access_key: "s".into(),
            session_token: Some("t".into()),
            expiration: Some(expires),
        }
    }

    #[test]
    fn one_refresh_at_a_time_five_minutes_ahead() {
        let t0 = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut cache = CredentialCache::default();
        assert_eq!(cache.need(t0), Need::Refresh);
        assert_eq!(
            cache.need(t0),
            Need::Wait,
            "a second caller waits for the first refresh"
        );
        cache.refreshed(creds(t0 + Duration::from_secs(3600)));
        assert!(matches!(cache.need(t0), Need::Use(_)));
        // Six minutes before expiry: still fine. Four minutes before: one refresh, others keep using.
        let late = t0 + Duration::from_secs(3600 - 240);
        assert!(matches!(
            cache.need(t0 + Duration::from_secs(3600 - 360)),
            Need::Use(_)
        ));
        assert_eq!(cache.need(late), Need::Refresh);
        assert!(matches!(cache.need(late), Need::Use(_)));
        cache.refresh_failed();
        assert_eq!(
            cache.need(late),
            Need::Refresh,
            "after a failure the next caller tries again"
        );
        cache.clear();
        assert_eq!(cache.need(late), Need::Refresh);
        // The service says they expired before their time: the next caller refreshes.
        cache.refreshed(creds(t0 + Duration::from_secs(3600)));
        assert!(cache.current().is_some());
        cache.invalidate();
        assert_eq!(cache.current(), None);
        assert_eq!(cache.need(t0), Need::Refresh);
    }

    /// An Expiration no SystemTime can hold (or no Duration: 1e300 seconds) used to panic in
    /// `Duration::from_secs_f64` or the `UNIX_EPOCH +` after it; it now reads as unknown, like an
    /// unreadable STS Expiration.
    #[test]
    fn absurd_expirations_do_not_panic() {
        for exp in ["1e300", "1.8446744073709552e19", "9.3e18", "-5"] {
            let body = format!(
                r#"{{"Credentials":{{"AccessKeyId":"ASIA","SecretKey":"k","Expiration":{exp}}}}}"#
            );
            let c = parse_identity_credentials(body.as_bytes()).unwrap();
            assert_eq!(c.access_key_id, "ASIA", "{exp}");
        }
        let body = br#"{"Credentials":{"AccessKeyId":"A","SecretKey":"k","Expiration":1e300}}"#;
        assert_eq!(parse_identity_credentials(body).unwrap().expiration, None);
    }

    #[test]
    fn parses_the_answers() {
        let c = parse_identity_credentials(br#"{"IdentityId":"x","Credentials":{"AccessKeyId":"ASIA","SecretKey":"k","SessionToken":"t","Expiration":1763900000.5}}"#).unwrap();
        assert_eq!(
            (c.access_key_id.as_str(), c.session_token.as_deref()),
            ("ASIA", Some("t"))
        );
        assert!(c.expiration.is_some());
        let xml = b"<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAX</AccessKeyId><SecretAccessKey>sk</SecretAccessKey><SessionToken>tok</SessionToken><Expiration>2026-11-23T12:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";
        let c = parse_sts_credentials(xml).unwrap();
        assert_eq!(
            (c.access_key_id.as_str(), c.secret_access_key.as_str()),
            ("ASIAX", "sk")
        );
        assert_eq!(
            c.expiration,
            Some(UNIX_EPOCH + Duration::from_secs(1_795_435_200))
        );
        let sts = |exp: &str| {
            let xml = format!("<Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>k</SecretAccessKey><Expiration>{exp}</Expiration></Credentials>");
            parse_sts_credentials(xml.as_bytes()).unwrap().expiration
        };
        assert_eq!(sts(" 2026-11-23T13:00:00.000+01:00 "), c.expiration);
        for bad in [
            "tomorrow",
            "2026-13-01T00:00:00Z",
            "2026-11-23 12:00:00",
            "",
        ] {
            assert_eq!(sts(bad), None, "{bad}");
        }
        assert_eq!(
            parse_sign_in(br#"{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"s1"}"#),
            Some(SignIn::NewPasswordRequired {
                session: "s1".into()
            })
        );
        assert!(matches!(
            parse_sign_in(
                br#"{"AuthenticationResult":{"IdToken":"i","AccessToken":"a","ExpiresIn":3600}}"#
            ),
            Some(SignIn::Tokens { .. })
        ));
        assert_eq!(
            logins("us-east-1", "us-east-1_abc", "tok")
                .keys()
                .next()
                .unwrap(),
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"
        );
        assert!(
            assume_role_with_web_identity_body("arn:aws:iam::1:role/r", "s", "a+b")
                .contains("WebIdentityToken=a%2Bb")
        );
    }
}
