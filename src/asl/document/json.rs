//! A strict JSON (RFC 8259) parser that records the byte span of every key and value.
//!
//! Hand-written rather than borrowed because the Code tab and every diagnostic need exact
//! positions, duplicate keys must be seen (serde drops them), and the error messages are what
//! users read while typing.

use super::{Member, Node, NodeKind, ParseError, Span};
use serde_json::Number;
use std::str::FromStr;

/// Nesting deeper than this is rejected instead of risking the stack.
const MAX_DEPTH: usize = 512;

pub(super) fn parse(text: &str) -> Result<Node, ParseError> {
    let mut parser = JsonParser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    // A UTF-8 byte order mark is tolerated: editors on Windows write one.
    if text.starts_with('\u{feff}') {
        parser.pos = '\u{feff}'.len_utf8();
    }
    parser.skip_whitespace()?;
    if parser.pos >= parser.bytes.len() {
        return Err(parser.error_at(parser.pos, "the document is empty: expected a JSON object"));
    }
    let root = parser.value(0)?;
    parser.skip_whitespace()?;
    if parser.pos < parser.bytes.len() {
        return Err(parser.error_at(
            parser.pos,
            "unexpected content after the end of the JSON value",
        ));
    }
    Ok(root)
}

struct JsonParser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl JsonParser<'_> {
    fn error_at(&self, offset: usize, message: impl Into<String>) -> ParseError {
        ParseError::at(self.text, offset, message)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn describe_here(&self) -> String {
        match self
            .text
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
        {
            None => "the end of the text".to_string(),
            Some(c) => format!("'{c}'"),
        }
    }

    fn skip_whitespace(&mut self) -> Result<(), ParseError> {
        while let Some(byte) = self.peek() {
            match byte {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'/' if matches!(self.bytes.get(self.pos + 1), Some(b'/' | b'*')) => {
                    return Err(self.error_at(
                        self.pos,
                        "comments are not allowed in JSON (Step Functions rejects them)",
                    ));
                }
                _ => break,
            }
        }
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Node, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error_at(self.pos, "the document is nested too deeply"));
        }
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'{') => return self.object(depth),
            Some(b'[') => return self.array(depth),
            Some(b'"') => NodeKind::String(self.string()?),
            Some(b't') => self.keyword("true", NodeKind::Bool(true))?,
            Some(b'f') => self.keyword("false", NodeKind::Bool(false))?,
            Some(b'n') => self.keyword("null", NodeKind::Null)?,
            Some(b'-' | b'0'..=b'9') => NodeKind::Number(self.number()?),
            Some(b'\'') => {
                return Err(self.error_at(
                    self.pos,
                    "strings must use double quotes in JSON, not single quotes",
                ));
            }
            _ => {
                return Err(self.error_at(
                    self.pos,
                    format!("expected a JSON value but found {}", self.describe_here()),
                ));
            }
        };
        Ok(Node {
            span: Span::new(start, self.pos),
            kind,
        })
    }

    fn keyword(&mut self, word: &str, kind: NodeKind) -> Result<NodeKind, ParseError> {
        if self
            .text
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(word))
        {
            self.pos += word.len();
            if self
                .peek()
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
            {
                return Err(
                    self.error_at(self.pos, format!("unexpected characters after '{word}'"))
                );
            }
            Ok(kind)
        } else {
            let token: String = self
                .text
                .get(self.pos..)
                .unwrap_or_default()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            Err(self.error_at(
                self.pos,
                format!("unrecognized token '{token}': expected a JSON value (string, number, object, array, true, false or null)"),
            ))
        }
    }

    fn number(&mut self) -> Result<Number, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return Err(self.error_at(start, "numbers must not have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error_at(self.pos, "expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.error_at(self.pos, "expected a digit after the decimal point"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.error_at(self.pos, "expected a digit in the exponent"));
            }
            self.digits();
        }
        let literal = self.text.get(start..self.pos).unwrap_or_default();
        Number::from_str(literal)
            .map_err(|_| self.error_at(start, format!("the number {literal} is out of range")))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    /// Parses a string starting at the opening quote; returns its unescaped content.
    fn string(&mut self) -> Result<String, ParseError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(rest) = self.text.get(self.pos..) else {
                return Err(self.error_at(open, "unterminated string"));
            };
            let Some(c) = rest.chars().next() else {
                return Err(self.error_at(open, "unterminated string: missing the closing '\"'"));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                '\\' => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                '\n' | '\r' => {
                    return Err(self.error_at(
                        open,
                        "unterminated string: a line break must be written as \\n inside a string",
                    ));
                }
                c if (c as u32) < 0x20 => {
                    return Err(self.error_at(
                        self.pos,
                        format!(
                            "control character U+{:04X} must be escaped in a string",
                            c as u32
                        ),
                    ));
                }
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let at = self.pos - 1;
        let Some(code) = self.peek() else {
            return Err(self.error_at(at, "unterminated escape sequence"));
        };
        self.pos += 1;
        let decoded = match code {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(at, out),
            _ => {
                return Err(self.error_at(
                    at,
                    format!("invalid escape sequence '\\{}'", char::from(code)),
                ));
            }
        };
        out.push(decoded);
        Ok(())
    }

    fn hex4(&mut self, at: usize) -> Result<u32, ParseError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.chars().all(|c| c.is_ascii_hexdigit()))
            .ok_or_else(|| self.error_at(at, "\\u must be followed by four hexadecimal digits"))?;
        self.pos += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error_at(at, "invalid \\u escape"))
    }

    fn unicode_escape(&mut self, at: usize, out: &mut String) -> Result<(), ParseError> {
        let first = self.hex4(at)?;
        let code = if (0xD800..0xDC00).contains(&first) {
            // A high surrogate must be followed by a low one to form one character.
            if self.text.get(self.pos..self.pos + 2) == Some("\\u") {
                self.pos += 2;
                let second = self.hex4(at)?;
                if !(0xDC00..0xE000).contains(&second) {
                    return Err(self.error_at(at, "invalid UTF-16 surrogate pair in \\u escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            } else {
                return Err(self.error_at(at, "lone UTF-16 surrogate in \\u escape"));
            }
        } else {
            first
        };
        let c = char::from_u32(code)
            .ok_or_else(|| self.error_at(at, "invalid character in \\u escape"))?;
        out.push(c);
        Ok(())
    }

    fn object(&mut self, depth: usize) -> Result<Node, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace()?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Node {
                span: Span::new(start, self.pos),
                kind: NodeKind::Object(members),
            });
        }
        loop {
            self.skip_whitespace()?;
            let key_start = self.pos;
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') if !members.is_empty() => {
                    return Err(
                        self.error_at(self.pos, "trailing comma: remove the ',' before '}'")
                    );
                }
                None => {
                    return Err(self.error_at(start, "unterminated object: missing '}'"));
                }
                _ => {
                    return Err(self.error_at(
                        self.pos,
                        format!(
                            "expected a property name in double quotes but found {}",
                            self.describe_here()
                        ),
                    ));
                }
            }
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_whitespace()?;
            if self.peek() != Some(b':') {
                return Err(self.error_at(
                    self.pos,
                    format!(
                        "expected ':' after the property name \"{key}\" but found {}",
                        self.describe_here()
                    ),
                ));
            }
            self.pos += 1;
            self.skip_whitespace()?;
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node {
                        span: Span::new(start, self.pos),
                        kind: NodeKind::Object(members),
                    });
                }
                None => return Err(self.error_at(start, "unterminated object: missing '}'")),
                _ => {
                    return Err(self.error_at(
                        self.pos,
                        format!("expected ',' or '}}' after a property but found {} (is a comma missing?)", self.describe_here()),
                    ));
                }
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace()?;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Node {
                span: Span::new(start, self.pos),
                kind: NodeKind::Array(items),
            });
        }
        loop {
            self.skip_whitespace()?;
            match self.peek() {
                Some(b']') if !items.is_empty() => {
                    return Err(
                        self.error_at(self.pos, "trailing comma: remove the ',' before ']'")
                    );
                }
                None => return Err(self.error_at(start, "unterminated array: missing ']'")),
                _ => {}
            }
            items.push(self.value(depth + 1)?);
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node {
                        span: Span::new(start, self.pos),
                        kind: NodeKind::Array(items),
                    });
                }
                None => return Err(self.error_at(start, "unterminated array: missing ']'")),
                _ => {
                    return Err(self.error_at(
                        self.pos,
                        format!("expected ',' or ']' after an array item but found {} (is a comma missing?)", self.describe_here()),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ParseError {
        match parse(text) {
            Err(e) => e,
            Ok(node) => panic!("expected an error for {text:?}, got {node:?}"),
        }
    }

    #[test]
    fn records_spans_of_keys_and_values() {
        let text = r#"{"a": [1, true], "b" : "x"}"#;
        let root = parse(text).unwrap();
        let NodeKind::Object(members) = &root.kind else {
            panic!("object expected")
        };
        assert_eq!(&text[members[0].key_span.range()], "\"a\"");
        assert_eq!(&text[members[0].value.span.range()], "[1, true]");
        assert_eq!(&text[members[1].value.span.range()], "\"x\"");
        assert_eq!(root.span, Span::new(0, text.len()));
    }

    #[test]
    fn keeps_duplicate_members_for_the_caller_to_report() {
        let root = parse(r#"{"a": 1, "a": 2}"#).unwrap();
        let NodeKind::Object(members) = root.kind else {
            panic!("object expected")
        };
        assert_eq!(members.len(), 2);
    }

    #[test]
    fn reports_missing_comma_at_the_exact_place() {
        let e = err("{\n  \"a\": 1\n  \"b\": 2\n}");
        assert_eq!((e.line, e.column), (3, 3));
        assert!(e.message.contains("comma"), "{}", e.message);
    }

    #[test]
    fn rejects_trailing_commas_comments_and_single_quotes() {
        assert!(err(r#"{"a": 1,}"#).message.contains("trailing comma"));
        assert!(err("[1,]").message.contains("trailing comma"));
        assert!(err("{// x\n}").message.contains("comments"));
        assert!(err("{'a': 1}").message.contains("double quotes"));
    }

    #[test]
    fn rejects_unterminated_and_empty_documents() {
        assert!(err("").message.contains("empty"));
        assert!(err("{\"a\": \"x").message.contains("unterminated string"));
        assert!(err("{\"a\": 1").message.contains("missing '}'"));
        assert!(err("[1, 2").message.contains("missing ']'"));
        assert!(err("{} x").message.contains("after the end"));
        assert!(
            err("not a definition")
                .message
                .contains("unrecognized token 'not'")
        );
    }

    #[test]
    fn decodes_escapes_including_surrogate_pairs() {
        let root = parse(r#""a\"\\\/\n\u00e9\ud83d\ude00""#).unwrap();
        assert_eq!(root.kind, NodeKind::String("a\"\\/\né😀".to_string()));
        assert!(err(r#""\ud83d""#).message.contains("surrogate"));
        assert!(err(r#""\x""#).message.contains("invalid escape"));
    }

    #[test]
    fn parses_numbers_strictly() {
        assert_eq!(
            parse("-12.5e2").unwrap().kind,
            NodeKind::Number(Number::from_str("-12.5e2").unwrap())
        );
        assert!(err("01").message.contains("leading zeros"));
        assert!(err("1.").message.contains("decimal point"));
        assert!(err("1e").message.contains("exponent"));
        assert!(parse("123456789012345678901234567890").is_ok());
    }

    #[test]
    fn bounds_nesting_depth() {
        let deep = "[".repeat(MAX_DEPTH + 10);
        assert!(err(&deep).message.contains("nested too deeply"));
    }

    #[test]
    fn tolerates_a_byte_order_mark() {
        assert!(parse("\u{feff}{}").is_ok());
    }
}
