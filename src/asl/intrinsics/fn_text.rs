//! `States.Format` and `States.StringSplit`.

use serde_json::Value;

use super::java_text::java_to_string;

pub(crate) type FnResult = Result<Value, String>;

pub(crate) fn invalid(name: &str) -> String {
    format!("Invalid arguments in {name}")
}

/// Splits a `States.Format` template into literal pieces (`Some`) and `{}`
/// placeholders (`None`). A backslash makes the next character literal; a
/// brace that is not part of `{}` is an error.
pub(crate) fn parse_template(raw: &str) -> Result<Vec<Option<String>>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) => text.push(escaped),
                None => text.push('\\'),
            },
            '{' => {
                if chars.peek() != Some(&'}') {
                    return Err(
                        "Invalid template in States.Format: matching '}' not found for '{'."
                            .to_string(),
                    );
                }
                chars.next();
                if !text.is_empty() {
                    pieces.push(Some(std::mem::take(&mut text)));
                }
                pieces.push(None);
            }
            '}' => {
                return Err(
                    "Invalid template in States.Format: unexpected '}' without a matching '{'."
                        .to_string(),
                );
            }
            other => text.push(other),
        }
    }
    if !text.is_empty() {
        pieces.push(Some(text));
    }
    Ok(pieces)
}

/// `States.Format(template, values...)`. `raw_template` is the literal's
/// text as written when the template is a string literal, so escaped braces
/// stay literal.
pub(crate) fn format(args: &[Value], raw_template: Option<&str>) -> FnResult {
    let Some((template, values)) = args.split_first() else {
        return Err(invalid("States.Format"));
    };
    let raw = match (raw_template, template) {
        (Some(raw), _) => raw,
        (None, Value::String(s)) => s.as_str(),
        (None, _) => return Err(invalid("States.Format")),
    };
    let pieces = parse_template(raw)?;
    let holes = pieces.iter().filter(|p| p.is_none()).count();
    if holes != values.len() {
        return Err(
            "Invalid arguments in States.Format: number of arguments do not match the occurrences of {}."
                .to_string(),
        );
    }
    let mut out = String::new();
    let mut next_value = values.iter();
    for piece in pieces {
        match piece {
            Some(text) => out.push_str(&text),
            None => {
                if let Some(v) = next_value.next() {
                    out.push_str(&java_to_string(v));
                }
            }
        }
    }
    Ok(Value::String(out))
}

/// `States.StringSplit(string, delimiters)`: like Java's `StringTokenizer`,
/// every character of the second argument is a delimiter and empty tokens
/// are dropped.
pub(crate) fn string_split(args: &[Value]) -> FnResult {
    let (Some(Value::String(text)), Some(Value::String(delims))) = (args.first(), args.get(1))
    else {
        return Err(invalid("States.StringSplit"));
    };
    let tokens: Vec<Value> = text
        .split(|c: char| delims.contains(c))
        .filter(|t| !t.is_empty())
        .map(|t| Value::String(t.to_string()))
        .collect();
    Ok(Value::Array(tokens))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn format_from_the_developer_guide() {
        assert_eq!(
            format(&[json!("Hello, my name is {}."), json!("Arnav")], None).unwrap(),
            json!("Hello, my name is Arnav.")
        );
        assert_eq!(
            format(
                &[
                    json!("Welcome to {} {}'s playlist."),
                    json!("Jane"),
                    json!("Doe")
                ],
                None
            )
            .unwrap(),
            json!("Welcome to Jane Doe's playlist.")
        );
    }

    #[test]
    fn format_renders_values_like_java() {
        let out = format(
            &[
                json!("{}|{}|{}|{}|{}|{}"),
                json!(null),
                json!(false),
                json!(-1),
                json!(3.5),
                json!({"Arg1": 1, "Arg2": []}),
                json!(["a", 1]),
            ],
            None,
        )
        .unwrap();
        assert_eq!(out, json!("null|false|-1|3.5|{Arg1=1, Arg2=[]}|[a, 1]"));
    }

    #[test]
    fn format_escapes_and_errors() {
        assert_eq!(
            format(&[json!("ignored"), json!("v")], Some(r"\{literal\} {}")).unwrap(),
            json!("{literal} v")
        );
        assert!(
            format(&[json!("{} {}"), json!("x")], None)
                .unwrap_err()
                .contains("number of arguments")
        );
        assert!(format(&[json!("{}"), json!("x"), json!("y")], None).is_err());
        assert!(format(&[json!("Hello {"), json!("x")], None).is_err());
        assert!(format(&[json!("Hello {{}}"), json!("x")], None).is_err());
        assert!(format(&[json!("}")], None).is_err());
        assert_eq!(
            format(&[json!(123), json!("x")], None).unwrap_err(),
            "Invalid arguments in States.Format"
        );
    }

    #[test]
    fn split_like_string_tokenizer() {
        let split = |s: &str, d: &str| string_split(&[json!(s), json!(d)]).unwrap();
        assert_eq!(split("1,2,3,4,5", ","), json!(["1", "2", "3", "4", "5"]));
        assert_eq!(
            split("This.is+a,test=string", ".+,="),
            json!(["This", "is", "a", "test", "string"])
        );
        assert_eq!(split(", , ,", ","), json!([" ", " "]));
        assert_eq!(split(",,,,", ","), json!([]));
        assert_eq!(split("", ","), json!([]));
        assert_eq!(split("abc", ""), json!(["abc"]));
        assert_eq!(
            split("split on T and \nnew line", "T\n"),
            json!(["split on ", " and ", "new line"])
        );
        assert!(string_split(&[json!(123), json!(",")]).is_err());
        assert!(string_split(&[json!("a,b"), json!(null)]).is_err());
    }
}
