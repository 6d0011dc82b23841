//! The type-specific parts of Pass, Task, Wait, Fail, Parallel and Map.

use super::StateMachine;
use super::fields::{Catcher, NumberField, Retrier, catchers, number_field, retriers, string};
use crate::asl::document::pointer;
use serde_json::{Map as JsonMap, Value};

pub(super) const TASK_FIELDS: [&str; 6] = [
    "Resource",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "Credentials",
];

pub(super) const MAP_FIELDS: [&str; 17] = [
    "ItemProcessor",
    "Iterator",
    "ItemsPath",
    "Items",
    "ItemSelector",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "Label",
    "ResultSelector",
    "ProcessorConfig",
];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pass {
    pub result: Option<Value>,
}

impl Pass {
    pub(super) fn from_object(object: &JsonMap<String, Value>) -> Pass {
        Pass {
            result: object.get("Result").cloned(),
        }
    }
}

/// `Credentials` of a Task: the role to assume (a literal, a path or a JSONata string).
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials(pub Value);

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub resource: String,
    pub timeout: Option<NumberField>,
    pub heartbeat: Option<NumberField>,
    pub credentials: Option<Credentials>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

impl Task {
    pub(super) fn from_object(object: &JsonMap<String, Value>, _pointer: &str) -> Task {
        Task {
            resource: string(object, "Resource").unwrap_or_default(),
            timeout: number_field(object, "TimeoutSeconds", "TimeoutSecondsPath"),
            heartbeat: number_field(object, "HeartbeatSeconds", "HeartbeatSecondsPath"),
            credentials: object.get("Credentials").cloned().map(Credentials),
            retry: retriers(object),
            catch: catchers(object),
        }
    }

    /// The integration pattern from the resource suffix.
    pub fn pattern(&self) -> IntegrationPattern {
        IntegrationPattern::of(&self.resource)
    }
}

/// How Step Functions waits for a service integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegrationPattern {
    RequestResponse,
    /// `.sync` / `.sync:2`: run a job and wait for it.
    Sync,
    /// `.waitForTaskToken`: pause until SendTaskSuccess/Failure with the token.
    WaitForTaskToken,
}

impl IntegrationPattern {
    pub fn of(resource: &str) -> IntegrationPattern {
        if resource.ends_with(".waitForTaskToken") {
            IntegrationPattern::WaitForTaskToken
        } else if resource.ends_with(".sync") || resource.contains(".sync:") {
            IntegrationPattern::Sync
        } else {
            IntegrationPattern::RequestResponse
        }
    }
}

