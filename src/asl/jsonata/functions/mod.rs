//! Function values and the built-in function library.

mod array;
mod aws;
mod calendar;
mod datetime;
mod datetime_parse;
mod format_number;
mod hof;
mod integer_format;
mod numerals;
mod numeric;
mod object;
mod regex_fns;
mod string;
mod url;

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use super::ast::{LambdaDef, TransformDef};
use super::error::{ErrorExt, EvalResult, err, json_quote};
use super::evaluator::{Budget, Env, Evaluator};
use super::json_out::stringify_for_string_fn;
use super::regex_js::{JsRegex, byte_index, utf16_index};
use super::signature::Signature;
use super::value::{Object, Value, error_insert, object_insert};

pub(crate) use regex_fns::{regex_match_value, regex_next};

/// A user-defined function closure (`function($x) {...}`), possibly partially applied.
#[derive(Clone)]
pub(crate) struct Lambda {
    pub def: Arc<LambdaDef>,
    /// Context item at the point of definition.
    pub input: Value,
    pub env: Env,
    /// Remaining parameters after partial application (`None` = all of `def.params`).
    pub params: Option<Rc<[String]>>,
}

impl Lambda {
    pub fn params(&self) -> &[String] {
        match &self.params {
            Some(p) => p,
            None => &self.def.params,
        }
    }
}

/// Context handed to native implementations (jsonata-js's `this` focus object).
pub(crate) struct NativeCx {
    pub input: Value,
    pub env: Env,
}

pub(crate) type NativeImpl = fn(&mut Evaluator, &[Value], &NativeCx) -> EvalResult<Value>;

pub(crate) struct NativeDef {
    pub name: &'static str,
    pub signature: &'static str,
    /// JavaScript `Function.length` of the jsonata-js implementation (what higher-order
    /// functions inspect to decide how many arguments to pass).
    pub arity: usize,
    pub imp: NativeImpl,
}

pub(crate) enum Function {
    Lambda(Lambda),
    Native(&'static NativeDef),
    /// Partial application of a non-lambda function; `None` marks a `?` slot.
    Partial {
        target: Rc<Function>,
        args: Vec<Option<Value>>,
    },
    /// A regex literal used as a matcher function.
    Regex {
        regex: Arc<JsRegex>,
        position: usize,
    },
    /// The `next` function of a regex match result.
    RegexNext {
        regex: Arc<JsRegex>,
        text: Rc<str>,
        /// Where the next search starts, as a byte offset and as a UTF-16 index (carried
        /// along so match offsets need not be recounted from the start of the text).
        from: usize,
        from_utf16: usize,
        position: usize,
    },
    Transform {
        def: Arc<TransformDef>,
        env: Env,
        position: usize,
    },
    /// `f ~> g` for two functions: `function($x){ g(f($x)) }`.
    Chain {
        first: Value,
        second: Value,
    },
}

fn transform_signature() -> Option<&'static Signature> {
    static SIG: OnceLock<Option<Signature>> = OnceLock::new();
    SIG.get_or_init(|| Signature::parse("<(oa):o>").ok())
        .as_ref()
}

impl Function {
    pub fn arity(&self) -> usize {
        match self {
            Function::Lambda(l) => l.params().len(),
            Function::Native(def) => def.arity,
            Function::Partial { args, .. } => args.iter().filter(|a| a.is_none()).count(),
            Function::Regex { .. } => 2,
            Function::RegexNext { .. } => 0,
            Function::Transform { .. } | Function::Chain { .. } => 1,
        }
    }

    pub fn signature(&self) -> Option<&Signature> {
        match self {
            Function::Lambda(l) if l.params.is_none() => l.def.signature.as_ref(),
            Function::Native(def) => native_signature(def.name),
            Function::Transform { .. } => transform_signature(),
            _ => None,
        }
    }
}

fn native_table() -> &'static HashMap<&'static str, &'static NativeDef> {
    static INDEX: OnceLock<HashMap<&'static str, &'static NativeDef>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = HashMap::new();
        for def in NATIVES {
            m.insert(def.name, def);
        }
        m
    })
}

