//! The command line: the same core as the designer, for scripts and CI.

mod debug;
mod export;
mod run;
mod test;
mod test_state;
mod validate;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "asl-studio",
    version,
    about = "Design, validate, run and test AWS Step Functions state machines (Amazon States Language)",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Without a command: the definition (or SAM / CloudFormation template) to open in the
    /// designer; none opens it on a starter workflow.
    pub file: Option<std::path::PathBuf>,
    /// Prepare a run of FILE in the designer.
    #[command(flatten)]
    pub open_run: debug::OpenRunArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check definitions (*.asl.json, *.asl.yaml) and report problems like a compiler.
    Validate(validate::ValidateArgs),
    /// Run a definition on an input with the interpreter (mocked tasks) and print the result.
    Run(run::RunArgs),
    /// Run test-case files (the conformance format) and compare with their expectations.
    Test(test::TestArgs),
    /// Open a test case in the designer, paused before the first state (or --run it).
    Debug(debug::DebugArgs),
    /// Test one state as AWS's TestState API does: status, next state and every data-flow stage.
    TestState(test_state::TestStateArgs),
    /// Write the definition as JSON, YAML, or a SAM / CloudFormation template.
    Export(export::ExportArgs),
}

/// Output style shared by the subcommands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
}

/// Exit codes: 0 success, 1 the check failed, 2 usage or I/O error.
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Validate(args)) => validate::run(&args),
        Some(Command::Run(args)) => run::run(&args),
        Some(Command::Test(args)) => test::run(&args),
        Some(Command::TestState(args)) => test_state::run(&args),
        Some(Command::Debug(args)) => debug::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        None => {
            let mut options = crate::app::DesignerOptions::desktop(cli.file);
            if cli.open_run.wants_run() {
                if options.file.is_none() {
                    eprintln!("asl-studio: --input, --mocks and --run need a definition file");
                    return ExitCode::from(EXIT_USAGE);
                }
                match cli.open_run.request() {
                    Ok(request) => options.run = Some(request),
                    Err(error) => {
                        eprintln!("asl-studio: {error:#}");
                        return ExitCode::from(EXIT_USAGE);
                    }
                }
            }
            debug::open(options)
        }
    }
}

/// Reads a file, or standard input for "-".
pub(crate) fn read_input(path: &std::path::Path) -> anyhow::Result<String> {
    use anyhow::Context;
    use std::io::Read;
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        return Ok(text);
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8 text", path.display()))
}

pub(crate) fn display_path(path: &std::path::Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}
