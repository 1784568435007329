//! "Copy as AWS CLI" and "Copy as boto3": an equivalent command or Python snippet for a call the
//! app made, so a learner can repeat it outside the browser. Secrets never appear: credentials
//! come from the learner's own profile or environment, and tokens and passwords are placeholders.

use serde_json::Value;

/// Where the call went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub region: String,
    /// A custom endpoint (the local emulator); `None` for AWS.
    pub endpoint: Option<String>,
}

/// Quotes a word for a POSIX shell.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=,@+%".contains(&b))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r#"'\''"#))
}

/// `GetParametersByPath` → `get-parameters-by-path`.
pub fn kebab(name: &str) -> String {
    split_words(name).join("-")
}

/// `GetParametersByPath` → `get_parameters_by_path`.
pub fn snake(name: &str) -> String {
    split_words(name).join("_")
}

/// AWS's action and member names are ASCII: ASCII case rules only (Unicode's case tables would
/// cost the live worker's wasm about 10 KB).
fn split_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
        let prev_lower = i
            .checked_sub(1)
            .and_then(|p| chars.get(p))
            .is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
        if c.is_ascii_uppercase() && !word.is_empty() && (prev_lower || next_lower) {
            words.push(std::mem::take(&mut word));
        }
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// A JSON value as a Python literal.
pub fn python(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        // A JSON string literal is a valid Python string literal.
        Value::String(s) => Value::String(s.clone()).to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(python).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), python(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn cli_tail(t: &Target, signed: bool) -> String {
    let mut s = format!(" --region {}", shell_quote(&t.region));
    if let Some(e) = &t.endpoint {
        s += &format!(" --endpoint-url {}", shell_quote(e));
    }
    if !signed {
        s += " --no-sign-request";
    }
    s
}

fn boto3_client(service: &str, t: &Target, signed: bool) -> String {
    let mut args = format!(
        "{}, region_name={}",
        python_str(service),
        python_str(&t.region)
    );
    if let Some(e) = &t.endpoint {
        args += &format!(", endpoint_url={}", python_str(e));
    }
    let mut head = String::from("import boto3\n");
    if !signed {
        head += "from botocore import UNSIGNED\nfrom botocore.config import Config\n";
        args += ", config=Config(signature_version=UNSIGNED)";
    }
    format!("{head}\nclient = boto3.client({args})\n")
}

fn python_str(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// Pagination is the tools' job: the CLI pages by itself and boto3 has paginators.
const PAGINATION: &[&str] = &["NextToken", "MaxResults"];

/// A JSON 1.1 call (`AmazonSSM.GetParametersByPath` with its body) as an AWS CLI command. The
/// body should already have its secrets redacted.
pub fn json11_cli(service: &str, action: &str, body: &Value, t: &Target, signed: bool) -> String {
    let mut cmd = format!("aws {service} {}", kebab(action));
    if let Value::Object(map) = body {
        for (k, v) in map
            .iter()
            .filter(|(k, _)| !PAGINATION.contains(&k.as_str()))
        {
            let flag = kebab(k);
            match v {
                Value::Bool(true) => cmd += &format!(" --{flag}"),
                Value::Bool(false) => cmd += &format!(" --no-{flag}"),
                Value::String(s) => cmd += &format!(" --{flag} {}", shell_quote(s)),
                Value::Number(n) => cmd += &format!(" --{flag} {n}"),
                Value::Null => {}
                other => cmd += &format!(" --{flag} {}", shell_quote(&other.to_string())),
            }
        }
    }
    cmd + &cli_tail(t, signed)
}

/// The same call with boto3.
pub fn json11_boto3(service: &str, action: &str, body: &Value, t: &Target, signed: bool) -> String {
    let args = match body {
        Value::Object(map) => map
            .iter()
            .filter(|(k, _)| !PAGINATION.contains(&k.as_str()))
            .map(|(k, v)| format!("    {k}={},\n", python(v)))
            .collect::<String>(),
        _ => String::new(),
    };
    format!(
        "{}response = client.{}(\n{args})\nprint(response)\n",
        boto3_client(service, t, signed),
        snake(action)
    )
}

/// S3 SelectObjectContent: the serializations are the AWS CLI's JSON shapes.
pub struct SelectCall<'a> {
    pub bucket: &'a str,
    pub key: &'a str,
    pub sql: &'a str,
    pub input_serialization: &'a str,
    pub output_serialization: &'a str,
}

fn compact(json: &str) -> String {
    serde_json::from_str::<Value>(json)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| json.to_string())
}

/// The file the AWS CLI writes a select's records to (it takes no "-" for standard output).
pub fn select_outfile(output_serialization: &str) -> &'static str {
    if output_serialization.contains("CSV") {
        "results.csv"
    } else {
        "results.json"
    }
}

pub fn select_cli(c: &SelectCall, t: &Target) -> String {
    format!(
        "aws s3api select-object-content --bucket {} --key {} --expression {} --expression-type SQL --input-serialization {} --output-serialization {} {}{}",
        shell_quote(c.bucket),
        shell_quote(c.key),
        shell_quote(c.sql),
        shell_quote(&compact(c.input_serialization)),
        shell_quote(&compact(c.output_serialization)),
        select_outfile(c.output_serialization),
        cli_tail(t, true)
    )
}

