"""IAM decisions moto does not make itself. moto authorises most calls against the resource "*",
so a policy scoped to ARNs (the instructor kit's) allows nothing; and it never checks what a
service does with the caller's permissions on the caller's behalf (Athena reading Glue tables and
S3 objects, writing results). These helpers evaluate the caller's policies for a given action and
resource ARN, and word JSON services' AccessDeniedException as AWS does."""
import json


def checking():
    """Whether moto checks signatures and IAM now (the emulator turns that on once seeded)."""
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin

    return ActionAuthenticatorMixin.request_count >= settings.INITIAL_NO_AUTH_ACTION_COUNT


def caller(response):
    """The signer of `response`'s request: an IAM user's or an assumed role's access key."""
    from moto.iam.access_control import IAMRequest

    return IAMRequest(account_id=response.current_account, method=response.method, path="/", data=response.data,
                      body=response.raw_body, headers=response.headers, action=response._get_action())._access_key


# What a service acting for the caller adds to the request's context (Athena reading a table's
# files: aws:CalledVia is ["athena.amazonaws.com"]).
ATHENA = {"aws:CalledVia": ["athena.amazonaws.com"]}


def decide(response, action, resource, context=None):
    """"allow", "deny" (an explicit Deny matched) or "none" (no policy allows it); `context`
    holds the request's condition keys."""
    from moto.iam.access_control import IAMPolicy, PermissionResult

    results = [IAMPolicy(p).is_action_permitted(action, resource, incoming_condition_values=context)
               for p in caller(response).collect_policies()]
    if PermissionResult.DENIED in results:
        return "deny"
    return "allow" if PermissionResult.PERMITTED in results else "none"


def not_authorized(response, action, resource):
    """AWS's sentence for a refusal: "User: <arn> is not authorized to perform: <action> on
    resource: <arn> because no identity-based policy allows the <action> action"."""
    why = ("with an explicit deny in an identity-based policy" if decide(response, action, resource) == "deny"
           else f"because no identity-based policy allows the {action} action")
    return f"User: {caller(response).arn} is not authorized to perform: {action} on resource: {resource} {why}"


def json_access_denied(response, action, resource):
    """A JSON 1.1 service's answer when IAM refuses a call: HTTP 400 {"__type":
    "AccessDeniedException", "Message": not_authorized(...)}, content-type
    application/x-amz-json-1.1 (moto's own answer is XML)."""
    from moto.core.exceptions import JsonRESTError

    message = not_authorized(response, action, resource)

    class AccessDeniedException(JsonRESTError):
        code = 400

        def __init__(self):
            super().__init__("AccessDeniedException", message)
            self.description = json.dumps({"__type": "AccessDeniedException", "Message": message})
            self.content_type = "application/x-amz-json-1.1"

    return AccessDeniedException()


def patch_called_via():
    """moto ignores conditions it cannot evaluate, and ForAnyValue:StringEquals is one, so a
    statement granting S3 access only through Athena (`aws:CalledVia`) granted it to every call.
    Here a statement whose aws:CalledVia condition the request's context does not meet does not
    apply (NEUTRAL), as in IAM; a call made straight to S3 carries no aws:CalledVia at all."""
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult

    original = IAMPolicyStatement.is_action_permitted

    def is_action_permitted(self, action, resource="*", principal=None, incoming_condition_values=None):
        for operator, keys in (self._statement.get("Condition") or {}).items():
            for key, expected in keys.items():
                if key.lower() != "aws:calledvia":
                    continue
                expected = [expected] if isinstance(expected, str) else list(expected)
                actual = (incoming_condition_values or {}).get("aws:CalledVia") or []
                actual = [actual] if isinstance(actual, str) else actual
                if operator.endswith("StringEquals") and not any(a in expected for a in actual):
                    return PermissionResult.NEUTRAL
        return original(self, action, resource, principal, incoming_condition_values)

    IAMPolicyStatement.is_action_permitted = is_action_permitted
