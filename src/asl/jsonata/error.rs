//! Error values with jsonata-js error codes and message templates.
//!
//! jsonata-js throws plain objects (`{code, position, token, value, ...}`) and fills in
//! `message` from a template table at the API boundary.  We mirror that: evaluation code
//! builds an [`ErrorDetail`] (cheap to annotate with position/token later, exactly where
//! jsonata-js does) and the public [`JsonataError`] is produced once, with the message text.

use std::fmt;
use std::time::Duration;

/// A JSONata parse or evaluation error, carrying the jsonata-js error code.
///
/// `Display` renders `"<code>: <message>"`, the same text AWS Step Functions puts in its
/// `States.QueryEvaluationError` cause.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct JsonataError {
    /// jsonata-js error code, e.g. `"T1006"` or `"S0201"`.
    pub code: String,
    /// Message after template substitution, e.g. `"Attempted to invoke a non-function"`.
    pub message: String,
    /// Character offset in the expression the error relates to, when known.
    pub position: Option<usize>,
    /// The token (operator, function name, ...) the error relates to, when known.
    pub token: Option<String>,
    /// Set when evaluation was stopped by one of the limits of `EvalOptions` rather than
    /// by an error in the expression; the code is then `U1001`, as jsonata-js reports
    /// its own stack-overflow and timeout guards.
    pub limit: Option<LimitExceeded>,
}

/// The evaluation limit an expression ran into; each carries the limit's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitExceeded {
    /// More evaluation steps than `EvalOptions::max_steps`.
    Steps(u64),
    /// Evaluation or function calls nested deeper than `EvalOptions::max_depth`.
    Depth(usize),
    /// An array, sequence or result with more items than `EvalOptions::max_items`.
    Items(usize),
    /// A string longer than `EvalOptions::max_string_length` bytes.
    StringLength(usize),
    /// Evaluation took longer than `EvalOptions::time_limit`.
    Time(Duration),
}

impl LimitExceeded {
    /// The message of the `U1001` error reporting this limit.
    pub fn message(&self) -> String {
        match self {
            LimitExceeded::Steps(n) => format!(
                "The JSONata expression exceeded the evaluation limit of {n} steps (an endless recursion or loop?)"
            ),
            LimitExceeded::Depth(n) => format!(
                "The JSONata expression exceeded the maximum recursion depth of {n} (a recursive function that never stops? Consider rewriting it as tail-recursive)"
            ),
            LimitExceeded::Items(n) => {
                format!("The JSONata expression would produce more than {n} items")
            }
            LimitExceeded::StringLength(n) => {
                format!("The JSONata expression would produce a string longer than {n} bytes")
            }
            LimitExceeded::Time(d) => format!(
                "The JSONata expression exceeded the evaluation time limit of {} ms (an endless recursion or loop?)",
                d.as_millis()
            ),
        }
    }
}

impl fmt::Display for JsonataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// Internal error record; fields mirror the properties jsonata-js puts on thrown objects.
/// The `value*` fields hold the already JSON-stringified insert (or `None` = undefined).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ErrorDetail {
    pub code: String,
    pub position: Option<usize>,
    pub token: Option<String>,
    pub value: Option<String>,
    pub value2: Option<String>,
    pub index: Option<String>,
    pub type_name: Option<String>,
    pub exp: Option<String>,
    pub function_name: Option<String>,
    /// Raw message for D3137/D3141 ($error/$assert) and U-codes.
    pub message: Option<String>,
    /// The evaluation limit that stopped evaluation (see [`limit_exceeded`]).
    pub limit: Option<LimitExceeded>,
}

/// Boxed so `Result<Value, Error>` stays two words wide: evaluation recursion is deep and
/// every byte of the return slot costs stack.
pub(crate) type Error = Box<ErrorDetail>;
pub(crate) type EvalResult<T> = Result<T, Error>;

impl ErrorDetail {
    pub fn new(code: &str) -> Error {
        Box::new(ErrorDetail {
            code: code.to_string(),
            ..ErrorDetail::default()
        })
    }
}

