//! Wyvern's AWS client core, with no I/O of its own: it builds and signs requests and decodes
//! responses; the browser (fetch) or a test transport moves the bytes. Time is always passed
//! in: there is no reliable clock in wasm, and tests need a fixed one.

pub mod athena;
pub mod cognito;
pub mod crc32;
pub mod credentials;
pub mod dragons;
pub mod error;
pub mod eventstream;
pub mod http_request;
pub mod inspect;
pub mod policy;
pub mod redact;
pub mod request;
pub mod retry;
pub mod s3;
pub mod s3select;
pub mod signing;
pub mod sigv4;
pub mod snippets;
pub mod ssm;
pub mod url;

pub use credentials::Credentials;
pub use error::AwsError;
