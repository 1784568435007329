//! Parameter Store's rules for names, values, tiers and page sizes, with AWS's error codes and
//! texts (as the emulator and moto word them: the differential test compares them).
//! Rules: docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html
//! and parameter-store-advanced-parameters.html.

use super::store::Tier;
use crate::auth::ACCOUNT_ID;
use crate::reply::ApiError;

/// The longest name, counted with the ARN that precedes it.
pub const ARN_MAX: usize = 1011;
/// The API model's limit on the `Name` member itself.
pub const NAME_MAX: usize = 2048;
pub const HIERARCHY_MAX: usize = 15;
pub const DESCRIPTION_MAX: usize = 1024;

/// AWS's answer to a character outside `a-zA-Z0-9_.-/`, a hierarchy without its leading slash
/// or an empty level: the same text as for a reserved prefix in a path.
pub const INVALID_NAME: &str = "Parameter name: can't be prefixed with \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_";
const RESERVED_NAME: &str =
    "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).";
const NAME_TOO_LONG: &str = "Parameter name: the fully qualified name, counted with the ARN that precedes it, can have at most 1011 characters.";
const HIERARCHY_TOO_DEEP: &str = "A hierarchy can have a maximum of 15 levels.";
const STANDARD_VALUE_TOO_LONG: &str = "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html";
const ADVANCED_VALUE_TOO_LONG: &str =
    "Advanced tier parameters support a maximum parameter value of 8192 characters.";

fn validation(message: impl Into<String>) -> ApiError {
    ApiError::new("ValidationException", message)
}

/// The store's key for a name: a top-level name is the same parameter with or without its
/// leading slash (`/colour` is `colour`), as its ARN shows.
pub fn key(name: &str) -> &str {
    match name.strip_prefix('/') {
        Some(rest) if !rest.contains('/') => rest,
        _ => name,
    }
}

fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// `arn:aws:ssm:us-east-1:123456789012:parameter/dragons/families`.
pub fn arn(region: &str, name: &str) -> String {
    format!(
        "{}parameter/{}",
        arn_prefix(region),
        name.strip_prefix('/').unwrap_or(name)
    )
}

/// `arn:aws:ssm:us-east-1:123456789012:` (what a name given as an ARN starts with).
pub fn arn_prefix(region: &str) -> String {
    format!("arn:{}:ssm:{region}:{ACCOUNT_ID}:", partition(region))
}

/// The model's length limit on a name member (checked before anything else, as AWS does).
pub fn name_length(member: &str, name: &str) -> Result<(), ApiError> {
    if name.chars().count() > NAME_MAX {
        return Err(validation(format!(
            "1 validation error detected: Value '{name}' at '{}' failed to satisfy constraint: Member must have length less than or equal to {NAME_MAX}",
            super::input::field_path(member)
        )));
    }
    Ok(())
}

/// PutParameter's rules for a name (already trimmed of surrounding spaces).
pub fn put_name(name: &str, region: &str) -> Result<(), ApiError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/');
    let levels: Vec<&str> = name.split('/').collect();
    let fully_qualified = !name.contains('/') || name.starts_with('/');
    let empty_level = levels.iter().skip(1).any(|l| l.is_empty());
    if name.is_empty() || !name.chars().all(allowed) || !fully_qualified || empty_level {
        return Err(validation(INVALID_NAME));
    }
    if arn(region, name).len() > ARN_MAX {
        return Err(validation(NAME_TOO_LONG));
    }
    let depth = if name.starts_with('/') {
        levels.len() - 1
    } else {
        levels.len()
    };
    if depth > HIERARCHY_MAX {
        return Err(ApiError::new(
            "HierarchyLevelLimitExceededException",
            HIERARCHY_TOO_DEEP,
        ));
    }
    Ok(())
}

/// Names starting with `aws` or `ssm` (any case, after the slashes) are AWS's.
pub fn reserved_prefix(name: &str) -> Result<(), ApiError> {
    let lower = name.to_ascii_lowercase();
    let bare = lower.trim_start_matches('/');
    if !(bare.starts_with("aws") || bare.starts_with("ssm")) {
        return Ok(());
    }
    let is_path = name.matches('/').count() > 1;
    if is_path && lower.starts_with("/aws") {
        return Err(ApiError::new(
            "AccessDeniedException",
            format!("No access to reserved parameter name: {name}."),
        ));
    }
    Err(validation(if is_path {
        INVALID_NAME
    } else {
        RESERVED_NAME
    }))
}

