//! Each operation through `Sandbox::handle`, with requests signed as live mode signs them.

use crate::testing::{answer, call, empty, error, now, request, request_as};
use crate::{Sandbox, State, MAX_BODY_BYTES};
use serde_json::{json, Value};

fn put(s: &mut Sandbox, name: &str, value: &str, kind: &str) -> Value {
    let (status, body) = call(
        s,
        "PutParameter",
        json!({"Name": name, "Value": value, "Type": kind}),
    );
    assert_eq!(status, 200, "{body}");
    body
}

fn names(v: &Value) -> Vec<String> {
    v["Parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn put_overwrite_versions_and_history() {
    let mut s = empty();
    let name = "/wyvern/colour";
    let first = call(
        &mut s,
        "PutParameter",
        json!({"Name": name, "Value": "red", "Type": "String", "Description": "Favourite"}),
    );
    assert_eq!(first, (200, json!({"Version": 1, "Tier": "Standard"})));
    assert_eq!(
        error(&mut s, "PutParameter", json!({"Name": name, "Value": "blue", "Type": "String"})),
        ("ParameterAlreadyExists".into(), "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.".into())
    );
    let (_, second) = call(
        &mut s,
        "PutParameter",
        json!({"Name": name, "Value": "blue", "Overwrite": true}),
    );
    assert_eq!(second["Version"], 2);

    let (_, got) = call(&mut s, "GetParameter", json!({"Name": name}));
    let p = &got["Parameter"];
    assert_eq!(
        (
            p["Value"].as_str(),
            p["Version"].as_i64(),
            p["Type"].as_str()
        ),
        (Some("blue"), Some(2), Some("String"))
    );
    assert_eq!(
        p["ARN"],
        "arn:aws:ssm:us-east-1:123456789012:parameter/wyvern/colour"
    );
    assert_eq!(p["DataType"], "text");
    assert_eq!(p["LastModifiedDate"], 1_796_061_600.0);
    assert!(p.get("Selector").is_none());

    let (_, old) = call(&mut s, "GetParameter", json!({"Name": format!("{name}:1")}));
    assert_eq!(
        (
            old["Parameter"]["Value"].as_str(),
            old["Parameter"]["Selector"].as_str()
        ),
        (Some("red"), Some(":1"))
    );
    assert_eq!(old["Parameter"]["Name"], name);

    let (_, history) = call(&mut s, "GetParameterHistory", json!({"Name": name}));
    let versions: Vec<(i64, &str, &str)> = history["Parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["Version"].as_i64().unwrap(),
                h["Value"].as_str().unwrap(),
                h["Description"].as_str().unwrap(),
            )
        })
        .collect();
    // The overwrite kept the description it did not restate.
    assert_eq!(
        versions,
        [(1, "red", "Favourite"), (2, "blue", "Favourite")]
    );
    assert!(history.get("NextToken").is_none());
    assert_eq!(
        history["Parameters"][0]["LastModifiedUser"],
        "arn:aws:iam::123456789012:user/practice-learner"
    );
}

#[test]
fn selectors_arns_and_top_level_names() {
    let mut s = empty();
    put(&mut s, "/colour", "red", "String");
    // `/colour` and `colour` are the same top-level parameter.
    let (_, got) = call(&mut s, "GetParameter", json!({"Name": "colour"}));
    assert_eq!(got["Parameter"]["Name"], "/colour");
    assert_eq!(
        got["Parameter"]["ARN"],
        "arn:aws:ssm:us-east-1:123456789012:parameter/colour"
    );
    let (_, by_arn) = call(
        &mut s,
        "GetParameter",
        json!({"Name": "arn:aws:ssm:us-east-1:123456789012:parameter/colour"}),
    );
    assert_eq!(by_arn["Parameter"]["Value"], "red");
    assert_eq!(
        error(&mut s, "GetParameter", json!({"Name": "colour:9"})),
        (
            "ParameterVersionNotFound".into(),
            "Systems Manager could not find version 9 of colour. Verify the version and try again."
                .into()
        )
    );
    for missing in [
        "colour:latest",
        "colour:1:2",
        "nothing",
        "nothing:1",
        "colour:",
    ] {
        assert_eq!(
            error(&mut s, "GetParameter", json!({"Name": missing})),
            ("ParameterNotFound".into(), String::new()),
            "{missing}"
        );
    }
    let (_, raw) = call(&mut s, "GetParameter", json!({"Name": "nothing"}));
    assert_eq!(raw, json!({"__type": "ParameterNotFound"}));
}

