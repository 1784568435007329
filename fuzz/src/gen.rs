//! Structure-aware generators, driven by `arbitrary`'s `Unstructured`: SQL in the S3 Select
//! dialect, JSON and XML documents shaped like AWS answers, HTTP dates. Mutating raw text
//! rarely turns `DATE_ADD(month, 1, …)` into `DATE_ADD(month, 9223372036854775807, …)` or an
//! `"Expiration": 1763900000` into `1e300`; these draw such values directly (extreme integers,
//! any f64, long repeats) in well-formed surroundings.

use arbitrary::{Result, Unstructured};

/// Integers at the edges that arithmetic on them has to survive.
const INTS: &[i64] = &[
    0,
    1,
    -1,
    2,
    7,
    12,
    24,
    31,
    59,
    60,
    100,
    255,
    256,
    1000,
    65_535,
    65_536,
    146_097,
    2_932_896,
    i32::MAX as i64,
    i32::MIN as i64,
    1 << 32,
    1 << 28,
    39_217_838_514_176,
    1_000_000_000_000_000_000,
    i64::MAX / 12,
    i64::MAX - 100_000,
    i64::MAX - 1,
    i64::MAX,
    i64::MIN + 1,
    i64::MIN,
];

const FLOATS: &[&str] = &[
    "0.0",
    "-0.0",
    "0.5",
    "1.5",
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "5e-324",
    "1e400",
    "1e-400",
    "9223372036854775807.5",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "1e19",
    "1e20",
    "0.1",
    "123456789012345678901234567890.123456789",
];

const STRINGS: &[&str] = &[
    "",
    "a",
    "abc",
    " 12 ",
    "%",
    "_",
    "%a_",
    "\\",
    "''",
    "true",
    "false",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "1e400",
    "0x10",
    "+5",
    "-0",
    "1.",
    ".5",
    "12abc",
    "2020-01-01T00:00:00Z",
    "2020T",
    "2020-02-30T",
    "0000-01-01T",
    "9999-12-31T23:59:59.999999999Z",
    "2021-02-03T04:05:06.789+05:30",
    "2021-02-03T04:05-23:59",
    "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    "y",
    "MMMM",
    "a",
    "n",
    "X",
    "x",
    "Z",
    "'",
    "\u{0}",
    "é",
    "\u{1F409}",
    "Ǆ",
    "ﬃ",
    "İ",
];

const PATHS: &[&str] = &[
    "s.a",
    "s.b",
    "s.c",
    "s.c[0]",
    "s.c[1].d",
    "s.c[0][1]",
    "s.d.e",
    "s.name",
    "s.n",
    "s.ts",
    "s.missing",
    "_1",
    "_2",
    "_3",
    "_4",
    "_5",
    "s._1",
    "s._2",
    "s.\"a\"",
    "s.\"A\"",
    "S3Object",
    "s",
    "s.c[9223372036854775807]",
    "s.c[-1]",
    "a",
    "name",
    "n",
    "ts",
];

const DATE_PARTS: &[&str] = &[
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "timezone_hour",
    "timezone_minute",
    "week",
];

const CAST_TYPES: &[&str] = &[
    "INT",
    "INTEGER",
    "FLOAT",
    "DECIMAL",
    "NUMERIC",
    "STRING",
    "BOOL",
    "BOOLEAN",
    "TIMESTAMP",
    "DECIMAL(5,2)",
    "CHAR",
    "VARCHAR",
];

const BINARY: &[&str] = &[
    "+", "-", "*", "/", "%", "||", "=", "<>", "!=", "<", "<=", ">", ">=", "AND", "OR",
];

