//! Parameter Store (SSM, JSON 1.1): `X-Amz-Target: AmazonSSM.<Operation>`, a JSON body in,
//! a JSON body or a `{"__type", "message"}` error out.

mod filters;
mod input;
pub mod ops;
mod render;
pub mod store;
pub mod validate;

use crate::reply::ApiError;
use input::Input;
use ops::Ctx;
use serde_json::Value;
pub use store::Store;

pub const TARGET_PREFIX: &str = "AmazonSSM.";

/// The operations the practice account answers.
pub const OPERATIONS: &[&str] = &[
    "PutParameter",
    "GetParameter",
    "GetParameters",
    "GetParametersByPath",
    "GetParameterHistory",
    "DeleteParameter",
    "DeleteParameters",
    "DescribeParameters",
];

/// Runs one operation (the target without `AmazonSSM.`) against the store.
pub fn handle(
    store: &mut Store,
    operation: &str,
    body: &[u8],
    ctx: &Ctx,
) -> Result<Value, ApiError> {
    if !OPERATIONS.contains(&operation) {
        return Err(ApiError::new(
            "UnknownOperationException",
            format!(
                "The practice account does not offer {TARGET_PREFIX}{operation}; its Parameter Store answers {}.",
                OPERATIONS.join(", ")
            ),
        ));
    }
    let input = Input::parse(body)?;
    match operation {
        "PutParameter" => ops::put_parameter(store, ctx, &input),
        "GetParameter" => ops::get_parameter(store, ctx, &input),
        "GetParameters" => ops::get_parameters(store, ctx, &input),
        "GetParametersByPath" => ops::get_parameters_by_path(store, ctx, &input),
        "GetParameterHistory" => ops::get_parameter_history(store, ctx, &input),
        "DeleteParameter" => ops::delete_parameter(store, ctx, &input),
        "DeleteParameters" => ops::delete_parameters(store, ctx, &input),
        _ => ops::describe_parameters(store, ctx, &input),
    }
}

#[cfg(test)]
mod tests;
