//! `asl-studio test-state`: AWS's TestState API, offline. Either a request file in the API's
//! JSON shape (`--request`, as `aws stepfunctions test-state --cli-input-json` takes it), or a
//! definition file and flags for people.

use super::{EXIT_FAILED, EXIT_USAGE, OutputFormat, display_path, read_input};
use crate::asl::document::{Document, Format};
use crate::engine::service_models::FieldValidationMode;
use crate::engine::test_state::{
    ApiError, InspectionLevel, Mock, MockError, StateConfiguration, TestStateOptions,
    TestStateRequest, TestStateResponse, TestStatus, test_state,
};
use crate::engine::{Stage, StateVisit};
use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct TestStateArgs {
    /// The definition: one state, or a whole machine with --state (*.asl.json, *.asl.yaml).
    #[arg(required_unless_present = "request", conflicts_with = "request")]
    pub definition: Option<PathBuf>,
    /// A TestState request in the API's JSON shape (`-` for standard input).
    #[arg(long)]
    pub request: Option<PathBuf>,
    /// The state to test, when the definition is a whole machine (may be inside a Map).
    #[arg(long)]
    pub state: Option<String>,
    /// The state input as JSON text (default `{}`).
    #[arg(long, conflicts_with = "input_file")]
    pub input: Option<String>,
    /// A file holding the state input (`-` for standard input).
    #[arg(long)]
    pub input_file: Option<PathBuf>,
    /// The mocked result of the state's service (JSON text).
    #[arg(long, conflicts_with = "mock_error")]
    pub mock_result: Option<String>,
    /// The mocked error of the state's service.
    #[arg(long)]
    pub mock_error: Option<String>,
    /// The cause of the mocked error.
    #[arg(long, requires = "mock_error")]
    pub mock_cause: Option<String>,
    /// How the mocked result is checked against the service's API.
    #[arg(long, value_enum, default_value_t = ValidationArg::Strict)]
    pub field_validation_mode: ValidationArg,
    /// Retries already made by the retrier that matches the error.
    #[arg(long)]
    pub retry_count: Option<u64>,
    /// The state inside a Map or Parallel state the mocked error comes from.
    #[arg(long)]
    pub error_caused_by_state: Option<String>,
    /// Map iterations that failed (with a mocked Map result).
    #[arg(long)]
    pub map_iteration_failure_count: Option<u64>,
    /// What the Map's ItemReader reads, as text.
    #[arg(long)]
    pub map_item_reader_data: Option<String>,
    /// Variables in scope (a JSON object).
    #[arg(long)]
    pub variables: Option<String>,
    /// The context object the state sees (JSON).
    #[arg(long)]
    pub context: Option<String>,
    /// The role a Task without a mock would use.
    #[arg(long)]
    pub role_arn: Option<String>,
    #[arg(long, value_enum, default_value_t = LevelArg::Debug)]
    pub inspection_level: LevelArg,
    /// Text for people, or the API's JSON response (the default with --request).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    #[value(name = "INFO", alias = "info")]
    Info,
    #[value(name = "DEBUG", alias = "debug")]
    Debug,
    #[value(name = "TRACE", alias = "trace")]
    Trace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidationArg {
    #[value(name = "STRICT", alias = "strict")]
    Strict,
    #[value(name = "PRESENT", alias = "present")]
    Present,
    #[value(name = "NONE", alias = "none")]
    None,
}

/// Exit status: 0 when the state succeeded or caught its error, 1 when it failed (or would be
/// retried), 2 for a request AWS would refuse, or a usage / I/O error.
pub fn run(args: &TestStateArgs) -> ExitCode {
    let format = args.format.unwrap_or(if args.request.is_some() {
        OutputFormat::Json
    } else {
        OutputFormat::Text
    });
    let request = match build_request(args) {
        Ok(Ok(request)) => request,
        Ok(Err(api)) => return api_error(&api, format),
        Err(error) => {
            eprintln!("asl-studio: {error:#}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match test_state(&request, &TestStateOptions::default()) {
        Ok(response) => {
            match format {
                OutputFormat::Json => match serde_json::to_string_pretty(&response.to_api_json()) {
                    Ok(text) => println!("{text}"),
                    Err(error) => eprintln!("asl-studio: {error}"),
                },
                OutputFormat::Text => print!("{}", text_report(&response)),
            }
            match response.status {
                TestStatus::Succeeded | TestStatus::CaughtError => ExitCode::SUCCESS,
                TestStatus::Failed | TestStatus::Retriable => ExitCode::from(EXIT_FAILED),
            }
        }
        Err(api) => api_error(&api, format),
    }
}

fn api_error(error: &ApiError, format: OutputFormat) -> ExitCode {
    match format {
        OutputFormat::Json => println!("{}", error.to_json()),
        OutputFormat::Text => eprintln!("asl-studio: {}: {}", error.code, error.message),
    }
    ExitCode::from(EXIT_USAGE)
}

/// The request, or the error the API (or the SDK) gives for it; I/O problems are `Err`.
fn build_request(args: &TestStateArgs) -> anyhow::Result<Result<TestStateRequest, ApiError>> {
    if let Some(path) = &args.request {
        let text = read_input(path)?;
        let value: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a JSON request", display_path(path)))?;
        return Ok(TestStateRequest::from_json(&value));
    }
    let Some(path) = &args.definition else {
        bail!("give a definition file, or --request FILE");
    };
    let definition = definition_text(path)?;
    let input = match (&args.input, &args.input_file) {
        (Some(input), _) => Some(input.clone()),
        (None, Some(file)) => Some(read_input(file)?),
        (None, None) => None,
    };
    if args.state.is_none()
        && serde_json::from_str::<Value>(&definition)
            .is_ok_and(|v| v.get("States").is_some() && v.get("Type").is_none())
    {
        bail!(
            "{} is a whole state machine: name the state to test with --state",
            display_path(path)
        );
    }
    let mock = match (&args.mock_result, &args.mock_error) {
        (None, None) => None,
        (result, error) => Some(Mock {
            result: result.clone(),
            error_output: error.as_ref().map(|error| MockError {
                error: Some(error.clone()),
                cause: args.mock_cause.clone(),
            }),
            field_validation_mode: match args.field_validation_mode {
                ValidationArg::Strict => FieldValidationMode::Strict,
                ValidationArg::Present => FieldValidationMode::Present,
                ValidationArg::None => FieldValidationMode::None,
            },
        }),
    };
    Ok(Ok(TestStateRequest {
        definition,
        state_name: args.state.clone(),
        role_arn: args.role_arn.clone(),
        input,
        inspection_level: match args.inspection_level {
            LevelArg::Info => InspectionLevel::Info,
            LevelArg::Debug => InspectionLevel::Debug,
            LevelArg::Trace => InspectionLevel::Trace,
        },
        reveal_secrets: false,
        variables: args.variables.clone(),
        mock,
        context: args.context.clone(),
        state_configuration: StateConfiguration {
            retrier_retry_count: args.retry_count,
            error_caused_by_state: args.error_caused_by_state.clone(),
            map_iteration_failure_count: args.map_iteration_failure_count,
            map_item_reader_data: args.map_item_reader_data.clone(),
        },
    }))
}

/// The definition as JSON text (a YAML file is converted).
fn definition_text(path: &Path) -> anyhow::Result<String> {
    let text = read_input(path)?;
    let format = Format::from_path(path);
    if format == Format::Json {
        return Ok(text);
    }
    let doc = Document::parse(text, format)
        .map_err(|e| anyhow::anyhow!("{}: {e}", display_path(path)))?;
    Ok(doc.value().to_string())
}

/// Status, next state, error, output, then each stage in the order it ran.
pub fn text_report(response: &TestStateResponse) -> String {
    let mut out = format!("status      {}\n", response.status.as_str());
    if let Some(next) = &response.next_state {
        out.push_str(&format!("next state  {next}\n"));
    }
    if let Some(error) = &response.error {
        out.push_str(&format!("error       {error}\n"));
    }
    if let Some(cause) = &response.cause {
        out.push_str(&format!("cause       {cause}\n"));
    }
    if let Some(output) = &response.output {
        out.push_str(&format!("output      {}\n", compact(output)));
    }
    let Some(inspection) = &response.inspection_data else {
        return out;
    };
    out.push('\n');
    let stage_title = |key: &str| {
        let visit: Option<&StateVisit> = response.visit.as_ref();
        Stage::from_api_name(key)
            .zip(visit)
            .map(|(stage, visit)| stage.title(visit.language, visit.state_type))
    };
    for (key, value) in inspection {
        match stage_title(key) {
            Some(title) => out.push_str(&format!("{key} ({title})\n  {}\n", compact(value))),
            None => out.push_str(&format!("{key}  {}\n", compact(value))),
        }
    }
    out
}

fn compact(value: &Value) -> String {
    crate::asl::path::to_json_string(value)
}