fn native_signature(name: &str) -> Option<&'static Signature> {
    static SIGS: OnceLock<HashMap<&'static str, Signature>> = OnceLock::new();
    SIGS.get_or_init(|| {
        NATIVES
            .iter()
            .filter_map(|d| Signature::parse(d.signature).ok().map(|s| (d.name, s)))
            .collect()
    })
    .get(name)
}

/// The built-in function bound to `name`, or undefined.  The same function value is
/// returned on every lookup (per thread), so `$sum = $sum` holds as in jsonata-js.
pub(crate) fn builtin(name: &str) -> Value {
    thread_local! {
        static CACHE: std::cell::RefCell<HashMap<&'static str, Rc<Function>>> =
            std::cell::RefCell::new(HashMap::new());
    }
    let Some(def) = native_table().get(name) else {
        return Value::Undefined;
    };
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let f = cache
            .entry(def.name)
            .or_insert_with(|| Rc::new(Function::Native(def)));
        Value::Function(f.clone())
    })
}

/// Names of all built-in functions (for validators and tooling).
pub(crate) fn builtin_names() -> Vec<&'static str> {
    NATIVES.iter().map(|d| d.name).collect()
}

macro_rules! native {
    ($name:literal, $sig:literal, $arity:literal, $imp:path) => {
        NativeDef {
            name: $name,
            signature: $sig,
            arity: $arity,
            imp: $imp,
        }
    };
}

static NATIVES: &[NativeDef] = &[
    native!("sum", "<a<n>:n>", 1, numeric::sum),
    native!("count", "<a:n>", 1, array::count),
    native!("max", "<a<n>:n>", 1, numeric::max),
    native!("min", "<a<n>:n>", 1, numeric::min),
    native!("average", "<a<n>:n>", 1, numeric::average),
    native!("string", "<x-b?:s>", 1, string::string),
    native!("substring", "<s-nn?:s>", 3, string::substring),
    native!("substringBefore", "<s-s:s>", 2, string::substring_before),
    native!("substringAfter", "<s-s:s>", 2, string::substring_after),
    native!("lowercase", "<s-:s>", 1, string::lowercase),
    native!("uppercase", "<s-:s>", 1, string::uppercase),
    native!("length", "<s-:n>", 1, string::length),
    native!("trim", "<s-:s>", 1, string::trim),
    native!("pad", "<s-ns?:s>", 3, string::pad),
    native!("match", "<s-f<s:o>n?:a<o>>", 3, regex_fns::match_fn),
    native!("contains", "<s-(sf):b>", 2, regex_fns::contains),
    native!("replace", "<s-(sf)(sf)n?:s>", 4, regex_fns::replace),
    native!("split", "<s-(sf)n?:a<s>>", 3, regex_fns::split),
    native!("join", "<a<s>s?:s>", 2, string::join),
    native!("formatNumber", "<n-so?:s>", 3, format_number::format_number),
    native!("formatBase", "<n-n?:s>", 2, numeric::format_base),
    native!(
        "formatInteger",
        "<n-s:s>",
        2,
        integer_format::format_integer
    ),
    native!("parseInteger", "<s-s:n>", 2, integer_format::parse_integer),
    native!("number", "<(nsb)-:n>", 1, numeric::number),
    native!("floor", "<n-:n>", 1, numeric::floor),
    native!("ceil", "<n-:n>", 1, numeric::ceil),
    native!("round", "<n-n?:n>", 2, numeric::round),
    native!("abs", "<n-:n>", 1, numeric::abs),
    native!("sqrt", "<n-:n>", 1, numeric::sqrt),
    native!("power", "<n-n:n>", 2, numeric::power),
    // Step Functions' $random accepts an optional seed.
    native!("random", "<n?:n>", 0, aws::random),
    native!("boolean", "<x-:b>", 1, object::boolean_fn),
    native!("not", "<x-:b>", 1, object::not),
    native!("map", "<af>", 2, hof::map),
    native!("zip", "<a+>", 0, array::zip),
    native!("filter", "<af>", 2, hof::filter),
    native!("single", "<af?>", 2, hof::single),
    native!("reduce", "<afj?:j>", 3, hof::reduce),
    native!("sift", "<o-f?:o>", 2, hof::sift),
    native!("keys", "<x-:a<s>>", 1, object::keys),
    native!("lookup", "<x-s:x>", 2, object::lookup),
    native!("append", "<xx:a>", 2, array::append_fn),
    native!("exists", "<x:b>", 1, object::exists),
    native!("spread", "<x-:a<o>>", 1, object::spread),
    native!("merge", "<a<o>:o>", 1, object::merge),
    native!("reverse", "<a:a>", 1, array::reverse),
    native!("each", "<o-f:a>", 2, hof::each),
    native!("error", "<s?:x>", 1, object::error),
    native!("assert", "<bs?:x>", 2, object::assert),
    native!("type", "<x:s>", 1, object::type_fn),
    native!("sort", "<af?:a>", 2, hof::sort),
    native!("shuffle", "<a:a>", 1, array::shuffle),
    native!("distinct", "<x:x>", 1, array::distinct),
    native!("base64encode", "<s-:s>", 1, url::base64_encode),
    native!("base64decode", "<s-:s>", 1, url::base64_decode),
    native!("encodeUrlComponent", "<s-:s>", 1, url::encode_url_component),
    native!("encodeUrl", "<s-:s>", 1, url::encode_url),
    native!("decodeUrlComponent", "<s-:s>", 1, url::decode_url_component),
    native!("decodeUrl", "<s-:s>", 1, url::decode_url),
    native!("eval", "<sx?:x>", 2, object::eval),
    native!("toMillis", "<s-s?:n>", 2, datetime_parse::to_millis),
    native!("fromMillis", "<n-s?s?:s>", 3, datetime::from_millis),
    native!("clone", "<(oa)-:o>", 1, object::clone),
    native!("now", "<s?s?:s>", 2, datetime::now),
    native!("millis", "<:n>", 0, datetime::millis),
    // AWS Step Functions additions
    native!("partition", "<an:a>", 2, aws::partition),
    native!("range", "<nnn:a>", 3, aws::range),
    native!("hash", "<ss:s>", 2, aws::hash),
    native!("uuid", "<:s>", 0, aws::uuid),
    native!("parse", "<s-:x>", 1, aws::parse),
];