#[test]
fn secure_strings_are_decrypted_only_when_asked() {
    let mut s = empty();
    put(&mut s, "/wyvern/secure/feeding", "dawn", "SecureString");
    let (_, hidden) = call(
        &mut s,
        "GetParameter",
        json!({"Name": "/wyvern/secure/feeding"}),
    );
    let value = hidden["Parameter"]["Value"].as_str().unwrap();
    assert!(value.starts_with("AQICAH") && !value.contains("dawn"));
    let (_, shown) = call(
        &mut s,
        "GetParameter",
        json!({"Name": "/wyvern/secure/feeding", "WithDecryption": true}),
    );
    assert_eq!(shown["Parameter"]["Value"], "dawn");
    let (_, described) = call(&mut s, "DescribeParameters", json!({}));
    assert_eq!(described["Parameters"][0]["KeyId"], "alias/aws/ssm");
    let (_, history) = call(
        &mut s,
        "GetParameterHistory",
        json!({"Name": "/wyvern/secure/feeding", "WithDecryption": true}),
    );
    assert_eq!(history["Parameters"][0]["Value"], "dawn");
}

#[test]
fn get_parameters_sorts_and_names_the_invalid_ones() {
    let mut s = empty();
    put(&mut s, "/w/b", "2", "String");
    put(&mut s, "/w/a", "1", "StringList");
    let (status, got) = call(
        &mut s,
        "GetParameters",
        json!({"Names": ["/w/b", "/w/missing", "/w/a", "/w/a:1", "/w/a:7"]}),
    );
    assert_eq!(status, 200);
    assert_eq!(names(&got), ["/w/a", "/w/a", "/w/b"]);
    assert_eq!(got["Parameters"][1]["Selector"], ":1");
    assert_eq!(got["InvalidParameters"], json!(["/w/missing", "/w/a:7"]));
    let eleven: Vec<String> = (0..11).map(|i| format!("/w/{i}")).collect();
    let (code, message) = error(&mut s, "GetParameters", json!({"Names": eleven}));
    assert_eq!(code, "ValidationException");
    assert!(message.ends_with("at 'names' failed to satisfy constraint: Member must have length less than or equal to 10."));
    assert_eq!(
        error(&mut s, "GetParameters", json!({})).0,
        "ValidationException"
    );
}

