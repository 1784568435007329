//! Numbers as the page shows them (the Stats figures, progress, the object browser). Written
//! with integer formatting only: Rust's float formatting would add about 5 KB to the page.

/// `n` with one decimal, rounded half up: 3.44 → "3.4", 1.25 → "1.3".
pub fn one_decimal(n: f64) -> String {
    let tenths = (n * 10.0 + 0.5).floor().max(0.0) as u64;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Decimal units, as S3's Stats count them: "812 B", "3.4 KB", "1.2 MB".
pub fn bytes(n: f64) -> String {
    if n >= 1e6 {
        format!("{} MB", one_decimal(n / 1e6))
    } else if n >= 1e3 {
        format!("{} KB", one_decimal(n / 1e3))
    } else {
        format!("{} B", n.max(0.0) as u64)
    }
}

/// A count (records, versions, milliseconds): whole, never negative.
pub fn count(n: f64) -> String {
    (n.max(0.0).round() as u64).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(bytes(812.0), "812 B");
        assert_eq!(bytes(3_449.0), "3.4 KB");
        assert_eq!(bytes(1_240_000.0), "1.2 MB");
        assert_eq!(bytes(999_960.0), "1000.0 KB");
        assert_eq!(one_decimal(1.25), "1.3");
        assert_eq!(one_decimal(0.0), "0.0");
        assert_eq!(count(12_500_000.0), "12500000");
    }
}