/// Builder-style helpers; consume and return the box so call sites read as one expression.
pub(crate) trait ErrorExt {
    fn at(self, position: usize) -> Self;
    fn with_token(self, token: impl Into<String>) -> Self;
    fn with_value(self, json: impl Into<String>) -> Self;
    fn with_value2(self, json: impl Into<String>) -> Self;
    fn with_index(self, index: usize) -> Self;
    fn with_message(self, message: impl Into<String>) -> Self;
}

impl ErrorExt for Error {
    fn at(mut self, position: usize) -> Self {
        self.position = Some(position);
        self
    }
    fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }
    fn with_value(mut self, json: impl Into<String>) -> Self {
        self.value = Some(json.into());
        self
    }
    fn with_value2(mut self, json: impl Into<String>) -> Self {
        self.value2 = Some(json.into());
        self
    }
    fn with_index(mut self, index: usize) -> Self {
        self.index = Some(index.to_string());
        self
    }
    fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }
}

/// Convenience constructor: `err("T2001")`.
pub(crate) fn err(code: &str) -> Error {
    ErrorDetail::new(code)
}

/// The error for an exhausted evaluation limit.
pub(crate) fn limit_exceeded(limit: LimitExceeded) -> Error {
    let mut e = err("U1001").with_message(limit.message());
    e.limit = Some(limit);
    e
}

