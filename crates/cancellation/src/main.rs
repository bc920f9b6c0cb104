//! Cancelling a task, where asyncio and the three Rust runtimes differ most. The default run
//! ports the `long_operation` program of the seed-000 tutorial ("Concurrency in Python", task
//! cancellation): a task is cancelled after 2 seconds and cleans up. `--show` picks the other
//! demos: the same program cancelled by an explicit signal, `asyncio.shield`, what dropping a
//! task's handle does, cancelling a task that waits for blocking work, and cancelling a task
//! that runs without reaching an await. The three ports,
//! `on_tokio.rs`, `on_async_std.rs` and `on_smol.rs`, read the same top to bottom.
//!
//! ```text
//! cargo run -p cancellation                               # long_operation, on tokio
//! cargo run -p cancellation -- --runtime smol             # or --runtime async-std
//! cargo run -p cancellation -- --show shield              # or signal, drop, blocking, busy
//! TIME_SCALE=0.1 cargo run -p cancellation -- --show drop --runtime smol
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;

use clap::Parser;
use timing::{ExampleArgs, Runtime};

/// Cancelling tasks (long_operation, shield, dropped handles, blocking work, busy tasks) on
/// tokio, async-std or smol
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Which program to run
    #[arg(long, value_enum, default_value_t)]
    show: Show,

    #[command(flatten)]
    example: ExampleArgs,
}

/// The programs every port has, one per `--show` value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Show {
    /// The tutorial's program: long_operation is cancelled after 2 s and cleans up
    #[default]
    LongOperation,
    /// long_operation cancelled by an explicit signal instead: its cleanup can await
    Signal,
    /// asyncio.shield: a save survives the cancellation of the handler awaiting it
    Shield,
    /// Drop a running task's handle: tokio and async-std detach the task, smol cancels it
    Drop,
    /// Cancel a task that waits for blocking work, then the blocking job's own handle
    Blocking,
    /// Cancel a task that runs for 3 s without reaching an await
    #[value(alias = "never-awaits")]
    Busy,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.example.install();
    timing::exit_code(match cli.example.runtime {
        Runtime::Tokio => on_tokio::run(cli.show),
        Runtime::AsyncStd => on_async_std::run(cli.show),
        Runtime::Smol => on_smol::run(cli.show),
    })
}
