//! Lexer, a port of the tokenizer in jsonata-js `parser.js`.
//!
//! Positions are character (code point) offsets and, as in jsonata-js, a token's position
//! is the offset just *after* it.

use super::error::{Error, ErrorExt, err};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenKind {
    Operator(&'static str),
    Str(String),
    Number(f64),
    Null,
    Bool(bool),
    Name(String),
    Variable(String),
    Regex { pattern: String, flags: String },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub position: usize,
}

/// Single-character operators (also the characters that terminate a name).
const SINGLE_OPS: &[&str] = &[
    ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|",
    "=", "<", ">", "^", "&", "!", "~",
];

fn single_op(c: char) -> Option<&'static str> {
    SINGLE_OPS.iter().find(|op| op.starts_with(c)).copied()
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}')
}

pub(crate) struct Tokenizer {
    chars: Vec<char>,
    pos: usize,
    /// Recognise jsonata 2.1's `?:` and `??` operators.
    pub default_operators: bool,
}

impl Tokenizer {
    pub fn new(source: &str) -> Tokenizer {
        Tokenizer {
            chars: source.chars().collect(),
            pos: 0,
            default_operators: true,
        }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn tok(&self, kind: TokenKind) -> Token {
        Token {
            kind,
            position: self.pos,
        }
    }

    /// Next token; `prefix` means the previous token ended an operand, so `/` is division
    /// rather than the start of a regex literal.
    pub fn next_token(&mut self, prefix: bool) -> Result<Option<Token>, Error> {
        loop {
            while self.at(self.pos).is_some_and(is_ws) {
                self.pos += 1;
            }
            if self.pos >= self.chars.len() {
                return Ok(None);
            }
            if self.at(self.pos) == Some('/') && self.at(self.pos + 1) == Some('*') {
                let start = self.pos;
                self.pos += 2;
                loop {
                    if self.pos + 1 >= self.chars.len() {
                        self.pos = self.chars.len();
                        return Err(err("S0106").at(start));
                    }
                    if self.at(self.pos) == Some('*') && self.at(self.pos + 1) == Some('/') {
                        self.pos += 2;
                        break;
                    }
                    self.pos += 1;
                }
                continue;
            }
            break;
        }
        let c = match self.at(self.pos) {
            Some(c) => c,
            None => return Ok(None),
        };
        if !prefix && c == '/' {
            self.pos += 1;
            return self.scan_regex().map(Some);
        }
        let next = self.at(self.pos + 1);
        let double = match (c, next) {
            ('.', Some('.')) => Some(".."),
            (':', Some('=')) => Some(":="),
            ('!', Some('=')) => Some("!="),
            ('>', Some('=')) => Some(">="),
            ('<', Some('=')) => Some("<="),
            ('*', Some('*')) => Some("**"),
            ('~', Some('>')) => Some("~>"),
            ('?', Some(':')) if self.default_operators => Some("?:"),
            ('?', Some('?')) if self.default_operators => Some("??"),
            _ => None,
        };
        if let Some(op) = double {
            self.pos += 2;
            return Ok(Some(self.tok(TokenKind::Operator(op))));
        }
        if let Some(op) = single_op(c) {
            self.pos += 1;
            return Ok(Some(self.tok(TokenKind::Operator(op))));
        }
        if c == '"' || c == '\'' {
            return self.scan_string(c).map(Some);
        }
        if let Some(tok) = self.scan_number()? {
            return Ok(Some(tok));
        }
        if c == '`' {
            self.pos += 1;
            let start = self.pos;
            return match self.chars[start..].iter().position(|&ch| ch == '`') {
                Some(off) => {
                    let name: String = self.chars[start..start + off].iter().collect();
                    self.pos = start + off + 1;
                    Ok(Some(self.tok(TokenKind::Name(name))))
                }
                None => {
                    self.pos = self.chars.len();
                    Err(err("S0105").at(self.pos))
                }
            };
        }
        // names and variables run to whitespace or an operator character
        let mut i = self.pos;
        while let Some(ch) = self.at(i) {
            if is_ws(ch) || single_op(ch).is_some() {
                break;
            }
            i += 1;
        }
        let text: String = self.chars[self.pos..i].iter().collect();
        self.pos = i;
        if let Some(var) = text.strip_prefix('$') {
            return Ok(Some(self.tok(TokenKind::Variable(var.to_string()))));
        }
        let kind = match text.as_str() {
            "or" => TokenKind::Operator("or"),
            "in" => TokenKind::Operator("in"),
            "and" => TokenKind::Operator("and"),
            "true" => TokenKind::Bool(true),
            "false" => TokenKind::Bool(false),
            "null" => TokenKind::Null,
            _ => {
                if self.pos == self.chars.len() && text.is_empty() {
                    return Ok(None);
                }
                TokenKind::Name(text)
            }
        };
        Ok(Some(self.tok(kind)))
    }

    fn scan_string(&mut self, quote: char) -> Result<Token, Error> {
        self.pos += 1;
        let mut s = String::new();
        // \uXXXX escapes produce UTF-16 units; pair surrogates as JavaScript would.
        let mut pending_high: Option<u32> = None;
        while let Some(c) = self.at(self.pos) {
            if c == '\\' {
                self.pos += 1;
                let e = self.at(self.pos);
                let simple = match e {
                    Some('"') => Some('"'),
                    Some('\\') => Some('\\'),
                    Some('/') => Some('/'),
                    Some('b') => Some('\u{8}'),
                    Some('f') => Some('\u{c}'),
                    Some('n') => Some('\n'),
                    Some('r') => Some('\r'),
                    Some('t') => Some('\t'),
                    _ => None,
                };
                if let Some(ch) = simple {
                    flush_high(&mut s, &mut pending_high);
                    s.push(ch);
                } else if e == Some('u') {
                    let hex: String = self.chars[self.pos + 1..]
                        .iter()
                        .take(4)
                        .collect::<String>();
                    let valid = !hex.is_empty() && hex.chars().all(|h| h.is_ascii_hexdigit());
                    // jsonata-js tests /^[0-9a-fA-F]+$/ on up to 4 chars then parses them
                    let code = if valid {
                        u32::from_str_radix(&hex, 16).ok()
                    } else {
                        None
                    };
                    let Some(code) = code else {
                        return Err(err("S0104").at(self.pos));
                    };
                    push_utf16_unit(&mut s, &mut pending_high, code);
                    self.pos += 4;
                } else {
                    let token = e.map(String::from).unwrap_or_default();
                    return Err(err("S0103").at(self.pos).with_token(token));
                }
            } else if c == quote {
                flush_high(&mut s, &mut pending_high);
                self.pos += 1;
                return Ok(self.tok(TokenKind::Str(s)));
            } else {
                flush_high(&mut s, &mut pending_high);
                s.push(c);
            }
            self.pos += 1;
        }
        Err(err("S0101").at(self.pos))
    }

    fn scan_number(&mut self) -> Result<Option<Token>, Error> {
        // ^-?(0|([1-9][0-9]*))(\.[0-9]+)?([Ee][-+]?[0-9]+)?
        let start = self.pos;
        let mut i = start;
        if self.at(i) == Some('-') {
            i += 1;
        }
        match self.at(i) {
            Some('0') => i += 1,
            Some(c) if c.is_ascii_digit() => {
                while self.at(i).is_some_and(|c| c.is_ascii_digit()) {
                    i += 1;
                }
            }
            _ => return Ok(None),
        }
        if self.at(i) == Some('.') && self.at(i + 1).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
            while self.at(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
        }
        if matches!(self.at(i), Some('e' | 'E')) {
            let mut j = i + 1;
            if matches!(self.at(j), Some('+' | '-')) {
                j += 1;
            }
            if self.at(j).is_some_and(|c| c.is_ascii_digit()) {
                while self.at(j).is_some_and(|c| c.is_ascii_digit()) {
                    j += 1;
                }
                i = j;
            }
        }
        let text: String = self.chars[start..i].iter().collect();
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() => {
                self.pos = i;
                Ok(Some(self.tok(TokenKind::Number(n))))
            }
            _ => Err(err("S0102").at(start).with_token(text)),
        }
    }