#[test]
fn by_path_one_level_recursive_and_in_pages() {
    let mut s = empty();
    for name in [
        "/p/p0",
        "/p/p1",
        "/p/p2",
        "/p/p3",
        "/p/p4",
        "/p/deeper/p5",
        "/other/x",
        "top",
    ] {
        put(&mut s, name, "v", "String");
    }
    put(&mut s, "/p/secret", "s", "SecureString");
    let pages = |s: &mut Sandbox, recursive: bool| {
        let (mut all, mut token, mut count) = (Vec::new(), None::<String>, 0);
        loop {
            let mut body = json!({"Path": "/p", "Recursive": recursive, "MaxResults": 2});
            if let Some(t) = &token {
                body["NextToken"] = json!(t);
            }
            let (status, page) = call(s, "GetParametersByPath", body);
            assert_eq!(status, 200, "{page}");
            assert!(page["Parameters"].as_array().unwrap().len() <= 2);
            all.extend(names(&page));
            count += 1;
            match page.get("NextToken").and_then(Value::as_str) {
                Some(t) => token = Some(t.to_string()),
                None => return (all, count),
            }
        }
    };
    let (all, count) = pages(&mut s, true);
    assert_eq!(
        all,
        [
            "/p/p0",
            "/p/p1",
            "/p/p2",
            "/p/p3",
            "/p/p4",
            "/p/deeper/p5",
            "/p/secret"
        ]
    );
    assert_eq!(count, 4);
    let (level, _) = pages(&mut s, false);
    assert_eq!(
        level,
        ["/p/p0", "/p/p1", "/p/p2", "/p/p3", "/p/p4", "/p/secret"]
    );
    // A full last page still carries a token; the page after it is empty.
    let (_, full) = call(
        &mut s,
        "GetParametersByPath",
        json!({"Path": "/p/", "MaxResults": 6}),
    );
    assert_eq!(full["NextToken"], "6");
    let (_, after) = call(
        &mut s,
        "GetParametersByPath",
        json!({"Path": "/p/", "MaxResults": 6, "NextToken": "6"}),
    );
    assert_eq!((names(&after).len(), after.get("NextToken")), (0, None));

    let (_, root) = call(&mut s, "GetParametersByPath", json!({"Path": "/"}));
    assert_eq!(names(&root), ["top"]);
    let (_, secure) = call(
        &mut s,
        "GetParametersByPath",
        json!({"Path": "/p", "ParameterFilters": [{"Key": "Type", "Values": ["SecureString"]}], "WithDecryption": true}),
    );
    assert_eq!(secure["Parameters"][0]["Value"], "s");
    assert_eq!(
        error(&mut s, "GetParametersByPath", json!({"Path": "/p", "MaxResults": 11})).1,
        "1 validation error detected: Value 11 at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10"
    );
    assert_eq!(
        error(
            &mut s,
            "GetParametersByPath",
            json!({"Path": "/p", "MaxResults": 0})
        )
        .0,
        "ValidationException"
    );
    assert_eq!(
        error(
            &mut s,
            "GetParametersByPath",
            json!({"Path": "/p", "NextToken": "page-two"})
        )
        .0,
        "InvalidNextToken"
    );
    assert_eq!(
        error(
            &mut s,
            "GetParametersByPath",
            json!({"Path": "/p", "ParameterFilters": [{"Key": "Name", "Values": ["x"]}]})
        )
        .0,
        "InvalidFilterKey"
    );
}

#[test]
fn history_in_pages() {
    let mut s = empty();
    for v in 1..=5 {
        let (status, _) = call(
            &mut s,
            "PutParameter",
            json!({"Name": "/h", "Value": v.to_string(), "Type": "String", "Overwrite": true}),
        );
        assert_eq!(status, 200);
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"Name": "/h", "MaxResults": 2});
        if let Some(t) = &token {
            body["NextToken"] = json!(t);
        }
        let (_, page) = call(&mut s, "GetParameterHistory", body);
        seen.push(
            page["Parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["Version"].as_i64().unwrap())
                .collect::<Vec<_>>(),
        );
        match page.get("NextToken").and_then(Value::as_str) {
            Some(t) => token = Some(t.into()),
            None => break,
        }
    }
    assert_eq!(seen, [vec![1, 2], vec![3, 4], vec![5]]);
    assert_eq!(
        error(&mut s, "GetParameterHistory", json!({"Name": "/h", "MaxResults": 51})).1,
        "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50."
    );
    assert_eq!(
        error(&mut s, "GetParameterHistory", json!({"Name": "/nope"})).0,
        "ParameterNotFound"
    );
}

