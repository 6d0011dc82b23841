//! Lenient JSON literals as Jayway reads them in filters and function
//! arguments (json-smart accepts single-quoted strings), and Java-style
//! unescaping of filter string literals.

use serde_json::{Map, Number, Value};

use super::error::PathSyntaxError;
use super::parser::MAX_NESTING;

/// Parses a whole JSON literal, allowing `'single quoted'` strings.
pub(crate) fn parse_json_literal(text: &str, depth: usize) -> Result<Value, PathSyntaxError> {
    let mut reader = LiteralReader {
        chars: text.chars().collect(),
        pos: 0,
    };
    reader.skip_blanks();
    let value = reader.value(depth)?;
    reader.skip_blanks();
    if reader.pos < reader.chars.len() {
        return Err(PathSyntaxError::new(
            "Unexpected text after a JSON literal",
            reader.pos,
        ));
    }
    Ok(value)
}

struct LiteralReader {
    chars: Vec<char>,
    pos: usize,
}

impl LiteralReader {
    fn skip_blanks(&mut self) {
        while matches!(self.chars.get(self.pos), Some(c) if c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn text(&self, start: usize, end: usize) -> String {
        self.chars.get(start..end).unwrap_or(&[]).iter().collect()
    }

    fn err(&self, message: &str) -> PathSyntaxError {
        PathSyntaxError::new(message, self.pos)
    }

    fn value(&mut self, depth: usize) -> Result<Value, PathSyntaxError> {
        if depth > MAX_NESTING {
            return Err(self.err("The JSON literal is nested too deeply"));
        }
        match self.chars.get(self.pos).copied() {
            Some('[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_blanks();
                if self.chars.get(self.pos) == Some(&']') {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                loop {
                    self.skip_blanks();
                    items.push(self.value(depth + 1)?);
                    self.skip_blanks();
                    match self.chars.get(self.pos) {
                        Some(',') => self.pos += 1,
                        Some(']') => {
                            self.pos += 1;
                            return Ok(Value::Array(items));
                        }
                        _ => return Err(self.err("Expected ',' or ']' in a JSON array")),
                    }
                }
            }
            Some('{') => {
                self.pos += 1;
                let mut map = Map::new();
                self.skip_blanks();
                if self.chars.get(self.pos) == Some(&'}') {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                loop {
                    self.skip_blanks();
                    let key = match self.chars.get(self.pos).copied() {
                        Some(q @ ('"' | '\'')) => self.string(q)?,
                        _ => return Err(self.err("Expected a quoted key in a JSON object")),
                    };
                    self.skip_blanks();
                    if self.chars.get(self.pos) != Some(&':') {
                        return Err(self.err("Expected ':' in a JSON object"));
                    }
                    self.pos += 1;
                    self.skip_blanks();
                    let value = self.value(depth + 1)?;
                    map.insert(key, value);
                    self.skip_blanks();
                    match self.chars.get(self.pos) {
                        Some(',') => self.pos += 1,
                        Some('}') => {
                            self.pos += 1;
                            return Ok(Value::Object(map));
                        }
                        _ => return Err(self.err("Expected ',' or '}' in a JSON object")),
                    }
                }
            }
            Some(q @ ('"' | '\'')) => self.string(q).map(Value::String),
            Some('t') => self.word("true", Value::Bool(true)),
            Some('f') => self.word("false", Value::Bool(false)),
            Some('n') => self.word("null", Value::Null),
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let start = self.pos;
                while matches!(self.chars.get(self.pos), Some(c) if c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
                {
                    self.pos += 1;
                }
                let text: String = self.text(start, self.pos);
                parse_number(&text)
                    .ok_or_else(|| PathSyntaxError::new(format!("Invalid number '{text}'"), start))
            }
            _ => Err(self.err("Expected a JSON value")),
        }
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, PathSyntaxError> {
        let end = self.pos + word.chars().count();
        let found: String = self
            .chars
            .get(self.pos..end)
            .unwrap_or(&[])
            .iter()
            .collect();
        if found == word {
            self.pos = end;
            Ok(value)
        } else {
            Err(self.err("Expected a JSON value"))
        }
    }

    fn string(&mut self, quote: char) -> Result<String, PathSyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut raw = String::new();
        while let Some(&c) = self.chars.get(self.pos) {
            if c == '\\' {
                raw.push(c);
                if let Some(&next) = self.chars.get(self.pos + 1) {
                    raw.push(next);
                }
                self.pos += 2;
                continue;
            }
            if c == quote {
                self.pos += 1;
                return Ok(unescape_java(&raw));
            }
            raw.push(c);
            self.pos += 1;
        }
        Err(PathSyntaxError::new("String literal is not closed", start))
    }
}

/// Parses a JSON number into the most precise `serde_json` form.
pub(crate) fn parse_number(text: &str) -> Option<Value> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(Value::Number(Number::from(i)));
    }
    if let Ok(u) = text.parse::<u64>() {
        return Some(Value::Number(Number::from(u)));
    }
    let valid = {
        let body = text.strip_prefix('-').unwrap_or(text);
        body.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    if !valid {
        return None;
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
}

/// Java-style unescaping (`\n`, `\t`, `\'`, `\"`, `\\`, `\uXXXX`...), which
/// Jayway applies to string literals in filters.
pub(crate) fn unescape_java(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = (0..4).filter_map(|_| chars.next()).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) if hex.len() == 4 => out.push(decoded),
                    _ => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_literals() {
        assert_eq!(
            parse_json_literal("['a', \"b\", 1, 2.5, true, null]", 0).unwrap(),
            json!(["a", "b", 1, 2.5, true, null])
        );
        assert_eq!(
            parse_json_literal("{'k': [1, {}]}", 0).unwrap(),
            json!({"k": [1, {}]})
        );
        assert!(parse_json_literal("[1,", 0).is_err());
        assert!(parse_json_literal("1 2", 0).is_err());
        assert!(parse_json_literal("tru", 0).is_err());
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "[".repeat(500) + &"]".repeat(500);
        assert!(parse_json_literal(&deep, 0).is_err());
    }

    #[test]
    fn java_unescape() {
        assert_eq!(unescape_java(r"a\'b\n\u0041\\"), "a'b\nA\\");
    }
}
