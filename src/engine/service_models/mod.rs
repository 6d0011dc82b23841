//! The output shapes of the AWS APIs a Task state calls, for checking a mocked task result the
//! way AWS Step Functions' TestState does (it validates a mock against the API's output shape)
//! and for drafting an example answer.
//!
//! The models are `assets/service-models.json`, extracted from botocore's service models by
//! `scripts/gen-service-models.py` (re-run it to update them). They are embedded in the binary
//! and parsed once, on first use. Nothing here panics on the data: an asset that fails to parse
//! degrades to "no model known", which accepts every mock.

mod example;
mod resource;
mod validate;

#[cfg(test)]
mod tests;

use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

const ASSET: &str = include_str!("../../../assets/service-models.json");

/// How strictly a mocked result is checked: TestState's `fieldValidationMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldValidationMode {
    /// Every field present must conform, and every required field must be present.
    #[default]
    Strict,
    /// Every field present must conform; missing required fields are fine.
    Present,
    /// Nothing is checked.
    None,
}

impl FieldValidationMode {
    /// Reads AWS's spelling: `STRICT`, `PRESENT`, `NONE`.
    pub fn from_aws(text: &str) -> Option<Self> {
        match text {
            "STRICT" => Some(Self::Strict),
            "PRESENT" => Some(Self::Present),
            "NONE" => Some(Self::None),
            _ => None,
        }
    }

    pub fn as_aws(self) -> &'static str {
        match self {
            Self::Strict => "STRICT",
            Self::Present => "PRESENT",
            Self::None => "NONE",
        }
    }
}

/// How the Task reaches the service: the shape of its result differs slightly between the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Integration {
    /// `arn:aws:states:::<service>:<action>`.
    Optimized,
    /// `arn:aws:states:::aws-sdk:<service>:<action>`.
    AwsSdk,
}

/// The service operation a Task `Resource` calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationRef {
    /// botocore's name of the service: `stepfunctions`, `s3`, `bedrock-runtime`.
    pub service: &'static str,
    /// The operation as botocore spells it: `StartExecution`, `GetObject`.
    pub operation: &'static str,
    pub integration: Integration,
}

/// The service operation a Task `Resource` calls, when a model of it is known. `None` for the
/// `.sync` and `.waitForTaskToken` patterns (their result is the job's description or the
/// callback's payload, not the API's answer), Lambda function ARNs, activities, `http:invoke`,
/// `apigateway:invoke` and services or actions the models don't have.
pub fn operation_for_resource(resource: &str) -> Option<OperationRef> {
    resource::operation(models()?, resource)
}

/// Checks a mocked result of the Task `resource` as AWS's TestState does. `Ok(())` when valid,
/// when `mode` is `None`, or when no model is known for the resource. The error is AWS's
/// message without its "Mock result schema validation error: " prefix.
pub fn validate_mock_result(
    resource: &str,
    result: &Value,
    mode: FieldValidationMode,
) -> Result<(), String> {
    if mode == FieldValidationMode::None {
        return Ok(());
    }
    let Some(models) = models() else {
        return Ok(());
    };
    let Some(op) = resource::operation(models, resource) else {
        return Ok(());
    };
    let Some(service) = models.services.get(op.service) else {
        return Ok(());
    };
    let Some(Some(output)) = service.operations.get(op.operation) else {
        // An operation without an output shape: there is nothing to hold the mock to.
        return Ok(());
    };
    validate::check(
        service,
        output,
        result,
        mode == FieldValidationMode::Strict,
        any_json_member(op),
    )
}

/// An example of the operation's usual answer, built from its output shape: required and
/// common members with typed placeholder values (strings "string", numbers 0, timestamps an ISO
/// date, enums their first value, lists one element), nested structures filled to a bounded
/// depth so that recursive shapes terminate. Used to prefill "answer this task" editors.
pub fn example_output(resource: &str) -> Option<Value> {
    let models = models()?;
    let op = resource::operation(models, resource)?;
    let service = models.services.get(op.service)?;
    match service.operations.get(op.operation)? {
        Some(output) => Some(example::build(
            op.service,
            service,
            output,
            any_json_member(op),
        )),
        None => Some(Value::Object(serde_json::Map::new())),
    }
}

/// The botocore release the embedded models come from.
pub fn models_version() -> Option<&'static str> {
    models().map(|m| m.botocore_version.as_str())
}