pub fn select_boto3(c: &SelectCall, t: &Target) -> String {
    let literal = |json: &str| {
        serde_json::from_str::<Value>(json)
            .map(|v| python(&v))
            .unwrap_or_else(|_| "{}".into())
    };
    format!(
        "{}response = client.select_object_content(\n    Bucket={},\n    Key={},\n    Expression={},\n    ExpressionType=\"SQL\",\n    InputSerialization={},\n    OutputSerialization={},\n)\nfor event in response[\"Payload\"]:\n    if \"Records\" in event:\n        print(event[\"Records\"][\"Payload\"].decode(), end=\"\")\n    elif \"Stats\" in event:\n        print(event[\"Stats\"][\"Details\"])\n",
        boto3_client("s3", t, true),
        python_str(c.bucket),
        python_str(c.key),
        python_str(c.sql),
        literal(c.input_serialization),
        literal(c.output_serialization),
    )
}

/// A download into a file of the key's name; `range` (`bytes=0-99`) for its first bytes only.
pub fn get_object_cli(bucket: &str, key: &str, range: Option<&str>, t: &Target) -> String {
    let range = range.map_or(String::new(), |r| format!(" --range {}", shell_quote(r)));
    format!(
        "aws s3api get-object --bucket {} --key {}{range} {}{}",
        shell_quote(bucket),
        shell_quote(key),
        shell_quote(file_of(key)),
        cli_tail(t, true)
    )
}

pub fn get_object_boto3(bucket: &str, key: &str, range: Option<&str>, t: &Target) -> String {
    let range = range.map_or(String::new(), |r| format!(", Range={}", python_str(r)));
    format!(
        "{}response = client.get_object(Bucket={}, Key={}{range})\nprint(response[\"Body\"].read().decode())\n",
        boto3_client("s3", t, true),
        python_str(bucket),
        python_str(key)
    )
}

/// The file's name in the key (the local file the commands upload).
fn file_of(key: &str) -> &str {
    key.rsplit('/')
        .next()
        .filter(|f| !f.is_empty())
        .unwrap_or("object")
}

/// An upload of a local file of the key's name.
pub fn put_object_cli(bucket: &str, key: &str, t: &Target) -> String {
    format!(
        "aws s3api put-object --bucket {} --key {} --body {}{}",
        shell_quote(bucket),
        shell_quote(key),
        shell_quote(file_of(key)),
        cli_tail(t, true)
    )
}

pub fn put_object_boto3(bucket: &str, key: &str, t: &Target) -> String {
    format!(
        "{}with open({}, \"rb\") as body:\n    response = client.put_object(Bucket={}, Key={}, Body=body)\nprint(response[\"ETag\"])\n",
        boto3_client("s3", t, true),
        python_str(file_of(key)),
        python_str(bucket),
        python_str(key)
    )
}

/// One folder's listing, as the object browser asks for it (delimiter `/`).
pub fn list_objects_cli(bucket: &str, prefix: &str, t: &Target) -> String {
    let prefix = if prefix.is_empty() {
        String::new()
    } else {
        format!(" --prefix {}", shell_quote(prefix))
    };
    format!(
        "aws s3api list-objects-v2 --bucket {}{prefix} --delimiter /{}",
        shell_quote(bucket),
        cli_tail(t, true)
    )
}

pub fn list_objects_boto3(bucket: &str, prefix: &str, t: &Target) -> String {
    format!(
        "{}response = client.list_objects_v2(Bucket={}, Prefix={}, Delimiter=\"/\")\nfor folder in response.get(\"CommonPrefixes\", []):\n    print(folder[\"Prefix\"])\nfor obj in response.get(\"Contents\", []):\n    print(obj[\"Key\"], obj[\"Size\"])\n",
        boto3_client("s3", t, true),
        python_str(bucket),
        python_str(prefix)
    )
}

/// A REST call to the Dragon API: there is no AWS CLI command for it, so curl, with the id
/// token left as an environment variable.
pub fn http_curl(method: &str, url: &str, body: Option<&str>, token: bool) -> String {
    let mut cmd = format!("curl -sS -X {method} {}", shell_quote(url));
    if token {
        cmd += " -H \"Authorization: $ID_TOKEN\"";
    }
    if let Some(b) = body {
        cmd += &format!(
            " -H 'Content-Type: application/json' --data {}",
            shell_quote(b)
        );
    }
    cmd
}

