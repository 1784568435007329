//! CRC-32 (IEEE 802.3), the checksum of event stream frames, a byte at a time from one 1 KiB
//! table (the `crc` crate, as the engine's GZIP reader uses it). crc32fast's 16 KiB of slicing
//! tables were a tenth of live mode's download (they do not compress), for a speed no network
//! answer needs.

const CRC32: crc::Crc<u32, crc::Table<1>> =
    crc::Crc::<u32, crc::Table<1>>::new(&crc::CRC_32_ISO_HDLC);

/// The CRC-32 of `bytes`.
pub fn hash(bytes: &[u8]) -> u32 {
    CRC32.checksum(bytes)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    #[test]
    fn check_value() {
        assert_eq!(super::hash(b""), 0);
        assert_eq!(super::hash(b"123456789"), 0xCBF4_3926);
    }

    proptest! {
        #[test]
        fn same_as_crc32fast(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            prop_assert_eq!(super::hash(&bytes), crc32fast::hash(&bytes));
        }
    }
}
