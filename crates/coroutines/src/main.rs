//! Coroutine function and coroutine object: calling an `async fn` builds a future and runs none
//! of its body. The future does something only when it is awaited, spawned as a task, or blocked
//! on from synchronous code. The program shows it: it prints the function's type and the
//! future's, waits a second to show that nothing ran, then runs the function each of the three
//! ways and prints what it returned. A port of seed 000's "Coroutine Function and Coroutine
//! Object" snippet (fixed so that it runs), with seed 004's `execute_worker` as the other
//! function to try, on tokio, async-std and smol: `on_tokio.rs`, `on_async_std.rs` and
//! `on_smol.rs` read the same top to bottom.
//!
//! ```text
//! cargo run -p coroutines                                    # my_function, on tokio
//! cargo run -p coroutines -- execute-worker --runtime smol   # or --runtime async-std
//! TIME_SCALE=0.1 cargo run -p coroutines
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use timing::{ExampleArgs, Runtime};

/// Coroutine function vs coroutine object (seeds 000, 004) on tokio, async-std or smol
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// The coroutine function to call (my-function if none is named)
    #[command(subcommand)]
    function: Option<Function>,

    #[command(flatten)]
    example: ExampleArgs,
}

#[derive(Clone, Copy, Default, Subcommand)]
enum Function {
    /// my_function: "Starting", a second's sleep, "Finished", returns "Result" (seed 000; the default)
    #[default]
    MyFunction,
    /// execute_worker: "Worker task initialized", a second's sleep, returns "Done" (seed 004)
    ExecuteWorker,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.example.install();
    let function = cli.function.unwrap_or_default();
    timing::exit_code(match cli.example.runtime {
        Runtime::Tokio => on_tokio::run(function),
        Runtime::AsyncStd => on_async_std::run(function),
        Runtime::Smol => on_smol::run(function),
    })
}
