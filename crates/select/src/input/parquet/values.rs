//! Parquet leaf types to S3 Select values. The kind of each leaf column is decided once from
//! its schema ([`leaf_kind`]); each value is then converted on its own ([`LeafKind`]'s methods).
//! The rules, and what AWS documents about them, are in the module doc of `input::parquet`.

use crate::error::{ErrorCode, Result, SelectError};
use crate::timestamp::Timestamp;
use crate::value::Value;
use parquet::basic::{ConvertedType, LogicalType, TimeUnit, Type as PhysicalType};
use parquet::schema::types::ColumnDescriptor;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum LeafKind {
    Bool,
    /// Any integer; `unsigned` reads the bits as u32/u64.
    Int {
        unsigned: bool,
    },
    /// Unscaled integer × 10^-scale, as a FLOAT (the engine has no exact decimal type).
    Decimal {
        scale: u32,
    },
    Float,
    /// UTF-8 text: STRING, ENUM, JSON, and byte arrays with no annotation.
    Text,
    Uuid,
    Date,
    /// `nanos_per_unit` converts the stored count; `digits` is the unit's fractional digits.
    Timestamp {
        nanos_per_unit: i128,
        digits: u8,
    },
}

fn unsupported(descr: &ColumnDescriptor, what: &str) -> SelectError {
    SelectError::new(
        ErrorCode::UnsupportedParquetType,
        format!(
            "Column {} is {what}, which S3 Select does not read from Parquet. Leave it out of the query (name the columns you need instead of *).",
            descr.path()
        ),
    )
}

/// How the values of one leaf column become S3 Select values.
pub(crate) fn leaf_kind(descr: &ColumnDescriptor) -> Result<LeafKind> {
    let physical = descr.physical_type();
    let timestamp = |unit: &TimeUnit| match unit {
        TimeUnit::MILLIS => LeafKind::Timestamp {
            nanos_per_unit: 1_000_000,
            digits: 3,
        },
        TimeUnit::MICROS => LeafKind::Timestamp {
            nanos_per_unit: 1_000,
            digits: 6,
        },
        TimeUnit::NANOS => LeafKind::Timestamp {
            nanos_per_unit: 1,
            digits: 9,
        },
    };
    let decimal = |scale: i32| match u32::try_from(scale) {
        Ok(scale) if scale <= 76 => Ok(LeafKind::Decimal { scale }),
        _ => Err(unsupported(descr, "a DECIMAL with an impossible scale")),
    };
    let kind = match (physical, descr.logical_type_ref()) {
        (PhysicalType::INT96, _) => {
            return Err(unsupported(
                descr,
                "an INT96 timestamp (S3 Select reads TIMESTAMP MILLIS, MICROS or NANOS stored as INT64)",
            ))
        }
        (PhysicalType::BOOLEAN, _) => LeafKind::Bool,
        (_, Some(LogicalType::Decimal(d))) => decimal(d.scale)?,
        (_, Some(LogicalType::Date)) if physical == PhysicalType::INT32 => LeafKind::Date,
        (_, Some(LogicalType::Timestamp(t))) if physical == PhysicalType::INT64 => {
            timestamp(&t.unit)
        }
        (_, Some(LogicalType::Time { .. })) => return Err(unsupported(descr, "a TIME")),
        (
            PhysicalType::INT32 | PhysicalType::INT64,
            Some(LogicalType::Integer(int)),
        ) => LeafKind::Int {
            unsigned: !int.is_signed,
        },
        (PhysicalType::INT32 | PhysicalType::INT64, None) => match descr.converted_type() {
            ConvertedType::DECIMAL => decimal(descr.type_scale())?,
            ConvertedType::DATE if physical == PhysicalType::INT32 => LeafKind::Date,
            ConvertedType::TIMESTAMP_MILLIS if physical == PhysicalType::INT64 => {
                timestamp(&TimeUnit::MILLIS)
            }
            ConvertedType::TIMESTAMP_MICROS if physical == PhysicalType::INT64 => {
                timestamp(&TimeUnit::MICROS)
            }
            ConvertedType::UINT_8
            | ConvertedType::UINT_16
            | ConvertedType::UINT_32
            | ConvertedType::UINT_64 => LeafKind::Int { unsigned: true },
            ConvertedType::NONE
            | ConvertedType::INT_8
            | ConvertedType::INT_16
            | ConvertedType::INT_32
            | ConvertedType::INT_64 => LeafKind::Int { unsigned: false },
            other => return Err(unsupported(descr, &format!("annotated {other}"))),
        },
        (PhysicalType::FLOAT | PhysicalType::DOUBLE, None) => LeafKind::Float,
        (PhysicalType::FIXED_LEN_BYTE_ARRAY, Some(LogicalType::Uuid)) => LeafKind::Uuid,
        (
            PhysicalType::BYTE_ARRAY | PhysicalType::FIXED_LEN_BYTE_ARRAY,
            Some(LogicalType::String | LogicalType::Enum | LogicalType::Json),
        ) => LeafKind::Text,
        (PhysicalType::BYTE_ARRAY | PhysicalType::FIXED_LEN_BYTE_ARRAY, None) => {
            match descr.converted_type() {
                ConvertedType::DECIMAL => decimal(descr.type_scale())?,
                ConvertedType::NONE
                | ConvertedType::UTF8
                | ConvertedType::ENUM
                | ConvertedType::JSON => LeafKind::Text,
                other => return Err(unsupported(descr, &format!("annotated {other}"))),
            }
        }
        (_, Some(other)) => return Err(unsupported(descr, &format!("a {other:?}"))),
    };
    Ok(kind)
}

