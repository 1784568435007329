//! Writing S3's XML answers: elements with escaped text.

use quick_xml::escape::escape;

pub const NAMESPACE: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// `<name>text</name>`, the text escaped.
pub fn el(name: &str, text: &str) -> String {
    format!("<{name}>{}</{name}>", escape(text))
}

/// The document S3 answers with: the declaration and a root in S3's namespace around `inner`.
pub fn document(root: &str, inner: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"{NAMESPACE}\">{inner}</{root}>"
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            el("Key", "a&b<\"c\">"),
            "<Key>a&amp;b&lt;&quot;c&quot;&gt;</Key>"
        );
        assert!(String::from_utf8(document("R", "<A/>"))
            .unwrap()
            .ends_with("<R xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><A/></R>"));
    }
}