#[test]
fn delete_one_and_many() {
    let mut s = empty();
    put(&mut s, "/d/a", "1", "String");
    put(&mut s, "/d/b", "2", "String");
    put(&mut s, "c", "3", "String");
    assert_eq!(
        call(&mut s, "DeleteParameter", json!({"Name": "/d/a"})),
        (200, json!({}))
    );
    assert_eq!(
        error(&mut s, "DeleteParameter", json!({"Name": "/d/a"})).0,
        "ParameterNotFound"
    );
    assert_eq!(
        error(&mut s, "GetParameter", json!({"Name": "/d/a"})).0,
        "ParameterNotFound"
    );
    let (_, many) = call(
        &mut s,
        "DeleteParameters",
        json!({"Names": ["/d/b", "/d/zz", "/c"]}),
    );
    assert_eq!(
        many,
        json!({"DeletedParameters": ["/d/b", "/c"], "InvalidParameters": ["/d/zz"]})
    );
    let eleven: Vec<String> = (0..11).map(|i| format!("/d/{i}")).collect();
    assert_eq!(
        error(&mut s, "DeleteParameters", json!({"Names": eleven})).0,
        "ValidationException"
    );
    // A deleted name starts again at version 1.
    assert_eq!(put(&mut s, "/d/a", "again", "String")["Version"], 1);
}

#[test]
fn describe_with_filters_and_pages() {
    let mut s = empty();
    let path = "/described";
    put(&mut s, &format!("{path}/plain"), "a", "String");
    put(&mut s, &format!("{path}/list"), "a,b", "StringList");
    put(&mut s, &format!("{path}/hidden"), "s", "SecureString");
    put(&mut s, &format!("{path}/deeper/x"), "x", "String");
    put(&mut s, "elsewhere", "e", "String");
    let described = |s: &mut Sandbox, filters: Value| {
        let (status, v) = call(
            s,
            "DescribeParameters",
            json!({"ParameterFilters": filters}),
        );
        assert_eq!(status, 200, "{v}");
        let mut n = names(&v);
        n.sort();
        n
    };
    assert_eq!(
        described(&mut s, json!([{"Key": "Path", "Values": [path]}])),
        ["/described/hidden", "/described/list", "/described/plain"]
    );
    assert_eq!(
        described(
            &mut s,
            json!([{"Key": "Path", "Option": "Recursive", "Values": [path]}])
        )
        .len(),
        4
    );
    assert_eq!(
        described(
            &mut s,
            json!([{"Key": "Path", "Option": "Recursive", "Values": [path]}, {"Key": "Type", "Values": ["SecureString"]}])
        ),
        ["/described/hidden"]
    );
    assert_eq!(
        described(
            &mut s,
            json!([{"Key": "Name", "Option": "BeginsWith", "Values": ["/described/pl"]}])
        ),
        ["/described/plain"]
    );
    assert_eq!(
        described(&mut s, json!([{"Key": "Name", "Values": ["elsewhere"]}])),
        ["elsewhere"]
    );

    let (_, first) = call(&mut s, "DescribeParameters", json!({"MaxResults": 2}));
    assert_eq!(
        (names(&first).len(), first["NextToken"].as_str()),
        (2, Some("2"))
    );
    let (_, meta) = call(&mut s, "DescribeParameters", json!({}));
    let p = &meta["Parameters"][0];
    assert!(p.get("Value").is_none());
    assert_eq!(
        p["ARN"],
        "arn:aws:ssm:us-east-1:123456789012:parameter/described/plain"
    );
    assert_eq!(
        (p["Tier"].as_str(), p["Version"].as_i64()),
        (Some("Standard"), Some(1))
    );
    assert_eq!(
        error(&mut s, "DescribeParameters", json!({"MaxResults": 51})).0,
        "ValidationException"
    );
    assert_eq!(
        error(&mut s, "DescribeParameters", json!({"Filters": [{"Key": "Name", "Values": ["/d"]}], "ParameterFilters": [{"Key": "Name", "Values": ["/d"]}]})).1,
        "You can use either Filters or ParameterFilters in a single request."
    );
    let (_, legacy) = call(
        &mut s,
        "DescribeParameters",
        json!({"Filters": [{"Key": "Type", "Values": ["StringList"]}]}),
    );
    assert_eq!(names(&legacy), ["/described/list"]);
    assert_eq!(
        error(
            &mut s,
            "DescribeParameters",
            json!({"ParameterFilters": [{"Key": "Label", "Values": ["x"]}]})
        )
        .0,
        "InvalidFilterKey"
    );
}

