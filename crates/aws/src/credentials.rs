//! Temporary or long-term AWS credentials. Debug output never shows the secret or the token.

use std::fmt;
use std::time::SystemTime;

#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
    /// When temporary credentials stop working.
    pub expiration: Option<SystemTime>,
}

impl Credentials {
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiration: None,
        }
    }

    /// The values no page, log or inspector may show: the secret key and the session token.
    pub fn secrets(&self) -> Vec<String> {
        let mut list = vec![self.secret_access_key.clone()];
        list.extend(self.session_token.clone());
        list
    }

    /// Whether "remember on this device" may keep these: only temporary credentials (with a
    /// session token), which stop working by themselves; a long-term secret key is never
    /// written to storage.
    pub fn may_be_remembered(&self) -> bool {
        self.session_token.as_deref().is_some_and(|t| !t.is_empty())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expiration", &self.expiration)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_redacts_secrets() {
        let c = super::Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG",
            Some("FQoGZXIvYXdz".into()),
        );
        let shown = format!("{c:?}");
        assert!(shown.contains("AKIDEXAMPLE"));
        assert!(!shown.contains("wJalr") && !shown.contains("FQoG"));
    }

    #[test]
    fn only_temporary_credentials_may_be_remembered() {
        use super::Credentials;
        let temporary = Credentials::new("ASIAEXAMPLE", "wJalrXUtnFEMI", Some("FQoG".into()));
        assert!(temporary.may_be_remembered());
        assert_eq!(temporary.secrets(), ["wJalrXUtnFEMI", "FQoG"]);
        let long_term = Credentials::new("AKIAEXAMPLE", "wJalrXUtnFEMI", None);
        assert!(!long_term.may_be_remembered());
        assert_eq!(long_term.secrets(), ["wJalrXUtnFEMI"]);
        assert!(
            !Credentials::new("AKIAEXAMPLE", "wJalrXUtnFEMI", Some(String::new()))
                .may_be_remembered()
        );
    }
}
