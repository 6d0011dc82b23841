//! `States.StringToJson`, `States.JsonToString` and `States.JsonMerge`.

use serde_json::Value;

use super::super::path::to_json_string;
use super::fn_text::{FnResult, invalid};

/// Parses JSON text. Like Jackson's `readTree`, blank text gives `null` and
/// whatever follows the first value is ignored.
pub(crate) fn string_to_json(args: &[Value]) -> FnResult {
    let Some(Value::String(text)) = args.first() else {
        return Err(invalid("States.StringToJson"));
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(Value::Null);
    }
    // Jackson reads `-0` as the integer 0; serde_json would make it -0.0.
    if trimmed == "-0" {
        return Ok(Value::from(0));
    }
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    match values.next() {
        Some(Ok(value)) => Ok(value),
        _ => Err(invalid("States.StringToJson")),
    }
}

pub(crate) fn json_to_string(args: &[Value]) -> FnResult {
    match args.first() {
        Some(value) => Ok(Value::String(to_json_string(value))),
        None => Err(invalid("States.JsonToString")),
    }
}

/// Shallow merge: keys of the second object win. A deep merge (`true` as the
/// third argument) is not supported; other third arguments merge shallowly,
/// as AWS does.
pub(crate) fn json_merge(args: &[Value]) -> FnResult {
    let name = "States.JsonMerge";
    let (Some(Value::Object(left)), Some(Value::Object(right))) = (args.first(), args.get(1))
    else {
        return Err(invalid(name));
    };
    if matches!(args.get(2), Some(Value::Bool(true))) {
        return Err(format!(
            "Invalid arguments in {name}: deep merge is not supported, the third argument must be false"
        ));
    }
    let mut merged = left.clone();
    for (key, value) in right {
        merged.insert(key.clone(), value.clone());
    }
    Ok(Value::Object(merged))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn string_to_json_examples() {
        assert_eq!(
            string_to_json(&[json!("{\"foo\": \"bar\"}")]).unwrap(),
            json!({"foo": "bar"})
        );
        assert_eq!(string_to_json(&[json!("")]).unwrap(), json!(null));
        assert_eq!(string_to_json(&[json!("-0")]).unwrap(), json!(0));
        assert_eq!(string_to_json(&[json!("1.1")]).unwrap(), json!(1.1));
        assert_eq!(
            string_to_json(&[json!("\"HelloWorld\"")]).unwrap(),
            json!("HelloWorld")
        );
        assert_eq!(
            string_to_json(&[json!(" {\"a\":1} ")]).unwrap(),
            json!({"a": 1})
        );
        for bad in [
            json!("{bad json}"),
            json!("{\"a\":1"),
            json!("undefined"),
            json!(123),
            json!([1]),
        ] {
            assert!(string_to_json(std::slice::from_ref(&bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn json_to_string_is_compact() {
        assert_eq!(
            json_to_string(&[json!({"foo": "bar"})]).unwrap(),
            json!("{\"foo\":\"bar\"}")
        );
        assert_eq!(
            json_to_string(&[json!([1, 2, "HelloWorld"])]).unwrap(),
            json!("[1,2,\"HelloWorld\"]")
        );
        assert_eq!(json_to_string(&[json!(1.1)]).unwrap(), json!("1.1"));
        assert_eq!(
            json_to_string(&[json!("HelloWorld")]).unwrap(),
            json!("\"HelloWorld\"")
        );
    }

    #[test]
    fn merge_is_shallow() {
        let a = json!({"a": {"a1": 1, "a2": 2}, "b": 2});
        let b = json!({"a": {"a3": 1, "a4": 2}, "c": 3});
        assert_eq!(
            json_merge(&[a.clone(), b.clone(), json!(false)]).unwrap(),
            json!({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3})
        );
        assert!(json_merge(&[a.clone(), b.clone(), json!(true)]).is_err());
        assert!(json_merge(&[a.clone(), b, json!("false")]).is_ok());
        assert!(json_merge(&[json!(null), a.clone(), json!(false)]).is_err());
        assert!(json_merge(&[a, json!([]), json!(false)]).is_err());
    }
}