/// The member of an optimized integration's result that Step Functions hands back as the
/// service's JSON answer itself rather than as the API's blob: `lambda:invoke`'s `Payload` is
/// the function's JSON result (any JSON), and so is `bedrock:invokeModel`'s `Body` (the
/// model's JSON answer). Through the AWS SDK integrations they stay what the model says.
fn any_json_member(op: OperationRef) -> Option<&'static str> {
    match (op.integration, op.service, op.operation) {
        (Integration::Optimized, "lambda", "Invoke") => Some("Payload"),
        (Integration::Optimized, "bedrock-runtime", "InvokeModel") => Some("Body"),
        _ => None,
    }
}

fn models() -> Option<&'static Models> {
    static MODELS: OnceLock<Option<Models>> = OnceLock::new();
    MODELS.get_or_init(|| Models::parse(ASSET)).as_ref()
}

/// All the services' models.
struct Models {
    botocore_version: String,
    services: HashMap<String, Service>,
}

/// One service: operation name → output shape name (none when the operation answers nothing),
/// and the shapes reachable from those outputs.
struct Service {
    operations: HashMap<String, Option<String>>,
    shapes: HashMap<String, Shape>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Structure,
    List,
    Map,
    String,
    Blob,
    Boolean,
    /// `integer` and `long`.
    Integer,
    /// `float` and `double`.
    Float,
    Timestamp,
    /// A type this code doesn't know: accepts anything.
    Other,
}

struct Member {
    /// The member's name as Step Functions' results spell it: botocore's name with its first
    /// letter upper-cased (botocore's stepfunctions model says `executionArn`, Step Functions'
    /// result says `ExecutionArn`, as the AWS SDK for Java serialises it).
    name: String,
    shape: String,
}

struct Shape {
    kind: Kind,
    members: Vec<Member>,
    /// Required members, named as in `Member::name`.
    required: Vec<String>,
    min: Option<f64>,
    max: Option<f64>,
    enum_values: Vec<String>,
    /// Element shape of a list, value shape of a map.
    element: Option<String>,
    /// Key shape of a map.
    key: Option<String>,
    /// A free-form JSON document: anything goes.
    document: bool,
    /// A union: exactly one member is meant to be set.
    union: bool,
}

impl Shape {
    fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// The asset's layout (see `scripts/gen-service-models.py`).
#[derive(Deserialize)]
struct RawModels {
    botocore_version: String,
    services: HashMap<String, RawService>,
}

#[derive(Deserialize)]
struct RawService {
    operations: HashMap<String, Option<String>>,
    shapes: HashMap<String, RawShape>,
}

#[derive(Deserialize)]
struct RawShape {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    members: BTreeMap<String, String>,
    #[serde(default)]
    required: Vec<String>,
    min: Option<f64>,
    max: Option<f64>,
    #[serde(default, rename = "enum")]
    enum_values: Vec<String>,
    member: Option<String>,
    key: Option<String>,
    value: Option<String>,
    #[serde(default)]
    document: bool,
    #[serde(default)]
    union: bool,
}

impl Models {
    fn parse(text: &str) -> Option<Models> {
        let raw: RawModels = serde_json::from_str(text).ok()?;
        let services = raw
            .services
            .into_iter()
            .map(|(name, service)| (name, Service::from_raw(service)))
            .collect();
        Some(Models {
            botocore_version: raw.botocore_version,
            services,
        })
    }
}

impl Service {
    fn from_raw(raw: RawService) -> Service {
        let shapes = raw
            .shapes
            .into_iter()
            .map(|(name, shape)| (name, Shape::from_raw(shape)))
            .collect();
        Service {
            operations: raw.operations,
            shapes,
        }
    }
}

impl Shape {
    fn from_raw(raw: RawShape) -> Shape {
        let kind = match raw.kind.as_str() {
            "structure" => Kind::Structure,
            "list" => Kind::List,
            "map" => Kind::Map,
            "string" => Kind::String,
            "blob" => Kind::Blob,
            "boolean" => Kind::Boolean,
            "integer" | "long" => Kind::Integer,
            "float" | "double" => Kind::Float,
            "timestamp" => Kind::Timestamp,
            _ => Kind::Other,
        };
        let members = raw
            .members
            .into_iter()
            .map(|(name, shape)| Member {
                name: capitalised(&name),
                shape,
            })
            .collect();
        Shape {
            kind,
            members,
            required: raw.required.iter().map(|name| capitalised(name)).collect(),
            min: raw.min,
            max: raw.max,
            enum_values: raw.enum_values,
            element: if kind == Kind::Map {
                raw.value
            } else {
                raw.member
            },
            key: raw.key,
            document: raw.document,
            union: raw.union,
        }
    }
}

/// `executionArn` → `ExecutionArn`.
fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
