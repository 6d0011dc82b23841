//! Parser for Step Functions JSONPath (Jayway syntax plus `$$` and `$var`).

use super::ast::{FunctionArg, JsonPath, PathFunction, Root, Segment, SegmentKind};
use super::error::PathSyntaxError;
use super::functions::FUNCTION_NAMES;
use super::literal::parse_json_literal;

/// Nesting limit for filters and function arguments, so hostile input cannot
/// exhaust the stack.
pub(crate) const MAX_NESTING: usize = 64;

/// Parses a full JSONPath (`$...`, `$$...` or `$name...`).
pub fn parse(text: &str) -> Result<JsonPath, PathSyntaxError> {
    let mut parser = Parser::new(text, false, 0);
    let path = parser.parse_path()?;
    if parser.pos < parser.chars.len() {
        return Err(parser.error_here(format!(
            "Unexpected character '{}'",
            parser.peek().unwrap_or(' ')
        )));
    }
    Ok(path)
}

pub(crate) struct Parser {
    pub(crate) chars: Vec<char>,
    pub(crate) pos: usize,
    /// True while parsing a path inside a filter, where a path ends at
    /// operators, blanks and closing parentheses.
    pub(crate) in_filter: bool,
    pub(crate) depth: usize,
}

impl Parser {
    pub(crate) fn new(text: &str, in_filter: bool, depth: usize) -> Self {
        Self {
            chars: text.chars().collect(),
            pos: 0,
            in_filter,
            depth,
        }
    }

