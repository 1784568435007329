//! Everything a link reproduces (the SQL, the dataset and the settings), and its round trip
//! through the URL fragment.

use super::settings::*;
use super::Dataset;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything a link reproduces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub sql: String,
    pub dataset: Dataset,
    pub input: InputSettings,
    pub output: OutputSettings,
}

impl Default for View {
    fn default() -> Self {
        let dataset = Dataset::DragonsJson;
        View {
            sql: crate::model::examples::EXAMPLES[0].sql.to_string(),
            dataset,
            input: dataset.input(),
            output: OutputSettings::default(),
        }
    }
}

/// The fragment's keys.
const KEYS: &[&str] = &[
    "q", "d", "if", "fh", "fd", "rd", "qc", "qe", "cm", "aq", "jt", "cp", "of", "oq", "ofd", "ord",
    "oqc", "oqe",
];

/// Characters kept as they are in the fragment (besides letters and digits).
const FRAGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'*');

fn enc(s: &str) -> String {
    utf8_percent_encode(s, FRAGMENT).to_string()
}

impl View {
    /// `q=…&d=…&…` for the URL fragment. Holds nothing secret: SQL, dataset and settings only.
    pub fn to_fragment(&self) -> String {
        let i = &self.input;
        let o = &self.output;
        let pairs: Vec<(&str, String)> = vec![
            ("q", self.sql.clone()),
            ("d", self.dataset.id().into()),
            ("if", i.format.name().into()),
            ("fh", i.file_header_info.name().into()),
            ("fd", i.field_delimiter.clone()),
            ("rd", i.record_delimiter.clone()),
            ("qc", i.quote_character.clone()),
            ("qe", i.quote_escape_character.clone()),
            ("cm", i.comments.clone()),
            (
                "aq",
                if i.allow_quoted_record_delimiter {
                    "1"
                } else {
                    "0"
                }
                .into(),
            ),
            ("jt", i.json_type.name().into()),
            ("cp", i.compression.name().into()),
            ("of", o.format.name().into()),
            ("oq", o.quote_fields.name().into()),
            ("ofd", o.field_delimiter.clone()),
            ("ord", o.record_delimiter.clone()),
            ("oqc", o.quote_character.clone()),
            ("oqe", o.quote_escape_character.clone()),
        ];
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Reads a fragment (with or without the leading `#`); unknown or bad values keep defaults.
    pub fn from_fragment(fragment: &str) -> Option<View> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        if fragment.is_empty() {
            return None;
        }
        let mut view = View::default();
        let mut any = false;
        for pair in fragment.split('&') {
            let Some((k, v)) = pair.split_once('=') else {
                continue;
            };
            let Ok(v) = percent_decode_str(v).decode_utf8() else {
                continue;
            };
            let v = v.into_owned();
            any |= KEYS.contains(&k);
            let (i, o) = (&mut view.input, &mut view.output);
            match k {
                "q" => view.sql = v,
                "d" => {
                    if let Some(d) = Dataset::from_id(&v) {
                        view.dataset = d;
                    }
                }
                "if" => i.format = Format::from_name(&v).unwrap_or(i.format),
                "fh" => {
                    i.file_header_info = FileHeaderInfo::from_name(&v).unwrap_or(i.file_header_info)
                }
                "fd" => i.field_delimiter = v,
                "rd" => i.record_delimiter = v,
                "qc" => i.quote_character = v,
                "qe" => i.quote_escape_character = v,
                "cm" => i.comments = v,
                "aq" => i.allow_quoted_record_delimiter = v == "1",
                "jt" => i.json_type = JsonType::from_name(&v).unwrap_or(i.json_type),
                "cp" => i.compression = Compression::from_name(&v).unwrap_or(i.compression),
                "of" => {
                    o.format = Format::from_name(&v)
                        .filter(|f| Format::OUTPUT.contains(f))
                        .unwrap_or(o.format)
                }
                "oq" => o.quote_fields = QuoteFields::from_name(&v).unwrap_or(o.quote_fields),
                "ofd" => o.field_delimiter = v,
                "ord" => o.record_delimiter = v,
                "oqc" => o.quote_character = v,
                "oqe" => o.quote_escape_character = v,
                _ => {}
            }
        }
        any.then_some(view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn fragment_round_trips() {
        let view = View {
            sql: "SELECT s.name\nFROM S3Object s WHERE s.x = 'a&b=c#%' -- é".into(),
            dataset: Dataset::DragonsCsv,
            input: InputSettings {
                field_delimiter: ";".into(),
                comments: "#".into(),
                allow_quoted_record_delimiter: true,
                compression: Compression::Gzip,
                ..Dataset::DragonsCsv.input()
            },
            output: OutputSettings {
                format: Format::Csv,
                quote_fields: QuoteFields::Always,
                record_delimiter: "\r\n".into(),
                ..OutputSettings::default()
            },
        };
        let fragment = view.to_fragment();
        assert!(!fragment.contains('#') && !fragment.contains(' ') && !fragment.contains('\n'));
        assert_eq!(View::from_fragment(&format!("#{fragment}")), Some(view));
    }
    #[test]
    fn bad_fragments_fall_back_to_defaults() {
        assert_eq!(View::from_fragment(""), None);
        assert_eq!(View::from_fragment("#"), None);
        let v = View::from_fragment("#d=nonsense&if=XML&q=SELECT%201").unwrap();
        assert_eq!(v.dataset, Dataset::DragonsJson);
        assert_eq!(v.input.format, Format::Json);
        assert_eq!(v.sql, "SELECT 1");
        assert!(View::from_fragment("#q=%FF%FE").is_none());
    }
}
