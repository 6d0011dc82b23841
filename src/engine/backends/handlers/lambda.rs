//! What Lambda adds around a handler: which function a task invokes, the event and context it
//! gets, the `lambda:invoke` envelope, and errors reported the way AWS reports them.

use super::super::{TaskOutcome, TaskRequest};
use super::file::Runtime;
use crate::engine::TaskFamily;
use serde_json::{Map, Value, json};

/// Used where neither the resource nor `FunctionName` says (the engine's defaults too).
const DEFAULT_REGION: &str = "us-east-1";
const DEFAULT_ACCOUNT: &str = "123456789012";
/// What Lambda reports for a function created with the defaults.
pub const MEMORY_LIMIT_IN_MB: u64 = 128;

/// A Lambda function as a handlers-file key or a task names it: a name, a partial ARN
/// (`123456789012:function:name`) or a full ARN, each with an optional alias or version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionRef {
    pub name: String,
    pub qualifier: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
}

impl FunctionRef {
    /// Reads any of the forms Lambda accepts as a function name; `None` for anything else.
    pub fn parse(text: &str) -> Option<FunctionRef> {
        let parts: Vec<&str> = text.split(':').collect();
        let (region, account, name, qualifier) = match parts.as_slice() {
            ["arn", _, "lambda", region, account, "function", name] => {
                (Some(*region), Some(*account), *name, None)
            }
            [
                "arn",
                _,
                "lambda",
                region,
                account,
                "function",
                name,
                qualifier,
            ] => (Some(*region), Some(*account), *name, Some(*qualifier)),
            [account, "function", name] => (None, Some(*account), *name, None),
            [account, "function", name, qualifier] => {
                (None, Some(*account), *name, Some(*qualifier))
            }
            [name] => (None, None, *name, None),
            [name, qualifier] => (None, None, *name, Some(*qualifier)),
            _ => return None,
        };
        let word = |text: &str, extra: &str| {
            !text.is_empty()
                && text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c) || extra.contains(c))
        };
        if !word(name, "") || qualifier.is_some_and(|q| !word(q, "$")) {
            return None;
        }
        if account.is_some_and(|a| !word(a, "")) || region.is_some_and(|r| !word(r, "")) {
            return None;
        }
        Some(FunctionRef {
            name: name.to_string(),
            qualifier: qualifier.map(str::to_string),
            account: account.filter(|a| !a.is_empty()).map(str::to_string),
            region: region.filter(|r| !r.is_empty()).map(str::to_string),
        })
    }

    /// A handlers-file key naming a function. Other `arn:` keys are resources, matched exactly.
    pub fn from_key(key: &str) -> Option<FunctionRef> {
        FunctionRef::parse(key)
    }

    /// The function a task invokes: a Lambda ARN resource, or `lambda:invoke`'s
    /// `FunctionName` (with its `Qualifier`).
    pub fn of_request(request: &TaskRequest) -> Option<FunctionRef> {
        match LambdaForm::of(&request.resource)? {
            LambdaForm::Arn => FunctionRef::parse(&request.resource),
            LambdaForm::Invoke | LambdaForm::InvokeCallback => {
                let name = request.parameters.get("FunctionName")?.as_str()?;
                let mut function = FunctionRef::parse(name)?;
                if function.qualifier.is_none() {
                    function.qualifier = request
                        .parameters
                        .get("Qualifier")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                }
                Some(function)
            }
        }
    }

    /// How well this key fits the wanted function (higher is more specific); `None`: not it.
    /// A key without a qualifier fits every alias and version of its function.
    pub fn matches(&self, wanted: &FunctionRef) -> Option<u8> {
        if self.name != wanted.name {
            return None;
        }
        let mut score = 0;
        if let Some(qualifier) = &self.qualifier {
            if wanted.qualifier.as_ref() != Some(qualifier) {
                return None;
            }
            score += 4;
        }
        for (mine, theirs, weight) in [
            (&self.account, &wanted.account, 2),
            (&self.region, &wanted.region, 1),
        ] {
            if let Some(mine) = mine {
                if theirs.as_ref().is_some_and(|theirs| theirs != mine) {
                    return None;
                }
                score += weight;
            }
        }
        Some(score)
    }

    /// The full ARN Lambda reports as `invoked_function_arn`.
    pub fn arn(&self) -> String {
        let mut arn = format!(
            "arn:aws:lambda:{}:{}:function:{}",
            self.region.as_deref().unwrap_or(DEFAULT_REGION),
            self.account.as_deref().unwrap_or(DEFAULT_ACCOUNT),
            self.name
        );
        if let Some(qualifier) = &self.qualifier {
            arn.push(':');
            arn.push_str(qualifier);
        }
        arn
    }
}

