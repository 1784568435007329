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


def decide(response, action, resource):
    """"allow", "deny" (an explicit Deny matched) or "none" (no policy allows it)."""
    from moto.iam.access_control import IAMPolicy, PermissionResult

    results = [IAMPolicy(p).is_action_permitted(action, resource) for p in caller(response).collect_policies()]
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
