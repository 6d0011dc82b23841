//! Filter expressions `[?(...)]`: syntax tree and parser (Jayway grammar).
//!
//! ```text
//! or       := and ('||' and)*
//! and      := operand ('&&' operand)*
//! operand  := '!' operand | '(' or ')' | relation
//! relation := value [operator value]      (no operator: existence test)
//! ```

use serde_json::Value;

use super::ast::JsonPath;
use super::error::PathSyntaxError;
use super::literal::{parse_json_literal, parse_number, unescape_java};
use super::parser::{MAX_NESTING, Parser};

/// A boolean filter expression.
#[derive(Debug, Clone)]
pub enum FilterExpr {
    Or(Vec<FilterExpr>),
    And(Vec<FilterExpr>),
    Not(Box<FilterExpr>),
    /// `@.x` (exists) or `!@.x` (does not exist).
    Exists {
        path: Box<JsonPath>,
        negated: bool,
    },
    Compare {
        left: Box<Operand>,
        op: RelOp,
        right: Box<Operand>,
    },
}

/// One side of a comparison.
#[derive(Debug, Clone)]
pub enum Operand {
    Path(Box<JsonPath>),
    Literal(Literal),
}

/// Literal values allowed in filters.
#[derive(Debug, Clone)]
pub enum Literal {
    String(String),
    /// A number and its text as written (Jayway keeps a `BigDecimal`, whose
    /// text matters when a number is compared with a string).
    Number(Value, String),
    Bool(bool),
    Null,
    /// `[...]` or `{...}`.
    Json(Value),
    Pattern(Pattern),
}

/// A compiled `/regex/flags` literal; matching is whole-string, like Java's
/// `Matcher.matches()`.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    pub(crate) regex: fancy_regex::Regex,
}

/// Relational operators, as Jayway names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelOp {
    Eq,
    /// `===`: same type and equal.
    TypeSafeEq,
    Ne,
    /// `!==`
    TypeSafeNe,
    Lt,
    Le,
    Gt,
    Ge,
    /// `=~`
    Regex,
    In,
    Nin,
    Contains,
    All,
    Size,
    Empty,
    SubsetOf,
    AnyOf,
    NoneOf,
    Exists,
}

impl RelOp {
    fn from_symbol(text: &str) -> Option<Self> {
        Some(match text {
            "==" => Self::Eq,
            "===" => Self::TypeSafeEq,
            "!=" => Self::Ne,
            "!==" => Self::TypeSafeNe,
            "<" => Self::Lt,
            "<=" => Self::Le,
            ">" => Self::Gt,
            ">=" => Self::Ge,
            "=~" => Self::Regex,
            _ => return None,
        })
    }

    fn from_word(text: &str) -> Option<Self> {
        Some(match text.to_ascii_lowercase().as_str() {
            "in" => Self::In,
            "nin" => Self::Nin,
            "contains" => Self::Contains,
            "all" => Self::All,
            "size" => Self::Size,
            "empty" => Self::Empty,
            "subsetof" => Self::SubsetOf,
            "anyof" => Self::AnyOf,
            "noneof" => Self::NoneOf,
            "exists" => Self::Exists,
            _ => return None,
        })
    }
}

fn is_operator_char(c: char) -> bool {
    matches!(c, '<' | '>' | '=' | '~' | '!')
}

impl Parser {
    /// Parses what follows `[?` up to and including the closing `]`.
    pub(crate) fn parse_filter_body(&mut self) -> Result<FilterExpr, PathSyntaxError> {
        self.skip_blanks();
        if self.peek() != Some('(') {
            return Err(self.error_here("Filter must start with '[?(' and end with ')]'"));
        }
        let expr = self.parse_or()?;
        self.skip_blanks();
        let last_significant = self
            .chars
            .get(..self.pos)
            .unwrap_or(&[])
            .iter()
            .rev()
            .find(|c| !c.is_whitespace())
            .copied();
        if self.peek() != Some(']') || last_significant != Some(')') {
            return Err(self.error_here("Filter must start with '[?(' and end with ')]'"));
        }
        self.pos += 1;
        Ok(expr)
    }

