//! Parameter Store's data: per region, parameters with their versions, kept in creation order
//! (the order listings answer in). Plain data with serde, so a snapshot is one JSON document.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Parameter Store keeps the 100 most recent versions of a parameter.
pub const MAX_VERSIONS: usize = 100;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Store {
    #[serde(default)]
    pub regions: BTreeMap<String, Region>,
}

impl Store {
    pub fn region(&self, name: &str) -> Option<&Region> {
        self.regions.get(name)
    }

    pub fn region_mut(&mut self, name: &str) -> &mut Region {
        self.regions.entry(name.to_string()).or_default()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// The next creation number (`Parameter::order`).
    #[serde(default)]
    pub next_order: u64,
    /// By key: the name without the leading `/` of a top-level name (see `validate::key`).
    #[serde(default)]
    pub parameters: BTreeMap<String, Parameter>,
}

impl Region {
    /// The parameters in creation order, each with its current version (a parameter without
    /// versions, possible only in a hand-edited snapshot, is left out).
    pub fn listed(&self) -> Vec<(&str, &Parameter, &Version)> {
        let mut all: Vec<_> = self
            .parameters
            .iter()
            .filter_map(|(key, p)| Some((key.as_str(), p, p.current()?)))
            .collect();
        all.sort_by_key(|(_, p, _)| p.order);
        all
    }

    pub fn get(&self, key: &str) -> Option<&Parameter> {
        self.parameters.get(key).filter(|p| p.current().is_some())
    }

    /// Adds a version, creating the parameter if needed; the oldest versions beyond
    /// `MAX_VERSIONS` go.
    pub fn push(&mut self, key: &str, version: Version, tags: BTreeMap<String, String>) {
        use std::collections::btree_map::Entry;
        let parameter = match self.parameters.entry(key.to_string()) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                let order = self.next_order;
                self.next_order += 1;
                e.insert(Parameter {
                    order,
                    versions: Vec::new(),
                    tags,
                })
            }
        };
        parameter.versions.push(version);
        let extra = parameter.versions.len().saturating_sub(MAX_VERSIONS);
        parameter.versions.drain(..extra);
    }

    pub fn remove(&mut self, key: &str) -> bool {
        self.parameters.remove(key).is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    /// Creation number: listings follow it.
    pub order: u64,
    /// Oldest first; the last is the current version.
    pub versions: Vec<Version>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

impl Parameter {
    pub fn current(&self) -> Option<&Version> {
        self.versions.last()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    String,
    StringList,
    SecureString,
}

impl Kind {
    pub fn parse(text: &str) -> Option<Kind> {
        match text {
            "String" => Some(Kind::String),
            "StringList" => Some(Kind::StringList),
            "SecureString" => Some(Kind::SecureString),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::String => "String",
            Kind::StringList => "StringList",
            Kind::SecureString => "SecureString",
        }
    }
}

/// The tier a version is stored in (Intelligent-Tiering resolves to one of these at put).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tier {
    Standard,
    Advanced,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Standard => "Standard",
            Tier::Advanced => "Advanced",
        }
    }

    /// The longest value the tier holds, in characters.
    pub fn max_value(self) -> usize {
        match self {
            Tier::Standard => 4096,
            Tier::Advanced => 8192,
        }
    }
}

/// One version of a parameter. The value is kept in the clear: SecureString encryption is
/// shown, not performed (see `render::ciphertext`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// The name as written when this version was put.
    pub name: String,
    pub kind: Kind,
    pub value: String,
    pub version: u64,
    /// Milliseconds since the epoch.
    pub modified_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_pattern: Option<String>,
    pub tier: Tier,
    pub data_type: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(n: u64) -> Version {
        Version {
            name: "n".into(),
            kind: Kind::String,
            value: n.to_string(),
            version: n,
            modified_ms: 0,
            description: None,
            key_id: None,
            allowed_pattern: None,
            tier: Tier::Standard,
            data_type: "text".into(),
        }
    }

    #[test]
    fn keeps_the_last_hundred_versions_and_creation_order() {
        let mut r = Region::default();
        r.push("b", version(1), BTreeMap::new());
        for n in 1..=105 {
            r.push("a", version(n), BTreeMap::new());
        }
        let a = r.get("a").unwrap();
        assert_eq!(a.versions.len(), MAX_VERSIONS);
        assert_eq!(a.versions[0].version, 6);
        assert_eq!(a.current().unwrap().version, 105);
        let keys: Vec<&str> = r.listed().iter().map(|(k, _, _)| *k).collect();
        assert_eq!(keys, ["b", "a"]);
        assert!(r.remove("b") && !r.remove("b"));
        r.push("b", version(1), BTreeMap::new());
        assert_eq!(r.get("b").unwrap().order, 2);
    }

    #[test]
    fn a_parameter_without_versions_is_absent() {
        let mut r = Region::default();
        r.parameters.insert(
            "ghost".into(),
            Parameter {
                order: 0,
                versions: vec![],
                tags: BTreeMap::new(),
            },
        );
        assert!(r.get("ghost").is_none());
        assert!(r.listed().is_empty());
    }
}