fn pick<'a>(u: &mut Unstructured, list: &'a [&'a str]) -> Result<&'a str> {
    u.choose(list).copied()
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A repeat count: mostly small, one time in eight up to `max` (long inputs cost time on every
/// run, and the bugs they find need only a few of them).
fn long(u: &mut Unstructured, max: usize) -> Result<usize> {
    if u.ratio(1, 8)? {
        u.int_in_range(0..=max)
    } else {
        u.int_in_range(0..=64)
    }
}

/// A string: listed, arbitrary, or a character repeated up to 70,000 times (format patterns and
/// LIKE patterns that are long without a long input).
pub fn text(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=15)? {
        0..=6 => pick(u, STRINGS)?.to_string(),
        7..=13 => u.arbitrary::<String>()?,
        14 => {
            let c: char = u.arbitrary()?;
            let n = long(u, 70_000)?;
            std::iter::repeat_n(c, n).collect()
        }
        _ => {
            let a = pick(u, STRINGS)?;
            let n = long(u, 2_000)?;
            a.repeat(n)
        }
    })
}

fn int(u: &mut Unstructured) -> Result<i64> {
    Ok(match u.int_in_range(0..=3)? {
        0 | 1 => *u.choose(INTS)?,
        2 => u.arbitrary::<i8>()? as i64,
        _ => u.arbitrary()?,
    })
}

fn float(u: &mut Unstructured) -> Result<String> {
    Ok(if u.arbitrary()? {
        pick(u, FLOATS)?.to_string()
    } else {
        let f: f64 = u.arbitrary()?;
        if f.is_finite() {
            format!("{f:e}")
        } else {
            "1e999".into()
        }
    })
}

fn timestamp(u: &mut Unstructured) -> Result<String> {
    if u.arbitrary()? {
        return Ok(pick(u, STRINGS)?.to_string());
    }
    let y = u.int_in_range(0..=10_000u32)?;
    let mo = u.int_in_range(0..=13u32)?;
    let d = u.int_in_range(0..=32u32)?;
    let h = u.int_in_range(0..=24u32)?;
    let mi = u.int_in_range(0..=60u32)?;
    let s = u.int_in_range(0..=60u32)?;
    let frac = "123456789012"[..u.int_in_range(0..=12usize)?].to_string();
    let off = match u.int_in_range(0..=2)? {
        0 => "Z".to_string(),
        1 => format!(
            "+{:02}:{:02}",
            u.int_in_range(0..=24u32)?,
            u.int_in_range(0..=60u32)?
        ),
        _ => format!(
            "-{:02}:{:02}",
            u.int_in_range(0..=24u32)?,
            u.int_in_range(0..=60u32)?
        ),
    };
    Ok(match u.int_in_range(0..=4)? {
        0 => format!("{y:04}T"),
        1 => format!("{y:04}-{mo:02}T"),
        2 => format!("{y:04}-{mo:02}-{d:02}T"),
        3 => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}{off}"),
        _ => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{frac}{off}"),
    })
}

/// A format pattern for TO_STRING / TO_TIMESTAMP: runs of pattern letters and quoted text.
fn pattern(u: &mut Unstructured) -> Result<String> {
    let mut p = String::new();
    for _ in 0..u.int_in_range(0..=6)? {
        match u.int_in_range(0..=3)? {
            0 => {
                let c = *u.choose(&[
                    'y', 'M', 'd', 'a', 'h', 'H', 'm', 's', 'S', 'n', 'X', 'x', 'z', 'Z', 'T', '-',
                    ':', ' ',
                ])?;
                let n = if u.ratio(7, 8)? {
                    u.int_in_range(1..=5)?
                } else {
                    long(u, 70_000)?
                };
                p.extend(std::iter::repeat_n(c, n));
            }
            1 => p.push_str(&format!("'{}'", u.arbitrary::<String>()?.replace('\'', ""))),
            2 => p.push_str("''"),
            _ => p.push(u.arbitrary()?),
        }
    }
    Ok(p)
}

fn literal(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=9)? {
        0 | 1 => int(u)?.to_string(),
        2 => float(u)?,
        3 | 4 => quote(&text(u)?),
        5 => format!("`{}`", timestamp(u)?),
        6 => pick(u, &["NULL", "MISSING", "TRUE", "FALSE"])?.to_string(),
        7 => format!("CAST({} AS INT)", quote(&int(u)?.to_string())),
        8 => quote(&timestamp(u)?),
        _ => quote(&pattern(u)?),
    })
}

