"""CloudFormation resource types the instructor kit uses and moto's CloudFormation lacks, built on
moto's own service backends, so deploy/template.yaml deploys into the emulator as into AWS:

    AWS::Cognito::UserPool, AWS::Cognito::UserPoolClient, AWS::Cognito::IdentityPool,
    AWS::Cognito::IdentityPoolRoleAttachment, AWS::ApiGateway::Authorizer,
    AWS::ApiGateway::GatewayResponse, AWS::ApiGateway::Stage, AWS::S3::BucketPolicy,
    AWS::Glue::Database, AWS::Glue::Table, AWS::Athena::WorkGroup

Only creation and deletion, with the attributes the template reads; and moto's
AWS::IAM::ManagedPolicy learns to be deleted with its stack. `install(roles)` registers
them; a role attachment writes the identity pool's roles into `roles` (moto has no
SetIdentityPoolRoles; the emulator's GetCredentialsForIdentity reads them from there).
"""
import json

from moto.core.common_models import CloudFormationModel

ROLES = {}
# moto files every model class under a service named by the second part of its module.
MODULE = "moto.wyvern_cloudformation"


class Created:
    """What CloudFormation needs of a created resource: its physical id and attributes."""

    ATTRIBUTES = ()

    def __init__(self, physical_id, attributes=None):
        self.physical_id = physical_id
        self.attributes = attributes or {}

    @property
    def physical_resource_id(self):
        return self.physical_id

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr in cls.ATTRIBUTES

    def get_cfn_attribute(self, attr):
        return self.attributes[attr]

    @staticmethod
    def cloudformation_name_type():
        return ""

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        pass


def _props(cloudformation_json):
    return dict(cloudformation_json.get("Properties") or {})


class UserPool(Created, CloudFormationModel):
    __module__ = MODULE
    ATTRIBUTES = ("Arn", "ProviderName", "ProviderURL", "UserPoolId")

    @staticmethod
    def cloudformation_type():
        return "AWS::Cognito::UserPool"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.cognitoidp.models import cognitoidp_backends

        props = _props(cloudformation_json)
        name = props.pop("UserPoolName", resource_name)
        pool = cognitoidp_backends[account_id][region_name].create_user_pool(name, props)
        provider = f"cognito-idp.{region_name}.amazonaws.com/{pool.id}"
        return cls(pool.id, {"Arn": pool.arn, "ProviderName": provider, "ProviderURL": "https://" + provider, "UserPoolId": pool.id})


class UserPoolClient(Created, CloudFormationModel):
    __module__ = MODULE
    ATTRIBUTES = ("ClientId", "Name")

    @staticmethod
    def cloudformation_type():
        return "AWS::Cognito::UserPoolClient"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.cognitoidp.models import cognitoidp_backends

        props = _props(cloudformation_json)
        pool_id = props.pop("UserPoolId")
        secret = bool(props.pop("GenerateSecret", False))
        client = cognitoidp_backends[account_id][region_name].create_user_pool_client(pool_id, secret, props)
        return cls(client.id, {"ClientId": client.id, "Name": props.get("ClientName", "")})


class IdentityPool(Created, CloudFormationModel):
    __module__ = MODULE
    ATTRIBUTES = ("Name", "Id")

    @staticmethod
    def cloudformation_type():
        return "AWS::Cognito::IdentityPool"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.cognitoidentity.models import cognitoidentity_backends

        props = _props(cloudformation_json)
        name = props.get("IdentityPoolName", resource_name)
        created = cognitoidentity_backends[account_id][region_name].create_identity_pool(
            identity_pool_name=name,
            allow_unauthenticated_identities=bool(props.get("AllowUnauthenticatedIdentities")),
            supported_login_providers=props.get("SupportedLoginProviders") or {},
            developer_provider_name=props.get("DeveloperProviderName") or "",
            open_id_connect_provider_arns=props.get("OpenIdConnectProviderARNs") or [],
            cognito_identity_providers=props.get("CognitoIdentityProviders") or [],
            saml_provider_arns=props.get("SamlProviderARNs") or [],
            tags={},
        )
        pool_id = json.loads(created)["IdentityPoolId"]
        return cls(pool_id, {"Name": name, "Id": pool_id})


class IdentityPoolRoleAttachment(Created, CloudFormationModel):
    __module__ = MODULE
    @staticmethod
    def cloudformation_type():
        return "AWS::Cognito::IdentityPoolRoleAttachment"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = _props(cloudformation_json)
        ROLES.update(props.get("Roles") or {})
        return cls(props["IdentityPoolId"])


