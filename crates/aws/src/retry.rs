//! Retry and clock-skew policies, as the AWS SDKs' standard mode does them, driven by a random
//! number and times the caller passes in, so they are tested deterministically.

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What one attempt ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome<'a> {
    Success,
    /// The service answered with an error.
    ServiceError {
        status: u16,
        code: &'a str,
        retry_after: Option<Duration>,
    },
    /// The request never got an answer (network failure, timeout).
    NoResponse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Done,
    RetryAfter(Duration),
    GiveUp,
}

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base: Duration,
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base: Duration::from_millis(100),
            max_backoff: Duration::from_secs(20),
        }
    }
}

const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

const TRANSIENT: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "ServiceUnavailable",
];

pub fn is_throttling(code: &str) -> bool {
    THROTTLING.contains(&code)
}

pub fn is_retryable(status: u16, code: &str) -> bool {
    is_throttling(code)
        || TRANSIENT.contains(&code)
        || matches!(status, 500 | 502 | 503 | 504)
        || status == 429
}

impl RetryPolicy {
    /// After attempt number `attempt` (1 for the first) ended with `outcome`: stop, or wait and
    /// try again. `random` is uniform in [0, 1) (jitter).
    pub fn decide(&self, attempt: u32, outcome: Outcome, random: f64) -> Decision {
        let retryable = match outcome {
            Outcome::Success => return Decision::Done,
            Outcome::NoResponse => true,
            Outcome::ServiceError { status, code, .. } => is_retryable(status, code),
        };
        if !retryable || attempt >= self.max_attempts {
            return Decision::GiveUp;
        }
        let exp = 2f64.powi(attempt.saturating_sub(1).min(30) as i32);
        // `Duration::mul_f64` panics on NaN and on overflow: a NaN random counts as 0, and a
        // product past Duration's range is capped like any long backoff.
        let jitter = if random.is_nan() {
            0.0
        } else {
            random.clamp(0.0, 1.0)
        };
        let backoff = Duration::try_from_secs_f64(jitter * exp * self.base.as_secs_f64())
            .map_or(self.max_backoff, |d| d.min(self.max_backoff));
        let wait = match outcome {
            Outcome::ServiceError {
                retry_after: Some(after),
                ..
            } => after.min(self.max_backoff).max(backoff),
            _ => backoff,
        };
        Decision::RetryAfter(wait)
    }
}

/// Errors that mean "the temporary credentials ran out": refresh them and sign again.
pub fn is_expired_credentials(code: &str) -> bool {
    matches!(
        code,
        "ExpiredToken" | "ExpiredTokenException" | "TokenRefreshRequired"
    )
}

/// Errors that mean "your clock is off": correct it from the response's Date and re-sign once.
pub fn is_clock_skew_error(code: &str) -> bool {
    matches!(
        code,
        "RequestTimeTooSkewed"
            | "RequestExpired"
            | "RequestInTheFuture"
            | "InvalidSignatureException"
            | "SignatureDoesNotMatch"
            | "AuthFailure"
    )
}

/// Reads an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 7231's IMF-fixdate); anything else,
/// or a date no SystemTime can hold, is `None`.
pub fn parse_http_date(s: &str) -> Option<SystemTime> {
    let t = DateTime::from_str(s, Format::HttpDate).ok()?;
    SystemTime::try_from(t).ok()
}

/// The offset to add to the local clock, in milliseconds, to match the server's.
pub fn skew_millis(server_date: &str, local: SystemTime) -> Option<i64> {
    let server = parse_http_date(server_date)?;
    let ms = |t: SystemTime| {
        t.duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    };
    // cannot overflow: both are in 0..=i64::MAX.
    Some(ms(server) - ms(local))
}

/// The local clock corrected by an offset learned from a server.
pub fn corrected(local: SystemTime, offset_ms: i64) -> SystemTime {
    // The offset comes from a server's Date: one that would move the clock out of SystemTime's
    // range (a panic with `+` and `-`) leaves the local clock as it is.
    let shift = Duration::from_millis(offset_ms.unsigned_abs());
    if offset_ms >= 0 {
        local.checked_add(shift)
    } else {
        local.checked_sub(shift)
    }
    .unwrap_or(local)
}

/// Temporary credentials are refreshed this long before they expire (as the SDKs do).
pub const REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);