/// The type an expression is generated for: mostly well-typed arguments, so evaluation gets past
/// the type checks to the arithmetic, while `Any` (and a share of ill-typed choices) keeps the
/// error paths busy.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ty {
    Any,
    Int,
    Num,
    Str,
    Ts,
    Bool,
}

const INT_PATHS: &[&str] = &[
    "s.a",
    "s.n",
    "_1",
    "s.c[0]",
    "s.c[0][1]",
    "s._1",
    "s.missing",
];
const STR_PATHS: &[&str] = &["s.b", "s.name", "_2", "_3", "s.d.e", "s._2", "s.c"];
const TS_PATHS: &[&str] = &["s.ts", "_4", "s.d.e"];

fn list(u: &mut Unstructured, ty: Ty, depth: u32, max: u32) -> Result<String> {
    let n = u.int_in_range(1..=max)?;
    let mut items = Vec::new();
    for _ in 0..n {
        items.push(typed(u, ty, depth)?);
    }
    Ok(items.join(", "))
}

fn any_ty(u: &mut Unstructured) -> Result<Ty> {
    u.choose(&[Ty::Int, Ty::Num, Ty::Str, Ty::Ts, Ty::Bool])
        .copied()
}

/// An expression of type `ty`, at most `depth` levels deep.
fn typed(u: &mut Unstructured, ty: Ty, depth: u32) -> Result<String> {
    if u.ratio(1, 16)? {
        // Now and then anything at all, for the type errors.
        return expr(u, depth.min(2));
    }
    let ty = if ty == Ty::Any { any_ty(u)? } else { ty };
    let leaf = depth == 0 || u.ratio(2, 5)?;
    let d = depth.saturating_sub(1);
    Ok(match (ty, leaf) {
        (Ty::Int, true) => match u.int_in_range(0..=4)? {
            0..=2 => int(u)?.to_string(),
            3 => pick(u, INT_PATHS)?.to_string(),
            _ => format!("CAST({} AS INT)", quote(&int(u)?.to_string())),
        },
        (Ty::Num, true) => match u.int_in_range(0..=3)? {
            0 => int(u)?.to_string(),
            1 | 2 => float(u)?,
            _ => format!("CAST({} AS FLOAT)", quote(&float(u)?)),
        },
        (Ty::Str, true) => match u.int_in_range(0..=5)? {
            0..=2 => quote(&text(u)?),
            3 => quote(&pattern(u)?),
            4 => quote(&timestamp(u)?),
            _ => pick(u, STR_PATHS)?.to_string(),
        },
        (Ty::Ts, true) => match u.int_in_range(0..=4)? {
            0 | 1 => format!("`{}`", timestamp(u)?),
            2 => "UTCNOW()".into(),
            3 => format!("CAST({} AS TIMESTAMP)", quote(&timestamp(u)?)),
            _ => pick(u, TS_PATHS)?.to_string(),
        },
        (_, true) => pick(u, &["TRUE", "FALSE", "NULL", "MISSING", "s.b", "_5"])?.to_string(),
        (Ty::Int, false) => match u.int_in_range(0..=6)? {
            0 | 1 => format!(
                "({} {} {})",
                typed(u, Ty::Int, d)?,
                pick(u, &["+", "-", "*", "/", "%"])?,
                typed(u, Ty::Int, d)?
            ),
            2 => format!("-({})", typed(u, Ty::Int, d)?),
            3 => format!("CHAR_LENGTH({})", typed(u, Ty::Str, d)?),
            4 => format!(
                "EXTRACT({} FROM {})",
                pick(u, DATE_PARTS)?,
                typed(u, Ty::Ts, d)?
            ),
            5 => format!(
                "DATE_DIFF({}, {}, {})",
                pick(u, DATE_PARTS)?,
                typed(u, Ty::Ts, d)?,
                typed(u, Ty::Ts, d)?
            ),
            _ => format!("CAST({} AS INT)", typed(u, Ty::Any, d)?),
        },
        (Ty::Num, false) => match u.int_in_range(0..=3)? {
            0 | 1 => format!(
                "({} {} {})",
                typed(u, Ty::Num, d)?,
                pick(u, &["+", "-", "*", "/", "%"])?,
                typed(u, Ty::Num, d)?
            ),
            2 => format!(
                "CAST({} AS {})",
                typed(u, Ty::Any, d)?,
                pick(u, CAST_TYPES)?
            ),
            _ => typed(u, Ty::Int, d)?,
        },
        (Ty::Str, false) => match u.int_in_range(0..=10)? {
            0 => format!(
                "{}({})",
                pick(u, &["LOWER", "UPPER", "TRIM"])?,
                typed(u, Ty::Str, d)?
            ),
            1 | 2 => format!(
                "SUBSTRING({}, {}{})",
                typed(u, Ty::Str, d)?,
                typed(u, Ty::Int, d)?,
                if u.arbitrary()? {
                    format!(", {}", typed(u, Ty::Int, d)?)
                } else {
                    String::new()
                }
            ),
            3 => format!(
                "SUBSTRING({} FROM {} FOR {})",
                typed(u, Ty::Str, d)?,
                typed(u, Ty::Int, d)?,
                typed(u, Ty::Int, d)?
            ),
            4 => format!(
                "TRIM({} {} FROM {})",
                pick(u, &["LEADING", "TRAILING", "BOTH", ""])?,
                typed(u, Ty::Str, d)?,
                typed(u, Ty::Str, d)?
            ),
            5 | 6 => format!(
                "TO_STRING({}, {})",
                typed(u, Ty::Ts, d)?,
                quote(&pattern(u)?)
            ),
            7 => format!("({} || {})", typed(u, Ty::Str, d)?, typed(u, Ty::Str, d)?),
            8 => format!("CAST({} AS STRING)", typed(u, Ty::Any, d)?),
            9 => format!("COALESCE({})", list(u, Ty::Str, d, 3)?),
            _ => format!(
                "NULLIF({}, {})",
                typed(u, Ty::Str, d)?,
                typed(u, Ty::Str, d)?
            ),
        },
        (Ty::Ts, false) => match u.int_in_range(0..=3)? {
            0 | 1 => format!(
                "DATE_ADD({}, {}, {})",
                pick(u, DATE_PARTS)?,
                typed(u, Ty::Int, d)?,
                typed(u, Ty::Ts, d)?
            ),
            2 => format!("TO_TIMESTAMP({})", typed(u, Ty::Str, d)?),
            _ => format!(
                "TO_TIMESTAMP({}, {})",
                typed(u, Ty::Str, d)?,
                quote(&pattern(u)?)
            ),
        },
        (_, false) => {
            let t = any_ty(u)?;
            match u.int_in_range(0..=7)? {
                0 | 1 => format!(
                    "({} {} {})",
                    typed(u, t, d)?,
                    pick(u, &["=", "<>", "!=", "<", "<=", ">", ">="])?,
                    typed(u, t, d)?
                ),
                2 => {
                    let esc = if u.arbitrary()? {
                        format!(" ESCAPE {}", quote(&u.arbitrary::<char>()?.to_string()))
                    } else {
                        String::new()
                    };
                    format!(
                        "{} LIKE {}{esc}",
                        typed(u, Ty::Str, d)?,
                        typed(u, Ty::Str, d)?
                    )
                }
                3 => format!(
                    "{} BETWEEN {} AND {}",
                    typed(u, t, d)?,
                    typed(u, t, d)?,
                    typed(u, t, d)?
                ),
                4 => format!("{} IN ({})", typed(u, t, d)?, list(u, t, d, 4)?),
                5 => format!(
                    "{} IS {}",
                    typed(u, t, d)?,
                    pick(u, &["NULL", "NOT NULL", "MISSING", "NOT MISSING"])?
                ),
                6 => format!(
                    "({} {} {})",
                    typed(u, Ty::Bool, d)?,
                    pick(u, &["AND", "OR"])?,
                    typed(u, Ty::Bool, d)?
                ),
                _ => format!("NOT {}", typed(u, Ty::Bool, d)?),
            }
        }
    })
}