// ---------------------------------------------------------------------------------------
// Shared helpers (jsonata-js utils.js and functions.js internals)

/// Argument `i`, or undefined.
pub(crate) fn arg(args: &[Value], i: usize) -> &Value {
    const UNDEFINED: &Value = &Value::Undefined;
    args.get(i).unwrap_or(UNDEFINED)
}

/// `isNumeric`'s side effect: a non-finite number is reported as D1001.
pub(crate) fn check_numeric(n: f64) -> EvalResult<()> {
    if n.is_infinite() {
        return Err(err("D1001").with_value(error_insert(&Value::Number(n))));
    }
    Ok(())
}

pub(crate) fn is_array_of_numbers(v: &Value) -> EvalResult<bool> {
    let Value::Array(a) = v else {
        return Ok(false);
    };
    for item in &a.items {
        match item {
            Value::Number(n) if !n.is_nan() => check_numeric(*n)?,
            _ => return Ok(false),
        }
    }
    Ok(true)
}

pub(crate) fn is_array_of_strings(v: &Value) -> bool {
    matches!(v, Value::Array(a) if a.items.iter().all(|i| matches!(i, Value::String(_))))
}

/// Effective boolean value (`fn.boolean`); `None` for undefined.  Function values are
/// JavaScript objects in jsonata-js and therefore truthy here.
pub(crate) fn boolean(v: &Value) -> EvalResult<Option<bool>> {
    Ok(Some(match v {
        Value::Undefined => return Ok(None),
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => {
            if n.is_nan() {
                false
            } else {
                check_numeric(*n)?;
                *n != 0.0
            }
        }
        Value::Array(a) => match a.items.len() {
            0 => false,
            1 => boolean(&a.items[0])?.unwrap_or(false),
            _ => {
                let mut any = false;
                for item in &a.items {
                    if boolean(item)? == Some(true) {
                        any = true;
                        break;
                    }
                }
                any
            }
        },
        Value::Object(o) => !o.is_empty(),
        Value::Function(_) => true,
    }))
}