/// How a task reaches a Lambda function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LambdaForm {
    /// A function ARN as the resource: the effective input is the event, the result is the
    /// handler's result.
    Arn,
    /// `arn:aws:states:::lambda:invoke`: the event is `Payload`, the result is wrapped.
    Invoke,
    /// `lambda:invoke.waitForTaskToken`: the answer comes from a callback, not the handler.
    InvokeCallback,
}

impl LambdaForm {
    pub fn of(resource: &str) -> Option<LambdaForm> {
        if TaskFamily::of(resource) == TaskFamily::LambdaFunction {
            return Some(LambdaForm::Arn);
        }
        let rest = resource.strip_prefix("arn:")?;
        let (_partition, service) = rest.split_once(':')?;
        match service {
            "states:::lambda:invoke" => Some(LambdaForm::Invoke),
            "states:::lambda:invoke.waitForTaskToken" => Some(LambdaForm::InvokeCallback),
            _ => None,
        }
    }
}

/// One call of a handler, as the task asked for it.
#[derive(Debug, Clone, PartialEq)]
pub struct LambdaCall {
    pub event: Value,
    pub function_name: String,
    pub invoked_function_arn: String,
    /// `None`: a handler answering another kind of resource (an activity, an SDK
    /// integration): the parameters in, the result out, errors as for a function ARN.
    pub form: Option<LambdaForm>,
    pub request_id: String,
}

impl LambdaCall {
    pub fn of_request(request: &TaskRequest) -> LambdaCall {
        let request_id = uuid::Uuid::new_v4().to_string();
        let form = LambdaForm::of(&request.resource);
        let function = FunctionRef::of_request(request);
        let event = match form {
            Some(LambdaForm::Invoke | LambdaForm::InvokeCallback) => request
                .parameters
                .get("Payload")
                .cloned()
                // Invoked without a payload, a function gets an empty object.
                .unwrap_or_else(|| json!({})),
            _ => request.parameters.clone(),
        };
        let (function_name, invoked_function_arn) = match &function {
            Some(function) => (function.name.clone(), function.arn()),
            None => (request.state_name.clone(), request.resource.clone()),
        };
        LambdaCall {
            event,
            function_name,
            invoked_function_arn,
            form,
            request_id,
        }
    }

    /// The handler's result as the task's result.
    pub fn succeeded(&self, result: Value) -> TaskOutcome {
        match self.form {
            Some(LambdaForm::Invoke) => {
                TaskOutcome::Succeeded(wrap_lambda_invoke(result, &self.request_id))
            }
            _ => TaskOutcome::Succeeded(result),
        }
    }

    /// A raised exception as Lambda reports it: the error is its type, the cause the error
    /// document the runtime wrote (Python's with `json.dumps` spacing for a function ARN,
    /// compact through `lambda:invoke`, where Step Functions re-serializes it; Node's always
    /// compact, with `trace` for the stack).
    pub fn failed(&self, runtime: Runtime, error: &Value) -> TaskOutcome {
        let text = |key: &str| error.get(key).and_then(Value::as_str).unwrap_or_default();
        let error_type = match text("errorType") {
            "" => "Error",
            name => name,
        };
        let stack = error
            .get("stackTrace")
            .filter(|stack| stack.is_array())
            .cloned()
            .unwrap_or_else(|| json!([]));
        let mut document = Map::new();
        let cause = match runtime {
            Runtime::Python => {
                document.insert("errorMessage".into(), json!(text("errorMessage")));
                document.insert("errorType".into(), json!(error_type));
                document.insert("requestId".into(), json!(self.request_id));
                document.insert("stackTrace".into(), stack);
                let document = Value::Object(document);
                match self.form {
                    Some(LambdaForm::Invoke) => document.to_string(),
                    _ => python_json(&document),
                }
            }
            Runtime::Node => {
                document.insert("errorType".into(), json!(error_type));
                document.insert("errorMessage".into(), json!(text("errorMessage")));
                document.insert("trace".into(), stack);
                Value::Object(document).to_string()
            }
        };
        TaskOutcome::Failed {
            error: Some(error_type.to_string()),
            cause: Some(cause),
        }
    }
}

