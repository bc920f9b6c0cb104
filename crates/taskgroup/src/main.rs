//! A group of tasks that ends together: `asyncio.TaskGroup` and its Rust twins. A port of the
//! "Task Groups API" program of seed 000 (Python 3.11's `asyncio.TaskGroup`): three tasks run at
//! once, the group waits for all of them, and prints their results in order. The failing variants
//! are ours: `--fail`, `--panic` and `--body-error` show what the group does when a task fails,
//! when a task hits a bug, and when the code inside the group fails. The ports are `on_tokio.rs`,
//! `on_async_std.rs` and `on_smol.rs`, and read the same top to bottom.
//!
//! ```text
//! cargo run -p taskgroup                             # the seed's program, on tokio
//! cargo run -p taskgroup -- --runtime smol           # or --runtime async-std
//! cargo run -p taskgroup -- --fail                   # process_item(1) fails: the rest is cancelled
//! TIME_SCALE=0.01 cargo run -p taskgroup -- --panic  # process_item(1) panics, a hundred times faster
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;

use clap::Parser;
use timing::{ExampleArgs, Runtime};

/// asyncio.TaskGroup (seed 000's program) on tokio, async-std or smol
#[derive(Parser)]
#[command(version, about)]
#[command(group = clap::ArgGroup::new("fault"))]
struct Cli {
    /// process_item(1) fails after its wait: the other tasks are cancelled
    #[arg(long, group = "fault")]
    fail: bool,

    /// process_item(1) panics after its wait (a bug, not an error)
    #[arg(long, group = "fault")]
    panic: bool,

    /// The code inside the group fails right after creating the tasks
    #[arg(long, group = "fault")]
    body_error: bool,

    #[command(flatten)]
    example: ExampleArgs,
}

/// What goes wrong in a run, if anything: the variants of the seed's program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// `process_item` returns an error.
    Fail,
    /// `process_item` panics.
    Panic,
    /// The body of the group returns an error.
    BodyError,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.example.install();
    let fault = [
        (cli.fail, Fault::Fail),
        (cli.panic, Fault::Panic),
        (cli.body_error, Fault::BodyError),
    ]
    .into_iter()
    .find_map(|(chosen, fault)| chosen.then_some(fault));
    timing::exit_code(match cli.example.runtime {
        Runtime::Tokio => on_tokio::run(fault),
        Runtime::AsyncStd => on_async_std::run(fault),
        Runtime::Smol => on_smol::run(fault),
    })
}
