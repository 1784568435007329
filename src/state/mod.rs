//! The page's state and the controllers that change it: live mode's connection and inspector,
//! a query run's outputs, a live S3 Select run, and the results table. Components in `ui/` show
//! it; `net/` carries its messages.

pub mod athena;
pub mod chart;
pub mod live;
pub mod live_select;
pub mod run;
pub mod table;