pub fn needs_refresh(expiration: Option<SystemTime>, now: SystemTime) -> bool {
    // Past SystemTime's range, now + 5 minutes is later than any expiration.
    expiration.is_some_and(|e| now.checked_add(REFRESH_AHEAD).is_none_or(|t| t >= e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, code: &str) -> Outcome<'_> {
        Outcome::ServiceError {
            status,
            code,
            retry_after: None,
        }
    }

    /// A NaN random number or a huge base used to panic in `Duration::mul_f64`; a server Date
    /// offset past SystemTime's range used to panic in `corrected`.
    #[test]
    fn odd_inputs_do_not_panic() {
        let p = RetryPolicy {
            max_attempts: 40,
            base: Duration::MAX,
            ..RetryPolicy::default()
        };
        assert_eq!(
            p.decide(31, Outcome::NoResponse, 1.0),
            Decision::RetryAfter(p.max_backoff)
        );
        let d = RetryPolicy::default();
        assert_eq!(
            d.decide(1, Outcome::NoResponse, f64::NAN),
            Decision::RetryAfter(Duration::ZERO)
        );
        let local = UNIX_EPOCH + Duration::from_secs(1_000);
        assert_eq!(corrected(local, -1_000), local - Duration::from_secs(1));
        assert_eq!(corrected(local, 1_000), local + Duration::from_secs(1));
        // The last second a 64-bit Unix SystemTime holds: adding to it overflows.
        let last = UNIX_EPOCH + Duration::from_secs(i64::MAX as u64 - 1);
        assert_eq!(corrected(last, i64::MAX), last);
        assert!(needs_refresh(Some(last), last));
        assert!(skew_millis("Mon, 23 Nov 2026 10:00:00 GMT", last).is_some());
    }

    #[test]
    fn throttling_is_retried_with_growing_jittered_backoff_then_given_up() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.decide(1, err(400, "ThrottlingException"), 0.5),
            Decision::RetryAfter(Duration::from_millis(50))
        );
        assert_eq!(
            p.decide(2, err(400, "ThrottlingException"), 0.5),
            Decision::RetryAfter(Duration::from_millis(100))
        );
        assert_eq!(
            p.decide(3, err(400, "ThrottlingException"), 0.5),
            Decision::GiveUp
        );
        assert_eq!(
            p.decide(1, err(503, "SlowDown"), 0.0),
            Decision::RetryAfter(Duration::ZERO)
        );
        assert_eq!(
            p.decide(1, Outcome::NoResponse, 1.0),
            Decision::RetryAfter(Duration::from_millis(100))
        );
    }

    #[test]
    fn client_errors_are_not_retried_and_success_ends() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.decide(1, err(400, "ParameterNotFound"), 0.5),
            Decision::GiveUp
        );
        assert_eq!(p.decide(1, err(403, "AccessDenied"), 0.5), Decision::GiveUp);
        assert_eq!(p.decide(1, Outcome::Success, 0.5), Decision::Done);
        assert_eq!(
            p.decide(1, err(500, "Whatever"), 0.5),
            Decision::RetryAfter(Duration::from_millis(50))
        );
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let p = RetryPolicy {
            max_attempts: 10,
            ..RetryPolicy::default()
        };
        let o = Outcome::ServiceError {
            status: 429,
            code: "TooManyRequestsException",
            retry_after: Some(Duration::from_secs(3)),
        };
        assert_eq!(
            p.decide(1, o, 0.5),
            Decision::RetryAfter(Duration::from_secs(3))
        );
        let o = Outcome::ServiceError {
            status: 429,
            code: "TooManyRequestsException",
            retry_after: Some(Duration::from_secs(300)),
        };
        assert_eq!(
            p.decide(1, o, 0.5),
            Decision::RetryAfter(Duration::from_secs(20))
        );
        assert_eq!(
            p.decide(9, err(503, "SlowDown"), 1.0),
            Decision::RetryAfter(Duration::from_secs(20))
        );
    }

    #[test]
    fn a_fifteen_minute_skew_is_measured_and_corrected() {
        let local = parse_http_date("Mon, 23 Nov 2026 10:00:00 GMT").unwrap();
        let offset = skew_millis("Mon, 23 Nov 2026 10:15:00 GMT", local).unwrap();
        assert_eq!(offset, 15 * 60 * 1000);
        assert_eq!(
            corrected(local, offset),
            parse_http_date("Mon, 23 Nov 2026 10:15:00 GMT").unwrap()
        );
        assert_eq!(
            corrected(local, -offset),
            parse_http_date("Mon, 23 Nov 2026 09:45:00 GMT").unwrap()
        );
        assert!(
            is_clock_skew_error("RequestTimeTooSkewed")
                && is_clock_skew_error("InvalidSignatureException")
        );
        assert!(parse_http_date("yesterday").is_none());
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(UNIX_EPOCH + Duration::from_secs(784_111_777))
        );
        for bad in [
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 99 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37. GMT",
            "é",
            "",
        ] {
            assert!(parse_http_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn refresh_five_minutes_ahead() {
        let now = parse_http_date("Mon, 23 Nov 2026 10:00:00 GMT").unwrap();
        assert!(!needs_refresh(None, now));
        assert!(!needs_refresh(Some(now + Duration::from_secs(301)), now));
        assert!(needs_refresh(Some(now + Duration::from_secs(300)), now));
        assert!(needs_refresh(Some(now - Duration::from_secs(1)), now));
        for code in ["ExpiredToken", "ExpiredTokenException"] {
            assert!(is_expired_credentials(code) && !is_retryable(400, code));
        }
        assert!(!is_expired_credentials("AccessDenied"));
    }
}