#[test]
fn put_refuses_what_aws_refuses() {
    let mut s = empty();
    let refused = |s: &mut Sandbox, body: Value| error(s, "PutParameter", body);
    let invalid = crate::ssm::validate::INVALID_NAME.to_string();
    assert_eq!(
        refused(
            &mut s,
            json!({"Name": "dragon name", "Value": "v", "Type": "String"})
        ),
        ("ValidationException".into(), invalid.clone())
    );
    assert_eq!(
        refused(
            &mut s,
            json!({"Name": "relative/path", "Value": "v", "Type": "String"})
        )
        .1,
        invalid
    );
    assert_eq!(
        refused(
            &mut s,
            json!({"Name": "awsTest", "Value": "v", "Type": "String"})
        )
        .1,
        "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive)."
    );
    assert_eq!(
        refused(
            &mut s,
            json!({"Name": "/aws/x", "Value": "v", "Type": "String"})
        )
        .0,
        "AccessDeniedException"
    );
    assert_eq!(refused(&mut s, json!({"Name": "/w/e", "Value": "", "Type": "String"})).1, "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.");
    assert_eq!(
        refused(&mut s, json!({"Name": "/w/e", "Value": "v"})).1,
        "A parameter type is required when you create a parameter."
    );
    assert_eq!(
        refused(
            &mut s,
            json!({"Name": "/w/e", "Value": "v", "Overwrite": true})
        )
        .1,
        "A parameter type is required when you create a parameter."
    );
    assert_eq!(refused(&mut s, json!({"Name": "/w/e", "Value": "v", "Type": "Str"})).1, "1 validation error detected: Value 'Str' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]");
    assert_eq!(
        refused(
            &mut s,
            json!({"Name": "/w/e", "Value": "v", "Type": "String", "Tier": "Gold"})
        )
        .0,
        "ValidationException"
    );
    assert_eq!(
        refused(
            &mut s,
            json!({"Name": "/w/e", "Value": "v", "Type": "String", "DataType": "json"})
        )
        .0,
        "ValidationException"
    );
    assert!(refused(&mut s, json!({"Name": "/w/e", "Value": "v", "Type": "String", "Overwrite": true, "Tags": [{"Key": "k", "Value": "v"}]})).1.starts_with("Invalid request: tags and overwrite"));
    assert!(refused(
        &mut s,
        json!({"Name": "/w/e", "Value": "x".repeat(4097), "Type": "String"})
    )
    .1
    .starts_with("Standard tier parameters support"));
    assert_eq!(
        refused(
            &mut s,
            json!({"Name": "/w/e", "Value": "v", "Type": "String", "Description": "d".repeat(1025)})
        )
        .0,
        "ValidationException"
    );
    let deep: String = (1..=16).map(|i| format!("/L{i}")).collect();
    assert_eq!(
        refused(
            &mut s,
            json!({"Name": deep, "Value": "v", "Type": "String"})
        )
        .0,
        "HierarchyLevelLimitExceededException"
    );
    assert_eq!(refused(&mut s, json!({"Name": "/w/e", "Type": "String"})).1, "1 validation error detected: Value null at 'value' failed to satisfy constraint: Member must not be null");
    assert_eq!(
        refused(
            &mut s,
            json!({"Name": "n".repeat(2049), "Value": "v", "Type": "String"})
        )
        .0,
        "ValidationException"
    );
    // Spaces around a name are dropped; Intelligent-Tiering picks the tier.
    let (_, trimmed) = call(
        &mut s,
        "PutParameter",
        json!({"Name": "  /w/trimmed ", "Value": "x".repeat(5000), "Type": "String", "Tier": "Intelligent-Tiering"}),
    );
    assert_eq!(trimmed["Tier"], "Advanced");
    assert_eq!(
        call(&mut s, "GetParameter", json!({"Name": "/w/trimmed"})).0,
        200
    );
    // Nothing refused was stored.
    let (_, all) = call(&mut s, "DescribeParameters", json!({}));
    assert_eq!(names(&all), ["/w/trimmed"]);
}

