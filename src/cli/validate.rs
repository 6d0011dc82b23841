//! `asl-studio validate FILE... [--format text|json] [--type standard|express]`

use super::{EXIT_FAILED, EXIT_USAGE, OutputFormat, display_path, read_input};
use crate::asl::document::Format;
use crate::asl::validate::{self, Diagnostic, Options, Severity, WorkflowType};
use clap::{Args, ValueEnum};
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
        reports.push(FileReport {
            file: display_path(path),
            diagnostics: validate::validate_text(&text, Format::from_path(path), &options),
        });
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
        "{} file{} checked: {} valid, {} invalid ({} error{}, {} warning{})",
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
