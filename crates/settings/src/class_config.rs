//! The class's `config.json`, as the instructor kit writes it (no secrets in it).

/// The practice account (crates/sandbox, run in the page's workers): its region, and the
/// Parameter Store names of the data's bucket and key, as the course names them.
pub const PRACTICE_REGION: &str = "us-east-1";
pub const DATA_BUCKET_PARAMETER: &str = "dragon_data_bucket_name";
pub const DATA_FILE_PARAMETER: &str = "dragon_data_file_name";
/// The practice account's keys. They are public on purpose: they open the practice account
/// and nothing else, and never reach AWS.
pub const PRACTICE_ACCESS_KEY_ID: &str = "AKIAPRACTICE00000000";
pub const PRACTICE_SECRET_ACCESS_KEY: &str = "wyvernPracticeKey/PublicNotASecret/00000";
/// The practice Dragon API's resource URL: an API Gateway address, never fetched (the practice
/// account answers it), so the inspector and the copied commands show a real shape.
pub const PRACTICE_DRAGON_API: &str =
    "https://practice.execute-api.us-east-1.amazonaws.com/prod/dragons";

/// Every field the page and the live worker read, trimmed; empty when absent. The JSON is read
/// through a getter, so the page (the browser's JSON.parse) and the live worker (serde_json)
/// share this one definition of the file without sharing a JSON parser.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClassConfig {
    /// `us-east-1` when the file names none.
    pub region: String,
    /// A stand-in for every AWS endpoint (the local emulator), or empty for AWS itself.
    pub endpoint: String,
    pub identity_pool_id: String,
    pub user_pool_id: String,
    pub user_pool_client_id: String,
    /// The pool's unauthenticated role, for the classic (basic) guest flow.
    pub guest_role_arn: String,
    pub dragon_api_url: String,
    /// Parameter Store names holding the data's bucket and key, or the bucket and key themselves.
    pub bucket_parameter: String,
    pub key_parameter: String,
    pub bucket: String,
    pub key: String,
    /// Athena: the workgroup queries run in and the Glue database of the course's tables, the
    /// table holding the data as JSON lines and as CSV (all empty: no Athena in this class).
    pub athena_workgroup: String,
    pub athena_database: String,
    pub athena_json_table: String,
    pub athena_csv_table: String,
}

impl ClassConfig {
    /// Reads the file's string members through `string_member` (`None`: absent or not a string).
    pub fn read(string_member: impl Fn(&str) -> Option<String>) -> ClassConfig {
        let get = |key: &str| {
            string_member(key)
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let region = get("region");
        ClassConfig {
            region: if region.is_empty() {
                "us-east-1".into()
            } else {
                region
            },
            endpoint: get("endpoint"),
            identity_pool_id: get("identityPoolId"),
            user_pool_id: get("userPoolId"),
            user_pool_client_id: get("userPoolClientId"),
            guest_role_arn: get("guestRoleArn"),
            dragon_api_url: get("dragonApiUrl"),
            bucket_parameter: get("dataBucketParameter"),
            key_parameter: get("dataKeyParameter"),
            bucket: get("dataBucket"),
            key: get("dataKey"),
            athena_workgroup: get("athenaWorkGroup"),
            athena_database: get("athenaDatabase"),
            athena_json_table: get("athenaJsonTable"),
            athena_csv_table: get("athenaCsvTable"),
        }
    }

    /// The class the practice account plays: AWS's own endpoints (requests are answered in the
    /// page, never sent), the course's parameters, the practice Dragon API.
    pub fn practice() -> ClassConfig {
        ClassConfig {
            region: PRACTICE_REGION.into(),
            dragon_api_url: PRACTICE_DRAGON_API.into(),
            bucket_parameter: DATA_BUCKET_PARAMETER.into(),
            key_parameter: DATA_FILE_PARAMETER.into(),
            ..ClassConfig::default()
        }
    }

    /// The members by the file's names, as [`ClassConfig::read`] takes them (the page hands
    /// the config to the live worker this way).
    pub fn members(&self) -> [(&'static str, &str); 15] {
        [
            ("region", &self.region),
            ("endpoint", &self.endpoint),
            ("identityPoolId", &self.identity_pool_id),
            ("userPoolId", &self.user_pool_id),
            ("userPoolClientId", &self.user_pool_client_id),
            ("guestRoleArn", &self.guest_role_arn),
            ("dragonApiUrl", &self.dragon_api_url),
            ("dataBucketParameter", &self.bucket_parameter),
            ("dataKeyParameter", &self.key_parameter),
            ("dataBucket", &self.bucket),
            ("dataKey", &self.key),
            ("athenaWorkGroup", &self.athena_workgroup),
            ("athenaDatabase", &self.athena_database),
            ("athenaJsonTable", &self.athena_json_table),
            ("athenaCsvTable", &self.athena_csv_table),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_trimmed_members_with_the_default_region() {
        let file = [
            ("identityPoolId", " us-east-1:abc "),
            ("dataBucketParameter", "dragon_data_bucket_name"),
        ];
        let c = ClassConfig::read(|k| {
            file.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(c.identity_pool_id, "us-east-1:abc");
        assert_eq!(c.bucket_parameter, "dragon_data_bucket_name");
        assert_eq!((c.region.as_str(), c.endpoint.as_str()), ("us-east-1", ""));
    }

    #[test]
    fn members_read_back_as_the_same_config() {
        let c = ClassConfig {
            region: "eu-west-1".into(),
            endpoint: "http://127.0.0.1:5005".into(),
            identity_pool_id: "a".into(),
            user_pool_id: "b".into(),
            user_pool_client_id: "c".into(),
            guest_role_arn: "d".into(),
            dragon_api_url: "e".into(),
            bucket_parameter: "f".into(),
            key_parameter: "g".into(),
            bucket: "h".into(),
            key: "i".into(),
            athena_workgroup: "j".into(),
            athena_database: "k".into(),
            athena_json_table: "l".into(),
            athena_csv_table: "m".into(),
        };
        let members = c.members();
        let read = ClassConfig::read(|k| {
            members
                .iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(read, c);
    }
}