    /// The characters `start..end` (empty when out of range).
    pub(crate) fn text(&self, start: usize, end: usize) -> String {
        self.chars.get(start..end).unwrap_or(&[]).iter().collect()
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    pub(crate) fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    pub(crate) fn error_here(&self, message: impl Into<String>) -> PathSyntaxError {
        PathSyntaxError::new(message, self.pos)
    }

    pub(crate) fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.pos += 1;
        }
    }

    /// Characters that end a path written inside a filter expression.
    fn ends_filter_path(&self, c: char) -> bool {
        self.in_filter
            && matches!(
                c,
                ' ' | '\t' | '\n' | '\r' | ')' | '<' | '>' | '=' | '!' | '~' | '&' | '|' | ','
            )
    }

    /// Parses a path starting at the current position; stops at the end of
    /// the text or, inside filters, at the first character that ends a path.
    pub(crate) fn parse_path(&mut self) -> Result<JsonPath, PathSyntaxError> {
        let start = self.pos;
        let root = self.parse_root()?;
        let mut segments = Vec::new();
        while let Some(c) = self.peek() {
            if self.ends_filter_path(c) {
                break;
            }
            let seg_start = self.pos;
            match c {
                '.' => self.parse_dot(&mut segments)?,
                '[' => {
                    let kind = self.parse_bracket()?;
                    segments.push(Segment {
                        kind,
                        position: seg_start,
                    });
                }
                _ => {
                    return Err(self.error_here(format!(
                        "Illegal character '{c}' at position {}, expected '.' or '['",
                        self.pos
                    )));
                }
            }
            if let Some(last) = segments.last()
                && matches!(last.kind, SegmentKind::Function(_))
                && let Some(next) = self.peek()
                && !self.ends_filter_path(next)
            {
                return Err(self.error_here("A path function must be the last step of a path"));
            }
        }
        let source: String = self.text(start, self.pos);
        Ok(JsonPath {
            root,
            segments,
            source,
        })
    }

    fn parse_root(&mut self) -> Result<Root, PathSyntaxError> {
        match self.peek() {
            Some('$') => {
                self.pos += 1;
                if self.peek() == Some('$') {
                    self.pos += 1;
                    return Ok(Root::Context);
                }
                if self.in_filter {
                    return Ok(Root::Input);
                }
                match self.peek() {
                    Some(c) if c.is_alphabetic() || c == '_' => {
                        let name_start = self.pos;
                        while matches!(self.peek(), Some(c) if c.is_alphanumeric() || c == '_') {
                            self.pos += 1;
                        }
                        let name: String = self.text(name_start, self.pos);
                        Ok(Root::Variable(name))
                    }
                    _ => Ok(Root::Input),
                }
            }
            Some('@') if self.in_filter => {
                self.pos += 1;
                Ok(Root::Current)
            }
            Some(_) => Err(self.error_here("A path must start with '$'")),
            None => Err(self.error_here("A path must not be empty; it must start with '$'")),
        }
    }

    /// `.name`, `.*`, `.name()`, `..name`, `..*`, `..[...]`.
    fn parse_dot(&mut self, segments: &mut Vec<Segment>) -> Result<(), PathSyntaxError> {
        let dot_start = self.pos;
        self.pos += 1;
        if self.peek() == Some('.') {
            self.pos += 1;
            segments.push(Segment {
                kind: SegmentKind::DeepScan,
                position: dot_start,
            });
        }
        let token_start = self.pos;
        match self.peek() {
            None => Err(PathSyntaxError::new(
                "Path must not end with a '.' or '..'",
                dot_start,
            )),
            Some('.') => Err(self.error_here(format!(
                "Character '.' on position {} is not valid",
                self.pos
            ))),
            Some('*') => {
                self.pos += 1;
                segments.push(Segment {
                    kind: SegmentKind::Wildcard,
                    position: token_start,
                });
                Ok(())
            }
            Some('[') => {
                let kind = self.parse_bracket()?;
                segments.push(Segment {
                    kind,
                    position: token_start,
                });
                Ok(())
            }
            Some(c) if self.ends_filter_path(c) => Err(self.error_here(format!(
                "Expected a property name after '.' at position {}",
                self.pos
            ))),
            Some(_) => {
                let kind = self.parse_name_or_function()?;
                segments.push(Segment {
                    kind,
                    position: token_start,
                });
                Ok(())
            }
        }
    }

    fn parse_name_or_function(&mut self) -> Result<SegmentKind, PathSyntaxError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == '.' || c == '[' || c == '(' || self.ends_filter_path(c) {
                break;
            }
            if c == ' ' {
                return Err(self.error_here(
                    "Use bracket notation ['my prop'] if your property contains blank characters",
                ));
            }
            self.pos += 1;
        }
        let name: String = self.text(start, self.pos);
        if name.is_empty() {
            return Err(self.error_here("Expected a property name"));
        }
        if self.peek() == Some('(') {
            if !FUNCTION_NAMES.contains(&name.as_str()) {
                return Err(PathSyntaxError::new(
                    format!("Function with name: {name} does not exist."),
                    start,
                ));
            }
            let args = self.parse_function_args(&name)?;
            return Ok(SegmentKind::Function(PathFunction { name, args }));
        }
        Ok(SegmentKind::Property(vec![name]))
    }

    /// Arguments of a path function: JSON literals or paths, comma separated.
    fn parse_function_args(&mut self, name: &str) -> Result<Vec<FunctionArg>, PathSyntaxError> {
        if self.depth >= MAX_NESTING {
            return Err(self.error_here("The path is nested too deeply"));
        }
        let open = self.pos;
        self.pos += 1;
        let mut args = Vec::new();
        self.skip_blanks();
        if self.peek() == Some(')') {
            self.pos += 1;
            return Ok(args);
        }
        loop {
            self.skip_blanks();
            let arg_start = self.pos;
            let end = self.scan_argument_end().ok_or_else(|| {
                PathSyntaxError::new(
                    format!("Arguments to function: '{name}' are not closed properly."),
                    open,
                )
            })?;
            let text: String = self.text(arg_start, end);
            let text = text.trim_end();
            if text.is_empty() {
                return Err(self.error_here(format!("Empty argument in function '{name}'")));
            }
            let arg = if text.starts_with('$') || text.starts_with('@') {
                let mut sub = Parser::new(text, true, self.depth + 1);
                let path = sub.parse_path().map_err(|e| e.shifted(arg_start))?;
                if sub.pos < sub.chars.len() {
                    return Err(PathSyntaxError::new(
                        "Unexpected text after a function argument path",
                        arg_start + sub.pos,
                    ));
                }
                FunctionArg::Path(Box::new(path))
            } else {
                let value =
                    parse_json_literal(text, self.depth + 1).map_err(|e| e.shifted(arg_start))?;
                FunctionArg::Literal(value)
            };
            args.push(arg);
            self.pos = end;
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(')') => {
                    self.pos += 1;
                    return Ok(args);
                }
                _ => {
                    return Err(PathSyntaxError::new(
                        format!("Arguments to function: '{name}' are not closed properly."),
                        open,
                    ));
                }
            }
        }
    }

    /// Finds where a function argument ends: the first `,` or `)` outside
    /// brackets, parentheses, braces and quotes.
    fn scan_argument_end(&self) -> Option<usize> {
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
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' if depth > 0 => depth -= 1,
                    ',' | ')' if depth == 0 => return Some(i),
                    _ => {}
                }
            }
            i += 1;
        }
        None
    }

    /// Everything that starts with `[`.
    fn parse_bracket(&mut self) -> Result<SegmentKind, PathSyntaxError> {
        let open = self.pos;
        self.pos += 1;
        self.skip_blanks();
        match self.peek() {
            Some(q @ ('\'' | '"')) => self.parse_quoted_properties(q),
            Some('*') => {
                self.pos += 1;
                self.skip_blanks();
                if self.peek() != Some(']') {
                    return Err(self.error_here(format!(
                        "Expected wildcard token to end with ']' on position {}",
                        self.pos
                    )));
                }
                self.pos += 1;
                Ok(SegmentKind::Wildcard)
            }
            Some('?') => {
                self.pos += 1;
                let expr = self.parse_filter_body()?;
                Ok(SegmentKind::Filter(Box::new(expr)))
            }
            Some('(') => self.parse_length_offset(),
            Some(c) if c.is_ascii_digit() || c == '-' || c == ':' => self.parse_index_or_slice(),
            _ => Err(PathSyntaxError::new(
                format!(
                    "Could not parse token starting at position {open}. Expected ?, ', 0-9, * "
                ),
                open,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
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
    fn roots() {
        assert_eq!(parse("$").unwrap().root, Root::Input);
        assert_eq!(parse("$$").unwrap().root, Root::Context);
        assert_eq!(parse("$$.Execution.Id").unwrap().root, Root::Context);
        assert_eq!(
            parse("$myVar").unwrap().root,
            Root::Variable("myVar".into())
        );
        assert_eq!(
            parse("$my_var.x[0]").unwrap().root,
            Root::Variable("my_var".into())
        );
    }

    #[test]
    fn dotted_and_bracketed_properties() {
        let k = kinds("$.a['b c'][\"d\"].delivery-partner");
        let names: Vec<String> = k
            .iter()
            .map(|k| match k {
                SegmentKind::Property(n) => n.join("|"),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(names, ["a", "b c", "d", "delivery-partner"]);
    }

    #[test]
    fn deep_scan_and_functions() {
        let k = kinds("$..price");
        assert!(matches!(k[0], SegmentKind::DeepScan));
        assert!(matches!(&k[1], SegmentKind::Property(n) if n == &vec!["price".to_string()]));
        let k = kinds("$.a.length()");
        assert!(
            matches!(&k[1], SegmentKind::Function(f) if f.name == "length" && f.args.is_empty())
        );
        let k = kinds("$.a.append(4, 'x')");
        assert!(matches!(&k[1], SegmentKind::Function(f) if f.args.len() == 2));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let cases = [
            ("", 0),
            ("a.b", 0),
            ("$.", 1),
            ("$..", 1),
            ("$.a b", 3),
            ("$[", 1),
            ("$['a'", 5),
            ("$[abc]", 1),
            ("$[1:2:3:4]", 2),
            ("$[:]", 2),
            ("$$23", 2),
            ("$.a.length().b", 12),
            ("$...a", 3),
            ("$[99999999999]", 2),
        ];
        for (text, position) in cases {
            match parse(text) {
                Ok(p) => panic!("{text} should fail, got {p:?}"),
                Err(e) => assert_eq!(e.position, position, "{text}: {e}"),
            }
        }
    }
}
