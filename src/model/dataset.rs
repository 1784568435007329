//! The datasets a query can read: the bundled dragon data, a file the learner opened, or an S3
//! object queried live.

use super::settings::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    DragonsJson,
    DragonsJsonLines,
    DragonsCsv,
    DragonsParquet,
    /// A file the user opened; it is never in a link.
    File,
    /// An S3 object queried live (S3 Select); needs a connection, so never restored from a link.
    S3,
}

impl Dataset {
    pub const BUNDLED: [Dataset; 4] = [
        Dataset::DragonsJson,
        Dataset::DragonsJsonLines,
        Dataset::DragonsCsv,
        Dataset::DragonsParquet,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Dataset::DragonsJson => "json",
            Dataset::DragonsJsonLines => "jsonl",
            Dataset::DragonsCsv => "csv",
            Dataset::DragonsParquet => "parquet",
            Dataset::File => "file",
            Dataset::S3 => "s3",
        }
    }

    pub fn from_id(id: &str) -> Option<Dataset> {
        [
            Dataset::DragonsJson,
            Dataset::DragonsJsonLines,
            Dataset::DragonsCsv,
            Dataset::DragonsParquet,
            Dataset::File,
            Dataset::S3,
        ]
        .into_iter()
        .find(|d| d.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Dataset::DragonsJson => "dragons.json (JSON document, an array)",
            Dataset::DragonsJsonLines => "dragons.jsonl (JSON Lines)",
            Dataset::DragonsCsv => "dragons.csv (CSV with a header)",
            Dataset::DragonsParquet => "dragons.parquet (Parquet, Snappy columns)",
            Dataset::File => "your file",
            Dataset::S3 => "S3 object (live)",
        }
    }

    /// Where the bundled data is served from, relative to the page.
    pub fn url(self) -> Option<&'static str> {
        match self {
            Dataset::DragonsJson => Some("data/dragons.json"),
            Dataset::DragonsJsonLines => Some("data/dragons.jsonl"),
            Dataset::DragonsCsv => Some("data/dragons.csv"),
            Dataset::DragonsParquet => Some("data/dragons.parquet"),
            Dataset::File | Dataset::S3 => None,
        }
    }

    /// The input serialization that reads this dataset.
    pub fn input(self) -> InputSettings {
        match self {
            Dataset::DragonsJson | Dataset::S3 => InputSettings {
                format: Format::Json,
                json_type: JsonType::Document,
                ..InputSettings::default()
            },
            Dataset::DragonsJsonLines => InputSettings {
                format: Format::Json,
                json_type: JsonType::Lines,
                ..InputSettings::default()
            },
            Dataset::DragonsParquet => InputSettings {
                format: Format::Parquet,
                ..InputSettings::default()
            },
            Dataset::DragonsCsv | Dataset::File => InputSettings {
                file_header_info: FileHeaderInfo::Use,
                ..InputSettings::default()
            },
        }
    }
}
