//! The Parameter Store operations: each reads its request members, applies AWS's checks in
//! AWS's order, and answers the response shape of the API reference.

use super::filters::{self, Usage};
use super::input::{not_null, Input};
use super::render;
use super::store::{Kind, Region, Store, Version};
use super::validate::{self, PageLimit};
use crate::reply::ApiError;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// What every operation needs besides the store and the request.
pub struct Ctx<'a> {
    /// The credential scope's region: each region has its own parameters.
    pub region: &'a str,
    pub now_ms: i64,
    /// Parameters a region may hold (10,000 Standard parameters on AWS).
    pub parameter_limit: usize,
}

fn not_found() -> ApiError {
    // AWS sends this error without a message.
    ApiError::without_message("ParameterNotFound")
}

fn validation(message: &str) -> ApiError {
    ApiError::new("ValidationException", message)
}

/// `NextToken` as an offset into the listing (empty means the start).
fn start(input: &Input) -> Result<usize, ApiError> {
    match input.str("NextToken")?.map(str::trim) {
        None | Some("") => Ok(0),
        Some(token) => token
            .parse()
            .map_err(|_| ApiError::new("InvalidNextToken", "The specified token isn't valid.")),
    }
}

/// One page from `start`, and the next token when the page came out full.
fn page<T: Clone>(items: &[T], start: usize, size: usize) -> (Vec<T>, Option<String>) {
    let taken: Vec<T> = items.iter().skip(start).take(size).cloned().collect();
    let next = (taken.len() == size).then(|| (start + size).to_string());
    (taken, next)
}

fn listing(parameters: Vec<Value>, next: Option<String>) -> Value {
    let mut body = json!({ "Parameters": parameters });
    if let Some(token) = next {
        body["NextToken"] = json!(token);
    }
    body
}

fn required_name<'a>(input: &'a Input, member: &str) -> Result<&'a str, ApiError> {
    let name = input.required_str(member)?;
    validate::name_length(member, name)?;
    Ok(name)
}

fn read_tags(input: &Input) -> Result<BTreeMap<String, String>, ApiError> {
    let mut tags = BTreeMap::new();
    for tag in input.list("Tags")?.into_iter().flatten() {
        let field = |k: &str| tag.get(k).and_then(Value::as_str).map(str::to_string);
        match (field("Key"), field("Value")) {
            (Some(k), Some(v)) => tags.insert(k, v),
            _ => return Err(not_null("Tags.member.key")),
        };
    }
    Ok(tags)
}

pub fn put_parameter(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let raw_name = required_name(input, "Name")?;
    let value = input.required_str("Value")?;
    let description = input.str("Description")?;
    if let Some(d) = description {
        validate::description(d)?;
    }
    let kind =
        match input.str("Type")? {
            None => None,
            Some(t) => Some(Kind::parse(t).ok_or_else(|| {
                validate::enum_error("type", t, "SecureString, StringList, String")
            })?),
        };
    let overwrite = input.bool("Overwrite")?;
    let tags = read_tags(input)?;
    let (asked_key, pattern) = (input.str("KeyId")?, input.str("AllowedPattern")?);
    // AWS drops spaces around a name.
    let name = raw_name.trim_matches(' ');
    validate::put_name(name, ctx.region)?;
    let key = validate::key(name);
    let previous = store
        .region(ctx.region)
        .and_then(|r| r.get(key))
        .and_then(|p| p.current())
        .cloned();
    let tier = validate::tier(input.str("Tier")?, value, previous.as_ref().map(|p| p.tier))?;
    if value.is_empty() {
        return Err(validation("1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1."));
    }
    if overwrite && !tags.is_empty() {
        return Err(validation("Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource."));
    }
    validate::reserved_prefix(name)?;
    let kind = match (kind, &previous) {
        (Some(k), _) => k,
        (None, Some(p)) => p.kind,
        (None, None) => {
            return Err(validation(
                "A parameter type is required when you create a parameter.",
            ))
        }
    };
    let data_type = input.str("DataType")?.unwrap_or("text");
    validate::data_type(data_type)?;
    if previous.is_some() && !overwrite {
        return Err(ApiError::new("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true."));
    }
    let count = store.region(ctx.region).map_or(0, |r| r.listed().len());
    if previous.is_none() && count >= ctx.parameter_limit {
        return Err(ApiError::new("ParameterLimitExceeded", "You have exceeded the number of parameters for this AWS account. Delete one or more parameters and try again."));
    }
    // An overwrite keeps what it does not restate.
    let before = previous.as_ref();
    let key_id = (kind == Kind::SecureString).then(|| {
        asked_key
            .map(str::to_string)
            .or_else(|| before.and_then(|p| p.key_id.clone()))
            .unwrap_or_else(|| "alias/aws/ssm".into())
    });
    let version = Version {
        name: name.to_string(),
        kind,
        value: value.to_string(),
        version: before.map_or(1, |p| p.version + 1),
        modified_ms: ctx.now_ms,
        description: description
            .map(str::to_string)
            .or_else(|| before.and_then(|p| p.description.clone())),
        key_id,
        allowed_pattern: pattern
            .map(str::to_string)
            .or_else(|| before.and_then(|p| p.allowed_pattern.clone())),
        tier,
        data_type: data_type.to_string(),
    };
    let number = version.version;
    store.region_mut(ctx.region).push(key, version, tags);
    Ok(json!({ "Version": number, "Tier": tier.as_str() }))
}