/// `fn.string`: cast to string (`$string` without prettify and `&`); serialising a
/// structure pays into `budget` (see [`stringify_for_string_fn`]).
pub(crate) fn string_of(v: &Value, pretty: bool, budget: &mut Budget) -> EvalResult<String> {
    match v {
        Value::String(s) => Ok(s.to_string()),
        Value::Function(_) => Ok(String::new()),
        Value::Number(n) if !n.is_finite() => {
            Err(err("D3001").with_value(error_insert(&Value::Number(*n))))
        }
        Value::Array(a) if a.outer_wrapper.get() => {
            stringify_for_string_fn(a.items.first().unwrap_or(&Value::Undefined), pretty, budget)
        }
        other => stringify_for_string_fn(other, pretty, budget),
    }
}

/// `fn.append`: concatenate, treating non-arrays as singletons; undefined is ignored.
pub(crate) fn append(a: Value, b: Value) -> Value {
    if a.is_undefined() {
        return b;
    }
    if b.is_undefined() {
        return a;
    }
    let mut items = match a {
        Value::Array(arr) => arr.items.clone(),
        other => vec![other],
    };
    match b {
        Value::Array(arr) => items.extend(arr.items.iter().cloned()),
        other => items.push(other),
    }
    Value::array(items)
}

/// `a < b` for two strings (UTF-16 code unit order) or two numbers.
pub(crate) fn js_less_than(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x < y,
        (Value::String(x), Value::String(y)) => x.encode_utf16().lt(y.encode_utf16()),
        _ => false,
    }
}

/// `a === b` for strings and numbers.
pub(crate) fn strict_eq_primitive(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        _ => false,
    }
}

/// Arguments for the callback of `$map`, `$filter`, `$each`, `$sift`, `$single`: the
/// value, plus position and whole structure only if the callback declares them.
pub(crate) fn hof_args(func: &Value, value: Value, pos: Value, whole: &Value) -> Vec<Value> {
    let arity = match func {
        Value::Function(f) => f.arity(),
        _ => 1,
    };
    let mut args = vec![value];
    if arity >= 2 {
        args.push(pos);
    }
    if arity >= 3 {
        args.push(whole.clone());
    }
    args
}

/// A fresh object from key/value pairs in JavaScript property order.
pub(crate) fn object_from(pairs: Vec<(&str, Value)>) -> Value {
    let mut o = Object::new();
    for (k, v) in pairs {
        object_insert(&mut o, Rc::from(k), v);
    }
    Value::object(o)
}

/// JSON-quote for error inserts.
pub(crate) fn q(s: &str) -> String {
    json_quote(s)
}

/// Convert between UTF-16 indices (JavaScript) and byte offsets.
pub(crate) fn to_utf16(s: &str, byte: usize) -> usize {
    utf16_index(s, byte)
}
pub(crate) fn to_byte(s: &str, utf16: usize) -> usize {
    byte_index(s, utf16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_signature_parses() {
        for def in NATIVES {
            assert!(
                Signature::parse(def.signature).is_ok(),
                "signature of ${} does not parse",
                def.name
            );
        }
        assert!(native_signature("substring").is_some());
    }

    #[test]
    fn boolean_casting_rules() {
        let t = |v: Value| boolean(&v).ok().flatten();
        assert_eq!(t(Value::string("")), Some(false));
        assert_eq!(t(Value::Number(0.0)), Some(false));
        assert_eq!(
            t(Value::array(vec![Value::Number(0.0), Value::Bool(true)])),
            Some(true)
        );
        assert_eq!(t(Value::array(vec![])), Some(false));
        assert_eq!(t(Value::Undefined), None);
        assert!(boolean(&Value::Number(f64::INFINITY)).is_err());
    }

    #[test]
    fn append_flattens_one_level() {
        let v = append(Value::Number(1.0), Value::array(vec![Value::Number(2.0)]));
        assert!(matches!(&v, Value::Array(a) if a.items.len() == 2));
        assert!(append(Value::Undefined, Value::Number(1.0)).as_number() == Some(1.0));
    }

    #[test]
    fn utf16_string_order() {
        let a = Value::string("\u{FF00}");
        let b = Value::string("😀");
        // JavaScript compares UTF-16 units: U+FF00 sorts after the surrogate 0xD83D.
        assert!(js_less_than(&b, &a));
    }
}
