use clap::Parser;
use std::process::ExitCode;

// The interpreter and the document allocate many small values; mimalloc serves them faster
// than glibc's allocator and returns freed pages sooner.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    asl_studio::cli::run(asl_studio::cli::Cli::parse())
}
