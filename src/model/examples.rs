//! Example queries that show the dialect off, each with the dataset it reads.

use crate::model::Dataset;

pub struct Example {
    pub title: &'static str,
    pub sql: &'static str,
    pub dataset: Dataset,
}

pub const EXAMPLES: &[Example] = &[
    Example {
        title: "Red dragons (JSON array, S3Object[*][*])",
        sql: "SELECT s.dragon_name_str, s.location_city_str\nFROM S3Object[*][*] s\nWHERE s.family_str = 'red'",
        dataset: Dataset::DragonsJson,
    },
    Example { title: "First five records", sql: "SELECT * FROM S3Object[*][*] s LIMIT 5", dataset: Dataset::DragonsJson },
    Example {
        title: "Path into an array by index",
        sql: "SELECT s[0].dragon_name_str, s[1].dragon_name_str AS second_dragon\nFROM S3Object s",
        dataset: Dataset::DragonsJson,
    },
    Example {
        title: "LIKE: names starting with A",
        sql: "SELECT s.dragon_name_str FROM S3Object s\nWHERE s.dragon_name_str LIKE 'A%'",
        dataset: Dataset::DragonsJsonLines,
    },
    Example {
        title: "CAST a CSV column (CSV values are strings)",
        sql: "SELECT s.dragon_name_str, s.wingspan_ft\nFROM S3Object s\nWHERE CAST(s.wingspan_ft AS INT) > 120",
        dataset: Dataset::DragonsCsv,
    },
    Example {
        title: "Aggregates with CAST",
        sql: "SELECT COUNT(*) AS dragons,\n       AVG(CAST(s.age_years AS INT)) AS mean_age,\n       MAX(CAST(s.wingspan_ft AS INT)) AS widest\nFROM S3Object s",
        dataset: Dataset::DragonsCsv,
    },
    Example {
        title: "Parquet: typed columns, no CAST",
        sql: "SELECT COUNT(*) AS dragons,\n       AVG(s.age_years) AS mean_age,\n       MAX(s.wingspan_ft) AS widest\nFROM S3Object s",
        dataset: Dataset::DragonsParquet,
    },
    Example {
        title: "Positional columns _1, _2",
        sql: "SELECT _1, _2 FROM S3Object LIMIT 5",
        dataset: Dataset::DragonsCsv,
    },
    Example {
        title: "CASE: size classes",
        sql: "SELECT s.dragon_name_str,\n  CASE WHEN s.wingspan_ft > 100 THEN 'huge'\n       WHEN s.wingspan_ft > 50 THEN 'large'\n       ELSE 'small' END AS size_class\nFROM S3Object s LIMIT 10",
        dataset: Dataset::DragonsJsonLines,
    },
    Example {
        title: "IN and BETWEEN",
        sql: "SELECT s.dragon_name_str, s.family_str, s.age_years\nFROM S3Object s\nWHERE s.family_str IN ('gold', 'silver') AND s.age_years BETWEEN 100 AND 500",
        dataset: Dataset::DragonsJsonLines,
    },
    Example {
        title: "Timestamps: seen since 2024",
        sql: "SELECT s.dragon_name_str,\n  TO_STRING(CAST(s.last_seen AS TIMESTAMP), 'MMMM d, y') AS seen\nFROM S3Object s\nWHERE CAST(s.last_seen AS TIMESTAMP) > `2024-01-01T`",
        dataset: Dataset::DragonsJsonLines,
    },
    Example {
        title: "DATE_DIFF and EXTRACT",
        sql: "SELECT s.dragon_name_str,\n  EXTRACT(YEAR FROM CAST(s.last_seen AS TIMESTAMP)) AS seen_year,\n  DATE_DIFF(day, CAST(s.last_seen AS TIMESTAMP), UTCNOW()) AS days_ago\nFROM S3Object s LIMIT 10",
        dataset: Dataset::DragonsJsonLines,
    },
    Example {
        title: "String functions",
        sql: "SELECT UPPER(s.dragon_name_str) AS name,\n  CHAR_LENGTH(s.description_str) AS length,\n  SUBSTRING(s.location_city_str, 1, 3) AS city\nFROM S3Object s LIMIT 10",
        dataset: Dataset::DragonsJsonLines,
    },
    Example {
        title: "MISSING vs NULL",
        sql: "SELECT s.dragon_name_str, s.nickname, s.nickname IS MISSING AS no_nickname,\n  COALESCE(s.nickname, 'none') AS shown\nFROM S3Object s LIMIT 5",
        dataset: Dataset::DragonsJsonLines,
    },
    Example {
        title: "Not in S3 Select: ORDER BY (see the error)",
        sql: "SELECT s.dragon_name_str FROM S3Object s\nORDER BY s.dragon_name_str",
        dataset: Dataset::DragonsJsonLines,
    },
];