fn corrupt(what: &str) -> SelectError {
    SelectError::new(
        ErrorCode::ParquetParsingError,
        format!("A Parquet value could not be read: {what}."),
    )
}

fn mismatch() -> SelectError {
    corrupt("the stored type does not match the column's annotation")
}

impl LeafKind {
    pub(crate) fn read_bool(self, b: bool) -> Result<Value> {
        match self {
            LeafKind::Bool => Ok(Value::Bool(b)),
            _ => Err(mismatch()),
        }
    }

    pub(crate) fn read_i32(self, i: i32) -> Result<Value> {
        match self {
            LeafKind::Int { unsigned: true } => Ok(Value::Int(i64::from(i as u32))),
            LeafKind::Date => Timestamp::from_unix_days(i64::from(i))
                .map(Value::Timestamp)
                .ok_or_else(|| corrupt("a DATE outside the years 1 to 9999")),
            _ => self.read_i64(i64::from(i)),
        }
    }

    pub(crate) fn read_i64(self, i: i64) -> Result<Value> {
        match self {
            LeafKind::Int { unsigned: false } => Ok(Value::Int(i)),
            // Above i64::MAX a UINT64 can only be a FLOAT here.
            LeafKind::Int { unsigned: true } => Ok(match i64::try_from(i as u64) {
                Ok(v) => Value::Int(v),
                Err(_) => Value::Float(i as u64 as f64),
            }),
            LeafKind::Decimal { scale } => Ok(decimal(i128::from(i), scale)),
            LeafKind::Timestamp {
                nanos_per_unit,
                digits,
            } => Timestamp::from_unix_nanos(i128::from(i) * nanos_per_unit, digits)
                .map(Value::Timestamp)
                .ok_or_else(|| corrupt("a TIMESTAMP outside the years 1 to 9999")),
            _ => Err(mismatch()),
        }
    }

    pub(crate) fn read_f32(self, f: f32) -> Result<Value> {
        // Through the shortest text of the f32, so 0.1f32 reads as 0.1 (as the same number
        // written in CSV or JSON does), not 0.10000000149011612.
        let widened = f.to_string().parse::<f64>().unwrap_or(f64::from(f));
        self.read_f64(widened)
    }

    pub(crate) fn read_f64(self, f: f64) -> Result<Value> {
        match self {
            LeafKind::Float => Ok(Value::Float(f)),
            _ => Err(mismatch()),
        }
    }

    pub(crate) fn read_bytes(self, b: &[u8]) -> Result<Value> {
        match self {
            LeafKind::Text => match std::str::from_utf8(b) {
                Ok(s) => Ok(Value::String(s.to_string())),
                Err(_) => Err(SelectError::new(
                    ErrorCode::InvalidTextEncoding,
                    "A Parquet text value is not valid UTF-8, the only encoding S3 Select reads.",
                )),
            },
            LeafKind::Decimal { scale } => {
                // Precision 38 fits in 16 bytes; more cannot be a valid DECIMAL.
                if b.is_empty() || b.len() > 16 {
                    return Err(corrupt("a DECIMAL of more than 16 bytes"));
                }
                // Sign-extend the big-endian two's complement bytes.
                let fill = if b[0] & 0x80 != 0 { 0xff } else { 0 };
                let mut bytes = [fill; 16];
                bytes[16 - b.len()..].copy_from_slice(b);
                Ok(decimal(i128::from_be_bytes(bytes), scale))
            }
            LeafKind::Uuid if b.len() == 16 => {
                let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
                Ok(Value::String(format!(
                    "{}-{}-{}-{}-{}",
                    &hex[..8],
                    &hex[8..12],
                    &hex[12..16],
                    &hex[16..20],
                    &hex[20..]
                )))
            }
            _ => Err(mismatch()),
        }
    }
}

/// `unscaled × 10^-scale` as the nearest f64 (parsed from its decimal text, so it rounds once).
fn decimal(unscaled: i128, scale: u32) -> Value {
    let f = format!("{unscaled}e-{scale}")
        .parse::<f64>()
        .unwrap_or(f64::NAN);
    Value::Float(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_round_once() {
        assert_eq!(decimal(12345, 2), Value::Float(123.45));
        assert_eq!(decimal(-5, 3), Value::Float(-0.005));
        assert_eq!(decimal(7, 0), Value::Float(7.0));
        let k = LeafKind::Decimal { scale: 2 };
        assert_eq!(k.read_bytes(&[0xff, 0x85]).unwrap(), Value::Float(-1.23));
        assert!(k.read_bytes(&[0; 17]).is_err());
    }

    #[test]
    fn floats_keep_their_short_text() {
        assert_eq!(LeafKind::Float.read_f32(0.1).unwrap(), Value::Float(0.1));
        assert_eq!(LeafKind::Float.read_f32(2.5).unwrap(), Value::Float(2.5));
    }

    #[test]
    fn timestamps_by_unit_and_dates() {
        let ms = LeafKind::Timestamp {
            nanos_per_unit: 1_000_000,
            digits: 3,
        };
        let Value::Timestamp(t) = ms.read_i64(1_500_000_000_123).unwrap() else {
            panic!()
        };
        assert_eq!(t.to_ion_text(), "2017-07-14T02:40:00.123Z");
        let Value::Timestamp(d) = LeafKind::Date.read_i32(-1).unwrap() else {
            panic!()
        };
        assert_eq!(d.to_ion_text(), "1969-12-31T");
        assert!(LeafKind::Date.read_i32(i32::MAX).is_err());
        assert_eq!(
            LeafKind::Int { unsigned: true }.read_i64(-1).unwrap(),
            Value::Float(u64::MAX as f64)
        );
    }
}