/// A function's result as `arn:aws:states:::lambda:invoke` returns it, with the SDK metadata
/// AWS adds (the shape recorded in `tests/data/taskcases`). `Content-Length` is the length of
/// the payload as a Python runtime serializes it.
pub fn wrap_lambda_invoke(result: Value, request_id: &str) -> Value {
    let length = python_json(&result).len().to_string();
    let date = chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let hex: String = request_id
        .chars()
        .filter(char::is_ascii_hexdigit)
        .chain(std::iter::repeat('0'))
        .take(24)
        .collect();
    let trace = format!(
        "root=1-{:08x}-{hex};sampled=0",
        chrono::Utc::now().timestamp()
    );
    json!({
        "ExecutedVersion": "$LATEST",
        "Payload": result,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {
                "X-Amz-Executed-Version": ["$LATEST"],
                "x-amzn-Remapped-Content-Length": ["0"],
                "Connection": ["keep-alive"],
                "x-amzn-RequestId": [request_id],
                "Content-Length": [length],
                "Date": [date],
                "X-Amzn-Trace-Id": [trace],
                "Content-Type": ["application/json"]
            },
            "HttpHeaders": {
                "Connection": "keep-alive",
                "Content-Length": length,
                "Content-Type": "application/json",
                "Date": date,
                "X-Amz-Executed-Version": "$LATEST",
                "x-amzn-Remapped-Content-Length": "0",
                "x-amzn-RequestId": request_id,
                "X-Amzn-Trace-Id": trace
            },
            "HttpStatusCode": 200
        },
        "SdkResponseMetadata": {"RequestId": request_id},
        "StatusCode": 200
    })
}

/// JSON text as Python's `json.dumps` writes it by default: `", "` and `": "` separators,
/// non-ASCII characters escaped.
pub fn python_json(value: &Value) -> String {
    let mut out = String::new();
    write_python_json(value, &mut out);
    out
}

fn write_python_json(value: &Value, out: &mut String) {
    match value {
        Value::String(text) => {
            out.push('"');
            for c in text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    '\u{8}' => out.push_str("\\b"),
                    '\u{c}' => out.push_str("\\f"),
                    c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                        let mut units = [0u16; 2];
                        for unit in c.encode_utf16(&mut units) {
                            out.push_str(&format!("\\u{unit:04x}"));
                        }
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_python_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_python_json(&Value::String(key.clone()), out);
                out.push_str(": ");
                write_python_json(item, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_spacing_and_escapes() {
        let value = json!({"a": [1, "é\n"], "b": null});
        assert_eq!(python_json(&value), r#"{"a": [1, "\u00e9\n"], "b": null}"#);
        assert_eq!(python_json(&json!({"body": "string body"})).len(), 23);
    }

    #[test]
    fn function_forms() {
        let arn = FunctionRef::parse("arn:aws:lambda:eu-west-1:111:function:f:prod").unwrap();
        assert_eq!(arn.name, "f");
        assert_eq!(arn.qualifier.as_deref(), Some("prod"));
        assert_eq!(arn.arn(), "arn:aws:lambda:eu-west-1:111:function:f:prod");
        let partial = FunctionRef::parse("111:function:f").unwrap();
        assert_eq!(partial.account.as_deref(), Some("111"));
        assert!(FunctionRef::parse("arn:aws:states:::lambda:invoke").is_none());
        assert!(FunctionRef::parse("a b").is_none());
        let key = FunctionRef::parse("f").unwrap();
        assert_eq!(key.matches(&arn), Some(0));
        assert_eq!(FunctionRef::parse("f:prod").unwrap().matches(&arn), Some(4));
        assert_eq!(FunctionRef::parse("f:dev").unwrap().matches(&arn), None);
        assert_eq!(
            FunctionRef::parse("222:function:f").unwrap().matches(&arn),
            None
        );
    }
}
