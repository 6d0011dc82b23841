//! Exports of a definition (ASL JSON / YAML, SAM, CloudFormation), the import of state machines
//! from templates, the deployment-settings sidecar, and atomic file writes. No UI here.
//!
//! SAM and CloudFormation exports are YAML templates with short intrinsic tags; they read back
//! through the core's YAML parser and [`find_state_machines`] returns the same definition and
//! settings (see `REPORT.md` for the conventions).

mod atomic;
mod cloudformation;
mod import;
pub mod intrinsic;
mod parameterize;
mod policies;
mod sam;
pub mod settings;
mod template;
mod yaml;

#[cfg(test)]
mod roundtrip_tests;

pub use atomic::atomic_write;
pub use import::{FoundStateMachine, StateMachineKind, find_state_machines};
pub use parameterize::{Parameterized, name_for_arn, parameterize_arns};
pub use settings::{
    BreakpointSettings, DeploymentSettings, LogLevel, LoggingSettings, SettingsError,
};
pub use template::GENERATED_BY;

use crate::asl::document::{ParseError, to_json_pretty, to_yaml};
use serde_json::Value;
use std::path::PathBuf;

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// The ASL alone, two-space JSON like the AWS console.
    Json,
    /// The ASL alone, block YAML.
    Yaml,
    /// A SAM template with an `AWS::Serverless::StateMachine`.
    Sam,
    /// A CloudFormation template with an `AWS::StepFunctions::StateMachine`.
    CloudFormation,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::Json,
        ExportFormat::Yaml,
        ExportFormat::Sam,
        ExportFormat::CloudFormation,
    ];

    /// For menus.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Json => "ASL (JSON)",
            ExportFormat::Yaml => "ASL (YAML)",
            ExportFormat::Sam => "SAM template",
            ExportFormat::CloudFormation => "CloudFormation template",
        }
    }

    /// The usual file name ending, without the leading dot.
    pub fn file_extension(self) -> &'static str {
        match self {
            ExportFormat::Json => "asl.json",
            ExportFormat::Yaml => "asl.yaml",
            ExportFormat::Sam | ExportFormat::CloudFormation => "template.yaml",
        }
    }
}

/// How `export` writes the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// The state machine's logical ID in the template (letters and digits).
    pub logical_id: String,
    /// Reference the definition file (`DefinitionUri` / `DefinitionS3Location`) instead of
    /// inlining it; `s3://bucket/key` or a local path for `sam package` / `cloudformation package`.
    pub definition_uri: Option<String>,
    /// Replace literal ARNs by `${Name}` placeholders filled through DefinitionSubstitutions.
    pub parameterize_arns: bool,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            logical_id: "StateMachine".to_string(),
            definition_uri: None,
            parameterize_arns: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {source}", path.display())]
    Settings {
        path: PathBuf,
        #[source]
        source: SettingsError,
    },
    #[error("the template is not valid {format}: {source}")]
    TemplateSyntax {
        format: &'static str,
        #[source]
        source: ParseError,
    },
    #[error("not a SAM or CloudFormation template: {0}")]
    NotATemplate(String),
    #[error("\"{0}\" is not a valid logical ID: use 1 to 255 letters and digits")]
    InvalidLogicalId(String),
    #[error("the definition must be a JSON object")]
    DefinitionNotObject,
}