#[test]
fn the_parameter_quota() {
    let mut s = empty().with_parameter_limit(2);
    put(&mut s, "/q/a", "1", "String");
    put(&mut s, "/q/b", "2", "String");
    let (code, message) = error(
        &mut s,
        "PutParameter",
        json!({"Name": "/q/c", "Value": "3", "Type": "String"}),
    );
    assert_eq!(code, "ParameterLimitExceeded");
    assert!(message.starts_with("You have exceeded the number of parameters"));
    // Overwriting is not a new parameter.
    assert_eq!(
        call(
            &mut s,
            "PutParameter",
            json!({"Name": "/q/b", "Value": "22", "Overwrite": true})
        )
        .0,
        200
    );
}

#[test]
fn regions_hold_their_own_parameters() {
    let mut s = empty();
    let creds = crate::auth::practice_credentials();
    let req = request_as(
        "PutParameter",
        &json!({"Name": "/r/x", "Value": "v", "Type": "String"}),
        &creds,
        "eu-west-1",
        now(),
    );
    assert_eq!(answer(&mut s, &req).0, 200);
    assert_eq!(
        error(&mut s, "GetParameter", json!({"Name": "/r/x"})).0,
        "ParameterNotFound"
    );
    let get = request_as(
        "GetParameter",
        &json!({"Name": "/r/x"}),
        &creds,
        "eu-west-1",
        now(),
    );
    let (_, got) = answer(&mut s, &get);
    assert_eq!(
        got["Parameter"]["ARN"],
        "arn:aws:ssm:eu-west-1:123456789012:parameter/r/x"
    );
}

