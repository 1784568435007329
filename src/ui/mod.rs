//! One file per panel or widget.

pub mod athena;
pub mod chart;
pub mod completion;
pub mod connection;
pub mod controls;
pub mod detection;
pub mod dragons;
pub mod editor;
pub mod error_view;
pub mod event;
pub mod examples_list;
pub mod format;
pub mod history;
pub mod inspector;
pub mod parameters;
pub mod playground;
pub mod results;
pub mod s3_source;
pub mod shape;
pub mod svg;
pub mod tab;
