//! Byte counts as the page shows them (the Stats figures and the object browser).

/// Decimal units, as S3's Stats count them: "812 B", "3.4 KB", "1.2 MB".
pub fn bytes(n: f64) -> String {
    if n >= 1e6 {
        format!("{:.1} MB", n / 1e6)
    } else if n >= 1e3 {
        format!("{:.1} KB", n / 1e3)
    } else {
        format!("{n} B")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn units() {
        assert_eq!(super::bytes(812.0), "812 B");
        assert_eq!(super::bytes(3_449.0), "3.4 KB");
        assert_eq!(super::bytes(1_250_000.0), "1.2 MB");
    }
}