/// Any expression, without regard to types, at most `depth` levels deep.
pub fn expr(u: &mut Unstructured, depth: u32) -> Result<String> {
    if depth == 0 || u.ratio(1, 4)? {
        return if u.arbitrary()? {
            literal(u)
        } else {
            Ok(pick(u, PATHS)?.to_string())
        };
    }
    let d = depth - 1;
    Ok(match u.int_in_range(0..=8)? {
        0 => format!("-({})", expr(u, d)?),
        1 => format!("NOT {}", expr(u, d)?),
        2..=4 => format!("({} {} {})", expr(u, d)?, pick(u, BINARY)?, expr(u, d)?),
        5 => format!("CAST({} AS {})", expr(u, d)?, pick(u, CAST_TYPES)?),
        6 => format!(
            "CASE WHEN {} THEN {} ELSE {} END",
            expr(u, d)?,
            expr(u, d)?,
            expr(u, d)?
        ),
        7 => format!(
            "CASE {} WHEN {} THEN {} END",
            expr(u, d)?,
            expr(u, d)?,
            expr(u, d)?
        ),
        _ => format!(
            "{}({})",
            pick(
                u,
                &[
                    "CHAR_LENGTH",
                    "LOWER",
                    "UPPER",
                    "TRIM",
                    "TO_TIMESTAMP",
                    "COALESCE",
                    "UTCNOW",
                    "SUBSTRING",
                    "NULLIF",
                    "TO_STRING",
                    "DATE_ADD",
                    "EXTRACT",
                    "AVG"
                ]
            )?,
            {
                let n = u.int_in_range(0..=3)?;
                let mut a = Vec::new();
                for _ in 0..n {
                    a.push(expr(u, d)?);
                }
                a.join(", ")
            }
        ),
    })
}

