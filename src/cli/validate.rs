//! `asl-studio validate FILE... [--format text|json] [--type standard|express]`

use super::{EXIT_FAILED, EXIT_USAGE, OutputFormat, display_path, read_input};
use crate::asl::document::{Document, Format, pointer};
use crate::asl::validate::{self, Code, Diagnostic, Options, Severity, WorkflowType};
use crate::export::find_state_machines;
use clap::{Args, ValueEnum};
use serde_json::Value;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Definition files (`-` reads standard input as JSON).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    /// Workflow type the definition is deployed as (Express rejects .sync, .waitForTaskToken, activities).
    #[arg(long = "type", value_enum)]
    pub workflow_type: Option<TypeArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TypeArg {
    Standard,
    Express,
}

struct FileReport {
    file: String,
    diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    fn valid(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

pub fn run(args: &ValidateArgs) -> ExitCode {
    let options = Options {
        workflow_type: args.workflow_type.map(|t| match t {
            TypeArg::Standard => WorkflowType::Standard,
            TypeArg::Express => WorkflowType::Express,
        }),
    };
    let mut reports = Vec::new();
    for path in &args.files {
        let text = match read_input(path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("asl-studio: {error:#}");
                return ExitCode::from(EXIT_USAGE);
            }
        };
        reports.extend(check_file(path, &text, &options));
    }
    match args.format {
        OutputFormat::Text => print_text(&reports),
        OutputFormat::Json => print_json(&reports),
    }
    if reports.iter().all(FileReport::valid) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    }
}

/// A definition file, or each state machine of a SAM / CloudFormation template.
fn check_file(path: &std::path::Path, text: &str, options: &Options) -> Vec<FileReport> {
    let format = Format::from_path(path);
    let file = display_path(path);
    let Ok(doc) = Document::parse(text, format) else {
        return vec![FileReport {
            file,
            diagnostics: validate::validate_text(text, format, options),
        }];
    };
    let value = doc.value();
    let is_template = value.get("States").is_none()
        && ["Resources", "AWSTemplateFormatVersion", "Transform"]
            .iter()
            .any(|k| value.get(*k).is_some());
    if !is_template {
        return vec![FileReport {
            file,
            diagnostics: validate::validate(&doc, options),
        }];
    }
    template_reports(path, &doc, text, options)
}

/// Validates the state machines of a template, with positions in the template where the
/// definition is inline.
fn template_reports(
    path: &std::path::Path,
    doc: &Document,
    text: &str,
    options: &Options,
) -> Vec<FileReport> {
    let file = display_path(path);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let machines = match find_state_machines(text, doc.format(), dir) {
        Ok(machines) => machines,
        Err(error) => {
            return vec![FileReport {
                file,
                diagnostics: vec![note(
                    doc,
                    "",
                    Severity::Error,
                    Code::Syntax,
                    error.to_string(),
                )],
            }];
        }
    };
    if machines.is_empty() {
        let message = "this template has no AWS::Serverless::StateMachine or AWS::StepFunctions::StateMachine resource".to_string();
        return vec![FileReport {
            file,
            diagnostics: vec![note(
                doc,
                "/Resources",
                Severity::Warning,
                Code::MissingField,
                message,
            )],
        }];
    }
    let mut reports = Vec::new();
    for machine in machines {
        let resource = format!("/Resources/{}", pointer::escape(&machine.logical_id));
        let options = Options {
            workflow_type: options
                .workflow_type
                .or(Some(machine.settings.workflow_type)),
        };
        let inline = format!("{resource}/Properties/Definition");
        let mut diagnostics = if let (true, Some(definition)) = (
            doc.value().pointer(&inline).is_some_and(Value::is_object),
            &machine.definition,
        ) {
            // CloudFormation functions in the definition are `${...}` placeholders here.
            validate::validate_embedded(doc, &inline, definition, &options)
        } else if let Some(file) = &machine.definition_path {
            match std::fs::read_to_string(file) {
                Ok(text) => {
                    reports.push(FileReport {
                        file: file.display().to_string(),
                        diagnostics: validate::validate_text(
                            &text,
                            Format::from_path(file),
                            &options,
                        ),
                    });
                    continue;
                }
                Err(error) => vec![note(
                    doc,
                    &resource,
                    Severity::Error,
                    Code::Syntax,
                    format!("cannot read {}: {error}", file.display()),
                )],
            }
        } else if let Some(definition) = &machine.definition {
            // DefinitionString: checked as its own text, reported at the resource.
            let text = serde_json::to_string_pretty(definition).unwrap_or_default();
            validate::validate_text(&text, Format::Json, &options)
                .into_iter()
                .map(|d| note(doc, &resource, d.severity, d.code, d.message))
                .collect()
        } else {
            let why = if machine.notes.is_empty() {
                "its definition is not available locally".to_string()
            } else {
                machine.notes.join("; ")
            };
            vec![note(
                doc,
                &resource,
                Severity::Warning,
                Code::MissingField,
                why,
            )]
        };
        for diagnostic in &mut diagnostics {
            diagnostic.message = format!("[{}] {}", machine.logical_id, diagnostic.message);
        }
        reports.push(FileReport {
            file: file.clone(),
            diagnostics,
        });
    }
    reports
}

/// A diagnostic placed at a pointer of the document.
fn note(doc: &Document, at: &str, severity: Severity, code: Code, message: String) -> Diagnostic {
    let span = doc
        .key_span_of(at)
        .or_else(|| doc.span_of(at))
        .unwrap_or_default();
    let position = doc.position(span.start);
    Diagnostic {
        severity,
        code,
        message,
        pointer: at.to_string(),
        span,
        line: position.line,
        column: position.column,
    }
}

fn print_text(reports: &[FileReport]) {
    let (mut errors, mut warnings) = (0, 0);
    for report in reports {
        for d in &report.diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Information => {}
            }
            println!(
                "{}:{}:{}: {}[{}]: {}",
                report.file,
                d.line,
                d.column,
                d.severity.as_str(),
                d.code.as_str(),
                d.message
            );
        }
    }
    let invalid = reports.iter().filter(|r| !r.valid()).count();
    eprintln!(
        "{} definition{} checked: {} valid, {} invalid ({} error{}, {} warning{})",
        reports.len(),
        plural(reports.len()),
        reports.len() - invalid,
        invalid,
        errors,
        plural(errors),
        warnings,
        plural(warnings)
    );
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn print_json(reports: &[FileReport]) {
    let out: Vec<_> = reports
        .iter()
        .map(|r| {
            json!({
                "file": r.file,
                "valid": r.valid(),
                "diagnostics": r.diagnostics.iter().map(|d| json!({
                    "severity": d.severity.as_str(),
                    "code": d.code.as_str(),
                    "message": d.message,
                    "pointer": d.pointer,
                    "line": d.line,
                    "column": d.column,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
}
