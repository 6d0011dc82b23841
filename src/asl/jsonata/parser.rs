//! Top-down operator precedence (Pratt) parser, a port of jsonata-js `parser.js`.
//!
//! Produces the raw syntax tree; `post_process` then turns it into the evaluator's AST
//! (paths, stages, ancestry, tail calls) exactly as jsonata-js's `processAST` does.

use super::error::{Error, ErrorExt, err};
use super::signature::Signature;
use super::tokenizer::{Token, TokenKind, Tokenizer, token_text};

use super::raw::raw_token;
pub(crate) use super::raw::{Raw, RawKind};

/// Nested `expression()` calls beyond this are rejected instead of overflowing the stack.
const MAX_PARSE_DEPTH: usize = 500;

/// The current token, or the end marker.
#[derive(Debug, Clone)]
struct Current {
    token: Option<Token>,
    position: usize,
}

impl Current {
    fn id(&self) -> &'static str {
        match &self.token {
            None => "(end)",
            Some(t) => match &t.kind {
                TokenKind::Operator(op) => op,
                TokenKind::Name(_) | TokenKind::Variable(_) => "(name)",
                TokenKind::Regex { .. } => "(regex)",
                _ => "(literal)",
            },
        }
    }
    fn value_text(&self) -> String {
        match &self.token {
            None => "(end)".into(),
            Some(t) => token_text(&t.kind),
        }
    }
    fn is_operator(&self, op: &str) -> bool {
        matches!(&self.token, Some(Token { kind: TokenKind::Operator(o), .. }) if *o == op)
    }
}

fn lbp(id: &str) -> u32 {
    match id {
        "." => 75,
        "[" | "(" | "@" | "#" => 80,
        "{" => 70,
        "*" | "/" | "%" => 60,
        "+" | "-" | "&" => 50,
        "=" | "<" | ">" | "!=" | "<=" | ">=" | "~>" | "in" | "^" | "?:" | "??" => 40,
        "and" => 30,
        "or" => 25,
        "?" => 20,
        ":=" => 10,
        _ => 0,
    }
}

fn is_registered(op: &str) -> bool {
    !matches!(op, "!" | "~")
}

pub(crate) struct Parser {
    lexer: Tokenizer,
    node: Current,
    source_len: usize,
    depth: usize,
}

impl Parser {
    #[cfg(test)]
    pub fn parse(source: &str) -> Result<Raw, Error> {
        Parser::parse_dialect(source, true)
    }

    /// `default_operators`: accept jsonata 2.1's `?:` / `??` (2.0 reads them as two `?`).
    pub fn parse_dialect(source: &str, default_operators: bool) -> Result<Raw, Error> {
        let mut lexer = Tokenizer::new(source);
        lexer.default_operators = default_operators;
        let source_len = lexer.len();
        let mut p = Parser {
            lexer,
            node: Current {
                token: None,
                position: 0,
            },
            source_len,
            depth: 0,
        };
        p.advance(None, false)?;
        let expr = p.expression(0)?;
        if p.node.token.is_some() {
            return Err(err("S0201")
                .at(p.node.position)
                .with_token(p.node.value_text()));
        }
        Ok(expr)
    }

    fn advance(&mut self, id: Option<&str>, infix: bool) -> Result<(), Error> {
        if let Some(expected) = id
            && self.node.id() != expected
        {
            let code = if self.node.token.is_none() {
                "S0203"
            } else {
                "S0202"
            };
            return Err(err(code)
                .at(self.node.position)
                .with_token(self.node.value_text())
                .with_value(super::error::json_quote(expected)));
        }
        match self.lexer.next_token(infix)? {
            None => {
                self.node = Current {
                    token: None,
                    position: self.source_len,
                };
            }
            Some(tok) => {
                if let TokenKind::Operator(op) = tok.kind
                    && !is_registered(op)
                {
                    return Err(err("S0204").at(tok.position).with_token(op));
                }
                self.node = Current {
                    position: tok.position,
                    token: Some(tok),
                };
            }
        }
        Ok(())
    }