/// A name as GetParameter(s) read it: maybe an ARN, maybe with a `:version` selector. The
/// version and the selector (`:3`) on success.
fn resolve<'r>(
    region: Option<&'r Region>,
    region_name: &str,
    name: &str,
) -> Result<(&'r Version, Option<String>), ApiError> {
    let arn_prefix = format!("{}parameter", validate::arn_prefix(region_name));
    let name = name.strip_prefix(&arn_prefix).unwrap_or(name);
    let parts: Vec<&str> = name.split(':').collect();
    let (base, selector) = match parts[..] {
        [base] => (base, None),
        [base, selector] => (base, Some(selector)),
        _ => return Err(not_found()),
    };
    let parameter = region
        .and_then(|r| r.get(validate::key(base)))
        .ok_or_else(not_found)?;
    let Some(selector) = selector else {
        return parameter.current().map(|v| (v, None)).ok_or_else(not_found);
    };
    if !selector.is_empty() && selector.bytes().all(|b| b.is_ascii_digit()) {
        return parameter
            .versions
            .iter()
            .rev()
            .find(|v| v.version.to_string() == selector)
            .map(|v| (v, Some(format!(":{selector}"))))
            .ok_or_else(|| {
                ApiError::new(
                    "ParameterVersionNotFound",
                    format!("Systems Manager could not find version {selector} of {base}. Verify the version and try again."),
                )
            });
    }
    // A label selector: no version carries labels here.
    Err(not_found())
}

pub fn get_parameter(store: &Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let name = required_name(input, "Name")?;
    let decrypt = input.bool("WithDecryption")?;
    let (v, selector) = resolve(store.region(ctx.region), ctx.region, name)?;
    Ok(json!({ "Parameter": render::parameter(v, decrypt, ctx.region, selector.as_deref()) }))
}

fn names(input: &Input) -> Result<Vec<&str>, ApiError> {
    let names = input.str_list("Names")?.ok_or_else(|| not_null("Names"))?;
    validate::names(&names)?;
    Ok(names)
}

pub fn get_parameters(store: &Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let names = names(input)?;
    let decrypt = input.bool("WithDecryption")?;
    let region = store.region(ctx.region);
    let mut found = BTreeSet::new();
    let mut parameters = Vec::new();
    // AWS lists the answers in alphabetical order.
    for name in names.iter().copied().collect::<BTreeSet<_>>() {
        match resolve(region, ctx.region, name) {
            Ok((v, selector)) => {
                parameters.push(render::parameter(
                    v,
                    decrypt,
                    ctx.region,
                    selector.as_deref(),
                ));
                found.insert(name);
            }
            Err(e) if matches!(e.code, "ParameterNotFound" | "ParameterVersionNotFound") => {}
            Err(e) => return Err(e),
        }
    }
    let invalid: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !found.contains(n))
        .collect();
    Ok(json!({ "Parameters": parameters, "InvalidParameters": invalid }))
}

