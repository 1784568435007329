//! Settings defined once for the page, the engine and the workers: S3 Select's serialization
//! choices and the names AWS gives them (`"USE"`, `"GZIP"`, `"ASNEEDED"`, …), which the page's
//! controls and links, the engine's settings parser and the AWS client's request XML all read
//! and write here; and the class's `config.json` ([`ClassConfig`]). No dependencies, so the UI
//! shell links it without linking the engine.

mod class_config;
mod input;
pub use class_config::{
    ClassConfig, DATA_BUCKET_PARAMETER, DATA_FILE_PARAMETER, PRACTICE_ACCESS_KEY_ID,
    PRACTICE_DRAGON_API, PRACTICE_REGION, PRACTICE_SECRET_ACCESS_KEY,
};
pub use input::{json_string, InputSettings, DETECT_COMPRESSED_PREFIX_BYTES, DETECT_PREFIX_BYTES};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    /// Input only: S3 Select writes CSV or JSON ([`Format::OUTPUT`]).
    Parquet,
}

impl Format {
    /// What S3 Select can write.
    pub const OUTPUT: &'static [Format] = &[Format::Csv, Format::Json];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileHeaderInfo {
    None,
    Ignore,
    Use,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    Document,
    Lines,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Bzip2,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteFields {
    AsNeeded,
    Always,
}

macro_rules! names {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            /// The name AWS writes.
            pub fn name(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
            /// The choice of that name; AWS accepts any letter case.
            pub fn from_name(s: &str) -> Option<Self> {
                $(if s.eq_ignore_ascii_case($s) { return Some(<$t>::$v); })*
                None
            }
            pub const ALL: &'static [$t] = &[$(<$t>::$v),*];
        }
    };
}

names!(Format { Csv => "CSV", Json => "JSON", Parquet => "Parquet" });
names!(FileHeaderInfo { None => "NONE", Ignore => "IGNORE", Use => "USE" });
names!(JsonType { Document => "DOCUMENT", Lines => "LINES" });
names!(Compression { None => "NONE", Gzip => "GZIP", Bzip2 => "BZIP2" });
names!(QuoteFields { AsNeeded => "ASNEEDED", Always => "ALWAYS" });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_any_case() {
        for c in Compression::ALL {
            assert_eq!(Compression::from_name(c.name()), Some(*c));
            assert_eq!(Compression::from_name(&c.name().to_lowercase()), Some(*c));
        }
        assert_eq!(FileHeaderInfo::from_name("use"), Some(FileHeaderInfo::Use));
        assert_eq!(
            QuoteFields::from_name("AsNeeded"),
            Some(QuoteFields::AsNeeded)
        );
        assert_eq!(JsonType::from_name("LINE"), None);
        assert_eq!(Format::ALL.len(), 3);
        assert_eq!(Format::from_name("PARQUET"), Some(Format::Parquet));
        assert!(!Format::OUTPUT.contains(&Format::Parquet));
    }
}