    fn enter(&mut self) -> Result<(), PathSyntaxError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error_here("The filter expression is nested too deeply"));
        }
        Ok(())
    }

    fn parse_or(&mut self) -> Result<FilterExpr, PathSyntaxError> {
        self.enter()?;
        let mut items = vec![self.parse_and()?];
        loop {
            self.skip_blanks();
            if self.peek() == Some('|') && self.peek_at(1) == Some('|') {
                self.pos += 2;
                items.push(self.parse_and()?);
            } else {
                break;
            }
        }
        self.depth -= 1;
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            FilterExpr::Or(items)
        })
    }

    fn parse_and(&mut self) -> Result<FilterExpr, PathSyntaxError> {
        let mut items = vec![self.parse_operand()?];
        loop {
            self.skip_blanks();
            if self.peek() == Some('&') && self.peek_at(1) == Some('&') {
                self.pos += 2;
                items.push(self.parse_operand()?);
            } else {
                break;
            }
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            FilterExpr::And(items)
        })
    }

    fn parse_operand(&mut self) -> Result<FilterExpr, PathSyntaxError> {
        self.skip_blanks();
        match self.peek() {
            Some('!') => {
                let bang = self.pos;
                self.pos += 1;
                self.skip_blanks();
                if matches!(self.peek(), Some('@' | '$')) {
                    // `!@.x`: a negated existence test (or, with an operator,
                    // a comparison where Jayway ignores the `!`).
                    return self.parse_relation(true);
                }
                if self.peek().is_none() {
                    return Err(PathSyntaxError::new(
                        "Expected an expression after '!'",
                        bang,
                    ));
                }
                self.enter()?;
                let inner = self.parse_operand()?;
                self.depth -= 1;
                Ok(FilterExpr::Not(Box::new(inner)))
            }
            Some('(') => {
                self.pos += 1;
                let inner = self.parse_or()?;
                self.skip_blanks();
                if self.peek() != Some(')') {
                    return Err(self.error_here("Expected ')' in filter expression"));
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(_) => self.parse_relation(false),
            None => Err(self.error_here("Unexpected end of filter expression")),
        }
    }

    fn parse_relation(&mut self, negated: bool) -> Result<FilterExpr, PathSyntaxError> {
        let left_pos = self.pos;
        let left = self.parse_value()?;
        self.skip_blanks();
        let terminated = match self.peek() {
            None | Some(')') | Some(']') => true,
            Some('&') => self.peek_at(1) == Some('&'),
            Some('|') => self.peek_at(1) == Some('|'),
            _ => false,
        };
        if terminated {
            return match left {
                Operand::Path(path) => Ok(FilterExpr::Exists { path, negated }),
                Operand::Literal(_) => Err(PathSyntaxError::new(
                    "Expected a path (@... or $...) or a comparison in the filter",
                    left_pos,
                )),
            };
        }
        let op = self.parse_operator()?;
        self.skip_blanks();
        let right = self.parse_value()?;
        Ok(FilterExpr::Compare {
            left: Box::new(left),
            op,
            right: Box::new(right),
        })
    }

    fn parse_operator(&mut self) -> Result<RelOp, PathSyntaxError> {
        let start = self.pos;
        let symbolic = self.peek().is_some_and(is_operator_char);
        while let Some(c) = self.peek() {
            let keep = if symbolic {
                is_operator_char(c)
            } else {
                c.is_ascii_alphabetic()
            };
            if !keep {
                break;
            }
            self.pos += 1;
        }
        let text: String = self.text(start, self.pos);
        let op = if symbolic {
            RelOp::from_symbol(&text)
        } else {
            RelOp::from_word(&text)
        };
        op.ok_or_else(|| {
            let shown = if text.is_empty() {
                self.peek().map(String::from).unwrap_or_default()
            } else {
                text
            };
            PathSyntaxError::new(format!("Filter operator {shown} is not supported!"), start)
        })
    }

    fn parse_value(&mut self) -> Result<Operand, PathSyntaxError> {
        self.skip_blanks();
        let start = self.pos;
        match self.peek() {
            Some('@' | '$') => {
                let saved = self.in_filter;
                self.in_filter = true;
                self.depth += 1;
                let result = self.parse_path();
                self.depth -= 1;
                self.in_filter = saved;
                result.map(|p| Operand::Path(Box::new(p)))
            }
            Some(q @ ('\'' | '"')) => {
                let mut i = self.pos + 1;
                while let Some(&c) = self.chars.get(i) {
                    if c == '\\' {
                        i += 2;
                        continue;
                    }
                    if c == q {
                        let raw: String = self.text(self.pos + 1, i);
                        self.pos = i + 1;
                        return Ok(Operand::Literal(Literal::String(unescape_java(&raw))));
                    }
                    i += 1;
                }
                Err(PathSyntaxError::new(
                    format!("String not closed. Expected {q}"),
                    start,
                ))
            }
            Some('/') => self.parse_pattern(),
            Some('[' | '{') => {
                let end = self.matching_close().ok_or_else(|| {
                    PathSyntaxError::new("JSON literal is not closed", start)
                })?;
                let text: String = self.text(start, end + 1);
                let value = parse_json_literal(&text, self.depth + 1).map_err(|e| e.shifted(start))?;
                self.pos = end + 1;
                Ok(Operand::Literal(Literal::Json(value)))
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                while matches!(self.peek(), Some(c) if c.is_ascii_digit() || matches!(c, '-' | '.' | 'e' | 'E' | '+'))
                {
                    self.pos += 1;
                }
                let text: String = self.text(start, self.pos);
                let value = parse_number(&text).ok_or_else(|| {
                    PathSyntaxError::new(format!("Invalid number literal '{text}'"), start)
                })?;
                Ok(Operand::Literal(Literal::Number(value, text)))
            }
            Some(c) if c.is_alphabetic() || c == '_' => {
                while matches!(self.peek(), Some(c) if c.is_alphanumeric() || c == '_' || c == '-') {
                    self.pos += 1;
                }
                let word: String = self.text(start, self.pos);
                Ok(Operand::Literal(match word.as_str() {
                    "true" => Literal::Bool(true),
                    "false" => Literal::Bool(false),
                    "null" => Literal::Null,
                    // Not Jayway: a bare word is read as a string, as the
                    // linters that accept `@.OutputKey == FizzBuzz` do.
                    _ => Literal::String(word),
                }))
            }
            _ => Err(self.error_here("Expected a value (path, string, number, true, false, null, /regex/, [...] or {...})")),
        }
    }

    /// Index of the bracket/brace closing the one at the current position.
    fn matching_close(&self) -> Option<usize> {
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
                    '[' | '{' => depth += 1,
                    ']' | '}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Some(i);
                        }
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        None
    }

    /// `/regex/flags` with Java flag letters.
    fn parse_pattern(&mut self) -> Result<Operand, PathSyntaxError> {
        let start = self.pos;
        let mut i = self.pos + 1;
        let mut close = None;
        while let Some(&c) = self.chars.get(i) {
            if c == '\\' {
                i += 2;
                continue;
            }
            if c == '/' {
                close = Some(i);
                break;
            }
            i += 1;
        }
        let Some(close) = close else {
            return Err(PathSyntaxError::new(
                "Pattern not closed. Expected /",
                start,
            ));
        };
        let body: String = self.text(start + 1, close);
        let mut j = close + 1;
        let mut inline = String::new();
        while let Some(&f) = self.chars.get(j) {
            match f {
                'i' | 'm' | 's' | 'x' => inline.push(f),
                'd' | 'u' | 'U' => {}
                _ => break,
            }
            j += 1;
        }
        let source: String = self.text(start, j);
        let anchored = if inline.is_empty() {
            format!(r"\A(?:{body})\z")
        } else {
            format!(r"(?{inline})\A(?:{body})\z")
        };
        let regex = fancy_regex::Regex::new(&anchored).map_err(|e| {
            PathSyntaxError::new(format!("Invalid regular expression {source}: {e}"), start)
        })?;
        self.pos = j;
        Ok(Operand::Literal(Literal::Pattern(Pattern {
            source,
            regex,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::super::ast::SegmentKind;
    use super::super::parse;
    use super::*;

    fn filter(text: &str) -> FilterExpr {
        let path = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        match path.segments().last().map(|s| &s.kind) {
            Some(SegmentKind::Filter(f)) => (**f).clone(),
            other => panic!("no filter in {text}: {other:?}"),
        }
    }

    #[test]
    fn precedence_and_over_or() {
        match filter("$[?(@.a == 1 || @.b == 2 && @.c == 3)]") {
            FilterExpr::Or(items) => {
                assert_eq!(items.len(), 2);
                assert!(matches!(items[1], FilterExpr::And(_)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn operators_and_literals() {
        let ops = [
            ("$[?(@.a > 1)]", RelOp::Gt),
            ("$[?(@.a<=1.5)]", RelOp::Le),
            ("$[?(@.a != 'x')]", RelOp::Ne),
            ("$[?(@.a =~ /ab.*/i)]", RelOp::Regex),
            ("$[?(@.a in ['x','y'])]", RelOp::In),
            ("$[?(@.a NIN [1])]", RelOp::Nin),
            ("$[?(@.a subsetof ['x'])]", RelOp::SubsetOf),
            ("$[?(@.a anyof ['x'])]", RelOp::AnyOf),
            ("$[?(@.a noneof ['x'])]", RelOp::NoneOf),
            ("$[?(@.a size 2)]", RelOp::Size),
            ("$[?(@.a empty true)]", RelOp::Empty),
            ("$[?(@.OutputKey == FizzBuzz)]", RelOp::Eq),
        ];
        for (text, expected) in ops {
            match filter(text) {
                FilterExpr::Compare { op, .. } => assert_eq!(op, expected, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn existence_and_negation() {
        assert!(matches!(
            filter("$[?(@.a)]"),
            FilterExpr::Exists { negated: false, .. }
        ));
        assert!(matches!(
            filter("$[?(!@.a)]"),
            FilterExpr::Exists { negated: true, .. }
        ));
        assert!(matches!(filter("$[?(!(@.a == 1))]"), FilterExpr::Not(_)));
        assert!(matches!(
            filter("$[?(@.a.length() > 1)]"),
            FilterExpr::Compare { .. }
        ));
    }

    #[test]
    fn filter_syntax_errors() {
        for text in [
            "$[?(@.a ==)]",
            "$[?(@.a <> 1)]",
            "$[?(@.a == 1]",
            "$[?@.a]",
            "$[?(1)]",
            "$[?(@.a =~ /(/)]",
            "$[?(@.a == 'x)]",
            "$[?((((@.a))]",
        ] {
            assert!(parse(text).is_err(), "{text} should fail");
        }
        let deep = format!("$[?({}@.a{})]", "(".repeat(200), ")".repeat(200));
        assert!(parse(&deep).is_err());
    }
}