pub fn http_requests(method: &str, url: &str, body: Option<&str>, token: bool) -> String {
    let mut s = String::from("import os\n\nimport requests\n\n");
    let headers = if token {
        "headers={\"Authorization\": os.environ[\"ID_TOKEN\"]}"
    } else {
        "headers={}"
    };
    let json = body
        .and_then(|b| serde_json::from_str::<Value>(b).ok())
        .map(|v| format!(", json={}", python(&v)))
        .unwrap_or_default();
    s += &format!(
        "response = requests.request({}, {}, {headers}{json})\nprint(response.status_code, response.text)\n",
        python_str(method),
        python_str(url)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn local() -> Target {
        Target {
            region: "us-east-1".into(),
            endpoint: Some("http://127.0.0.1:5005".into()),
        }
    }

    #[test]
    fn names_and_quoting() {
        assert_eq!(kebab("GetParametersByPath"), "get-parameters-by-path");
        assert_eq!(kebab("IdentityPoolId"), "identity-pool-id");
        assert_eq!(snake("GetOpenIdToken"), "get_open_id_token");
        assert_eq!(kebab("USERNAME"), "username");
        assert_eq!(shell_quote("/dragons/x"), "/dragons/x");
        assert_eq!(shell_quote("it's"), r#"'it'\''s'"#);
        assert_eq!(shell_quote(""), "''");
        assert_eq!(
            python(&json!({"a": [true, null, 1.5, "x\"y"]})),
            r#"{"a": [True, None, 1.5, "x\"y"]}"#
        );
    }

    #[test]
    fn parameter_store_calls() {
        let body = json!({"Path": "/dragons", "Recursive": true, "WithDecryption": false, "NextToken": "abc"});
        assert_eq!(
            json11_cli("ssm", "GetParametersByPath", &body, &local(), true),
            "aws ssm get-parameters-by-path --path /dragons --recursive --no-with-decryption --region us-east-1 --endpoint-url http://127.0.0.1:5005"
        );
        let py = json11_boto3("ssm", "GetParametersByPath", &body, &local(), true);
        assert!(py.contains("client.get_parameters_by_path(\n    Path=\"/dragons\",\n    Recursive=True,\n    WithDecryption=False,\n)"), "{py}");
        assert!(!py.contains("abc"));
        let unsigned = json11_cli(
            "cognito-identity",
            "GetId",
            &json!({"IdentityPoolId": "us-east-1:x"}),
            &local(),
            false,
        );
        assert!(unsigned.ends_with("--no-sign-request"));
    }

    #[test]
    fn a_ranged_download_says_its_range() {
        assert_eq!(
            get_object_cli("b", "d/x.csv", Some("bytes=0-99"), &local()),
            "aws s3api get-object --bucket b --key d/x.csv --range bytes=0-99 x.csv --region us-east-1 --endpoint-url http://127.0.0.1:5005"
        );
        assert!(get_object_boto3("b", "x.csv", Some("bytes=0-99"), &local())
            .contains("client.get_object(Bucket=\"b\", Key=\"x.csv\", Range=\"bytes=0-99\")"));
        assert!(!get_object_cli("b", "x.csv", None, &local()).contains("--range"));
    }

    #[test]
    fn object_uploads_name_the_local_file() {
        assert_eq!(
            put_object_cli("b", "in/my data.csv", &local()),
            "aws s3api put-object --bucket b --key 'in/my data.csv' --body 'my data.csv' --region us-east-1 --endpoint-url http://127.0.0.1:5005"
        );
        let py = put_object_boto3("b", "in/x.csv", &local());
        assert!(py.contains("with open(\"x.csv\", \"rb\") as body:\n    response = client.put_object(Bucket=\"b\", Key=\"in/x.csv\", Body=body)"), "{py}");
    }

    #[test]
    fn select_calls() {
        let c = SelectCall {
            bucket: "b",
            key: "data/d.json",
            sql: "SELECT s.name FROM S3Object[*][*] s WHERE s.family = 'red'",
            input_serialization: r#"{"JSON": {"Type": "DOCUMENT"}}"#,
            output_serialization: r#"{"CSV": {}}"#,
        };
        let aws = Target {
            region: "eu-west-1".into(),
            endpoint: None,
        };
        assert_eq!(
            select_cli(&c, &aws),
            r#"aws s3api select-object-content --bucket b --key data/d.json --expression 'SELECT s.name FROM S3Object[*][*] s WHERE s.family = '\''red'\''' --expression-type SQL --input-serialization '{"JSON":{"Type":"DOCUMENT"}}' --output-serialization '{"CSV":{}}' results.csv --region eu-west-1"#
        );
        let py = select_boto3(&c, &aws);
        assert!(py.contains(r#"InputSerialization={"JSON": {"Type": "DOCUMENT"}},"#));
        assert!(py.contains(
            r#"Expression="SELECT s.name FROM S3Object[*][*] s WHERE s.family = 'red'","#
        ));
    }

    #[test]
    fn dragon_api_calls_keep_the_token_out() {
        let c = http_curl(
            "POST",
            "https://x/prod/dragons",
            Some(r#"{"dragonName":"Ash"}"#),
            true,
        );
        assert_eq!(
            c,
            r#"curl -sS -X POST https://x/prod/dragons -H "Authorization: $ID_TOKEN" -H 'Content-Type: application/json' --data '{"dragonName":"Ash"}'"#
        );
        assert!(http_requests("GET", "https://x", None, true).contains("os.environ[\"ID_TOKEN\"]"));
    }
}