    fn scan_regex(&mut self) -> Result<Token, Error> {
        let start = self.pos;
        let mut depth: i64 = 0;
        while let Some(c) = self.at(self.pos) {
            if c == '/' && depth == 0 {
                let mut backslashes = 0;
                while self.pos > backslashes && self.at(self.pos - backslashes - 1) == Some('\\') {
                    backslashes += 1;
                }
                if backslashes % 2 == 0 {
                    let pattern: String = self.chars[start..self.pos].iter().collect();
                    if pattern.is_empty() {
                        return Err(err("S0301").at(self.pos));
                    }
                    self.pos += 1;
                    let flag_start = self.pos;
                    while matches!(self.at(self.pos), Some('i' | 'm')) {
                        self.pos += 1;
                    }
                    let flags: String = self.chars[flag_start..self.pos].iter().collect();
                    return Ok(self.tok(TokenKind::Regex { pattern, flags }));
                }
            }
            let escaped = self.pos > 0 && self.at(self.pos - 1) == Some('\\');
            if matches!(c, '(' | '[' | '{') && !escaped {
                depth += 1;
            }
            if matches!(c, ')' | ']' | '}') && !escaped {
                depth -= 1;
            }
            self.pos += 1;
        }
        Err(err("S0302").at(self.pos))
    }
}