pub fn description(text: &str) -> Result<(), ApiError> {
    if text.chars().count() > DESCRIPTION_MAX {
        return Err(validation(format!(
            "1 validation error detected: Value '{text}' at 'description' failed to satisfy constraint: Member must have length less than or equal to {DESCRIPTION_MAX}"
        )));
    }
    Ok(())
}

/// A member outside its enum (`Type`, `Tier`), worded as AWS words model violations.
pub fn enum_error(member: &str, given: &str, allowed: &str) -> ApiError {
    validation(format!(
        "1 validation error detected: Value '{given}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{allowed}]"
    ))
}

/// The tier a put lands in: the one asked for, else the parameter's, else Standard;
/// Intelligent-Tiering picks Advanced only for a value Standard cannot hold. A value too long
/// for the tier is refused. Values are measured in characters, as AWS's message says.
pub fn tier(asked: Option<&str>, value: &str, previous: Option<Tier>) -> Result<Tier, ApiError> {
    let length = value.chars().count();
    let tier = match asked {
        None => previous.unwrap_or(Tier::Standard),
        Some("Standard") => Tier::Standard,
        Some("Advanced") => Tier::Advanced,
        Some("Intelligent-Tiering") if length > Tier::Standard.max_value() => Tier::Advanced,
        Some("Intelligent-Tiering") => Tier::Standard,
        Some(other) => {
            return Err(enum_error(
                "tier",
                other,
                "Standard, Advanced, Intelligent-Tiering",
            ))
        }
    };
    if length > tier.max_value() {
        return Err(validation(match tier {
            Tier::Standard => STANDARD_VALUE_TOO_LONG,
            Tier::Advanced => ADVANCED_VALUE_TOO_LONG,
        }));
    }
    Ok(tier)
}

pub fn data_type(given: &str) -> Result<(), ApiError> {
    if !matches!(given, "text" | "aws:ec2:image") {
        return Err(validation(format!(
            "The following data type is not supported: {given} (Data type names are all lowercase.)"
        )));
    }
    Ok(())
}

/// How an operation words a `MaxResults` above its limit (GetParametersByPath's text differs
/// from the others').
#[derive(Clone, Copy)]
pub enum PageLimit {
    ByPath,
    Other,
}

/// The page size: `MaxResults` within 1..=max, or the default.
pub fn max_results(
    asked: Option<i64>,
    default: usize,
    max: usize,
    style: PageLimit,
) -> Result<usize, ApiError> {
    let Some(n) = asked else {
        return Ok(default);
    };
    if n < 1 {
        return Err(validation(format!(
            "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"
        )));
    }
    if n > max as i64 {
        return Err(validation(match style {
            PageLimit::ByPath => format!(
                "1 validation error detected: Value {n} at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to {max}"
            ),
            PageLimit::Other => format!(
                "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to {max}."
            ),
        }));
    }
    Ok(n as usize)
}

