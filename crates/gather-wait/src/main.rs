//! Four ways to wait for several tasks, ported from Python's asyncio to tokio, async-std and
//! smol: `gather` (all of them, results in list order), `wait` with a timeout (then cancel what
//! is still running), `as_completed` (results in the order the tasks finish), and `gather` with
//! `return_exceptions=True` (one task fails, the others' results are still collected).
//!
//! The programs: `gather` and `wait` are the "task, gather, wait" programs of seed 003 (notes on
//! asyncio), `worker-process` is seed 004's "Parallel Execution Example"; `as-completed` (the
//! `as_completed` row of seed 000's cheat sheet) and `return-exceptions` (which seed 002 uses
//! without showing it) are ours. The three ports are `on_tokio.rs`, `on_async_std.rs` and
//! `on_smol.rs`, and read the same top to bottom.
//!
//! ```text
//! cargo run -p gather-wait                               # gather, on tokio
//! cargo run -p gather-wait -- wait --runtime smol        # or --runtime async-std
//! cargo run -p gather-wait -- wait --timeout 3.5
//! TIME_SCALE=0.01 cargo run -p gather-wait -- as-completed
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use timing::{ExampleArgs, Runtime};

/// gather, wait with a timeout, as_completed and return_exceptions on tokio, async-std or smol
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// The program to run (default: gather)
    #[command(subcommand)]
    program: Option<Program>,

    #[command(flatten)]
    example: ExampleArgs,
}

#[derive(Clone, Copy, Default, Subcommand)]
enum Program {
    /// Four tasks and asyncio.gather, then each task's result (seed 003)
    #[default]
    Gather,
    /// asyncio.wait with a timeout, then cancel the tasks still pending (seed 003)
    Wait {
        /// Seconds to wait before cancelling the tasks still running
        #[arg(
            long,
            value_name = "SECONDS",
            default_value_t = 2.0,
            value_parser = parse_timeout,
            allow_negative_numbers = true
        )]
        timeout: f64,
    },
    /// Three worker_process coroutines gathered with run_until_complete (seed 004)
    WorkerProcess,
    /// asyncio.as_completed: results in the order the tasks finish (ours)
    AsCompleted,
    /// asyncio.gather(..., return_exceptions=True): one process fails, the others' results are
    /// still collected (ours)
    ReturnExceptions,
}

/// A timeout as asyncio takes it: seconds, fractions allowed; here never negative or infinite.
fn parse_timeout(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs >= 0.0 => Ok(secs),
        Ok(_) => Err("must be a finite number of seconds, 0 or more".into()),
        Err(_) => Err(format!("`{text}` is not a number")),
    }
}

/// Runs one program on one port: the three ports have the same functions.
macro_rules! run_on {
    ($port:ident, $program:expr) => {
        match $program {
            Program::Gather => $port::gather(),
            Program::Wait { timeout } => $port::wait(timeout),
            Program::WorkerProcess => $port::batch_run(),
            Program::AsCompleted => $port::as_completed(),
            Program::ReturnExceptions => $port::batch_run_return_exceptions(),
        }
    };
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.example.install();
    let program = cli.program.unwrap_or_default();
    timing::exit_code(match cli.example.runtime {
        Runtime::Tokio => run_on!(on_tokio, program),
        Runtime::AsyncStd => run_on!(on_async_std, program),
        Runtime::Smol => run_on!(on_smol, program),
    })
}