#[test]
fn the_seed_is_the_class_account() {
    let mut s = Sandbox::seeded(now());
    let (_, got) = call(
        &mut s,
        "GetParameters",
        json!({"Names": ["dragon_data_bucket_name", "dragon_data_file_name"]}),
    );
    let values: Vec<&str> = got["Parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["dragons-app-practice", "dragon_stats_one.json"]);
    let (_, dragons) = call(
        &mut s,
        "GetParametersByPath",
        json!({"Path": "/dragons", "Recursive": true}),
    );
    assert_eq!(
        names(&dragons),
        [
            "/dragons/api/stage",
            "/dragons/families",
            "/dragons/secret/feeding-schedule"
        ]
    );
}

#[test]
fn a_restored_snapshot_answers_the_same() {
    let mut s = Sandbox::seeded(now());
    put(&mut s, "/snap/x", "1", "String");
    let snapshot = s.state().to_json();
    let mut restored = Sandbox::from_state(State::from_json(&snapshot).unwrap());
    for (op, body) in [
        ("GetParameter", json!({"Name": "/snap/x"})),
        ("DescribeParameters", json!({})),
        ("GetParameterHistory", json!({"Name": "/dragons/families"})),
    ] {
        assert_eq!(
            call(&mut s, op, body.clone()),
            call(&mut restored, op, body)
        );
    }
    assert_eq!(s.into_state(), restored.into_state());
}

#[test]
fn requests_that_are_not_parameter_store_calls() {
    let mut s = empty();
    let (status, v) = call(&mut s, "SendCommand", json!({}));
    assert_eq!(
        (status, v["__type"].as_str()),
        (400, Some("UnknownOperationException"))
    );
    // Without a target, the credential scope names the service (and this signature covered
    // the target it no longer has).
    let mut no_target = request("GetParameter", &json!({}));
    no_target.headers_mut().remove("x-amz-target");
    assert_eq!(
        answer(&mut s, &no_target).1["__type"],
        "InvalidSignatureException"
    );
    // A request scoped to a service the account does not offer.
    let mut sts = request("GetParameter", &json!({}));
    let auth = sts.headers()["authorization"]
        .to_str()
        .unwrap()
        .replace("/ssm/", "/sts/");
    sts.headers_mut().remove("x-amz-target");
    sts.headers_mut()
        .insert("authorization", http::HeaderValue::from_str(&auth).unwrap());
    let (status, v) = answer(&mut s, &sts);
    assert_eq!(
        (status, v["__type"].as_str()),
        (501, Some("NotImplemented"))
    );
    no_target.headers_mut().remove("authorization");
    assert_eq!(
        answer(&mut s, &no_target).1["__type"],
        "UnknownOperationException"
    );
    let mut get = request("GetParameter", &json!({}));
    *get.method_mut() = http::Method::GET;
    assert_eq!(answer(&mut s, &get).0, 400);
    let big = json!({"Name": "/big", "Value": "x".repeat(MAX_BODY_BYTES), "Type": "String"});
    let (status, v) = answer(&mut s, &request("PutParameter", &big));
    assert_eq!(
        (status, v["__type"].as_str()),
        (413, Some("RequestEntityTooLargeException"))
    );
    let response = s.too_large(&request("PutParameter", &json!({})), 5 << 20, now());
    assert_eq!(response.status(), 413);
    assert!(response.headers().contains_key("x-amzn-requestid"));
}

#[test]
fn bodies_of_the_wrong_shape_are_serialization_errors() {
    let mut s = empty();
    for (op, body) in [
        ("GetParameter", json!({"Name": 5})),
        (
            "PutParameter",
            json!({"Name": "/x", "Value": "v", "Type": "String", "Overwrite": "yes"}),
        ),
        ("GetParameters", json!({"Names": "/x"})),
        (
            "GetParametersByPath",
            json!({"Path": "/x", "MaxResults": "2"}),
        ),
        (
            "DescribeParameters",
            json!({"ParameterFilters": {"Key": "Name"}}),
        ),
        ("GetParameter", json!([])),
    ] {
        assert_eq!(error(&mut s, op, body).0, "SerializationException", "{op}");
    }
}

/// Any JSON-ish body to any operation gets a JSON answer, never a panic.
#[test]
fn arbitrary_bodies_never_panic() {
    let mut s = Sandbox::seeded(now());
    let pieces = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1e300),
        json!(""),
        json!("/"),
        json!("a:b:c"),
        json!("/dragons"),
        json!(["/dragons/families", 3]),
        json!({"Key": "Path"}),
        json!([{"Key": "tag:", "Option": "OneLevel", "Values": ["/", ""]}]),
        json!("é/ü"),
        json!(i64::MAX),
        json!("arn:aws:ssm:us-east-1:123456789012:parameter"),
    ];
    let members = [
        "Name",
        "Names",
        "Value",
        "Type",
        "Path",
        "MaxResults",
        "NextToken",
        "ParameterFilters",
        "Filters",
        "Tier",
        "Overwrite",
        "Recursive",
        "Tags",
        "KeyId",
        "DataType",
    ];
    let mut seed = 11u64;
    for _ in 0..3000 {
        let mut body = serde_json::Map::new();
        for _ in 0..3 {
            seed = crate::reply::splitmix64(seed);
            let m = members[(seed % members.len() as u64) as usize];
            let v = pieces[((seed >> 32) % pieces.len() as u64) as usize].clone();
            body.insert(m.into(), v);
        }
        let op = crate::ssm::OPERATIONS[((seed >> 8) % 8) as usize];
        let response = s.handle(&request(op, &Value::Object(body)), now());
        assert!(serde_json::from_slice::<Value>(response.body()).is_ok());
    }
}