/// The four forms of a Wait state.
#[derive(Debug, Clone, PartialEq)]
pub enum WaitFor {
    /// `Seconds` (a number or JSONata) or `SecondsPath`.
    Seconds(NumberField),
    /// `Timestamp`: an ISO-8601 literal, or a JSONata string.
    Timestamp(String),
    TimestampPath(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Wait {
    pub wait_for: Option<WaitFor>,
}

impl Wait {
    pub(super) fn from_object(object: &JsonMap<String, Value>) -> Wait {
        let wait_for = if let Some(seconds) = number_field(object, "Seconds", "SecondsPath") {
            Some(WaitFor::Seconds(seconds))
        } else if let Some(timestamp) = string(object, "Timestamp") {
            Some(WaitFor::Timestamp(timestamp))
        } else {
            string(object, "TimestampPath").map(WaitFor::TimestampPath)
        };
        Wait { wait_for }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fail {
    pub error: Option<String>,
    pub error_path: Option<String>,
    pub cause: Option<String>,
    pub cause_path: Option<String>,
}

impl Fail {
    pub(super) fn from_object(object: &JsonMap<String, Value>) -> Fail {
        Fail {
            error: string(object, "Error"),
            error_path: string(object, "ErrorPath"),
            cause: string(object, "Cause"),
            cause_path: string(object, "CausePath"),
        }
    }
}

/// One branch of a Parallel state.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub machine: StateMachine,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parallel {
    pub branches: Vec<Branch>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

impl Parallel {
    pub(super) fn from_object(object: &JsonMap<String, Value>, state_pointer: &str) -> Parallel {
        let branches_pointer = pointer::join(state_pointer, "Branches");
        let branches = object
            .get("Branches")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, branch)| {
                        StateMachine::at(branch, pointer::join(&branches_pointer, &i.to_string()))
                            .ok()
                            .map(|machine| Branch { machine })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Parallel {
            branches,
            retry: retriers(object),
            catch: catchers(object),
        }
    }
}

/// `ProcessorConfig.Mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MapMode {
    #[default]
    Inline,
    Distributed,
}

/// The item processor (or legacy `Iterator`) of a Map state.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemProcessor {
    pub machine: StateMachine,
    pub mode: MapMode,
    /// `ProcessorConfig.ExecutionType` of a distributed map (STANDARD / EXPRESS).
    pub execution_type: Option<String>,
    /// Written with the legacy `Iterator` field.
    pub legacy_iterator: bool,
}

/// `ItemBatcher` limits (each may come from a path or JSONata).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemBatcher {
    pub max_items_per_batch: Option<NumberField>,
    pub max_input_bytes_per_batch: Option<NumberField>,
    pub batch_input: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    pub processor: Option<ItemProcessor>,
    /// `ItemsPath`; `Some(None)` is an explicit `null`.
    pub items_path: Option<Option<String>>,
    /// JSONata `Items` (an array or an expression).
    pub items: Option<Value>,
    /// `ItemSelector`, or the legacy `Parameters` of a Map.
    pub item_selector: Option<Value>,
    pub item_reader: Option<Value>,
    pub item_batcher: Option<ItemBatcher>,
    pub result_writer: Option<Value>,
    pub max_concurrency: Option<NumberField>,
    pub tolerated_failure_percentage: Option<NumberField>,
    pub tolerated_failure_count: Option<NumberField>,
    pub label: Option<String>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

impl Map {
    pub(super) fn from_object(object: &JsonMap<String, Value>, state_pointer: &str) -> Map {
        let (processor_key, legacy) = if object.contains_key("ItemProcessor") {
            ("ItemProcessor", false)
        } else {
            ("Iterator", true)
        };
        let processor = object.get(processor_key).and_then(|value| {
            let machine =
                StateMachine::at(value, pointer::join(state_pointer, processor_key)).ok()?;
            let config = value.get("ProcessorConfig");
            let mode = match config.and_then(|c| c.get("Mode")).and_then(Value::as_str) {
                Some("DISTRIBUTED") => MapMode::Distributed,
                _ => MapMode::Inline,
            };
            Some(ItemProcessor {
                machine,
                mode,
                execution_type: config
                    .and_then(|c| c.get("ExecutionType"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
                legacy_iterator: legacy,
            })
        });
        let item_batcher = object
            .get("ItemBatcher")
            .and_then(Value::as_object)
            .map(|b| ItemBatcher {
                max_items_per_batch: number_field(b, "MaxItemsPerBatch", "MaxItemsPerBatchPath"),
                max_input_bytes_per_batch: number_field(
                    b,
                    "MaxInputBytesPerBatch",
                    "MaxInputBytesPerBatchPath",
                ),
                batch_input: b.get("BatchInput").cloned(),
            });
        Map {
            processor,
            items_path: super::fields::nullable_string(object, "ItemsPath"),
            items: object.get("Items").cloned(),
            item_selector: object
                .get("ItemSelector")
                .or_else(|| object.get("Parameters"))
                .cloned(),
            item_reader: object.get("ItemReader").cloned(),
            item_batcher,
            result_writer: object.get("ResultWriter").cloned(),
            max_concurrency: number_field(object, "MaxConcurrency", "MaxConcurrencyPath"),
            tolerated_failure_percentage: number_field(
                object,
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
            ),
            tolerated_failure_count: number_field(
                object,
                "ToleratedFailureCount",
                "ToleratedFailureCountPath",
            ),
            label: string(object, "Label"),
            retry: retriers(object),
            catch: catchers(object),
        }
    }

    pub fn mode(&self) -> MapMode {
        self.processor.as_ref().map(|p| p.mode).unwrap_or_default()
    }
}
