//! `asl-studio export DEFINITION --to json|yaml|sam|cloudformation [--settings FILE]
//! [--logical-id ID] [--definition-uri URI] [--parameterize-arns] [-o FILE]`
//!
//! Exit codes: 0 exported, 1 the definition has errors (printed like `validate` does),
//! 2 usage or I/O error.

use crate::asl::document::{Document, Format};
use crate::asl::validate::{Diagnostic, Options, Severity, validate_text};
use crate::cli::{EXIT_FAILED, EXIT_USAGE, display_path, read_input};
use crate::export::{DeploymentSettings, ExportFormat, ExportOptions, atomic_write, export};
use anyhow::Context;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The definition (*.asl.json, *.asl.yaml; `-` reads JSON from standard input).
    pub definition: PathBuf,
    /// What to write.
    #[arg(long = "to", value_enum)]
    pub to: ExportTarget,
    /// Deployment settings JSON (default: the definition's sidecar, `<name>.studio.json`).
    #[arg(long)]
    pub settings: Option<PathBuf>,
    /// Logical ID of the state machine in the template (default: from the file name).
    #[arg(long)]
    pub logical_id: Option<String>,
    /// Reference the definition file (DefinitionUri / DefinitionS3Location) instead of inlining it.
    #[arg(long)]
    pub definition_uri: Option<String>,
    /// Replace literal ARNs by ${Name} placeholders filled by DefinitionSubstitutions.
    #[arg(long)]
    pub parameterize_arns: bool,
    /// Write here (atomically) instead of standard output.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTarget {
    Json,
    Yaml,
    Sam,
    #[value(name = "cloudformation", alias = "cfn")]
    CloudFormation,
}

impl From<ExportTarget> for ExportFormat {
    fn from(target: ExportTarget) -> Self {
        match target {
            ExportTarget::Json => ExportFormat::Json,
            ExportTarget::Yaml => ExportFormat::Yaml,
            ExportTarget::Sam => ExportFormat::Sam,
            ExportTarget::CloudFormation => ExportFormat::CloudFormation,
        }
    }
}

/// Why the command stopped.
enum Failure {
    /// The definition has errors (already printed).
    Invalid,
    Usage(anyhow::Error),
}

pub fn run(args: &ExportArgs) -> ExitCode {
    match try_run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid) => ExitCode::from(EXIT_FAILED),
        Err(Failure::Usage(error)) => {
            eprintln!("asl-studio: {error:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn try_run(args: &ExportArgs) -> Result<(), Failure> {
    let is_stdin = args.definition.as_os_str() == "-";
    let text = read_input(&args.definition).map_err(Failure::Usage)?;
    let settings = load_settings(args, is_stdin).map_err(Failure::Usage)?;
    let format = Format::from_path(&args.definition);
    let options = Options {
        workflow_type: Some(settings.workflow_type),
    };
    let diagnostics = validate_text(&text, format, &options);
    if diagnostics.iter().any(Diagnostic::is_error) {
        print_diagnostics(&display_path(&args.definition), &diagnostics);
        return Err(Failure::Invalid);
    }
    let document = Document::parse(text, format)
        .map_err(|e| Failure::Usage(anyhow::anyhow!("{}: {e}", display_path(&args.definition))))?;
    let export_options = ExportOptions {
        logical_id: args
            .logical_id
            .clone()
            .unwrap_or_else(|| default_logical_id(&args.definition)),
        definition_uri: args.definition_uri.clone(),
        parameterize_arns: args.parameterize_arns,
    };
    let output = export(document.value(), &settings, args.to.into(), &export_options)
        .map_err(|e| Failure::Usage(e.into()))?;
    match &args.output {
        Some(path) => atomic_write(path, output.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))
            .map_err(Failure::Usage),
        None => {
            print!("{output}");
            Ok(())
        }
    }
}

/// `--settings FILE`, else the sidecar when there is one, else the defaults.
fn load_settings(args: &ExportArgs, is_stdin: bool) -> anyhow::Result<DeploymentSettings> {
    if let Some(path) = &args.settings {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        return DeploymentSettings::from_json(&text)
            .with_context(|| format!("{} is not valid deployment settings", path.display()));
    }
    if is_stdin {
        return Ok(DeploymentSettings::default());
    }
    Ok(DeploymentSettings::load(&args.definition)?.unwrap_or_default())
}

/// `order-processing.asl.json` → `OrderProcessing`; `StateMachine` when nothing usable is left.
fn default_logical_id(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let id: String = stem
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    if id.starts_with(|c: char| c.is_ascii_alphabetic()) && id.len() <= 255 {
        id
    } else {
        "StateMachine".to_string()
    }
}