/// `Names` of GetParameters and DeleteParameters: 1 to 10 of them.
pub fn names(names: &[&str]) -> Result<(), ApiError> {
    if names.is_empty() {
        return Err(validation(
            "1 validation error detected: Value '[]' at 'names' failed to satisfy constraint: Member must have length greater than or equal to 1.",
        ));
    }
    if names.len() > 10 {
        return Err(validation(format!(
            "1 validation error detected: Value '[{}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10.",
            names.join(", ")
        )));
    }
    for name in names {
        name_length("Names", name)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: &str = "us-east-1";

    #[test]
    fn names_aws_refuses() {
        for name in [
            "dragon name",
            "/dragons/fire breath",
            "/dragons/email@class",
            "/dragons/{name}",
            "relative/path",
            "/dragons//empty-level",
            "/dragons/",
            "/",
            "",
            "/dragons/é",
            "colour:1",
        ] {
            let e = put_name(name, R).unwrap_err();
            assert_eq!(
                (e.code, e.message.as_deref()),
                ("ValidationException", Some(INVALID_NAME)),
                "{name:?}"
            );
        }
        for name in [
            "colour",
            "/colour",
            "/dragons/api/stage",
            "a.b-c_d",
            "/A/b.c",
        ] {
            put_name(name, R).unwrap();
        }
    }

    #[test]
    fn name_length_counts_the_arn_and_depth_counts_levels() {
        let prefix = "arn:aws:ssm:us-east-1:123456789012:parameter/";
        assert_eq!(prefix.len(), 45);
        let longest = "/p/".to_string() + &"n".repeat(ARN_MAX - prefix.len() - 2);
        assert_eq!(arn(R, &longest).len(), ARN_MAX);
        put_name(&longest, R).unwrap();
        let e = put_name(&(longest + "n"), R).unwrap_err();
        assert_eq!(e.code, "ValidationException");
        let fifteen: String = (1..=15).map(|i| format!("/L{i}")).collect();
        put_name(&fifteen, R).unwrap();
        let e = put_name(&format!("{fifteen}/L16"), R).unwrap_err();
        assert_eq!(e.code, "HierarchyLevelLimitExceededException");
        let bare: Vec<String> = (1..=16).map(|i| format!("L{i}")).collect();
        // Without the leading slash it is not fully qualified, whatever the depth.
        assert_eq!(
            put_name(&bare.join("/"), R).unwrap_err().code,
            "ValidationException"
        );
        assert!(name_length("Name", &"n".repeat(NAME_MAX)).is_ok());
        assert!(name_length("Name", &"n".repeat(NAME_MAX + 1)).is_err());
    }

    #[test]
    fn reserved_prefixes() {
        for (name, code, text) in [
            ("awsTest", "ValidationException", RESERVED_NAME),
            ("SSM-test", "ValidationException", RESERVED_NAME),
            ("/aws", "ValidationException", RESERVED_NAME),
            ("/ssm/dragons", "ValidationException", INVALID_NAME),
            (
                "/aws/dragons",
                "AccessDeniedException",
                "No access to reserved parameter name: /aws/dragons.",
            ),
            (
                "/AWS/x/y",
                "AccessDeniedException",
                "No access to reserved parameter name: /AWS/x/y.",
            ),
        ] {
            let e = reserved_prefix(name).unwrap_err();
            assert_eq!((e.code, e.message.as_deref()), (code, Some(text)), "{name}");
        }
        for name in ["dragons", "/dragons/aws", "a-ssm", "/as/ws"] {
            reserved_prefix(name).unwrap();
        }
    }

    #[test]
    fn tiers_and_value_sizes() {
        let v4096 = "x".repeat(4096);
        assert_eq!(tier(None, &v4096, None), Ok(Tier::Standard));
        assert!(tier(None, &"x".repeat(4097), None)
            .unwrap_err()
            .message
            .unwrap()
            .starts_with("Standard tier parameters support a maximum parameter value of 4096"));
        // Characters, not bytes: 4096 é (8192 bytes) fit.
        assert_eq!(tier(None, &"é".repeat(4096), None), Ok(Tier::Standard));
        assert_eq!(
            tier(Some("Advanced"), &"x".repeat(8192), None),
            Ok(Tier::Advanced)
        );
        assert!(tier(Some("Advanced"), &"x".repeat(8193), None).is_err());
        assert_eq!(
            tier(Some("Intelligent-Tiering"), &"x".repeat(5000), None),
            Ok(Tier::Advanced)
        );
        assert_eq!(
            tier(Some("Intelligent-Tiering"), "x", None),
            Ok(Tier::Standard)
        );
        // An overwrite without a tier keeps the parameter's.
        assert_eq!(
            tier(None, &"x".repeat(5000), Some(Tier::Advanced)),
            Ok(Tier::Advanced)
        );
        assert_eq!(
            tier(Some("Gold"), "x", None).unwrap_err().code,
            "ValidationException"
        );
    }

    #[test]
    fn keys_arns_and_page_sizes() {
        assert_eq!(key("/colour"), "colour");
        assert_eq!(key("colour"), "colour");
        assert_eq!(key("/dragons/families"), "/dragons/families");
        assert_eq!(
            arn(R, "/dragons/families"),
            "arn:aws:ssm:us-east-1:123456789012:parameter/dragons/families"
        );
        assert_eq!(
            arn("cn-north-1", "x"),
            "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/x"
        );
        assert_eq!(max_results(None, 10, 10, PageLimit::ByPath), Ok(10));
        assert_eq!(max_results(Some(3), 10, 10, PageLimit::ByPath), Ok(3));
        for n in [0, -1, 11, i64::MAX] {
            assert!(max_results(Some(n), 10, 10, PageLimit::ByPath).is_err());
        }
        assert!(names(&[]).is_err() && names(&["a"; 11]).is_err() && names(&["a"; 10]).is_ok());
        assert!(data_type("text").is_ok() && data_type("TEXT").is_err());
    }
}
