//! The only code that talks to browser APIs beyond the DOM: the engine worker and the page URL.

pub mod engine;
pub mod live;
pub mod page;
