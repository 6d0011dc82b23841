//! `asl-studio run DEFINITION [--input JSON | --input-file FILE] [--format text|json] ...`

use super::{EXIT_FAILED, EXIT_USAGE, OutputFormat, display_path, read_input};
use crate::asl::document::{Document, Format};
use crate::asl::model::StateMachine;
use crate::asl::validate::{self, Options as ValidateOptions};
use crate::engine::backends::{MockBackend, UnmockedPolicy};
use crate::engine::{ClockMode, Execution, ExecutionOptions, ExecutionStatus, WorkflowType};
use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The state machine definition (*.asl.json, *.asl.yaml).
    pub definition: PathBuf,
    /// The execution input as JSON text.
    #[arg(long, conflicts_with = "input_file")]
    pub input: Option<String>,
    /// A file holding the execution input (`-` for standard input).
    #[arg(long)]
    pub input_file: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    /// Mocked task results: a Step Functions Local MockConfigFile (with --test-case) or a
    /// JSON object of MockedResponses keyed by state name.
    #[arg(long)]
    pub mocks: Option<PathBuf>,
    /// The test case to use from a MockConfigFile.
    #[arg(long)]
    pub test_case: Option<String>,
    /// What a Task without a mock does: fail, or return its parameters.
    #[arg(long, value_enum, default_value_t = Unmocked::Fail)]
    pub unmocked: Unmocked,
    #[arg(long = "type", value_enum, default_value_t = TypeArg::Standard)]
    pub workflow_type: TypeArg,
    /// Stop after this many history events (default: 25,000 for Standard, none for Express).
    #[arg(long)]
    pub max_events: Option<usize>,
    /// Largest payload in bytes (AWS: 262144); `none` disables the check.
    #[arg(long, default_value = "262144")]
    pub payload_limit: String,
    /// The execution name ($$.Execution.Name).
    #[arg(long, default_value = "local-execution")]
    pub name: String,
    /// Seed of random values (UUIDs, jitter, MathRandom) for reproducible runs.
    #[arg(long, default_value_t = 0x5eed)]
    pub seed: u64,
    /// Wait in real time instead of advancing a virtual clock.
    #[arg(long)]
    pub real_time: bool,
    /// Print the event history in text output (JSON output always has it unless --no-history).
    #[arg(long)]
    pub history: bool,
    /// Leave the history out of JSON output.
    #[arg(long)]
    pub no_history: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Unmocked {
    Fail,
    Echo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TypeArg {
    Standard,
    Express,
}

pub fn run(args: &RunArgs) -> ExitCode {
    let prepared = match prepare(args) {
        Ok(prepared) => prepared,
        Err(error) => {
            eprintln!("asl-studio: {error:#}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut execution = prepared;
    execution.run();
    match args.format {
        OutputFormat::Json => {
            if let Err(error) = print_json(&execution, !args.no_history) {
                eprintln!("error: {error:#}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
        OutputFormat::Text => print_text(&execution, args.history),
    }
    let code = if execution.status() == ExecutionStatus::Succeeded {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    };
    // The process ends here: freeing a large history one allocation at a time only delays it.
    std::mem::forget(execution);
    code
}

fn prepare(args: &RunArgs) -> anyhow::Result<Execution> {
    let text = read_input(&args.definition)?;
    let workflow_type = match args.workflow_type {
        TypeArg::Standard => WorkflowType::Standard,
        TypeArg::Express => WorkflowType::Express,
    };
    let doc = Document::parse(text, Format::from_path(&args.definition)).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: {}",
            display_path(&args.definition),
            e.line,
            e.column,
            e.message
        )
    })?;
    let errors: Vec<String> = validate::validate(
        &doc,
        &ValidateOptions {
            workflow_type: Some(workflow_type),
        },
    )
    .into_iter()
    .filter(|d| d.is_error())
    .map(|d| {
        format!(
            "{}:{}:{}: error[{}]: {}",
            display_path(&args.definition),
            d.line,
            d.column,
            d.code.as_str(),
            d.message
        )
    })
    .collect();
    if !errors.is_empty() {
        bail!(
            "the definition is not valid, so it cannot run:\n{}",
            errors.join("\n")
        );
    }
    let machine = StateMachine::from_value(doc.value())?;
    let input: Value = match (&args.input, &args.input_file) {
        (Some(text), _) => serde_json::from_str(text).context("--input is not valid JSON")?,
        (None, Some(path)) => {
            let text = read_input(path)?;
            serde_json::from_str(&text)
                .with_context(|| format!("{} is not valid JSON", display_path(path)))?
        }
        (None, None) => json!({}),
    };
    let payload_limit = match args.payload_limit.as_str() {
        "none" | "off" => None,
        number => Some(
            number
                .parse()
                .context("--payload-limit takes a number of bytes or `none`")?,
        ),
    };
    let options = ExecutionOptions {
        name: args.name.clone(),
        state_machine_name: state_machine_name(&args.definition),
        start_time: chrono::Utc::now(),
        workflow_type,
        clock: if args.real_time {
            ClockMode::RealTime
        } else {
            ClockMode::Virtual
        },
        max_events: args.max_events,
        payload_limit,
        seed: args.seed,
        // Keep every event only when the history will be printed: a long run stays small.
        keep_history: args.history || (args.format == OutputFormat::Json && !args.no_history),
        ..ExecutionOptions::default()
    };
    let unmocked = match args.unmocked {
        Unmocked::Fail => UnmockedPolicy::Fail,
        Unmocked::Echo => UnmockedPolicy::Echo,
    };
    let backend = match &args.mocks {
        None => MockBackend::new(unmocked),
        Some(path) => {
            let text = read_input(path)?;
            let mocks: Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not valid JSON", display_path(path)))?;
            if mocks.get("StateMachines").is_some() {
                let case = args
                    .test_case
                    .as_deref()
                    .context("--mocks is a MockConfigFile: name the test case with --test-case")?;
                MockBackend::from_mock_config(&mocks, &options.state_machine_name, case, unmocked)?
            } else {
                MockBackend::from_state_mocks(&mocks, unmocked)?
            }
        }
    };
    Ok(Execution::with_backend(
        &machine,
        input,
        options,
        Arc::new(backend),
    )?)
}

/// "order.asl.json" → "order": the name MockConfigFiles use for the state machine.
fn state_machine_name(path: &std::path::Path) -> String {
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("LocalStateMachine");
    let stem = file.split('.').next().unwrap_or(file);
    if stem.is_empty() || stem == "-" {
        "LocalStateMachine".to_string()
    } else {
        stem.to_string()
    }
}

fn print_json(execution: &Execution, with_history: bool) -> anyhow::Result<()> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    crate::engine::write_json_report(execution, with_history, &mut out)
        .context("cannot write the report")?;
    writeln!(out).context("cannot write the report")?;
    out.flush().context("cannot write the report")
}

fn print_text(execution: &Execution, with_history: bool) {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let elapsed = execution.now() - execution.options().start_time;
    if with_history {
        for event in execution.history() {
            let state = event
                .kind
                .state_name()
                .map(|s| format!("  {s}"))
                .unwrap_or_default();
            let detail = match event.kind.failure() {
                Some((error, cause)) => {
                    format!("  {}: {}", error.unwrap_or("-"), cause.unwrap_or("-"))
                }
                None => String::new(),
            };
            let offset = (event.timestamp - execution.options().start_time).num_milliseconds()
                as f64
                / 1000.0;
            let _ = writeln!(
                out,
                "{:>6}  +{offset:>9.3}s  {:<24}{state}{detail}",
                event.id,
                event.kind.type_name()
            );
        }
    }
    let _ = writeln!(
        out,
        "{} after {} events ({}s of {} time)",
        execution.status().as_str(),
        execution.event_count(),
        elapsed.num_milliseconds() as f64 / 1000.0,
        if execution.options().clock == ClockMode::Virtual {
            "virtual"
        } else {
            "real"
        }
    );
    if let Some(failure) = execution.failure() {
        let _ = writeln!(
            out,
            "error: {}",
            failure.error.as_deref().unwrap_or("(none)")
        );
        let _ = writeln!(
            out,
            "cause: {}",
            failure.cause.as_deref().unwrap_or("(none)")
        );
    }
    if let Some(output) = execution.output() {
        let _ = writeln!(
            out,
            "output: {}",
            serde_json::to_string_pretty(output).unwrap_or_default()
        );
    }
}
