//! The playground's view of a query, as plain data: the SQL, the dataset, the serialization
//! settings, the example queries and how result records split. No web dependencies: tested
//! natively.

mod dataset;
pub mod examples;
pub mod history;
pub mod records;
mod settings;
mod view;

pub use dataset::Dataset;
pub use settings::*;
pub use view::View;
