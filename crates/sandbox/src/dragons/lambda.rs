//! The instructor kit's Lambda (deploy/lambda/dragons_api.py), ported: the same contract,
//! validation, limits, messages and statuses. The data is the class bucket's data file, found
//! through the course's two parameters, so a report changes what S3 Select sees, as in class.
//! Where the Lambda would raise (a parameter or the file gone, a file that is not a list of
//! dragons), the answer is API Gateway's 502, as the Lambda's failure gives.

use crate::dragons::pyjson::{dumps, dumps_indented, Record};
use crate::s3::store::{crc32_base64, Checksum, Object};
use crate::state::{State, DATA_BUCKET_PARAMETER, DATA_FILE_PARAMETER, SEED_REGION};
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::SystemTime;

/// Report fields and the record members they fill, in the Lambda's order.
pub const FIELDS: [(&str, &str); 7] = [
    ("dragonName", "dragon_name_str"),
    ("description", "description_str"),
    ("family", "family_str"),
    ("city", "location_city_str"),
    ("country", "location_country_str"),
    ("state", "location_state_str"),
    ("neighborhood", "location_neighborhood_str"),
];
const REQUIRED_EXTRA: [&str; 2] = ["reportingPhoneNumber", "confirmationRequired"];
pub const REPORTED_BY: &str = "reported_by_str";
pub const MAX_FIELD_BYTES: usize = 500;
pub const MAX_DATA_BYTES: usize = 512 * 1024;
pub const MAX_REPORTS_PER_REPORTER: usize = 10;
pub const REPORT_LIMIT_EXCEEDED: &str = "ReportLimitExceeded";

/// The Lambda raised: API Gateway answers 502.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raised(pub String);

/// What the Lambda returns: status and body (`Content-Type: application/json`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    /// True when the data file was written.
    pub changed: bool,
}

fn respond(status: u16, body: &impl serde::Serialize) -> Answer {
    Answer {
        status,
        body: dumps(body),
        changed: false,
    }
}

fn message(status: u16, text: &str) -> Answer {
    respond(status, &Record(vec![("message".into(), json!(text))]))
}

/// A line of the select's output: a record, or (for odd data) any other JSON value.
#[derive(Deserialize, serde::Serialize)]
#[serde(untagged)]
enum Item {
    Record(Record),
    Other(Value),
}

/// `_where()`: the bucket and key the course's parameters name.
fn location(state: &State) -> Result<(String, String), Raised> {
    let value = |name: &str| {
        let parameter = state
            .ssm
            .region(SEED_REGION)
            .and_then(|r| r.get(name))
            .and_then(|p| p.current())
            .ok_or_else(|| Raised(format!("ParameterNotFound: {name}")))?;
        // Read without decryption, a SecureString is ciphertext, which names no bucket.
        if parameter.kind == crate::ssm::store::Kind::SecureString {
            return Err(Raised(format!("{name} is a SecureString")));
        }
        Ok(parameter.value.clone())
    };
    Ok((value(DATA_BUCKET_PARAMETER)?, value(DATA_FILE_PARAMETER)?))
}

fn data_file<'s>(state: &'s State, bucket: &str, key: &str) -> Result<&'s Object, Raised> {
    state
        .s3
        .buckets
        .get(bucket)
        .ok_or_else(|| Raised(format!("NoSuchBucket: {bucket}")))?
        .objects
        .get(key)
        .ok_or_else(|| Raised(format!("NoSuchKey: {key}")))
}

