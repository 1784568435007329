//! The course's Dragon API (API Gateway, stage prod, /dragons): list and search, report a new
//! dragon; authorised by the user pool's id token or by IAM (SigV4 for execute-api).

use crate::credentials::Credentials;
use crate::http_request::Request;
use crate::signing::{sign_request, Overrides, Service, SignError};
use serde_json::{json, Value};
use std::time::SystemTime;

#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// `Authorization: <IdToken>` (no "Bearer"), for a user-pool authorizer.
    IdToken(&'a str),
    /// A SigV4 signature for execute-api, for IAM authorization.
    Iam {
        credentials: &'a Credentials,
        region: &'a str,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter<'a> {
    All,
    Name(&'a str),
    Family(&'a str),
}

/// A report; [`NewDragon::to_json`] holds the course's JSON names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewDragon {
    pub dragon_name: String,
    pub description: String,
    pub family: String,
    pub city: String,
    pub country: String,
    pub state: String,
    pub neighborhood: String,
    pub reporting_phone_number: String,
    pub confirmation_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dragon {
    pub name: String,
    pub family: String,
    pub description: String,
    pub city: String,
    pub country: String,
    pub state: String,
    pub neighborhood: String,
}

fn finish(mut req: Request, auth: Auth, time: SystemTime) -> Result<Request, SignError> {
    match auth {
        Auth::IdToken(token) => req.insert("authorization", token)?,
        Auth::Iam {
            credentials,
            region,
        } => {
            sign_request(
                &mut req,
                credentials,
                region,
                Service::ExecuteApi,
                time,
                Overrides::default(),
            )?;
        }
    }
    Ok(req)
}

/// The list URL: `{api}`, with `?dragonName=` or `?family=`.
pub fn list_url(api_url: &str, filter: Filter) -> String {
    match filter {
        Filter::All => api_url.to_string(),
        Filter::Name(n) => format!("{api_url}?dragonName={}", crate::url::encode(n)),
        Filter::Family(f) => format!("{api_url}?family={}", crate::url::encode(f)),
    }
}

/// `GET {api}` with `?dragonName=` or `?family=`.
pub fn list(
    api_url: &str,
    filter: Filter,
    auth: Auth,
    time: SystemTime,
) -> Result<Request, SignError> {
    let url = list_url(api_url, filter);
    let req = Request::new("GET", &url)?.header("host", &crate::url::host(&url))?;
    finish(req, auth, time)
}

impl NewDragon {
    /// The body of the report.
    pub fn to_json(&self) -> Value {
        json!({
            "dragonName": self.dragon_name, "description": self.description, "family": self.family,
            "city": self.city, "country": self.country, "state": self.state,
            "neighborhood": self.neighborhood, "reportingPhoneNumber": self.reporting_phone_number,
            "confirmationRequired": self.confirmation_required,
        })
    }
}

/// The form's checks, before anything is sent: field, message.
pub fn validate(d: &NewDragon) -> Vec<(&'static str, &'static str)> {
    let mut problems = Vec::new();
    for (field, value) in [
        ("dragonName", &d.dragon_name),
        ("description", &d.description),
        ("family", &d.family),
        ("city", &d.city),
        ("country", &d.country),
        ("state", &d.state),
        ("neighborhood", &d.neighborhood),
        ("reportingPhoneNumber", &d.reporting_phone_number),
    ] {
        if value.trim().is_empty() {
            problems.push((field, "required"));
        } else if value.len() > 500 {
            problems.push((field, "at most 500 characters"));
        }
    }
    let digits = d
        .reporting_phone_number
        .chars()
        .filter(char::is_ascii_digit)
        .count();
    if !d.reporting_phone_number.trim().is_empty() && !(7..=15).contains(&digits) {
        problems.push(("reportingPhoneNumber", "a phone number has 7 to 15 digits"));
    }
    problems
}

/// `POST {api}` with the course's JSON body.
pub fn report(
    api_url: &str,
    d: &NewDragon,
    auth: Auth,
    time: SystemTime,
) -> Result<Request, SignError> {
    let req = Request::new("POST", api_url)?
        .header("host", &crate::url::host(api_url))?
        .header("content-type", "application/json")?
        .body(serde_json::to_vec(&d.to_json()).unwrap_or_default());
    finish(req, auth, time)
}

pub fn parse_list(body: &[u8]) -> Option<Vec<Dragon>> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let text = |d: &Value, k: &str| d.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    Some(
        v.as_array()?
            .iter()
            .map(|d| Dragon {
                name: text(d, "dragon_name_str"),
                family: text(d, "family_str"),
                description: text(d, "description_str"),
                city: text(d, "location_city_str"),
                country: text(d, "location_country_str"),
                state: text(d, "location_state_str"),
                neighborhood: text(d, "location_neighborhood_str"),
            })
            .collect(),
    )
}

/// The `{"message": "…"}` the API answers with on errors (and on success for POST).
pub fn parse_message(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    v.get("message")?.as_str().map(str::to_string)
}

/// An error answer of the API. The Lambda names its own refusals (`{"error":
/// "ReportLimitExceeded", "message": …}`); API Gateway's (a bad token, throttling) carry only a
/// message, so their code comes from the status.
pub fn parse_error(status: u16, body: &[u8], request_id: Option<&str>) -> crate::AwsError {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let code = v.get("error").and_then(Value::as_str).map_or_else(
        || {
            match status {
                400 => "BadRequest",
                401 => "Unauthorized",
                403 => "Forbidden",
                404 => "NotFound",
                409 => "Conflict",
                429 => "TooManyRequests",
                _ => "",
            }
            .to_string()
        },
        str::to_string,
    );
    crate::AwsError {
        service: "dragons".into(),
        code: if code.is_empty() {
            format!("HTTP{status}")
        } else {
            code
        },
        message: parse_message(body).unwrap_or_else(|| String::from_utf8_lossy(body).into_owned()),
        request_id: request_id.map(str::to_string),
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_validation() {
        let t = SystemTime::UNIX_EPOCH;
        let r = list(
            "http://127.0.0.1:5005/prod/dragons",
            Filter::Name("O'Brien & co"),
            Auth::IdToken("tok"),
            t,
        )
        .unwrap();
        assert_eq!(
            r.url,
            "http://127.0.0.1:5005/prod/dragons?dragonName=O%27Brien%20%26%20co"
        );
        assert_eq!(r.get("authorization"), Some("tok"));
        let creds = Credentials::new("AKID", "secret", None);
        let r = list(
            "https://abc.execute-api.us-east-1.amazonaws.com/prod/dragons",
            Filter::Family("red"),
            Auth::Iam {
                credentials: &creds,
                region: "us-east-1",
            },
            t,
        )
        .unwrap();
        assert!(r
            .get("authorization")
            .unwrap()
            .contains("/us-east-1/execute-api/aws4_request"));
        let mut d = NewDragon {
            dragon_name: "Puff".into(),
            reporting_phone_number: "12".into(),
            ..NewDragon::default()
        };
        let problems = validate(&d);
        assert!(
            problems.contains(&("family", "required"))
                && problems
                    .contains(&("reportingPhoneNumber", "a phone number has 7 to 15 digits"))
        );
        d.reporting_phone_number = "+1 (907) 555-0100".into();
        assert!(!validate(&d)
            .iter()
            .any(|(f, _)| *f == "reportingPhoneNumber"));
    }

    #[test]
    fn a_report_writes_the_course_names() {
        let d = NewDragon {
            dragon_name: "Puff".into(),
            reporting_phone_number: "12".into(),
            confirmation_required: true,
            ..NewDragon::default()
        };
        let sent = d.to_json();
        assert_eq!(sent["dragonName"], "Puff");
        assert_eq!(sent["reportingPhoneNumber"], "12");
        assert_eq!(sent["confirmationRequired"], true);
        assert_eq!(sent["family"], "");
    }

    #[test]
    fn errors_take_the_lambdas_code_else_the_status() {
        let limit = parse_error(
            403,
            br#"{"error":"ReportLimitExceeded","message":"You have reported 10 dragons."}"#,
            Some("r1"),
        );
        assert_eq!(
            (limit.code.as_str(), limit.message.as_str(), limit.status),
            ("ReportLimitExceeded", "You have reported 10 dragons.", 403)
        );
        assert_eq!(limit.request_id.as_deref(), Some("r1"));
        let gateway = parse_error(403, br#"{"message":"Forbidden"}"#, None);
        assert_eq!(gateway.code, "Forbidden");
        assert_eq!(parse_error(429, b"", None).code, "TooManyRequests");
        let odd = parse_error(502, b"<html>bad gateway</html>", None);
        assert_eq!(
            (odd.code.as_str(), odd.message.as_str()),
            ("HTTP502", "<html>bad gateway</html>")
        );
    }
}
