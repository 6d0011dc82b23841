//! Map states: item source, processor, batching, concurrency and tolerated failures.

use super::expressions::PathKind;
use super::machine::Level;
use super::{Anchor, Code, Validator};
use crate::asl::document::pointer;
use crate::asl::model::QueryLanguage;
use serde_json::{Map as JsonMap, Value};

/// Fields only a Distributed Map accepts.
const DISTRIBUTED_ONLY: [&str; 8] = [
    "Label",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
];

impl Validator<'_> {
    pub(super) fn check_map(
        &mut self,
        object: &JsonMap<String, Value>,
        at: &str,
        language: QueryLanguage,
    ) {
        let mode = self.check_processor(object, at);
        let distributed = mode == Some(true);
        if object.contains_key("ItemsPath") && object.contains_key("Items") {
            self.error(
                &pointer::join(at, "Items"),
                Anchor::Key,
                Code::MutuallyExclusive,
                "Items and ItemsPath cannot be used together",
            );
        }
        if object.contains_key("ItemSelector") && object.contains_key("Parameters") {
            self.error(
                &pointer::join(at, "Parameters"),
                Anchor::Key,
                Code::MutuallyExclusive,
                "ItemSelector replaces the legacy Parameters of a Map: use one of them",
            );
        }
        if let Some(items_path) = object.get("ItemsPath") {
            self.expect_path(
                items_path,
                &pointer::join(at, "ItemsPath"),
                "ItemsPath",
                PathKind::Reference,
            );
        }
        if let Some(items) = object.get("Items") {
            let items_at = pointer::join(at, "Items");
            match items {
                Value::Array(_) => self.check_expressions(items, &items_at, language),
                Value::String(s) if super::expressions::is_jsonata(s) => {
                    self.check_expressions(items, &items_at, language)
                }
                _ => self.error(
                    &items_at,
                    Anchor::Value,
                    Code::WrongType,
                    "Items must be an array or a {% %} JSONata expression",
                ),
            }
        }
        if let Some(selector) = object.get("ItemSelector") {
            let selector_at = pointer::join(at, "ItemSelector");
            match language {
                QueryLanguage::JsonPath => {
                    self.check_payload_template(selector, &selector_at, language)
                }
                QueryLanguage::Jsonata => self.check_expressions(selector, &selector_at, language),
            }
        }
        self.check_static_or_path(object, at, "MaxConcurrency", language, 0, 99_999_999);
        self.check_tolerated_failures(object, at, language);
        if !distributed {
            for field in DISTRIBUTED_ONLY
                .into_iter()
                .filter(|f| object.contains_key(*f))
            {
                let message = format!(
                    "{field} needs a Distributed Map: set ItemProcessor.ProcessorConfig.Mode to \"DISTRIBUTED\""
                );
                // An explicit INLINE mode is a contradiction; no mode at all is only unclear.
                if mode == Some(false) {
                    self.error(
                        &pointer::join(at, field),
                        Anchor::Key,
                        Code::DistributedOnly,
                        message,
                    );
                } else {
                    self.warning(
                        &pointer::join(at, field),
                        Anchor::Key,
                        Code::DistributedOnly,
                        message,
                    );
                }
            }
        }
        if let Some(label) = object.get("Label") {
            self.check_label(label, &pointer::join(at, "Label"));
        }
        if let Some(reader) = object.get("ItemReader") {
            self.check_resource_block(
                reader,
                &pointer::join(at, "ItemReader"),
                "ItemReader",
                &["Resource", "ReaderConfig", "Parameters", "Arguments"],
                language,
            );
        }
        if let Some(writer) = object.get("ResultWriter") {
            self.check_resource_block(
                writer,
                &pointer::join(at, "ResultWriter"),
                "ResultWriter",
                &["Resource", "Parameters", "Arguments", "WriterConfig"],
                language,
            );
        }
        if let Some(batcher) = object.get("ItemBatcher") {
            self.check_batcher(batcher, &pointer::join(at, "ItemBatcher"), language);
        }
    }

    /// Checks ItemProcessor / Iterator; returns the declared mode (Some(true) = DISTRIBUTED).
    fn check_processor(&mut self, object: &JsonMap<String, Value>, at: &str) -> Option<bool> {
        let (key, processor) = match (object.get("ItemProcessor"), object.get("Iterator")) {
            (Some(_), Some(_)) => {
                self.error(
                    &pointer::join(at, "Iterator"),
                    Anchor::Key,
                    Code::MutuallyExclusive,
                    "use ItemProcessor or the legacy Iterator, not both",
                );
                return None;
            }
            (Some(p), None) => ("ItemProcessor", p),
            (None, Some(p)) => ("Iterator", p),
            (None, None) => {
                self.error(
                    at,
                    Anchor::Key,
                    Code::MissingField,
                    "a Map state needs an ItemProcessor",
                );
                return None;
            }
        };
        let processor_at = pointer::join(at, key);
        let Some(processor) = processor.as_object() else {
            self.error(
                &processor_at,
                Anchor::Value,
                Code::WrongType,
                format!("{key} must be an object with StartAt and States"),
            );
            return None;
        };
        self.check_machine(processor, &processor_at, Level::Processor);
        let config = processor.get("ProcessorConfig")?;
        let config_at = pointer::join(&processor_at, "ProcessorConfig");
        let Some(config) = config.as_object() else {
            self.error(
                &config_at,
                Anchor::Value,
                Code::WrongType,
                "ProcessorConfig must be an object",
            );
            return None;
        };
        self.check_known_fields(
            config,
            &config_at,
            &["Mode", "ExecutionType"],
            "ProcessorConfig",
        );
        let declared = config.get("Mode").map(|mode| match mode.as_str() {
            Some("INLINE") => false,
            Some("DISTRIBUTED") => true,
            _ => {
                self.error(
                    &pointer::join(&config_at, "Mode"),
                    Anchor::Value,
                    Code::InvalidValue,
                    "Mode must be \"INLINE\" or \"DISTRIBUTED\"",
                );
                false
            }
        });
        let distributed = declared == Some(true);
        match config.get("ExecutionType") {
            Some(Value::String(t))
                if matches!(t.as_str(), "STANDARD" | "EXPRESS") && !distributed =>
            {
                self.warning(
                    &pointer::join(&config_at, "ExecutionType"),
                    Anchor::Key,
                    Code::DistributedOnly,
                    "ExecutionType applies to a Distributed Map only; an inline Map ignores it",
                )
            }
            Some(Value::String(t)) if matches!(t.as_str(), "STANDARD" | "EXPRESS") => {}
            Some(_) => self.error(
                &pointer::join(&config_at, "ExecutionType"),
                Anchor::Value,
                Code::InvalidValue,
                "ExecutionType must be \"STANDARD\" or \"EXPRESS\"",
            ),
            None if distributed => self.error(
                &config_at,
                Anchor::Value,
                Code::MissingField,
                "a Distributed Map needs ExecutionType (\"STANDARD\" or \"EXPRESS\")",
            ),
            None => {}
        }
        declared
    }

    fn check_tolerated_failures(
        &mut self,
        object: &JsonMap<String, Value>,
        at: &str,
        language: QueryLanguage,
    ) {
        self.check_static_or_path(object, at, "ToleratedFailureCount", language, 0, 99_999_999);
        let field = "ToleratedFailurePercentage";
        if object.contains_key(field) && object.contains_key("ToleratedFailurePercentagePath") {
            self.error(
                &pointer::join(at, "ToleratedFailurePercentagePath"),
                Anchor::Key,
                Code::MutuallyExclusive,
                "use ToleratedFailurePercentage or ToleratedFailurePercentagePath, not both",
            );
        }
        if let Some(value) = object.get(field) {
            let value_at = pointer::join(at, field);
            match value {
                Value::Number(n) => match n.as_f64() {
                    Some(p) if (0.0..=100.0).contains(&p) => {}
                    _ => self.error(
                        &value_at,
                        Anchor::Value,
                        Code::OutOfRange,
                        format!("{field} must be between 0 and 100, not {n}"),
                    ),
                },
                _ => self.check_number_or_expression(value, &value_at, field, language, 0, 100),
            }
        }
        if let Some(path) = object.get("ToleratedFailurePercentagePath") {
            self.expect_path(
                path,
                &pointer::join(at, "ToleratedFailurePercentagePath"),
                "ToleratedFailurePercentagePath",
                PathKind::Reference,
            );
        }
    }

    fn check_label(&mut self, label: &Value, at: &str) {
        let Some(text) = label.as_str() else {
            self.error(at, Anchor::Value, Code::WrongType, "Label must be a string");
            return;
        };
        let length = text.chars().count();
        if length > 40 {
            self.error(
                at,
                Anchor::Value,
                Code::OutOfRange,
                format!("Label can have at most 40 characters; this one has {length}"),
            );
        }
        if let Some(bad) = text.chars().find(|c| {
            c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(*c)
        }) {
            self.error(at, Anchor::Value, Code::InvalidName, format!("Label cannot contain '{bad}' (no whitespace, brackets, wildcards or punctuation)"));
        }
    }

    fn check_resource_block(
        &mut self,
        value: &Value,
        at: &str,
        what: &str,
        allowed: &[&str],
        language: QueryLanguage,
    ) {
        let Some(object) = value.as_object() else {
            self.error(
                at,
                Anchor::Value,
                Code::WrongType,
                format!("{what} must be an object"),
            );
            return;
        };
        self.check_known_fields(object, at, allowed, what);
        match object.get("Resource") {
            Some(Value::String(resource)) => {
                self.check_resource(resource, &pointer::join(at, "Resource"))
            }
            Some(_) => self.error(
                &pointer::join(at, "Resource"),
                Anchor::Value,
                Code::WrongType,
                "Resource must be a string (an ARN)",
            ),
            None if what == "ItemReader"
                || object.contains_key("Parameters")
                || object.contains_key("Arguments") =>
            {
                self.error(
                    at,
                    Anchor::Value,
                    Code::MissingField,
                    format!("{what} needs a Resource"),
                );
            }
            None => {}
        }
        self.check_parameters_or_arguments(object, at, language);
        for config in ["ReaderConfig", "WriterConfig"] {
            if let Some(value) = object.get(config) {
                self.check_expressions(value, &pointer::join(at, config), language);
            }
        }
    }

    fn check_parameters_or_arguments(
        &mut self,
        object: &JsonMap<String, Value>,
        at: &str,
        language: QueryLanguage,
    ) {
        match language {
            QueryLanguage::JsonPath => {
                if let Some(parameters) = object.get("Parameters") {
                    self.check_payload_template(
                        parameters,
                        &pointer::join(at, "Parameters"),
                        language,
                    );
                }
                if object.contains_key("Arguments") {
                    self.error(&pointer::join(at, "Arguments"), Anchor::Key, Code::FieldNotAllowed, "\"Arguments\" is a JSONata field; this state uses JSONPath (use Parameters)");
                }
            }
            QueryLanguage::Jsonata => {
                if let Some(arguments) = object.get("Arguments") {
                    self.check_expressions(arguments, &pointer::join(at, "Arguments"), language);
                }
                if object.contains_key("Parameters") {
                    self.error(&pointer::join(at, "Parameters"), Anchor::Key, Code::FieldNotAllowed, "\"Parameters\" is a JSONPath field, but this state uses JSONata (use Arguments)");
                }
            }
        }
    }

    fn check_batcher(&mut self, value: &Value, at: &str, language: QueryLanguage) {
        let Some(object) = value.as_object() else {
            self.error(
                at,
                Anchor::Value,
                Code::WrongType,
                "ItemBatcher must be an object",
            );
            return;
        };
        self.check_known_fields(
            object,
            at,
            &[
                "MaxItemsPerBatch",
                "MaxItemsPerBatchPath",
                "MaxInputBytesPerBatch",
                "MaxInputBytesPerBatchPath",
                "BatchInput",
            ],
            "ItemBatcher",
        );
        self.check_static_or_path(object, at, "MaxItemsPerBatch", language, 1, 99_999_999);
        self.check_static_or_path(object, at, "MaxInputBytesPerBatch", language, 1, 262_144);
        if ![
            "MaxItemsPerBatch",
            "MaxItemsPerBatchPath",
            "MaxInputBytesPerBatch",
            "MaxInputBytesPerBatchPath",
        ]
        .iter()
        .any(|k| object.contains_key(*k))
        {
            self.error(
                at,
                Anchor::Value,
                Code::MissingField,
                "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (or their Path forms)",
            );
        }
        if let Some(batch_input) = object.get("BatchInput") {
            let batch_at = pointer::join(at, "BatchInput");
            match language {
                QueryLanguage::JsonPath => {
                    self.check_payload_template(batch_input, &batch_at, language)
                }
                QueryLanguage::Jsonata => self.check_expressions(batch_input, &batch_at, language),
            }
        }
    }
}
