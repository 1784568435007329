//! One call's attempts under the retry and clock-skew policies, as a state machine the caller
//! drives (the browser awaits its sleeps, tests sleep natively): sign with `signing_time`, send,
//! report the answer to `after`, and do what it says.

use crate::retry::{corrected, is_clock_skew_error, skew_millis, Decision, Outcome, RetryPolicy};
use std::time::{Duration, SystemTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The answer is final (success, or an error not worth retrying).
    Done,
    /// Wait, then sign again and resend.
    RetryAfter(Duration),
    /// The clock was corrected from the server's Date: sign again and resend now.
    Resign,
}

#[derive(Debug, Clone)]
pub struct Attempts {
    policy: RetryPolicy,
    attempt: u32,
    skew_retried: bool,
    /// Milliseconds to add to the local clock; keep it for the next calls too.
    pub clock_offset_ms: i64,
}

/// What came back from one attempt.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// `None` when no response arrived (network failure).
    pub status: Option<u16>,
    pub error_code: Option<&'a str>,
    pub date_header: Option<&'a str>,
    pub retry_after: Option<Duration>,
}

impl Attempts {
    pub fn new(policy: RetryPolicy, clock_offset_ms: i64) -> Self {
        Attempts {
            policy,
            attempt: 0,
            skew_retried: false,
            clock_offset_ms,
        }
    }

    /// The time to sign the next attempt with.
    pub fn signing_time(&mut self, local_now: SystemTime) -> SystemTime {
        self.attempt = self.attempt.saturating_add(1);
        corrected(local_now, self.clock_offset_ms)
    }

    pub fn after(&mut self, answer: Answer, local_now: SystemTime, random: f64) -> Next {
        let outcome = match (answer.status, answer.error_code) {
            (None, _) => Outcome::NoResponse,
            (Some(s), _) if s < 300 => Outcome::Success,
            (Some(status), code) => Outcome::ServiceError {
                status,
                code: code.unwrap_or(""),
                retry_after: answer.retry_after,
            },
        };
        if let Outcome::ServiceError { code, .. } = outcome {
            // A skewed clock: learn the offset from the server's Date and re-sign once.
            if is_clock_skew_error(code) && !self.skew_retried {
                if let Some(offset) = answer.date_header.and_then(|d| skew_millis(d, local_now)) {
                    if offset.unsigned_abs() > 60_000 {
                        self.skew_retried = true;
                        self.clock_offset_ms = offset;
                        return Next::Resign;
                    }
                }
            }
        }
        match self.policy.decide(self.attempt, outcome, random) {
            Decision::RetryAfter(d) => Next::RetryAfter(d),
            Decision::Done | Decision::GiveUp => Next::Done,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry::parse_http_date;

    fn at(s: &str) -> SystemTime {
        parse_http_date(s).unwrap()
    }

    #[test]
    fn throttled_twice_then_success() {
        let now = at("Mon, 23 Nov 2026 10:00:00 GMT");
        let mut a = Attempts::new(RetryPolicy::default(), 0);
        let throttled = Answer {
            status: Some(400),
            error_code: Some("ThrottlingException"),
            date_header: None,
            retry_after: None,
        };
        a.signing_time(now);
        assert!(matches!(a.after(throttled, now, 0.5), Next::RetryAfter(_)));
        a.signing_time(now);
        assert!(matches!(a.after(throttled, now, 0.5), Next::RetryAfter(_)));
        a.signing_time(now);
        let ok = Answer {
            status: Some(200),
            error_code: None,
            date_header: None,
            retry_after: None,
        };
        assert_eq!(a.after(ok, now, 0.5), Next::Done);
    }

    #[test]
    fn a_skewed_clock_is_corrected_once() {
        let local = at("Mon, 23 Nov 2026 10:00:00 GMT");
        let mut a = Attempts::new(RetryPolicy::default(), 0);
        assert_eq!(a.signing_time(local), local);
        let skewed = Answer {
            status: Some(403),
            error_code: Some("RequestTimeTooSkewed"),
            date_header: Some("Mon, 23 Nov 2026 10:15:00 GMT"),
            retry_after: None,
        };
        assert_eq!(a.after(skewed, local, 0.5), Next::Resign);
        assert_eq!(a.signing_time(local), at("Mon, 23 Nov 2026 10:15:00 GMT"));
        // A second skew error is not chased again.
        assert_eq!(a.after(skewed, local, 0.5), Next::Done);
        assert_eq!(a.clock_offset_ms, 15 * 60 * 1000);
    }

    #[test]
    fn a_signature_error_without_skew_is_final() {
        let local = at("Mon, 23 Nov 2026 10:00:00 GMT");
        let mut a = Attempts::new(RetryPolicy::default(), 0);
        a.signing_time(local);
        let wrong_secret = Answer {
            status: Some(403),
            error_code: Some("SignatureDoesNotMatch"),
            date_header: Some("Mon, 23 Nov 2026 10:00:02 GMT"),
            retry_after: None,
        };
        assert_eq!(a.after(wrong_secret, local, 0.5), Next::Done);
    }
}