class ApiAuthorizer(Created, CloudFormationModel):
    __module__ = MODULE
    ATTRIBUTES = ("AuthorizerId",)

    @staticmethod
    def cloudformation_type():
        return "AWS::ApiGateway::Authorizer"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.apigateway.models import apigateway_backends

        props = _props(cloudformation_json)
        authorizer = apigateway_backends[account_id][region_name].create_authorizer(
            props["RestApiId"], props.get("Name", resource_name), props["Type"],
            provider_arns=props.get("ProviderARNs"), identity_source=props.get("IdentitySource"),
        )
        return cls(authorizer.id, {"AuthorizerId": authorizer.id})


class ApiGatewayResponse(Created, CloudFormationModel):
    __module__ = MODULE
    @staticmethod
    def cloudformation_type():
        return "AWS::ApiGateway::GatewayResponse"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.apigateway.models import apigateway_backends

        props = _props(cloudformation_json)
        apigateway_backends[account_id][region_name].put_gateway_response(
            rest_api_id=props["RestApiId"], response_type=props["ResponseType"],
            status_code=props.get("StatusCode"), response_parameters=props.get("ResponseParameters") or {},
            response_templates=props.get("ResponseTemplates") or {},
        )
        return cls(f"{props['RestApiId']}-{props['ResponseType']}")


class ApiStage(Created, CloudFormationModel):
    __module__ = MODULE
    @staticmethod
    def cloudformation_type():
        return "AWS::ApiGateway::Stage"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.apigateway.models import apigateway_backends

        props = _props(cloudformation_json)
        stage = apigateway_backends[account_id][region_name].create_stage(
            props["RestApiId"], props["StageName"], props["DeploymentId"],
            description=props.get("Description", ""),
        )
        return cls(stage.name)


class BucketPolicy(Created, CloudFormationModel):
    __module__ = MODULE
    @staticmethod
    def cloudformation_type():
        return "AWS::S3::BucketPolicy"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.s3.models import s3_backends

        props = _props(cloudformation_json)
        s3_backends[account_id]["aws"].put_bucket_policy(props["Bucket"], json.dumps(props["PolicyDocument"]).encode())
        return cls(props["Bucket"])


class GlueDatabase(Created, CloudFormationModel):
    __module__ = MODULE

    @staticmethod
    def cloudformation_type():
        return "AWS::Glue::Database"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.glue.models import glue_backends

        database = _props(cloudformation_json)["DatabaseInput"]
        glue_backends[account_id][region_name].create_database(database["Name"], database)
        return cls(database["Name"], {"region": region_name})

    def delete(self, account_id, region_name):
        from moto.glue.models import glue_backends

        glue_backends[account_id][region_name].delete_database(self.physical_id)


class GlueTable(Created, CloudFormationModel):
    __module__ = MODULE

    @staticmethod
    def cloudformation_type():
        return "AWS::Glue::Table"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.glue.models import glue_backends

        props = _props(cloudformation_json)
        table = props["TableInput"]
        glue_backends[account_id][region_name].create_table(props["DatabaseName"], table["Name"], table)
        created = cls(table["Name"])
        created.database = props["DatabaseName"]
        return created

    def delete(self, account_id, region_name):
        from moto.glue.models import glue_backends

        backend = glue_backends[account_id][region_name]
        # The database may have gone first, with its tables.
        if self.database in backend.databases:
            backend.delete_table(self.database, self.physical_id)


class AthenaWorkGroup(Created, CloudFormationModel):
    __module__ = MODULE

    @staticmethod
    def cloudformation_type():
        return "AWS::Athena::WorkGroup"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.athena.models import athena_backends

        props = _props(cloudformation_json)
        name = props["Name"]
        # CloudFormation calls the API's Configuration WorkGroupConfiguration.
        athena_backends[account_id][region_name].create_work_group(
            name, props.get("WorkGroupConfiguration") or {}, props.get("Description", ""), props.get("Tags") or [],
        )
        return cls(name)

    def delete(self, account_id, region_name):
        from moto.athena.models import athena_backends

        athena_backends[account_id][region_name].delete_work_group(self.physical_id)


def delete_managed_policy(policy, account_id, region_name):
    """What CloudFormation does when a stack's AWS::IAM::ManagedPolicy goes: detach it from its
    roles, then delete it. moto has no delete for it, so its roles could not be deleted."""
    backend = policy.backend
    for role in list(backend.roles.values()):
        if policy.arn in role.managed_policies:
            backend.detach_role_policy(policy.arn, role.name)
    backend.delete_policy(policy.arn)


def install(roles):
    """Registers the types above with moto's CloudFormation; attachments write into `roles`."""
    from moto.cloudformation import parsing
    from moto.iam.models import ManagedPolicy

    ManagedPolicy.delete = delete_managed_policy

    global ROLES
    ROLES = roles
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()