/// A SQL string literal: the value with its quotes doubled.
pub fn sql_string(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// `list_dragons`: every dragon, or those of a family, or by name (family wins).
pub fn list(state: &State, params: &[(String, String)], now: SystemTime) -> Result<Answer, Raised> {
    let param = |name: &str| {
        params
            .iter()
            .rev()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    };
    let filter = match (param("family"), param("dragonName")) {
        (Some(family), _) => Some(("family_str", family)),
        (None, Some(name)) => Some(("dragon_name_str", name)),
        (None, None) => None,
    };
    let mut sql = String::from("select * from s3object[*][*] s");
    if let Some((column, value)) = filter {
        sql += &format!(" where s.{column} = {}", sql_string(value));
    }
    let (bucket, key) = location(state)?;
    let object = data_file(state, &bucket, &key)?;
    let lines = crate::s3::select::json_document_records(&object.body, &sql, now)
        .map_err(|(code, text)| Raised(format!("{code}: {text}")))?;
    let text = String::from_utf8_lossy(&lines);
    let mut items = Vec::new();
    for line in text.split('\n').filter(|l| !l.trim().is_empty()) {
        let item: Item = serde_json::from_str(line).map_err(|e| Raised(e.to_string()))?;
        items.push(item);
    }
    Ok(respond(200, &items))
}

/// `short_text`: one line of at most `MAX_FIELD_BYTES` in UTF-8.
fn short_text(value: &Value) -> bool {
    match value {
        Value::String(s) => !s.chars().any(|c| c < ' ') && s.len() <= MAX_FIELD_BYTES,
        _ => false,
    }
}

/// `report_dragon`: validates a report and appends it to the data file for `who`.
pub fn report(
    state: &mut State,
    body: &[u8],
    who: &str,
    now: SystemTime,
) -> Result<Answer, Raised> {
    let not_object = || message(400, "The body must be a JSON object.");
    let text = String::from_utf8_lossy(body);
    let Ok(Item::Record(dragon)) = serde_json::from_str::<Item>(&text) else {
        return Ok(not_object());
    };
    let missing: Vec<&str> = FIELDS
        .iter()
        .map(|(field, _)| *field)
        .chain(REQUIRED_EXTRA)
        .filter(|f| {
            matches!(dragon.get(f), None | Some(Value::Null)) || dragon.get(f) == Some(&json!(""))
        })
        .collect();
    if !missing.is_empty() {
        return Ok(message(400, &format!("Missing: {}.", missing.join(", "))));
    }
    if !matches!(dragon.get("confirmationRequired"), Some(Value::Bool(_))) {
        return Ok(message(400, "confirmationRequired must be true or false."));
    }
    if !FIELDS
        .iter()
        .all(|(f, _)| dragon.get(f).is_some_and(short_text))
    {
        return Ok(message(
            400,
            &format!(
                "Every field must be one line of text of at most {MAX_FIELD_BYTES} bytes (UTF-8)."
            ),
        ));
    }
    let field = |f: &str| {
        dragon
            .get(f)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };

    let (bucket, key) = location(state)?;
    let object = data_file(state, &bucket, &key)?;
    let mut records: Vec<Record> =
        serde_json::from_slice(&object.body).map_err(|e| Raised(format!("the data file: {e}")))?;
    let name = field("dragonName");
    for r in &records {
        let known = match r.get("dragon_name_str") {
            None => "",
            Some(Value::String(s)) => s,
            Some(_) => return Err(Raised("a dragon_name_str that is not text".into())),
        };
        if known.to_lowercase() == name.to_lowercase() {
            return Ok(message(
                409,
                &format!("A dragon named {name} is already reported."),
            ));
        }
    }
    let mine = records
        .iter()
        .filter(|r| r.get(REPORTED_BY) == Some(&json!(who)))
        .count();
    if mine >= MAX_REPORTS_PER_REPORTER {
        return Ok(respond(
            403,
            &Record(vec![
                ("error".into(), json!(REPORT_LIMIT_EXCEEDED)),
                (
                    "message".into(),
                    json!(format!(
                        "You have reported {MAX_REPORTS_PER_REPORTER} dragons, as many as one learner may."
                    )),
                ),
            ]),
        ));
    }
    let mut record = Record(
        FIELDS
            .iter()
            .map(|(f, member)| (member.to_string(), json!(field(f))))
            .collect(),
    );
    record.0.push((REPORTED_BY.into(), json!(who)));
    records.push(record);
    let data = dumps_indented(&records);
    if data.len() > MAX_DATA_BYTES {
        return Ok(message(
            413,
            &format!(
                "The class's dragon data is full ({} KiB): no more reports can be kept.",
                MAX_DATA_BYTES / 1024
            ),
        ));
    }
    // The Lambda's put_object, through S3's own limits (boto3 sends a CRC32 with it).
    state
        .s3
        .room_for(&bucket, &key, data.len())
        .map_err(|_| Raised("the practice account's storage is full".into()))?;
    let mut object = Object::new(
        Vec::new(),
        "application/json",
        crate::clock::epoch_millis(now),
    );
    object.checksum = Some(Checksum {
        algorithm: "CRC32".into(),
        value: crc32_base64(&data),
    });
    object.md5_hex = crate::s3::store::md5_hex(&data);
    object.body = data;
    if let Some(b) = state.s3.buckets.get_mut(&bucket) {
        b.objects.insert(key, object);
    }
    let mut answer = message(201, &format!("{name} reported. Thank you!"));
    answer.changed = true;
    Ok(answer)
}
