//! The event loop by hand: what `asyncio.run` does for you, done step by step, and the
//! runtime-by-runtime twin of each step. Four programs, ported to tokio, async-std and smol:
//! `on_tokio.rs`, `on_async_std.rs` and `on_smol.rs` each hold all four, and read the same top
//! to bottom.
//!
//! - `lifecycle` (the default): get a loop, create a task, run until it is complete, read its
//!   result, close the loop (seed 000, "Event Loop Life cycle Methods");
//! - `new-event-loop`: `new_event_loop`, `set_event_loop`, `run_until_complete(fetch_data())`
//!   and `close` in a `finally` (seed 004);
//! - `run-forever`: `call_soon(print, "Hello!")`, `call_later(2, loop.stop)`, `run_forever`
//!   (seed 003);
//! - `asyncio-run`: the `asyncio_run` helper of llama-index's async utilities (seed 002): run a
//!   future from synchronous code, and refuse with a clear error, not a panic or a deadlock,
//!   when called where a runtime is already running.
//!
//! ```text
//! cargo run -p event-loop                                  # lifecycle, on tokio
//! cargo run -p event-loop -- run-forever --runtime smol    # or --runtime async-std
//! TIME_SCALE=0.1 cargo run -p event-loop -- asyncio-run
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use timing::{ExampleArgs, Runtime};

/// The event loop by hand (seeds 000, 002, 003, 004) on tokio, async-std or smol
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// The program to run (lifecycle if none is named)
    #[command(subcommand)]
    program: Option<Program>,

    #[command(flatten)]
    example: ExampleArgs,
}

#[derive(Clone, Copy, Default, Subcommand)]
enum Program {
    /// Get a loop, create a task, run until complete, read the result, close (seed 000; the default)
    #[default]
    Lifecycle,
    /// new_event_loop, set_event_loop, run_until_complete(fetch_data()), close (seed 004)
    NewEventLoop,
    /// call_soon(print, "Hello!"), call_later(2, loop.stop), run_forever (seed 003)
    RunForever,
    /// llama-index's asyncio_run: from sync code it runs; nested, it refuses (seed 002)
    AsyncioRun,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.example.install();
    let program = cli.program.unwrap_or_default();
    timing::exit_code(match cli.example.runtime {
        Runtime::Tokio => on_tokio::run(program),
        Runtime::AsyncStd => on_async_std::run(program),
        Runtime::Smol => on_smol::run(program),
    })
}