/// A whole query: select list (scalars, `*`, or aggregates), FROM forms, WHERE, LIMIT.
pub fn query(u: &mut Unstructured) -> Result<String> {
    let items = match u.int_in_range(0..=5)? {
        0 => "*".to_string(),
        1 => "COUNT(*)".to_string(),
        2 => {
            let mut v = Vec::new();
            for _ in 0..u.int_in_range(1..=3)? {
                let agg = pick(u, &["SUM", "AVG", "MIN", "MAX", "COUNT"])?;
                v.push(format!("{agg}({})", typed(u, Ty::Any, 3)?));
            }
            v.join(", ")
        }
        _ => {
            let mut v = Vec::new();
            for i in 0..u.int_in_range(1..=3)? {
                let alias = if u.arbitrary()? {
                    format!(" AS x{i}")
                } else {
                    String::new()
                };
                v.push(format!("{}{alias}", typed(u, Ty::Any, 4)?));
            }
            v.join(", ")
        }
    };
    let from = pick(
        u,
        &[
            "S3Object s",
            "S3Object",
            "S3Object AS s",
            "S3Object[*] s",
            "S3Object[*].c[*] s",
            "S3Object[*].d s",
            "s3object S",
        ],
    )?;
    let mut sql = format!("SELECT {items} FROM {from}");
    if u.ratio(1, 3)? {
        sql += &format!(" WHERE {}", typed(u, Ty::Bool, 4)?);
    }
    if u.ratio(1, 5)? {
        sql += &format!(" LIMIT {}", int(u)?);
    }
    Ok(sql)
}

