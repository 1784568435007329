"""The instructor kit's CloudFormation template: it lints clean, and its policies grant exactly
the listed actions on named resources (no wildcard actions; wildcards in resources only where
listed below)."""
import json
import pathlib
import re
import subprocess
import sys

from cfnlint.decode import decode

TEMPLATE = pathlib.Path(__file__).resolve().parents[1] / "template.yaml"

# The only wildcards a resource may hold: the site's files (public read), the /dragons parameter
# tree (read by learners), Athena's table files and the workgroup's results.
ALLOWED_RESOURCE_WILDCARDS = {
    "${SiteBucket.Arn}/*",
    "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/dragons/*",
    "${DataBucket.Arn}/tables/*",
    "${AthenaResultsBucket.Arn}/results/*",
}
READ = {"s3:GetObject", "s3:ListBucket", "ssm:GetParameter", "ssm:GetParameters",
        "ssm:GetParametersByPath", "ssm:GetParameterHistory"}
# A query on Athena: the four calls, the tables' definitions, their files, and the results
# Athena writes and reads with the caller's permissions.
ATHENA = {"athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults",
          "athena:StopQueryExecution", "glue:GetDatabase", "glue:GetTable", "glue:GetPartitions",
          "s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject", "s3:AbortMultipartUpload",
          "s3:ListMultipartUploadParts", "s3:ListBucketMultipartUploads"}
EXPECTED_ACTIONS = {
    "GuestRole": READ | ATHENA,
    "SignedInRole": READ | ATHENA | {"execute-api:Invoke"},
    "DragonsFunctionRole": {"s3:GetObject", "s3:PutObject", "ssm:GetParameter",
                            "logs:CreateLogStream", "logs:PutLogEvents"},
}


def template():
    parsed, errors = decode(str(TEMPLATE))
    assert not errors, errors
    return parsed


def as_text(value):
    """A resource as written: a plain string, or the intrinsic function's text."""
    if isinstance(value, str):
        return value
    if "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        return sub if isinstance(sub, str) else sub[0]
    if "Fn::GetAtt" in value:
        att = value["Fn::GetAtt"]
        return "${" + (att if isinstance(att, str) else ".".join(att)) + "}"
    if "Ref" in value:
        return "${" + value["Ref"] + "}"
    raise AssertionError(f"unexpected resource form {value!r}")


def listed(value):
    return value if isinstance(value, list) else [value]


def statements():
    """(resource name, policy kind, statement) for every IAM policy in the template; a managed
    policy's statements are named by the roles it is attached to."""
    for name, res in template()["Resources"].items():
        props = res.get("Properties", {})
        if res["Type"] == "AWS::IAM::Role":
            for policy in props.get("Policies", []):
                for st in policy["PolicyDocument"]["Statement"]:
                    yield name, "identity", st
            for st in props["AssumeRolePolicyDocument"]["Statement"]:
                yield name, "trust", st
        if res["Type"] == "AWS::IAM::ManagedPolicy":
            # A managed policy's statements count for each role it is attached to.
            for role in props["Roles"]:
                for st in props["PolicyDocument"]["Statement"]:
                    yield role["Ref"], "identity", st
        if res["Type"] == "AWS::S3::BucketPolicy":
            for st in props["PolicyDocument"]["Statement"]:
                yield name, "bucket", st