fn flush_high(s: &mut String, pending: &mut Option<u32>) {
    if pending.take().is_some() {
        // A lone surrogate cannot live in a Rust string.
        s.push('\u{FFFD}');
    }
}

fn push_utf16_unit(s: &mut String, pending: &mut Option<u32>, unit: u32) {
    if (0xD800..0xDC00).contains(&unit) {
        flush_high(s, pending);
        *pending = Some(unit);
        return;
    }
    if (0xDC00..0xE000).contains(&unit) {
        if let Some(high) = pending.take() {
            let cp = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00);
            s.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
        } else {
            s.push('\u{FFFD}');
        }
        return;
    }
    flush_high(s, pending);
    s.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
}

/// Render a token value the way jsonata-js would put it in an error's `token` field.
pub(crate) fn token_text(kind: &TokenKind) -> String {
    match kind {
        TokenKind::Operator(op) => (*op).to_string(),
        TokenKind::Str(s) | TokenKind::Name(s) | TokenKind::Variable(s) => s.clone(),
        TokenKind::Number(n) => super::number::js_number_to_string(*n),
        TokenKind::Null => "null".into(),
        TokenKind::Bool(b) => b.to_string(),
        TokenKind::Regex { pattern, .. } => format!("/{pattern}/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        let mut t = Tokenizer::new(src);
        let mut out = Vec::new();
        let mut prefix = false;
        while let Ok(Some(tok)) = t.next_token(prefix) {
            prefix = !matches!(tok.kind, TokenKind::Operator(_));
            out.push(tok.kind);
        }
        out
    }

    #[test]
    fn operators_names_numbers_and_strings() {
        assert_eq!(
            kinds("a.b[0] != 'x\\n' and $v ~> $f"),
            vec![
                TokenKind::Name("a".into()),
                TokenKind::Operator("."),
                TokenKind::Name("b".into()),
                TokenKind::Operator("["),
                TokenKind::Number(0.0),
                TokenKind::Operator("]"),
                TokenKind::Operator("!="),
                TokenKind::Str("x\n".into()),
                TokenKind::Operator("and"),
                TokenKind::Variable("v".into()),
                TokenKind::Operator("~>"),
                TokenKind::Variable("f".into()),
            ]
        );
    }

    #[test]
    fn regex_versus_division() {
        assert_eq!(
            kinds("/ab+c/i"),
            vec![TokenKind::Regex {
                pattern: "ab+c".into(),
                flags: "i".into()
            }]
        );
        assert_eq!(
            kinds("4/2"),
            vec![
                TokenKind::Number(4.0),
                TokenKind::Operator("/"),
                TokenKind::Number(2.0)
            ]
        );
    }

    #[test]
    fn lexical_errors_carry_codes() {
        let mut t = Tokenizer::new("'abc");
        assert_eq!(
            t.next_token(false).map_err(|e| e.code.clone()),
            Err("S0101".into())
        );
        let mut t = Tokenizer::new("/* open");
        assert_eq!(
            t.next_token(false).map_err(|e| e.code.clone()),
            Err("S0106".into())
        );
        let mut t = Tokenizer::new("1e999");
        assert_eq!(
            t.next_token(false).map_err(|e| e.code.clone()),
            Err("S0102".into())
        );
        let mut t = Tokenizer::new("'\\q'");
        assert_eq!(
            t.next_token(false).map_err(|e| e.code.clone()),
            Err("S0103".into())
        );
    }

    #[test]
    fn unicode_escapes_combine_surrogate_pairs() {
        assert_eq!(kinds("'\\ud83d\\ude00'"), vec![TokenKind::Str("😀".into())]);
    }
}