pub fn delete_parameter(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let name = required_name(input, "Name")?;
    let removed = store
        .regions
        .get_mut(ctx.region)
        .is_some_and(|r| r.remove(validate::key(name)));
    if !removed {
        return Err(not_found());
    }
    Ok(json!({}))
}

pub fn delete_parameters(store: &mut Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let names = names(input)?;
    let mut deleted = BTreeSet::new();
    if let Some(region) = store.regions.get_mut(ctx.region) {
        for name in &names {
            if region.remove(validate::key(name)) {
                deleted.insert(*name);
            }
        }
    }
    let (gone, invalid): (Vec<&str>, Vec<&str>) = names.iter().partition(|n| deleted.contains(*n));
    Ok(json!({ "DeletedParameters": gone, "InvalidParameters": invalid }))
}

/// Whether a key lies under `prefix` (which ends in `/`): directly, or anywhere below when
/// recursive. Top-level names count as directly under `/`.
fn under(key: &str, prefix: &str, recursive: bool) -> bool {
    if prefix != "/" && !key.starts_with(prefix) {
        return false;
    }
    // The first character after the prefix is part of a name, never a separator.
    let rest = key.get(prefix.len() + 1..).unwrap_or("");
    recursive || !rest.contains('/')
}

pub fn get_parameters_by_path(store: &Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let path = required_name(input, "Path")?;
    let recursive = input.bool("Recursive")?;
    let decrypt = input.bool("WithDecryption")?;
    let filters = filters::read(input.list("ParameterFilters")?, Usage::ByPath)?;
    let size = validate::max_results(input.int("MaxResults")?, 10, 10, PageLimit::ByPath)?;
    let from = start(input)?;
    let prefix = format!("{}/", path.trim_end_matches('/'));
    let matching: Vec<&Version> = store
        .region(ctx.region)
        .map(Region::listed)
        .unwrap_or_default()
        .into_iter()
        .filter(|(key, p, v)| under(key, &prefix, recursive) && filters::matches(&filters, p, v))
        .map(|(_, _, v)| v)
        .collect();
    let (taken, next) = page(&matching, from, size);
    let parameters = taken
        .iter()
        .map(|v| render::parameter(v, decrypt, ctx.region, None))
        .collect();
    Ok(listing(parameters, next))
}

pub fn get_parameter_history(store: &Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let name = required_name(input, "Name")?;
    let decrypt = input.bool("WithDecryption")?;
    let size = validate::max_results(input.int("MaxResults")?, 50, 50, PageLimit::Other)?;
    let from = start(input)?;
    let parameter = store
        .region(ctx.region)
        .and_then(|r| r.get(validate::key(name)))
        .ok_or_else(not_found)?;
    let versions = &parameter.versions;
    let (taken, _) = page(versions, from, size);
    // History says "more" only when versions remain.
    let next = (from.saturating_add(size) < versions.len()).then(|| (from + size).to_string());
    let parameters = taken.iter().map(|v| render::history(v, decrypt)).collect();
    Ok(listing(parameters, next))
}

pub fn describe_parameters(store: &Store, ctx: &Ctx, input: &Input) -> Result<Value, ApiError> {
    let non_empty = |member| input.list(member).map(|l| l.is_some_and(|l| !l.is_empty()));
    if non_empty("Filters")? && non_empty("ParameterFilters")? {
        return Err(validation(
            "You can use either Filters or ParameterFilters in a single request.",
        ));
    }
    let filters = filters::read(input.list("ParameterFilters")?, Usage::Describe)?;
    let legacy = filters::read_legacy(input.list("Filters")?)?;
    let size = validate::max_results(input.int("MaxResults")?, 10, 50, PageLimit::Other)?;
    let from = start(input)?;
    let matching: Vec<&Version> = store
        .region(ctx.region)
        .map(Region::listed)
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, p, v)| filters::matches(&filters, p, v) && filters::matches_legacy(&legacy, v))
        .map(|(_, _, v)| v)
        .collect();
    let (taken, next) = page(&matching, from, size);
    let parameters = taken
        .iter()
        .map(|v| render::metadata(v, ctx.region))
        .collect();
    Ok(listing(parameters, next))
}