fn print_diagnostics(file: &str, diagnostics: &[Diagnostic]) {
    for d in diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Information)
    {
        eprintln!(
            "{file}:{}:{}: {}[{}]: {}",
            d.line,
            d.column,
            d.severity.as_str(),
            d.code.as_str(),
            d.message
        );
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "asl-studio: {file} has {errors} error{}: not exported",
        if errors == 1 { "" } else { "s" }
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::find_state_machines;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct TestCli {
        #[command(flatten)]
        args: ExportArgs,
    }

    fn parse(argv: &[&str]) -> ExportArgs {
        let mut all = vec!["asl-studio-export"];
        all.extend_from_slice(argv);
        TestCli::try_parse_from(all).unwrap().args
    }

    const VALID: &str = r#"{"Comment": "x", "StartAt": "Work", "States": {"Work": {"Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Work", "End": true}}}"#;

    #[test]
    fn parses_the_documented_command_line() {
        let args = parse(&[
            "flow.asl.json",
            "--to",
            "cloudformation",
            "--settings",
            "s.json",
            "--logical-id",
            "Flow",
            "--definition-uri",
            "s3://b/k.json",
            "--parameterize-arns",
            "-o",
            "out.yaml",
        ]);
        assert_eq!(args.to, ExportTarget::CloudFormation);
        assert_eq!(args.logical_id.as_deref(), Some("Flow"));
        assert!(args.parameterize_arns);
        assert_eq!(args.output, Some(PathBuf::from("out.yaml")));
        assert_eq!(
            parse(&["f.json", "--to", "cfn"]).to,
            ExportTarget::CloudFormation
        );
        assert!(TestCli::try_parse_from(["x", "f.json", "--to", "xml"]).is_err());
        assert!(TestCli::try_parse_from(["x", "f.json"]).is_err());
    }

    #[test]
    fn exports_a_valid_definition_with_its_sidecar() {
        let dir = tempfile::tempdir().unwrap();
        let definition = dir.path().join("order-flow.asl.json");
        std::fs::write(&definition, VALID).unwrap();
        let settings = DeploymentSettings {
            name: Some("Orders".into()),
            ..Default::default()
        };
        settings.save(&definition).unwrap();
        let out = dir.path().join("template.yaml");
        let args = parse(&[
            definition.to_str().unwrap(),
            "--to",
            "sam",
            "--parameterize-arns",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run(&args), ExitCode::SUCCESS);
        let text = std::fs::read_to_string(&out).unwrap();
        let found = find_state_machines(&text, Format::Yaml, None).unwrap();
        assert_eq!(found[0].logical_id, "OrderFlow");
        assert_eq!(found[0].settings.name.as_deref(), Some("Orders"));
        assert_eq!(
            found[0].definition.as_ref().unwrap()["States"]["Work"]["Resource"],
            "${WorkFunctionArn}"
        );
    }

    #[test]
    fn refuses_an_invalid_definition_with_exit_1() {
        let dir = tempfile::tempdir().unwrap();
        let definition = dir.path().join("bad.asl.json");
        std::fs::write(&definition, r#"{"StartAt": "Missing", "States": {}}"#).unwrap();
        let out = dir.path().join("out.json");
        let args = parse(&[
            definition.to_str().unwrap(),
            "--to",
            "json",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run(&args), ExitCode::from(EXIT_FAILED));
        assert!(!out.exists());
    }

    #[test]
    fn usage_and_io_problems_exit_2() {
        let dir = tempfile::tempdir().unwrap();
        let definition = dir.path().join("flow.asl.json");
        std::fs::write(&definition, VALID).unwrap();
        let path = definition.to_str().unwrap();
        let missing = dir.path().join("missing.asl.json");
        let args = parse(&[missing.to_str().unwrap(), "--to", "json"]);
        assert_eq!(run(&args), ExitCode::from(EXIT_USAGE));
        let bad_settings = dir.path().join("s.json");
        std::fs::write(&bad_settings, "{\"type\": \"FAST\"}").unwrap();
        let args = parse(&[
            path,
            "--to",
            "sam",
            "--settings",
            bad_settings.to_str().unwrap(),
        ]);
        assert_eq!(run(&args), ExitCode::from(EXIT_USAGE));
        let args = parse(&[path, "--to", "sam", "--logical-id", "not-valid"]);
        assert_eq!(run(&args), ExitCode::from(EXIT_USAGE));
        let unwritable = dir.path().join("no/such/dir/out.yaml");
        let args = parse(&[path, "--to", "yaml", "-o", unwritable.to_str().unwrap()]);
        assert_eq!(run(&args), ExitCode::from(EXIT_USAGE));
    }

    #[test]
    fn derives_logical_ids_from_file_names() {
        assert_eq!(
            default_logical_id(Path::new("a/order-processing.asl.json")),
            "OrderProcessing"
        );
        assert_eq!(default_logical_id(Path::new("flow_v2.yaml")), "FlowV2");
        assert_eq!(
            default_logical_id(Path::new("2024.asl.json")),
            "StateMachine"
        );
        assert_eq!(default_logical_id(Path::new("-")), "StateMachine");
    }
}