/// Keys the AWS answers Wyvern reads use, and a few it does not.
const KEYS: &[&str] = &[
    "__type",
    "code",
    "message",
    "Message",
    "Parameter",
    "Parameters",
    "Name",
    "Type",
    "Value",
    "Version",
    "NextToken",
    "IdentityId",
    "Token",
    "Credentials",
    "AccessKeyId",
    "SecretKey",
    "SessionToken",
    "Expiration",
    "AuthenticationResult",
    "IdToken",
    "AccessToken",
    "RefreshToken",
    "ExpiresIn",
    "ChallengeName",
    "Session",
    "Logins",
    "PASSWORD",
    "dragon_name_str",
    "family_str",
    "x-amz-security-token",
    "other",
];

fn json_value(u: &mut Unstructured, depth: u32) -> Result<serde_json::Value> {
    use serde_json::Value;
    let leaf = depth == 0 || u.ratio(1, 3)?;
    Ok(match u.int_in_range(0..=if leaf { 5 } else { 7 })? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(int(u)?),
        3 => {
            let f: f64 = u.arbitrary()?;
            serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
        4 => Value::String(text(u)?),
        5 => Value::String(pick(u, &["NEW_PASSWORD_REQUIRED", "SMS_MFA", "#", "a#b:c"])?.into()),
        6 => {
            let mut v = Vec::new();
            for _ in 0..u.int_in_range(0..=4)? {
                v.push(json_value(u, depth - 1)?);
            }
            Value::Array(v)
        }
        _ => {
            let mut m = serde_json::Map::new();
            for _ in 0..u.int_in_range(0..=5)? {
                let k = if u.ratio(7, 8)? {
                    pick(u, KEYS)?.to_string()
                } else {
                    u.arbitrary()?
                };
                m.insert(k, json_value(u, depth - 1)?);
            }
            Value::Object(m)
        }
    })
}

/// The JSON answers Wyvern reads, as templates whose values get replaced.
const JSON_TEMPLATES: &[&str] = &[
    r#"{"__type":"com.amazonaws.ssm#ParameterNotFound","message":"no such parameter"}"#,
    r#"{"Parameter":{"Name":"/a","Type":"SecureString","Value":"v","Version":3}}"#,
    r#"{"Parameters":[{"Name":"a","Value":"1","Version":1},{"Name":"b"}],"NextToken":"t"}"#,
    r#"{"IdentityId":"us-east-1:1","Token":"eyJ"}"#,
    r#"{"IdentityId":"x","Credentials":{"AccessKeyId":"ASIA","SecretKey":"k","SessionToken":"t","Expiration":1763900000.5}}"#,
    r#"{"AuthenticationResult":{"IdToken":"i","AccessToken":"a","RefreshToken":"r","ExpiresIn":3600}}"#,
    r#"{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"s1"}"#,
    r#"[{"dragon_name_str":"Atlas","family_str":"red","location_city_str":"c"}]"#,
    r#"{"message":"Dragon reported","Logins":{"cognito-idp":"tok"}}"#,
];

/// Replaces leaves of `v` (and now and then drops a key or a whole subtree).
fn vary(u: &mut Unstructured, v: &mut serde_json::Value) -> Result<()> {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for k in keys {
                if u.ratio(1, 10)? {
                    map.remove(&k);
                } else if let Some(child) = map.get_mut(&k) {
                    vary(u, child)?;
                }
            }
        }
        Value::Array(items) => {
            for item in items.iter_mut() {
                vary(u, item)?;
            }
        }
        leaf => {
            if u.ratio(1, 2)? {
                *leaf = match (&*leaf, u.int_in_range(0..=3)?) {
                    (Value::Number(_), 0 | 1) => {
                        let f: f64 = u.arbitrary()?;
                        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
                    }
                    (Value::Number(_), 2) => Value::from(int(u)?),
                    (Value::String(_), 0..=2) => Value::String(text(u)?),
                    _ => json_value(u, 2)?,
                };
            }
        }
    }
    Ok(())
}