/// JSON-stringify a plain string for use as a `{{...}}` insert.
pub(crate) fn json_quote(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

fn template(code: &str) -> Option<&'static str> {
    Some(match code {
        "S0101" => "String literal must be terminated by a matching quote",
        "S0102" => "Number out of range: {{token}}",
        "S0103" => "Unsupported escape sequence: \\{{token}}",
        "S0104" => "The escape sequence \\u must be followed by 4 hex digits",
        "S0105" => "Quoted property name must be terminated with a backquote (`)",
        "S0106" => "Comment has no closing tag",
        "S0201" => "Syntax error: {{token}}",
        "S0202" => "Expected {{value}}, got {{token}}",
        "S0203" => "Expected {{value}} before end of expression",
        "S0204" => "Unknown operator: {{token}}",
        "S0205" => "Unexpected token: {{token}}",
        "S0206" => "Unknown expression type: {{token}}",
        "S0207" => "Unexpected end of expression",
        "S0208" => {
            "Parameter {{value}} of function definition must be a variable name (start with $)"
        }
        "S0209" => "A predicate cannot follow a grouping expression in a step",
        "S0210" => "Each step can only have one grouping expression",
        "S0211" => "The symbol {{token}} cannot be used as a unary operator",
        "S0212" => "The left side of := must be a variable name (start with $)",
        "S0213" => "The literal value {{value}} cannot be used as a step within a path expression",
        "S0214" => "The right side of {{token}} must be a variable name (start with $)",
        "S0215" => "A context variable binding must precede any predicates on a step",
        "S0216" => "A context variable binding must precede the 'order-by' clause on a step",
        "S0217" => "The object representing the 'parent' cannot be derived from this expression",
        "S0301" => "Empty regular expressions are not allowed",
        "S0302" => "No terminating / in regular expression",
        "S0303" => "Invalid regular expression: {{{message}}}",
        "S0402" => "Choice groups containing parameterized types are not supported",
        "S0401" => "Type parameters can only be applied to functions and arrays",
        "S0500" => "Attempted to evaluate an expression containing syntax error(s)",
        "T0410" => "Argument {{index}} of function {{token}} does not match function signature",
        "T0411" => {
            "Context value is not a compatible type with argument {{index}} of function {{token}}"
        }
        "T0412" => "Argument {{index}} of function {{token}} must be an array of {{type}}",
        "D1001" => "Number out of range: {{value}}",
        "D1002" => "Cannot negate a non-numeric value: {{value}}",
        "T1003" => "Key in object structure must evaluate to a string; got: {{value}}",
        "D1004" => "Regular expression matches zero length string",
        "T1005" => "Attempted to invoke a non-function. Did you mean ${{{token}}}?",
        "T1006" => "Attempted to invoke a non-function",
        "T1007" => "Attempted to partially apply a non-function. Did you mean ${{{token}}}?",
        "T1008" => "Attempted to partially apply a non-function",
        "D1009" => "Multiple key definitions evaluate to same key: {{value}}",
        "D1010" => "Attempted to access the Javascript object prototype",
        "T1010" => {
            "The matcher function argument passed to function {{token}} does not return the correct object structure"
        }
        "T2001" => "The left side of the {{token}} operator must evaluate to a number",
        "T2002" => "The right side of the {{token}} operator must evaluate to a number",
        "T2003" => "The left side of the range operator (..) must evaluate to an integer",
        "T2004" => "The right side of the range operator (..) must evaluate to an integer",
        "D2005" => "The left side of := must be a variable name (start with $)",
        "T2006" => "The right side of the function application operator ~> must be a function",
        "T2007" => {
            "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause"
        }
        "T2008" => {
            "The expressions within an order-by clause must evaluate to numeric or string values"
        }
        "T2009" => {
            "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type"
        }
        "T2010" => {
            "The expressions either side of operator {{token}} must evaluate to numeric or string values"
        }
        "T2011" => {
            "The insert/update clause of the transform expression must evaluate to an object: {{value}}"
        }
        "T2012" => {
            "The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}"
        }
        "T2013" => {
            "The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function."
        }
        "D2014" => {
            "The size of the sequence allocated by the range operator (..) must not exceed 1e6.  Attempted to allocate {{value}}."
        }
        "D3001" => "Attempting to invoke string function on Infinity or NaN",
        "D3010" => "Second argument of replace function cannot be an empty string",
        "D3011" => "Fourth argument of replace function must evaluate to a positive number",
        "D3012" => "Attempted to replace a matched string with a non-string value",
        "D3020" => "Third argument of split function must evaluate to a positive number",
        "D3030" => "Unable to cast value to a number: {{value}}",
        "D3040" => "Third argument of match function must evaluate to a positive number",
        "D3050" => {
            "The second argument of reduce function must be a function with at least two arguments"
        }
        "D3060" => "The sqrt function cannot be applied to a negative number: {{value}}",
        "D3061" => {
            "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{exp}}"
        }
        "D3070" => {
            "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function"
        }
        "D3080" => "The picture string must only contain a maximum of two sub-pictures",
        "D3081" => {
            "The sub-picture must not contain more than one instance of the 'decimal-separator' character"
        }
        "D3082" => {
            "The sub-picture must not contain more than one instance of the 'percent' character"
        }
        "D3083" => {
            "The sub-picture must not contain more than one instance of the 'per-mille' character"
        }
        "D3084" => "The sub-picture must not contain both a 'percent' and a 'per-mille' character",
        "D3085" => {
            "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'"
        }
        "D3086" => {
            "The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character"
        }
        "D3087" => {
            "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character"
        }
        "D3088" => {
            "The sub-picture must not contain a 'grouping-separator' at the end of the integer part"
        }
        "D3089" => {
            "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character"
        }
        "D3090" => {
            "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'"
        }
        "D3091" => {
            "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'"
        }
        "D3092" => {
            "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'"
        }
        "D3093" => {
            "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'"
        }
        "D3100" => {
            "The radix of the formatBase function must be between 2 and 36.  It was given {{value}}"
        }
        "D3110" => {
            "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}"
        }
        "D3120" => "Syntax error in expression passed to function eval: {{value}}",
        "D3121" => "Dynamic error evaluating the expression passed to function eval: {{value}}",
        "D3130" => {
            "Formatting or parsing an integer as a sequence starting with {{value}} is not supported by this implementation"
        }
        "D3131" => "In a decimal digit pattern, all digits must be from the same decimal group",
        "D3132" => "Unknown component specifier {{value}} in date/time picture string",
        "D3133" => {
            "The 'name' modifier can only be applied to months and days in the date/time picture string, not {{value}}"
        }
        "D3134" => "The timezone integer format specifier cannot have more than four digits",
        "D3135" => "No matching closing bracket ']' in date/time picture string",
        "D3136" => {
            "The date/time picture string is missing specifiers required to parse the timestamp"
        }
        "D3137" => "{{{message}}}",
        "D3138" => {
            "The $single() function expected exactly 1 matching result.  Instead it matched more."
        }
        "D3139" => {
            "The $single() function expected exactly 1 matching result.  Instead it matched 0."
        }
        "D3140" => "Malformed URL passed to ${{{functionName}}}(): {{value}}",
        "D3141" => "{{{message}}}",
        // Step Functions additions and runtime guards (not in the jsonata-js table).
        "U1001" => "{{{message}}}",
        "D3150" | "D3151" | "D3152" | "D3153" | "D3154" | "D3155" => "{{{message}}}",
        _ => return None,
    })
}