/// The definition in `format`. JSON and YAML are the ASL alone (parameterized when asked: the
/// placeholder names match the ones a SAM / CloudFormation export of the same inputs declares).
pub fn export(
    definition: &Value,
    settings: &DeploymentSettings,
    format: ExportFormat,
    options: &ExportOptions,
) -> Result<String, ExportError> {
    if !definition.is_object() {
        return Err(ExportError::DefinitionNotObject);
    }
    let prepared = template::prepare(definition, settings, options);
    Ok(match format {
        ExportFormat::Json => {
            let mut text = to_json_pretty(&prepared.definition, "  ");
            text.push('\n');
            text
        }
        ExportFormat::Yaml => to_yaml(&prepared.definition),
        ExportFormat::Sam => {
            template::check_logical_id(&options.logical_id)?;
            sam::template(&prepared, settings, options)
        }
        ExportFormat::CloudFormation => {
            template::check_logical_id(&options.logical_id)?;
            cloudformation::template(&prepared, settings, options)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::document::{Document, Format};
    use serde_json::json;

    fn definition() -> Value {
        json!({"Comment": "Hello", "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}})
    }

    #[test]
    fn writes_the_asl_alone_in_json_and_yaml() {
        let settings = DeploymentSettings::default();
        let options = ExportOptions::default();
        let json_text = export(&definition(), &settings, ExportFormat::Json, &options).unwrap();
        assert!(json_text.starts_with("{\n  \"Comment\": \"Hello\",\n  \"StartAt\": \"A\""));
        assert!(json_text.ends_with("}\n"));
        let yaml_text = export(&definition(), &settings, ExportFormat::Yaml, &options).unwrap();
        assert!(
            yaml_text.starts_with("Comment: Hello\nStartAt: A\nStates:\n  A:\n"),
            "{yaml_text}"
        );
        let doc = Document::parse(yaml_text, Format::Yaml).unwrap();
        assert_eq!(doc.value(), &definition());
    }

    #[test]
    fn refuses_bad_inputs() {
        let settings = DeploymentSettings::default();
        let bad_id = ExportOptions {
            logical_id: "my-machine".into(),
            ..Default::default()
        };
        let error = export(&definition(), &settings, ExportFormat::Sam, &bad_id).unwrap_err();
        assert!(matches!(error, ExportError::InvalidLogicalId(_)));
        assert!(error.to_string().contains("my-machine"));
        // The ASL alone does not need a logical ID.
        assert!(export(&definition(), &settings, ExportFormat::Json, &bad_id).is_ok());
        let error = export(
            &json!([]),
            &settings,
            ExportFormat::Json,
            &ExportOptions::default(),
        );
        assert!(matches!(error, Err(ExportError::DefinitionNotObject)));
    }

    #[test]
    fn unfilled_placeholders_become_template_parameters() {
        let definition = json!({"StartAt": "A", "States": {"A": {"Type": "Task",
            "Resource": "${WorkerArn}", "End": true}}});
        let options = ExportOptions {
            logical_id: "Flow".into(),
            ..Default::default()
        };
        let settings = DeploymentSettings::default();
        let text = export(&definition, &settings, ExportFormat::Sam, &options).unwrap();
        assert!(
            text.contains("\nParameters:\n  WorkerArn:\n    Type: String\n"),
            "{text}"
        );
        assert!(
            text.contains("        WorkerArn: !Ref WorkerArn\n"),
            "{text}"
        );
        assert!(text.starts_with("# Exported by ASL Studio.\n# ${WorkerArn} has no value"));
        let found = find_state_machines(&text, Format::Yaml, None).unwrap();
        assert_eq!(
            found[0].settings.definition_substitutions["WorkerArn"],
            "${WorkerArn}"
        );
    }

    #[test]
    fn references_definition_files_on_s3() {
        let options = ExportOptions {
            logical_id: "Flow".into(),
            definition_uri: Some("s3://assets/flows/flow.asl.json".into()),
            parameterize_arns: false,
        };
        let settings = DeploymentSettings::default();
        for format in [ExportFormat::Sam, ExportFormat::CloudFormation] {
            let text = export(&definition(), &settings, format, &options).unwrap();
            assert!(!text.contains("StartAt"), "{text}");
            let found = find_state_machines(&text, Format::Yaml, None).unwrap();
            assert_eq!(
                found[0].definition_uri.as_deref(),
                Some("s3://assets/flows/flow.asl.json")
            );
            assert_eq!(found[0].definition, None);
        }
    }

    #[test]
    fn describes_formats() {
        assert_eq!(ExportFormat::ALL.len(), 4);
        assert_eq!(ExportFormat::Sam.file_extension(), "template.yaml");
        assert_eq!(
            ExportFormat::CloudFormation.label(),
            "CloudFormation template"
        );
    }
}