/// A JSON document: one of the answers Wyvern reads with values replaced (any f64, extreme
/// integers, long or odd strings, other types), or a document built from their keys; now and
/// then with a number serde_json would not write (past f64's range, or past u64).
pub fn json(u: &mut Unstructured) -> Result<Vec<u8>> {
    let mut v = if u.ratio(3, 4)? {
        let mut v: serde_json::Value =
            serde_json::from_str(pick(u, JSON_TEMPLATES)?).unwrap_or_default();
        vary(u, &mut v)?;
        v
    } else {
        json_value(u, 4)?
    };
    if u.ratio(1, 4)? {
        v = serde_json::json!({ "Credentials": v });
    }
    let mut s = v.to_string();
    if u.ratio(1, 4)? {
        let n = pick(u, FLOATS)?;
        s = s.replacen("null", n, 1);
    }
    Ok(s.into_bytes())
}

const TAGS: &[&str] = &[
    "Error",
    "Code",
    "Message",
    "RequestId",
    "ListBucketResult",
    "Contents",
    "Key",
    "Size",
    "LastModified",
    "NextContinuationToken",
    "CommonPrefixes",
    "Prefix",
    "Credentials",
    "AccessKeyId",
    "SecretAccessKey",
    "SessionToken",
    "Expiration",
    "CanonicalRequest",
    "CanonicalRequestBytes",
    "StringToSignBytes",
    "Stats",
    "BytesScanned",
    "Other",
];

fn xml_node(u: &mut Unstructured, depth: u32, out: &mut String) -> Result<()> {
    match u.int_in_range(0..=if depth == 0 { 3 } else { 6 })? {
        0 => out.push_str(&text(u)?.replace(['<', '&'], "")),
        1 => out.push_str(pick(
            u,
            &[
                "&amp;",
                "&lt;",
                "&#x41;",
                "&#0;",
                "&#xFFFFFFFF;",
                "&bogus;",
                "&",
                "]]>",
            ],
        )?),
        2 => out.push_str(&format!("<![CDATA[{}]]>", text(u)?.replace("]]>", ""))),
        3 => {
            let hex: Vec<String> = u
                .arbitrary::<Vec<u8>>()?
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            out.push_str(&hex.join(" "));
        }
        4 => out.push_str(&format!("<{}/>", pick(u, TAGS)?)),
        5 => out.push_str(&format!("<!-- {} -->", u.arbitrary::<String>()?)),
        _ => {
            let tag = pick(u, TAGS)?;
            out.push_str(&format!("<{tag}>"));
            for _ in 0..u.int_in_range(0..=4)? {
                xml_node(u, depth - 1, out)?;
            }
            if u.ratio(15, 16)? {
                out.push_str(&format!("</{tag}>"));
            }
        }
    }
    Ok(())
}

/// An XML document built from the tags of S3 and STS answers.
pub fn xml(u: &mut Unstructured) -> Result<Vec<u8>> {
    let mut s = String::new();
    if u.arbitrary()? {
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    xml_node(u, 5, &mut s)?;
    Ok(s.into_bytes())
}

/// An HTTP date, mostly well-formed, with numbers out of range too.
pub fn http_date(u: &mut Unstructured) -> Result<Vec<u8>> {
    let day = pick(u, &["Mon,", "Sun,", "Xyz,", ""])?;
    let month = pick(
        u,
        &[
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            "Foo",
        ],
    )?;
    let (d, y) = (u.int_in_range(0..=32u32)?, u.int_in_range(0..=10_000u32)?);
    let t = if u.arbitrary()? {
        format!(
            "{:02}:{:02}:{:02}",
            u.int_in_range(0..=25u32)?,
            u.int_in_range(0..=61u32)?,
            u.int_in_range(0..=61u32)?
        )
    } else {
        u.arbitrary::<String>()?
    };
    Ok(format!("{day} {d:02} {month} {y} {t} GMT").into_bytes())
}
