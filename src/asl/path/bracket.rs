//! Bracket steps with fixed syntax: quoted property names, indexes,
//! slices and the `[(@.length-n)]` script index.

use super::ast::SegmentKind;
use super::error::PathSyntaxError;
use super::parser::Parser;

impl Parser {
    /// `['a']`, `["a"]`, `['a','b']`. Backslash escapes only protect the next
    /// character from ending the name: the name keeps the text as written,
    /// as AWS does (`$['Test\""Name"']` reads the key `Test\""Name"`).
    pub(crate) fn parse_quoted_properties(
        &mut self,
        quote: char,
    ) -> Result<SegmentKind, PathSyntaxError> {
        let mut names = Vec::new();
        loop {
            self.skip_blanks();
            if self.peek() != Some(quote) {
                return Err(
                    self.error_here(format!("Expected a property name in {quote}quotes{quote}"))
                );
            }
            let name_start = self.pos + 1;
            let mut i = name_start;
            let mut closed = None;
            while let Some(&c) = self.chars.get(i) {
                if c == '\\' {
                    i += 2;
                    continue;
                }
                if c == quote {
                    closed = Some(i);
                    break;
                }
                i += 1;
            }
            let Some(end) = closed else {
                return Err(self.error_here(format!(
                    "Property has not been closed - missing closing {quote}"
                )));
            };
            names.push(self.text(name_start, end));
            self.pos = end + 1;
            self.skip_blanks();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(']') => {
                    self.pos += 1;
                    return Ok(SegmentKind::Property(names));
                }
                None => {
                    return Err(self.error_here("Property has not been closed - missing closing ]"));
                }
                Some(_) => {
                    return Err(self.error_here(format!(
                        "Property must be separated by comma or Property must be terminated close square bracket at index {}",
                        self.pos
                    )));
                }
            }
        }
    }

    /// `[1]`, `[-1]`, `[0,2]`, `[1:3]`, `[:2]`, `[1:]`.
    pub(crate) fn parse_index_or_slice(&mut self) -> Result<SegmentKind, PathSyntaxError> {
        let start = self.pos;
        let Some(close) = (start..self.chars.len()).find(|&i| self.chars.get(i) == Some(&']'))
        else {
            return Err(self.error_here("Array index or slice is not closed - missing closing ]"));
        };
        let raw: String = self.text(start, close);
        let expr = raw.trim();
        if let Some(bad) = expr
            .chars()
            .find(|c| !(c.is_ascii_digit() || matches!(c, ',' | '-' | ':' | ' ')))
        {
            return Err(self.error_here(format!("Unexpected character '{bad}' in array index")));
        }
        self.pos = close + 1;
        if expr.contains(':') {
            if expr.contains(' ') || expr.contains(',') {
                return Err(PathSyntaxError::new(
                    format!("Failed to parse SliceOperation: {expr}"),
                    start,
                ));
            }
            let parts: Vec<&str> = expr.split(':').collect();
            if parts.len() > 3 {
                return Err(PathSyntaxError::new(
                    format!("Failed to parse SliceOperation: {expr}"),
                    start,
                ));
            }
            let read = |idx: usize| -> Result<Option<i64>, PathSyntaxError> {
                match parts.get(idx) {
                    Some(p) if !p.is_empty() => parse_int(p).map(Some).ok_or_else(|| {
                        PathSyntaxError::new(
                            format!("Failed to parse SliceOperation: {expr}"),
                            start,
                        )
                    }),
                    _ => Ok(None),
                }
            };
            let (from, to, step) = (read(0)?, read(1)?, read(2)?);
            if from.is_none() && to.is_none() {
                return Err(PathSyntaxError::new(
                    format!("Failed to parse SliceOperation: {expr}"),
                    start,
                ));
            }
            return Ok(SegmentKind::Slice {
                start: from,
                end: to,
                step,
            });
        }
        let mut indexes = Vec::new();
        for part in expr.split(',') {
            let value = parse_int(part.trim()).ok_or_else(|| {
                PathSyntaxError::new(
                    format!(
                        "Failed to parse token in ArrayIndexOperation: {}",
                        part.trim()
                    ),
                    start,
                )
            })?;
            indexes.push(value);
        }
        Ok(SegmentKind::Index(indexes))
    }

    /// `[(@.length-1)]`: the only script expression common linters accept.
    pub(crate) fn parse_length_offset(&mut self) -> Result<SegmentKind, PathSyntaxError> {
        let start = self.pos;
        let Some(close) = (start..self.chars.len()).find(|&i| self.chars.get(i) == Some(&']'))
        else {
            return Err(self.error_here("Script expression is not closed - missing closing ]"));
        };
        let raw: String = self.text(start, close);
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        let offset = compact
            .strip_prefix("(@.length")
            .and_then(|rest| rest.strip_suffix(')'))
            .and_then(|rest| {
                if rest.is_empty() {
                    Some(0)
                } else {
                    rest.strip_prefix('-').and_then(parse_int)
                }
            });
        match offset {
            Some(n) if n >= 0 => {
                self.pos = close + 1;
                Ok(SegmentKind::LengthOffset(n))
            }
            _ => Err(PathSyntaxError::new(
                "Script expressions are not supported; only [(@.length-n)] is accepted",
                start,
            )),
        }
    }
}

/// Parses an index the way Jayway does (`Integer.parseInt`): 32-bit range.
fn parse_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse::<i32>().ok().map(i64::from)
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    fn kinds(text: &str) -> Vec<SegmentKind> {
        parse(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .segments
            .into_iter()
            .map(|s| s.kind)
            .collect()
    }

    #[test]
    fn quoted_names_keep_backslashes() {
        match &kinds(r#"$['Test\""Name"']"#)[0] {
            SegmentKind::Property(n) => assert_eq!(n, &vec![r#"Test\""Name""#.to_string()]),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn indexes_and_slices() {
        assert!(matches!(&kinds("$[0]")[0], SegmentKind::Index(v) if v == &vec![0]));
        assert!(matches!(&kinds("$[-2]")[0], SegmentKind::Index(v) if v == &vec![-2]));
        assert!(matches!(&kinds("$[0, 3]")[0], SegmentKind::Index(v) if v == &vec![0, 3]));
        assert!(matches!(
            &kinds("$[1:5:2]")[0],
            SegmentKind::Slice {
                start: Some(1),
                end: Some(5),
                step: Some(2)
            }
        ));
        assert!(matches!(
            &kinds("$[:1]")[0],
            SegmentKind::Slice {
                start: None,
                end: Some(1),
                step: None
            }
        ));
        assert!(matches!(&kinds("$[*]")[0], SegmentKind::Wildcard));
        assert!(matches!(&kinds("$.*")[0], SegmentKind::Wildcard));
        assert!(matches!(
            &kinds("$[(@.length-1)]")[0],
            SegmentKind::LengthOffset(1)
        ));
    }

    #[test]
    fn bracket_errors() {
        for text in [
            "$[1 : 2]",
            "$[1,2:3]",
            "$['a' 'b']",
            "$['a',]",
            "$[(@.foo)]",
            "$[1a]",
        ] {
            assert!(parse(text).is_err(), "{text} should fail");
        }
        // Mixing quote styles in one union is rejected (Jayway ignores the odd one out).
        assert!(parse("$['a', \"b\"]").is_err());
        assert!(matches!(&kinds("$[\"a\", \"b\"]")[0], SegmentKind::Property(n) if n.len() == 2));
    }
}
