//! One file per panel or widget.

pub mod bench;
pub mod controls;
pub mod editor;
pub mod error_view;
pub mod examples_list;
pub mod results;
pub mod table;
