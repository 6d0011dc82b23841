//! Function signatures (`<s-n?:s>`), a port of jsonata-js `signature.js`.
//!
//! A signature compiles to a regular expression over one-letter type symbols of the
//! supplied arguments; matching it both validates the call and tells which parameter each
//! argument binds to (so optional and context (`-`) parameters can be filled in).

use regex::Regex;

use super::error::{Error, ErrorExt, EvalResult, err};
use super::value::{Value, error_insert};

#[derive(Debug, Clone)]
struct Param {
    regex: String,
    kind: String,
    array: bool,
    context: bool,
    context_regex: Option<String>,
    subtype: Option<String>,
}

impl Param {
    fn empty() -> Param {
        Param {
            regex: String::new(),
            kind: String::new(),
            array: false,
            context: false,
            context_regex: None,
            subtype: None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Signature {
    params: Vec<Param>,
    regex: Regex,
}

/// Type symbol of a value: jsonata-js `getSymbol`.
pub(crate) fn type_symbol(v: &Value) -> char {
    match v {
        Value::Function(_) => 'f',
        Value::String(_) => 's',
        Value::Number(_) => 'n',
        Value::Bool(_) => 'b',
        Value::Null => 'l',
        Value::Array(_) => 'a',
        Value::Object(_) => 'o',
        Value::Undefined => 'm',
    }
}

fn array_mapping(subtype: &str) -> Option<&'static str> {
    Some(match subtype {
        "a" => "arrays",
        "b" => "booleans",
        "f" => "functions",
        "n" => "numbers",
        "o" => "objects",
        "s" => "strings",
        _ => return None,
    })
}

fn find_closing(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 1;
    let mut pos = start;
    while pos < chars.len() {
        pos += 1;
        match chars.get(pos) {
            Some(c) if *c == close => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Some(c) if *c == open => depth += 1,
            _ => {}
        }
    }
    pos
}

impl Signature {
    pub fn parse(signature: &str) -> Result<Signature, Error> {
        let chars: Vec<char> = signature.chars().collect();
        let mut params: Vec<Param> = Vec::new();
        let mut param = Param::empty();
        let mut position = 1;
        while position < chars.len() {
            let symbol = chars[position];
            if symbol == ':' {
                break;
            }
            match symbol {
                's' | 'n' | 'b' | 'l' | 'o' => {
                    param.regex = format!("[{symbol}m]");
                    param.kind = symbol.to_string();
                    params.push(std::mem::replace(&mut param, Param::empty()));
                }
                'a' => {
                    param.regex = "[asnblfom]".into();
                    param.kind = "a".into();
                    param.array = true;
                    params.push(std::mem::replace(&mut param, Param::empty()));
                }
                'f' => {
                    param.regex = "f".into();
                    param.kind = "f".into();
                    params.push(std::mem::replace(&mut param, Param::empty()));
                }
                'j' => {
                    param.regex = "[asnblom]".into();
                    param.kind = "j".into();
                    params.push(std::mem::replace(&mut param, Param::empty()));
                }
                'x' => {
                    param.regex = "[asnblfom]".into();
                    param.kind = "x".into();
                    params.push(std::mem::replace(&mut param, Param::empty()));
                }
                '-' => {
                    if let Some(prev) = params.last_mut() {
                        prev.context = true;
                        prev.context_regex = Some(prev.regex.clone());
                        prev.regex.push('?');
                    }
                }
                '?' | '+' => {
                    if let Some(prev) = params.last_mut() {
                        prev.regex.push(symbol);
                    }
                }
                '(' => {
                    let end = find_closing(&chars, position, '(', ')');
                    let choice: String = chars[position + 1..end.min(chars.len())].iter().collect();
                    if choice.contains('<') {
                        return Err(err("S0402")
                            .at(position)
                            .with_value(super::error::json_quote(&choice)));
                    }
                    param.regex = format!("[{choice}m]");
                    param.kind = format!("({choice})");
                    position = end;
                    params.push(std::mem::replace(&mut param, Param::empty()));
                }
                '<' => {
                    let prev_kind = params.last().map(|p| p.kind.clone()).unwrap_or_default();
                    if prev_kind == "a" || prev_kind == "f" {
                        let end = find_closing(&chars, position, '<', '>');
                        let sub: String =
                            chars[position + 1..end.min(chars.len())].iter().collect();
                        if let Some(prev) = params.last_mut() {
                            prev.subtype = Some(sub);
                        }
                        position = end;
                    } else {
                        return Err(err("S0401")
                            .at(position)
                            .with_value(super::error::json_quote(&prev_kind)));
                    }
                }
                _ => {}
            }
            position += 1;
        }
        let pattern = format!(
            "^{}$",
            params
                .iter()
                .map(|p| format!("({})", p.regex))
                .collect::<String>()
        );
        let regex = Regex::new(&pattern).map_err(|_| err("S0401").at(0))?;
        Ok(Signature { params, regex })
    }

    /// Validate `args` (with `context` for `-` parameters) and return the argument list the
    /// implementation receives: optional slots filled, context inserted, singletons wrapped
    /// into arrays for `a` parameters.
    pub fn validate(&self, args: &[Value], context: &Value) -> EvalResult<Vec<Value>> {
        let supplied: String = args.iter().map(type_symbol).collect();
        let Some(caps) = self.regex.captures(&supplied) else {
            return Err(self.validation_error(args, &supplied));
        };
        let mut validated = Vec::with_capacity(self.params.len());
        let mut arg_index = 0usize;
        for (index, param) in self.params.iter().enumerate() {
            let mut arg = args.get(arg_index).cloned().unwrap_or_default();
            let matched = caps.get(index + 1).map(|m| m.as_str()).unwrap_or("");
            if matched.is_empty() {
                if param.context && param.context_regex.is_some() {
                    let ctx_symbol = type_symbol(context);
                    let ok = param
                        .context_regex
                        .as_deref()
                        .is_some_and(|r| symbol_matches(r, ctx_symbol));
                    if ok {
                        validated.push(context.clone());
                    } else {
                        return Err(err("T0411")
                            .with_value(error_insert(context))
                            .with_index(arg_index + 1));
                    }
                } else {
                    validated.push(arg);
                    arg_index += 1;
                }
                continue;
            }
            for single in matched.chars() {
                if param.kind == "a" {
                    if single == 'm' {
                        arg = Value::Undefined;
                    } else {
                        arg = args.get(arg_index).cloned().unwrap_or_default();
                        let mut array_ok = true;
                        if let Some(subtype) = &param.subtype {
                            if single != 'a' && matched != subtype {
                                array_ok = false;
                            } else if single == 'a'
                                && let Value::Array(items) = &arg
                                && let Some(first) = items.items.first()
                            {
                                let item_type = type_symbol(first);
                                if !subtype.starts_with(item_type) {
                                    array_ok = false;
                                } else {
                                    array_ok =
                                        items.items.iter().all(|v| type_symbol(v) == item_type);
                                }
                            }
                            if !array_ok {
                                let mut e = err("T0412")
                                    .with_value(error_insert(&arg))
                                    .with_index(arg_index + 1);
                                e.type_name = array_mapping(subtype).map(super::error::json_quote);
                                return Err(e);
                            }
                        }
                        if single != 'a' {
                            arg = Value::array(vec![arg]);
                        }
                    }
                    validated.push(arg.clone());
                    arg_index += 1;
                } else {
                    validated.push(arg.clone());
                    arg_index += 1;
                }
            }
        }
        Ok(validated)
    }

    /// jsonata-js `throwValidationError`: find the first argument that breaks the pattern.
    fn validation_error(&self, args: &[Value], supplied: &str) -> Error {
        let mut partial = String::from("^");
        let mut good_to = 0usize;
        for param in &self.params {
            partial.push_str(&param.regex);
            let matched = Regex::new(&partial)
                .ok()
                .and_then(|re| re.find(supplied).map(|m| m.end()));
            match matched {
                None => break,
                Some(end) => good_to = end,
            }
        }
        err("T0410")
            .with_value(error_insert(
                &args.get(good_to).cloned().unwrap_or_default(),
            ))
            .with_index(good_to + 1)
    }
}

fn symbol_matches(class_regex: &str, symbol: char) -> bool {
    match class_regex
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
    {
        Some(chars) => chars.contains(symbol),
        None => class_regex.contains(symbol),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(s: &str) -> Signature {
        match Signature::parse(s) {
            Ok(sig) => sig,
            Err(e) => panic!("bad signature {s}: {e:?}"),
        }
    }

    #[test]
    fn optional_and_context_parameters() {
        let s = sig("<s-nn?:s>");
        let out = s
            .validate(&[Value::Number(1.0)], &Value::string("hello"))
            .map(|v| v.len());
        assert_eq!(out.ok(), Some(3));
        let e = s.validate(&[Value::Number(1.0)], &Value::Number(2.0));
        assert_eq!(e.err().map(|e| e.code.clone()), Some("T0411".into()));
    }

    #[test]
    fn array_parameters_wrap_singletons_and_check_subtypes() {
        let s = sig("<a<n>:n>");
        let out = s.validate(&[Value::Number(3.0)], &Value::Undefined);
        assert!(matches!(out.as_deref(), Ok([Value::Array(a)]) if a.items.len() == 1));
        let bad = s.validate(
            &[Value::array(vec![Value::Number(1.0), Value::string("x")])],
            &Value::Undefined,
        );
        assert_eq!(bad.err().map(|e| e.code.clone()), Some("T0412".into()));
    }

    #[test]
    fn mismatch_reports_first_bad_argument() {
        let s = sig("<s-s:s>");
        let e = s.validate(&[Value::string("a"), Value::Number(1.0)], &Value::Undefined);
        let e = e.err();
        assert_eq!(e.as_ref().map(|e| e.code.as_str()), Some("T0410"));
        assert_eq!(e.and_then(|e| e.index.clone()), Some("2".into()));
    }

    #[test]
    fn type_parameters_only_on_arrays_and_functions() {
        assert_eq!(
            Signature::parse("<n<s>>").err().map(|e| e.code.clone()),
            Some("S0401".into())
        );
    }
}
