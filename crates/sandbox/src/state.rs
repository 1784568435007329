//! Everything the practice account holds, as one serde value: the browser keeps it in
//! IndexedDB as a single JSON snapshot (objects make it too large for localStorage), the native
//! binary in a file.

use crate::clock;
use crate::ssm::store::{Kind, Store, Tier, Version};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::SystemTime;

/// The snapshot format; a snapshot of another format is refused rather than misread.
pub const FORMAT: u32 = 1;

/// The region the class works in (where `seed` puts its parameters), and the course's
/// parameters naming where the Dragon API's data file lives: the page's practice class
/// (`ClassConfig::practice`) reads the same.
pub use wyvern_settings::{
    DATA_BUCKET_PARAMETER, DATA_FILE_PARAMETER, PRACTICE_REGION as SEED_REGION,
};
pub const DATA_BUCKET: &str = "dragons-app-practice";
/// The data file's key, as the course and the instructor kit name it.
pub const DATA_FILE: &str = "dragon_stats_one.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub format: u32,
    #[serde(default)]
    pub ssm: Store,
    /// Buckets and objects (object bytes as base64).
    #[serde(default)]
    pub s3: crate::s3::Store,
}

impl Default for State {
    fn default() -> Self {
        State {
            format: FORMAT,
            ssm: Store::default(),
            s3: crate::s3::Store::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("the saved practice account is not valid JSON for this version: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the saved practice account has format {found}; this version reads format {FORMAT}")]
    Format { found: u32 },
}

impl State {
    /// A class's starting point: the course's two parameters, a few under `/dragons`, and the
    /// class's bucket with the data file (the local emulator seeds the same names and bytes, so
    /// the two answer alike; only the bucket's name differs).
    pub fn seed(now: SystemTime) -> State {
        let mut state = State {
            s3: crate::s3::seed::store(clock::epoch_millis(now)),
            ..State::default()
        };
        let region = state.ssm.region_mut(SEED_REGION);
        let now_ms = clock::epoch_millis(now);
        let parameters = [
            (DATA_BUCKET_PARAMETER, DATA_BUCKET, Kind::String),
            (DATA_FILE_PARAMETER, DATA_FILE, Kind::String),
            ("/dragons/api/stage", "prod", Kind::String),
            (
                "/dragons/families",
                "red,blue,black,green,gold,silver,white",
                Kind::StringList,
            ),
            (
                "/dragons/secret/feeding-schedule",
                "dawn and dusk",
                Kind::SecureString,
            ),
        ];
        for (name, value, kind) in parameters {
            let version = Version {
                name: name.to_string(),
                kind,
                value: value.to_string(),
                version: 1,
                modified_ms: now_ms,
                description: None,
                key_id: (kind == Kind::SecureString).then(|| "alias/aws/ssm".to_string()),
                allowed_pattern: None,
                tier: Tier::Standard,
                data_type: "text".to_string(),
            };
            region.push(name, version, BTreeMap::new());
        }
        state
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<State, StateError> {
        #[derive(Deserialize)]
        struct Header {
            format: u32,
        }
        let found = serde_json::from_str::<Header>(text)?.format;
        if found != FORMAT {
            return Err(StateError::Format { found });
        }
        Ok(serde_json::from_str(text)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn seed_round_trips_through_json() {
        let state = State::seed(UNIX_EPOCH);
        let region = state.ssm.region(SEED_REGION).unwrap();
        let names: Vec<&str> = region
            .listed()
            .iter()
            .map(|(_, _, v)| v.name.as_str())
            .collect();
        assert_eq!(names[..2], [DATA_BUCKET_PARAMETER, DATA_FILE_PARAMETER]);
        assert_eq!(names.len(), 5);
        let bucket = &state.s3.buckets[DATA_BUCKET];
        let keys: Vec<&str> = bucket.objects.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                DATA_FILE,
                "samples/dragons.csv",
                "samples/dragons.jsonl",
                "samples/dragons.parquet"
            ]
        );
        let text = state.to_json();
        assert_eq!(State::from_json(&text).unwrap(), state);
    }

    #[test]
    fn foreign_snapshots_are_refused() {
        assert!(matches!(
            State::from_json(r#"{"format": 99}"#),
            Err(StateError::Format { found: 99 })
        ));
        assert!(State::from_json("not json").is_err());
        assert!(State::from_json(r#"{"format": 1, "ssm": {"regions": 5}}"#).is_err());
        assert_eq!(
            State::from_json(r#"{"format": 1}"#).unwrap(),
            State::default()
        );
    }
}
