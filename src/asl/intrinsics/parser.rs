//! Parser for intrinsic function calls (`States.Name(arg, ...)`).
//!
//! Arguments are single-quoted strings (escapes `\'`, `\{`, `\}`, `\\`),
//! JSON numbers, `true`, `false`, `null`, paths (`$`, `$.x`, `$$.x`,
//! `$var.x`, with any JSONPath syntax) and nested calls.

use serde_json::{Number, Value};

use super::super::path;
use super::ast::{Arg, ArgKind, IntrinsicCall, IntrinsicSyntaxError, Span, StringLiteral};

/// How deep calls may nest before parsing gives up (AWS allows 10; the
/// validator reports that limit, this one only protects the stack).
const MAX_PARSE_DEPTH: usize = 32;

const PREFIX: &str = "States.";

/// Parses a whole intrinsic function call. Nothing may precede or follow it.
pub fn parse_intrinsic(text: &str) -> Result<IntrinsicCall, IntrinsicSyntaxError> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        pos: 0,
    };
    let call = parser.call(1)?;
    if parser.pos < parser.chars.len() {
        return Err(IntrinsicSyntaxError::new(
            "Unexpected text after the intrinsic function call",
            parser.pos,
        ));
    }
    Ok(call)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn err(&self, message: impl Into<String>) -> IntrinsicSyntaxError {
        IntrinsicSyntaxError::new(message, self.pos)
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(c) if c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i) == Some(&c))
    }

    fn text(&self, start: usize, end: usize) -> String {
        self.chars.get(start..end).unwrap_or(&[]).iter().collect()
    }

    fn call(&mut self, depth: usize) -> Result<IntrinsicCall, IntrinsicSyntaxError> {
        let start = self.pos;
        if depth > MAX_PARSE_DEPTH {
            return Err(self.err("Intrinsic function calls are nested too deeply"));
        }
        if !self.starts_with(PREFIX) {
            return Err(self.err("An intrinsic function call must start with 'States.'"));
        }
        self.pos += PREFIX.len();
        let name_start = self.pos;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '_') {
            self.pos += 1;
        }
        if self.pos == name_start {
            return Err(self.err("Expected a function name after 'States.'"));
        }
        let name = self.text(start, self.pos);
        if self.peek() != Some('(') {
            return Err(self.err(format!("Expected '(' after {name}")));
        }
        self.pos += 1;
        let mut args = Vec::new();
        self.skip_blanks();
        if self.peek() == Some(')') {
            self.pos += 1;
        } else {
            loop {
                self.skip_blanks();
                args.push(self.arg(depth)?);
                self.skip_blanks();
                match self.peek() {
                    Some(',') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    Some(c) => {
                        return Err(self.err(format!(
                            "Unexpected character '{c}': expected ',' or ')' in the arguments of {name}"
                        )));
                    }
                    None => {
                        return Err(self.err(format!(
                            "The arguments of {name} are not closed: missing ')'"
                        )));
                    }
                }
            }
        }
        Ok(IntrinsicCall {
            name,
            args,
            span: Span {
                start,
                end: self.pos,
            },
            source: self.text(start, self.pos),
        })
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, IntrinsicSyntaxError> {
        let start = self.pos;
        let kind = match self.peek() {
            Some('\'') => ArgKind::String(self.string()?),
            Some('$') => ArgKind::Path(self.path()?),
            Some(c) if c == '-' || c.is_ascii_digit() => ArgKind::Number(self.number()?),
            Some('S') if self.starts_with(PREFIX) => ArgKind::Call(Box::new(self.call(depth + 1)?)),
            Some(c) if c.is_ascii_alphabetic() => {
                let word_start = self.pos;
                while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '_' || c == '.')
                {
                    self.pos += 1;
                }
                match self.text(word_start, self.pos).as_str() {
                    "true" => ArgKind::Bool(true),
                    "false" => ArgKind::Bool(false),
                    "null" => ArgKind::Null,
                    word => {
                        return Err(IntrinsicSyntaxError::new(
                            format!(
                                "Unexpected '{word}': string literals must be in single quotes"
                            ),
                            word_start,
                        ));
                    }
                }
            }
            Some(',') | Some(')') => return Err(self.err("Missing argument")),
            Some(c) => {
                return Err(self.err(format!(
                    "Unexpected character '{c}': expected a string literal, a number, true, false, null, a path or an intrinsic function"
                )));
            }
            None => return Err(self.err("Unexpected end of the intrinsic function call")),
        };
        Ok(Arg {
            kind,
            span: Span {
                start,
                end: self.pos,
            },
        })
    }

    /// `'...'`; only `\'`, `\{`, `\}` and `\\` are escapes (AWS rejects
    /// other backslash sequences in intrinsic strings).
    fn string(&mut self) -> Result<StringLiteral, IntrinsicSyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        let mut raw = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(IntrinsicSyntaxError::new(
                        "The string literal is not closed: missing '",
                        start,
                    ));
                }
                Some('\'') => {
                    self.pos += 1;
                    return Ok(StringLiteral { value, raw });
                }
                Some('\\') => match self.chars.get(self.pos + 1).copied() {
                    Some(c @ ('\'' | '{' | '}' | '\\')) => {
                        value.push(c);
                        raw.push('\\');
                        raw.push(c);
                        self.pos += 2;
                    }
                    other => {
                        let shown = other.map(String::from).unwrap_or_default();
                        return Err(self.err(format!(
                            "Invalid escape sequence '\\{shown}': only \\', \\{{, \\}} and \\\\ are allowed"
                        )));
                    }
                },
                Some(c) => {
                    value.push(c);
                    raw.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// A JSON number (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`).
    fn number(&mut self) -> Result<Number, IntrinsicSyntaxError> {
        let start = self.pos;
        let digits = |p: &mut Parser| {
            let s = p.pos;
            while matches!(p.peek(), Some(c) if c.is_ascii_digit()) {
                p.pos += 1;
            }
            p.pos - s
        };
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let int_len = digits(self);
        let leading_zero = int_len > 1 && self.chars.get(int_start) == Some(&'0');
        let mut ok = int_len > 0 && !leading_zero;
        if self.peek() == Some('.') {
            self.pos += 1;
            ok &= digits(self) > 0;
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.pos += 1;
            }
            ok &= digits(self) > 0;
        }
        let text = self.text(start, self.pos);
        let followed_ok = match self.peek() {
            None => true,
            Some(c) => c.is_whitespace() || c == ',' || c == ')',
        };
        if !ok || !followed_ok {
            return Err(IntrinsicSyntaxError::new(
                format!("Invalid number '{text}'"),
                start,
            ));
        }
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Number(n)) => Ok(n),
            _ => Err(IntrinsicSyntaxError::new(
                format!("The number '{text}' is out of range"),
                start,
            )),
        }
    }

    /// A path argument: everything up to the next top-level `,` or `)`.
    fn path(&mut self) -> Result<path::JsonPath, IntrinsicSyntaxError> {
        let start = self.pos;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        let mut i = self.pos;
        while let Some(&c) = self.chars.get(i) {
            if let Some(q) = quote {
                if c == '\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            } else {
                match c {
                    '\'' | '"' => quote = Some(c),
                    '[' | '(' => depth += 1,
                    ']' | ')' if depth > 0 => depth -= 1,
                    ',' | ')' => break,
                    _ => {}
                }
            }
            i += 1;
        }
        let mut end = i;
        while end > start && self.chars.get(end - 1).is_some_and(|c| c.is_whitespace()) {
            end -= 1;
        }
        let text = self.text(start, end);
        let parsed = path::parse(&text).map_err(|e| {
            IntrinsicSyntaxError::new(format!("Invalid path: {}", e.message), start + e.position)
        })?;
        self.pos = end;
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> IntrinsicCall {
        parse_intrinsic(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn parses_every_argument_kind() {
        let call = parse_ok(
            "States.Format('Hello {}', $.name, $$.Execution.Id, $var.x[0], 1, -2.5, true, false, null, States.UUID())",
        );
        assert_eq!(call.name, "States.Format");
        assert_eq!(call.args.len(), 10);
        assert!(matches!(&call.args[0].kind, ArgKind::String(s) if s.value == "Hello {}"));
        assert!(matches!(&call.args[1].kind, ArgKind::Path(p) if p.source() == "$.name"));
        assert!(matches!(&call.args[2].kind, ArgKind::Path(p) if p.source() == "$$.Execution.Id"));
        assert!(matches!(&call.args[3].kind, ArgKind::Path(p) if p.source() == "$var.x[0]"));
        assert!(matches!(&call.args[4].kind, ArgKind::Number(n) if n.as_i64() == Some(1)));
        assert!(matches!(&call.args[5].kind, ArgKind::Number(n) if n.as_f64() == Some(-2.5)));
        assert!(matches!(call.args[6].kind, ArgKind::Bool(true)));
        assert!(matches!(call.args[7].kind, ArgKind::Bool(false)));
        assert!(matches!(call.args[8].kind, ArgKind::Null));
        assert!(
            matches!(&call.args[9].kind, ArgKind::Call(c) if c.name == "States.UUID" && c.args.is_empty())
        );
        assert_eq!(call.args[1].span, Span { start: 26, end: 32 });
    }

    #[test]
    fn escapes_in_string_literals() {
        let call = parse_ok(r"States.Format('I\'m \{not\} a {} \\ ok', $.a)");
        match &call.args[0].kind {
            ArgKind::String(s) => {
                assert_eq!(s.value, r"I'm {not} a {} \ ok");
                assert_eq!(s.raw, r"I\'m \{not\} a {} \\ ok");
            }
            other => panic!("{other:?}"),
        }
        let call = parse_ok("States.StringSplit('Hello\nWorld', '\n')");
        assert!(matches!(&call.args[1].kind, ArgKind::String(s) if s.value == "\n"));
    }

    #[test]
    fn paths_with_brackets_filters_and_functions() {
        let call = parse_ok(
            "States.ArrayGetItem($.R[?(@.OutputKey == 'a,b')].OutputValue, $.list.length())",
        );
        assert!(
            matches!(&call.args[0].kind, ArgKind::Path(p) if p.source() == "$.R[?(@.OutputKey == 'a,b')].OutputValue")
        );
        assert!(matches!(&call.args[1].kind, ArgKind::Path(p) if p.source() == "$.list.length()"));
        let call = parse_ok("States.Array( $.a , $['b c'] )");
        assert_eq!(call.args.len(), 2);
    }

    #[test]
    fn nested_calls_keep_their_source() {
        let text = "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))";
        let call = parse_ok(text);
        assert_eq!(call.source, text);
        match &call.args[1].kind {
            ArgKind::Call(c) => assert_eq!(
                c.source,
                "States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1)"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_errors_with_positions() {
        let cases = [
            (" States.Array()", 0),
            ("States.Array($.a) trailing", 17),
            ("States.Array(", 13),
            ("States.Array([1,2])", 13),
            ("States.Array(1.)", 13),
            ("States.Array(.5)", 13),
            ("States.Array(01)", 13),
            ("States.ArrayGetItem($.arr, )", 27),
            ("States.Format('abc", 14),
            (r"States.Base64Decode('YWJj\nZA==')", 25),
            ("States.Array(hello)", 13),
            ("States.Array($.a b)", 16),
            ("States.Array($.)", 14),
            ("States.(1)", 7),
            ("Foo.Bar()", 0),
            ("States.Array(1e999)", 13),
        ];
        for (text, position) in cases {
            match parse_intrinsic(text) {
                Ok(c) => panic!("{text} should fail: {c:?}"),
                Err(e) => assert_eq!(e.position, position, "{text}: {e}"),
            }
        }
        let deep = "States.Array(".repeat(100) + &")".repeat(100);
        assert!(parse_intrinsic(&deep).is_err());
    }
}