    fn expression(&mut self, rbp: u32) -> Result<Raw, Error> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return Err(err("U1001")
                .at(self.node.position)
                .with_message("Stack overflow error: expression is nested too deeply"));
        }
        let t = self.node.clone();
        self.advance(None, true)?;
        let mut left = self.nud(t)?;
        while rbp < lbp(self.node.id()) {
            let t = self.node.clone();
            self.advance(None, false)?;
            left = self.led(t, left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn nud(&mut self, t: Current) -> Result<Raw, Error> {
        let pos = t.position;
        let Some(tok) = t.token else {
            return Ok(Raw::new(RawKind::End, pos));
        };
        let kind = match tok.kind {
            TokenKind::Name(n) => RawKind::Name(n),
            TokenKind::Variable(v) => RawKind::Variable(v),
            TokenKind::Str(s) => RawKind::Str(s),
            TokenKind::Number(n) => RawKind::Number(n),
            TokenKind::Null => RawKind::Null,
            TokenKind::Bool(b) => RawKind::Bool(b),
            TokenKind::Regex { pattern, flags } => RawKind::Regex { pattern, flags },
            TokenKind::Operator(op) => match op {
                "and" | "or" | "in" => RawKind::Operator(op),
                "-" => RawKind::Negate(Box::new(self.expression(70)?)),
                "*" => RawKind::Wildcard,
                "**" => RawKind::Descendant,
                "%" => RawKind::Parent,
                "(" => {
                    let mut exprs = Vec::new();
                    while self.node.id() != ")" {
                        exprs.push(self.expression(0)?);
                        if self.node.id() != ";" {
                            break;
                        }
                        self.advance(Some(";"), false)?;
                    }
                    self.advance(Some(")"), true)?;
                    RawKind::Block(exprs)
                }
                "[" => {
                    let mut items = Vec::new();
                    if self.node.id() != "]" {
                        loop {
                            let mut item = self.expression(0)?;
                            if self.node.id() == ".." {
                                let range_pos = self.node.position;
                                self.advance(Some(".."), false)?;
                                let rhs = self.expression(0)?;
                                item = Raw::new(
                                    RawKind::Binary {
                                        op: "..",
                                        lhs: Box::new(item),
                                        rhs: Box::new(rhs),
                                    },
                                    range_pos,
                                );
                            }
                            items.push(item);
                            if self.node.id() != "," {
                                break;
                            }
                            self.advance(Some(","), false)?;
                        }
                    }
                    self.advance(Some("]"), true)?;
                    RawKind::Array(items)
                }
                "{" => RawKind::Object(self.object_pairs()?),
                "|" => {
                    let pattern = self.expression(0)?;
                    self.advance(Some("|"), false)?;
                    let update = self.expression(0)?;
                    let mut delete = None;
                    if self.node.id() == "," {
                        self.advance(Some(","), false)?;
                        delete = Some(Box::new(self.expression(0)?));
                    }
                    self.advance(Some("|"), false)?;
                    RawKind::Transform {
                        pattern: Box::new(pattern),
                        update: Box::new(update),
                        delete,
                    }
                }
                other => return Err(err("S0211").at(pos).with_token(other)),
            },
        };
        Ok(Raw::new(kind, pos))
    }

    fn object_pairs(&mut self) -> Result<Vec<(Raw, Raw)>, Error> {
        let mut pairs = Vec::new();
        if self.node.id() != "}" {
            loop {
                let k = self.expression(0)?;
                self.advance(Some(":"), false)?;
                let v = self.expression(0)?;
                pairs.push((k, v));
                if self.node.id() != "," {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some("}"), true)?;
        Ok(pairs)
    }

    fn led(&mut self, t: Current, left: Raw) -> Result<Raw, Error> {
        let pos = t.position;
        let op = t.id();
        let bin = |op: &'static str, lhs: Raw, rhs: Raw| {
            Raw::new(
                RawKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                pos,
            )
        };
        Ok(match op {
            "(" => self.call(left, pos)?,
            "[" => {
                if self.node.id() == "]" {
                    // `step[]`: keep singleton arrays; flag the step under any predicates
                    let mut left = left;
                    mark_keep_array(&mut left);
                    self.advance(Some("]"), false)?;
                    left
                } else {
                    let rhs = self.expression(0)?;
                    self.advance(Some("]"), true)?;
                    bin("[", left, rhs)
                }
            }
            "^" => {
                self.advance(Some("("), false)?;
                let mut terms = Vec::new();
                loop {
                    let mut descending = false;
                    if self.node.id() == "<" {
                        self.advance(Some("<"), false)?;
                    } else if self.node.id() == ">" {
                        descending = true;
                        self.advance(Some(">"), false)?;
                    }
                    terms.push((descending, self.expression(0)?));
                    if self.node.id() != "," {
                        break;
                    }
                    self.advance(Some(","), false)?;
                }
                self.advance(Some(")"), false)?;
                Raw::new(
                    RawKind::OrderBy {
                        lhs: Box::new(left),
                        terms,
                    },
                    pos,
                )
            }
            "{" => {
                let pairs = self.object_pairs()?;
                Raw::new(
                    RawKind::GroupBy {
                        lhs: Box::new(left),
                        pairs,
                    },
                    pos,
                )
            }
            ":=" => {
                if !matches!(left.kind, RawKind::Variable(_)) {
                    return Err(err("S0212").at(left.pos).with_token(raw_token(&left)));
                }
                let rhs = self.expression(lbp(":=") - 1)?;
                bin(":=", left, rhs)
            }
            "@" | "#" => {
                let rhs = self.expression(lbp(op))?;
                if !matches!(rhs.kind, RawKind::Variable(_)) {
                    return Err(err("S0214").at(rhs.pos).with_token(op));
                }
                bin(if op == "@" { "@" } else { "#" }, left, rhs)
            }
            "?" => {
                let then = self.expression(0)?;
                let mut otherwise = None;
                if self.node.id() == ":" {
                    self.advance(Some(":"), false)?;
                    otherwise = Some(Box::new(self.expression(0)?));
                }
                Raw::new(
                    RawKind::Condition {
                        cond: Box::new(left),
                        then: Box::new(then),
                        otherwise,
                    },
                    pos,
                )
            }
            "?:" | "??" => {
                let rhs = Box::new(self.expression(0)?);
                let lhs = Box::new(left);
                let kind = if op == "?:" {
                    RawKind::Elvis { lhs, rhs }
                } else {
                    RawKind::Coalesce { lhs, rhs }
                };
                Raw::new(kind, pos)
            }
            _ => {
                let static_op = binary_op(op);
                let rhs = self.expression(lbp(op))?;
                bin(static_op, left, rhs)
            }
        })
    }

    /// Function call, partial application, or lambda definition (`function(...) {...}`).
    fn call(&mut self, procedure: Raw, pos: usize) -> Result<Raw, Error> {
        let mut args = Vec::new();
        let mut partial = false;
        if self.node.id() != ")" {
            loop {
                if self.node.is_operator("?") {
                    partial = true;
                    args.push(Raw::new(RawKind::Operator("?"), self.node.position));
                    self.advance(Some("?"), false)?;
                } else {
                    args.push(self.expression(0)?);
                }
                if self.node.id() != "," {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some(")"), true)?;
        let is_lambda =
            matches!(&procedure.kind, RawKind::Name(n) if n == "function" || n == "\u{3bb}");
        if !is_lambda {
            return Ok(Raw::new(
                RawKind::Function {
                    procedure: Box::new(procedure),
                    args,
                    partial,
                },
                pos,
            ));
        }
        let mut params = Vec::new();
        for (i, arg) in args.iter().enumerate() {
            match &arg.kind {
                RawKind::Variable(v) => params.push(v.clone()),
                _ => {
                    return Err(err("S0208")
                        .at(arg.pos)
                        .with_token(raw_token(arg))
                        .with_value((i + 1).to_string()));
                }
            }
        }
        let mut signature = None;
        if self.node.id() == "<" {
            let sig_pos = self.node.position;
            let mut depth = 1;
            let mut sig = String::from("<");
            while depth > 0 && self.node.id() != "{" && self.node.id() != "(end)" {
                self.advance(None, false)?;
                match self.node.id() {
                    ">" => depth -= 1,
                    "<" => depth += 1,
                    _ => {}
                }
                sig.push_str(&self.node.value_text());
            }
            self.advance(Some(">"), false)?;
            signature = Some(Signature::parse(&sig).map_err(|mut e| {
                e.position = Some(sig_pos + e.position.unwrap_or(0));
                e
            })?);
        }
        self.advance(Some("{"), false)?;
        let body = self.expression(0)?;
        self.advance(Some("}"), false)?;
        Ok(Raw::new(
            RawKind::Lambda {
                params,
                signature,
                body: Box::new(body),
            },
            pos,
        ))
    }
}

fn binary_op(id: &str) -> &'static str {
    const OPS: &[&str] = &[
        ".", "+", "-", "*", "/", "%", "=", "<", ">", "!=", "<=", ">=", "&", "and", "or", "in", "~>",
    ];
    OPS.iter().find(|o| **o == id).copied().unwrap_or(".")
}

/// `[]` marks the step under any stacked predicates (`a[x][]` marks `a`).
fn mark_keep_array(node: &mut Raw) {
    let mut step = node;
    while let RawKind::Binary { op: "[", lhs, .. } = &mut step.kind {
        step = lhs;
    }
    step.keep_array = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(src: &str) -> Option<String> {
        Parser::parse(src).err().map(|e| e.code.clone())
    }

    #[test]
    fn precedence_builds_expected_tree() {
        let Ok(raw) = Parser::parse("1 + 2 * 3") else {
            panic!("parse failed")
        };
        match raw.kind {
            RawKind::Binary { op: "+", rhs, .. } => {
                assert!(matches!(rhs.kind, RawKind::Binary { op: "*", .. }));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn syntax_errors_have_jsonata_codes() {
        assert_eq!(code("(1"), Some("S0203".into()));
        assert_eq!(code("[1;2]"), Some("S0202".into()));
        assert_eq!(code("1 2"), Some("S0201".into()));
        assert_eq!(code("+1"), Some("S0211".into()));
        assert_eq!(code("1 := 2"), Some("S0212".into()));
        assert_eq!(code("a@b"), Some("S0214".into()));
        assert_eq!(code("function(a){1}"), Some("S0208".into()));
        assert_eq!(code("a ! b"), Some("S0204".into()));
        assert_eq!(code("$f := function($x)<s-:n>{$x}"), None);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        // the parser runs on a large stack in production; give the test the same
        let handle = std::thread::Builder::new().stack_size(64 << 20).spawn(|| {
            let src = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
            code(&src)
        });
        let result = handle.ok().and_then(|h| h.join().ok()).flatten();
        assert_eq!(result, Some("U1001".into()));
    }

    #[test]
    fn empty_brackets_mark_keep_array() {
        let Ok(raw) = Parser::parse("a[]") else {
            panic!("parse failed")
        };
        assert!(raw.keep_array);
    }
}