impl ErrorDetail {
    /// The field a `{{name}}` / `{{{name}}}` placeholder refers to.  `raw` selects triple
    /// braces (inserted verbatim) versus double braces (JSON-stringified).  Token and
    /// functionName are stored raw, the value fields already JSON-stringified.
    fn insert(&self, name: &str, raw: bool) -> String {
        let stringified = |s: &Option<String>| s.clone().unwrap_or_else(|| "undefined".into());
        let plain = |s: &Option<String>| {
            if raw {
                s.clone().unwrap_or_else(|| "undefined".into())
            } else {
                s.as_deref()
                    .map(json_quote)
                    .unwrap_or_else(|| "undefined".into())
            }
        };
        match name {
            "token" => plain(&self.token),
            "functionName" => plain(&self.function_name),
            "message" => plain(&self.message),
            "value" => stringified(&self.value),
            "value2" => stringified(&self.value2),
            "index" => stringified(&self.index),
            "type" => stringified(&self.type_name),
            "exp" => stringified(&self.exp),
            _ => "undefined".into(),
        }
    }

    /// Message text after template substitution (jsonata-js `populateMessage`).
    pub fn message_text(&self) -> String {
        let Some(tpl) = template(&self.code) else {
            return self.message.clone().unwrap_or_default();
        };
        let mut out = String::new();
        let mut rest = tpl;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start..];
            let (raw, open) = if after.starts_with("{{{") {
                (true, 3)
            } else {
                (false, 2)
            };
            let close = if raw { "}}}" } else { "}}" };
            match after[open..].find(close) {
                Some(end) => {
                    let name = &after[open..open + end];
                    out.push_str(&self.insert(name, raw));
                    rest = &after[open + end + close.len()..];
                }
                None => {
                    out.push_str(after);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }

    pub fn into_public(self) -> JsonataError {
        let message = self.message_text();
        JsonataError {
            code: self.code,
            message,
            position: self.position,
            token: self.token,
            limit: self.limit,
        }
    }
}

impl From<Error> for JsonataError {
    fn from(e: Error) -> Self {
        e.into_public()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_code_colon_message() {
        let e = err("T1006").into_public();
        assert_eq!(e.to_string(), "T1006: Attempted to invoke a non-function");
    }

    #[test]
    fn double_braces_json_stringify_and_triple_braces_are_raw() {
        let e = err("T0410")
            .with_token("substring")
            .with_index(2)
            .into_public();
        assert_eq!(
            e.message,
            "Argument 2 of function \"substring\" does not match function signature"
        );
        let e = err("T1005").with_token("sum").into_public();
        assert_eq!(
            e.message,
            "Attempted to invoke a non-function. Did you mean $sum?"
        );
        let e = err("D3137").with_message("boom").into_public();
        assert_eq!(e.message, "boom");
    }

    #[test]
    fn missing_inserts_render_undefined() {
        let e = err("D1002").into_public();
        assert_eq!(e.message, "Cannot negate a non-numeric value: undefined");
    }
}
