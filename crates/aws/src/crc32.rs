//! CRC-32 (IEEE 802.3), the checksum of event stream frames, a byte at a time from one 1 KiB
//! table. crc32fast's 16 KiB of slicing tables were a tenth of live mode's download (they do not
//! compress), for a speed no network answer needs.

const TABLE: [u32; 256] = table();

const fn table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut bit = 0;
        while bit < 8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            bit += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

/// The CRC-32 of `bytes`.
pub fn hash(bytes: &[u8]) -> u32 {
    !bytes
        .iter()
        .fold(!0u32, |c, &b| TABLE[usize::from(c as u8 ^ b)] ^ (c >> 8))
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