def test_cfn_lint_passes():
    lint = pathlib.Path(sys.executable).parent / "cfn-lint"
    done = subprocess.run([str(lint), str(TEMPLATE)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_wildcard_actions_and_only_listed_wildcard_resources():
    seen = 0
    for name, kind, st in statements():
        assert st["Effect"] == "Allow", (name, st)
        assert "NotAction" not in st and "NotResource" not in st, name
        for action in listed(st["Action"]):
            assert "*" not in action, f"{name}: wildcard action {action}"
        if kind == "trust":
            continue
        for resource in listed(st["Resource"]):
            text = as_text(resource)
            assert text != "*", f"{name}: Resource *"
            if "*" in text:
                assert text in ALLOWED_RESOURCE_WILDCARDS, f"{name}: wildcard resource {text}"
            seen += 1
    assert seen >= 10


def test_each_role_has_exactly_its_listed_actions():
    actions = {}
    for name, kind, st in statements():
        if kind == "identity":
            actions.setdefault(name, set()).update(listed(st["Action"]))
    assert actions == EXPECTED_ACTIONS


def granted(role, action):
    """The resources `role` may do `action` on, as written."""
    return {as_text(r) for name, kind, st in statements()
            if name == role and kind == "identity" and action in listed(st["Action"]) for r in listed(st["Resource"])}


def test_learners_read_the_data_object_and_athenas_tables_and_write_only_athenas_results():
    for role in ("GuestRole", "SignedInRole"):
        assert granted(role, "s3:GetObject") == {
            "${DataBucket.Arn}/${DataKey}", "${DataBucket.Arn}/tables/*", "${AthenaResultsBucket.Arn}/results/*"}
        assert granted(role, "s3:PutObject") == {"${AthenaResultsBucket.Arn}/results/*"}


def test_athenas_s3_access_is_granted_only_through_athena():
    """The tables' files and the results are the caller's to read and write only when Athena
    does it for them (aws:CalledVia); the course's data object stays readable directly."""
    athena_only = {"ForAnyValue:StringEquals": {"aws:CalledVia": "athena.amazonaws.com"}}
    s3_statements = [st for name, kind, st in statements() if name == "GuestRole" and kind == "identity"
                     and any(a.startswith("s3:") for a in listed(st["Action"]))]
    for st in s3_statements:
        resources = {as_text(r) for r in listed(st["Resource"])}
        if resources & {"${DataBucket.Arn}/${DataKey}"} or st.get("Sid") == "FindTheDataObject":
            assert "Condition" not in st, st
        else:
            assert st.get("Condition") == athena_only, st
    assert sum("Condition" in st for st in s3_statements) == 4


def test_athena_and_glue_grants_are_scoped_to_the_class_workgroup_database_and_tables():
    res = template()["Resources"]
    tables = {r["Properties"]["TableInput"]["Name"] for r in res.values() if r["Type"] == "AWS::Glue::Table"}
    assert tables == {"dragons_jsonl", "dragons_csv"}
    arn = "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:"
    glue = {arn + "catalog", arn + "database/${DragonsDatabase}"} | {arn + f"table/${{DragonsDatabase}}/{t}" for t in tables}
    workgroup = {"arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/${ClassWorkGroup}"}
    for role in ("GuestRole", "SignedInRole"):
        for action in ATHENA:
            service = action.split(":")[0]
            if service == "athena":
                assert granted(role, action) == workgroup, action
            elif service == "glue":
                assert granted(role, action) == glue, action
    assert sorted(r["Ref"] for r in res["AthenaQueryPolicy"]["Properties"]["Roles"]) == ["GuestRole", "SignedInRole"]
    assert granted("DragonsFunctionRole", "athena:StartQueryExecution") == set()


def test_the_workgroup_enforces_its_results_location_and_scan_limit():
    res = template()["Resources"]
    config = res["ClassWorkGroup"]["Properties"]["WorkGroupConfiguration"]
    assert config["EnforceWorkGroupConfiguration"] is True
    # AWS's smallest per-query limit: 10 MB.
    assert config["BytesScannedCutoffPerQuery"] == 10_000_000
    assert as_text(config["ResultConfiguration"]["OutputLocation"]) == "s3://${AthenaResultsBucket}/results/"
    block = res["AthenaResultsBucket"]["Properties"]["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4


def test_the_tables_columns_are_the_data_files_columns_in_their_folders():
    """The CSV's header names the columns of both tables (the JSON lines hold the same keys); each
    table's location is its own folder, where deploy.sh copies the file."""
    res = template()["Resources"]
    data = TEMPLATE.parents[1] / "static" / "data"
    header = (data / "dragons.csv").read_text().splitlines()[0].split(",")
    deploy = (TEMPLATE.parent / "deploy.sh").read_text()
    for name, extension in [("DragonsJsonLinesTable", "jsonl"), ("DragonsCsvTable", "csv")]:
        table = res[name]["Properties"]["TableInput"]
        storage = table["StorageDescriptor"]
        assert [c["Name"] for c in storage["Columns"]] == header
        assert as_text(storage["Location"]) == f"s3://${{DataBucket}}/tables/{table['Name']}/"
        assert f"{table['Name']}:{extension}" in deploy
    keys = set().union(*(json.loads(line) for line in (data / "dragons.jsonl").read_text().splitlines()))
    assert keys <= set(header)


def test_only_the_site_is_public_and_behind_cloudfront_only_the_distribution_reads_it():
    res = template()["Resources"]
    for name, kind, st in statements():
        if st.get("Principal") == "*":
            assert (name, kind, listed(st["Action"])) == ("SiteBucketPolicy", "bucket", ["s3:GetObject"])
    assert res["SiteBucketPolicy"]["Condition"] == "UseWebsite"
    cloudfront = res["SiteBucketCloudFrontPolicy"]
    assert cloudfront["Condition"] == "UseCloudFront"
    [st] = cloudfront["Properties"]["PolicyDocument"]["Statement"]
    assert st["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert "distribution/${SiteDistribution}" in as_text(st["Condition"]["StringEquals"]["AWS:SourceArn"])


def test_https_is_the_default_hosting_and_the_website_endpoint_an_explicit_choice():
    hosting = template()["Parameters"]["Hosting"]
    assert hosting["Default"] == "CloudFront"
    assert sorted(hosting["AllowedValues"]) == ["CloudFront", "Website"]


def test_behind_cloudfront_the_page_gets_the_same_csp_as_a_header():
    res = template()["Resources"]
    header = as_text(res["SiteSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
                     ["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    index = (TEMPLATE.parents[1] / "index.html").read_text()
    meta = index.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    directives = lambda policy: {d.split()[0]: d.split()[1:] for d in " ".join(policy.split()).split("; ")}
    header_d, meta_d = directives(header), directives(meta)
    assert header_d["connect-src"][0] == "'self'" and all(o.startswith("https://") for o in header_d["connect-src"][1:])
    # Every service the live worker calls (scripts/site-config.py's list, kept equal to the worker's).
    services = re.search(r"^SERVICES = \(([^)]*)\)", (TEMPLATE.parents[1] / "scripts" / "site-config.py").read_text(), re.M)
    for service in re.findall(r'"([^"]+)"', services.group(1)):
        assert f"https://{service}.${{AWS::Region}}.amazonaws.com" in header_d["connect-src"], service
    assert {k: v for k, v in header_d.items() if k not in ("connect-src", "frame-ancestors")} == \
        {k: v for k, v in meta_d.items() if k != "connect-src"}
    behaviour = res["SiteDistribution"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"


def test_cognito_roles_trust_only_this_identity_pool_and_the_right_sign_in_state():
    trust = {name: st for name, kind, st in statements() if kind == "trust"}
    for role, amr in [("GuestRole", "unauthenticated"), ("SignedInRole", "authenticated")]:
        st = trust[role]
        assert st["Principal"] == {"Federated": "cognito-identity.amazonaws.com"}
        assert st["Condition"]["StringEquals"]["cognito-identity.amazonaws.com:aud"] == {"Ref": "IdentityPool"}
        assert st["Condition"]["ForAnyValue:StringLike"]["cognito-identity.amazonaws.com:amr"] == amr
    assert trust["DragonsFunctionRole"]["Principal"] == {"Service": "lambda.amazonaws.com"}


def test_the_api_uses_the_user_pool_and_answers_cors_errors():
    res = template()["Resources"]
    for method in ("DragonsGet", "DragonsPost"):
        assert res[method]["Properties"]["AuthorizationType"] == "COGNITO_USER_POOLS"
    assert res["ProdStage"]["Properties"]["StageName"] == "prod"
    kinds = {r["Properties"]["ResponseType"] for r in res.values() if r["Type"] == "AWS::ApiGateway::GatewayResponse"}
    assert kinds == {"DEFAULT_4XX", "DEFAULT_5XX"}
    assert res["UserPoolClient"]["Properties"]["ExplicitAuthFlows"][0] == "ALLOW_USER_PASSWORD_AUTH"
    assert res["IdentityPool"]["Properties"]["AllowClassicFlow"] is True
