//! LIKE patterns: `%` any run, `_` one character, an optional one-character ESCAPE.

use crate::error::{ErrorCode, Result, SelectError};

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Literal(char),
    AnyOne,
    AnyRun,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LikePattern {
    tokens: Vec<Token>,
    /// Fast paths for the common shapes: `abc`, `abc%`, `%abc`, `%abc%`.
    simple: Option<Simple>,
}

#[derive(Debug, Clone, PartialEq)]
enum Simple {
    Exact(String),
    Prefix(String),
    Suffix(String),
    Contains(String),
}

impl LikePattern {
    pub fn compile(pattern: &str, escape: Option<&str>) -> Result<LikePattern> {
        let escape = match escape {
            None => None,
            Some(e) => {
                let mut it = e.chars();
                match (it.next(), it.next()) {
                    (Some(c), None) => Some(c),
                    _ => {
                        return Err(SelectError::new(
                            ErrorCode::EvaluatorLikePatternInvalidEscapeSequence,
                            format!(
                                "The LIKE ESCAPE value must be exactly one character, not '{e}'."
                            ),
                        ))
                    }
                }
            }
        };
        let mut tokens = Vec::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            if Some(c) == escape {
                match chars.next() {
                    Some(n) => tokens.push(Token::Literal(n)),
                    None => {
                        return Err(SelectError::new(
                            ErrorCode::EvaluatorLikePatternInvalidEscapeSequence,
                            format!("The LIKE pattern '{pattern}' ends with its escape character."),
                        ))
                    }
                }
            } else if c == '%' {
                if tokens.last() != Some(&Token::AnyRun) {
                    tokens.push(Token::AnyRun);
                }
            } else if c == '_' {
                tokens.push(Token::AnyOne);
            } else {
                tokens.push(Token::Literal(c));
            }
        }
        let simple = simple_shape(&tokens);
        Ok(LikePattern { tokens, simple })
    }

    pub fn matches(&self, text: &str) -> bool {
        if let Some(s) = &self.simple {
            return match s {
                Simple::Exact(p) => text == p,
                Simple::Prefix(p) => text.starts_with(p.as_str()),
                Simple::Suffix(p) => text.ends_with(p.as_str()),
                Simple::Contains(p) => {
                    memchr::memmem::find(text.as_bytes(), p.as_bytes()).is_some()
                }
            };
        }
        let text: Vec<char> = text.chars().collect();
        // Greedy matching with one backtrack point per `%` (linear in practice).
        let (mut t, mut p) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while t < text.len() {
            match self.tokens.get(p) {
                Some(Token::AnyRun) => {
                    star = Some((p, t));
                    p += 1;
                }
                Some(Token::AnyOne) => {
                    t += 1;
                    p += 1;
                }
                // cannot fail: the loop runs while t < text.len().
                Some(Token::Literal(c)) if *c == text[t] => {
                    t += 1;
                    p += 1;
                }
                _ => match star {
                    Some((sp, st)) => {
                        p = sp + 1;
                        t = st + 1;
                        star = Some((sp, st + 1));
                    }
                    None => return false,
                },
            }
        }
        self.tokens.iter().skip(p).all(|t| *t == Token::AnyRun)
    }
}

fn simple_shape(tokens: &[Token]) -> Option<Simple> {
    let literal = |ts: &[Token]| -> Option<String> {
        ts.iter()
            .map(|t| match t {
                Token::Literal(c) => Some(*c),
                _ => None,
            })
            .collect()
    };
    let n = tokens.len();
    let starts = tokens.first() == Some(&Token::AnyRun);
    let ends = tokens.last() == Some(&Token::AnyRun);
    // Slicing cannot fail: `starts` or `ends` means n >= 1; the Contains arm checks n >= 2.
    match (starts, ends) {
        (false, false) => literal(tokens).map(Simple::Exact),
        (false, true) => literal(&tokens[..n - 1]).map(Simple::Prefix),
        (true, false) => literal(&tokens[1..]).map(Simple::Suffix),
        (true, true) if n >= 2 => literal(&tokens[1..n - 1]).map(Simple::Contains),
        _ => Some(Simple::Contains(String::new())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn like(t: &str, p: &str) -> bool {
        LikePattern::compile(p, None).unwrap().matches(t)
    }

    #[test]
    fn wildcards() {
        assert!(like("dragon", "dr%"));
        assert!(like("dragon", "%gon"));
        assert!(like("dragon", "%ago%"));
        assert!(like("dragon", "d_agon"));
        assert!(like("dragon", "%a%o%"));
        assert!(!like("dragon", "d_gon"));
        assert!(like("", "%"));
        assert!(!like("", "_"));
        assert!(like("aXbXc", "a%b%c"));
        assert!(!like("abc", "a%b%cd"));
    }

    #[test]
    fn escape() {
        let p = LikePattern::compile("100!%", Some("!")).unwrap();
        assert!(p.matches("100%"));
        assert!(!p.matches("1000"));
        assert!(LikePattern::compile("a!", Some("!")).is_err());
        assert!(LikePattern::compile("a", Some("!!")).is_err());
    }
}
