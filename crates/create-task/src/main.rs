//! `asyncio.create_task`: a coroutine wrapped in a task starts running on its own at the next
//! await, while the code that created it goes on. Three small programs from the tutorials, on
//! tokio, async-std and smol (`on_tokio.rs`, `on_async_std.rs`, `on_smol.rs`, each holding all
//! three programs and reading the same top to bottom):
//!
//! - `fetch-data` (the default): `fetch_data(123)` runs in the background while `main` is
//!   "Doing other work...", from "Creating Tasks API" (seed 000);
//! - `two-tasks`: two `fetch_data()` tasks wait at the same time (seed 001);
//! - `task-worker`: a task whose coroutine awaits a nested coroutine, printing `[ 1.00s]`-stamped
//!   lines (seed 003's `task_worker`).
//!
//! ```text
//! cargo run -p create-task                               # fetch-data, on tokio
//! cargo run -p create-task -- two-tasks --runtime smol   # or --runtime async-std
//! TIME_SCALE=0.1 cargo run -p create-task -- task-worker
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use timing::{ExampleArgs, Runtime};

/// Tasks started with create_task (seeds 000, 001, 003) on tokio, async-std or smol
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// The program to run
    #[command(subcommand)]
    program: Option<Program>,

    #[command(flatten)]
    example: ExampleArgs,
}

#[derive(Clone, Copy, Default, Subcommand)]
enum Program {
    /// fetch_data(123) runs in the background while main does other work (seed 000; the default)
    #[default]
    FetchData,
    /// Two fetch_data() tasks wait at the same time (seed 001)
    TwoTasks,
    /// A task awaits a nested coroutine; stamped lines (seed 003's task_worker)
    TaskWorker,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.example.install();
    timing::exit_code(
        match (cli.example.runtime, cli.program.unwrap_or_default()) {
            (Runtime::Tokio, Program::FetchData) => on_tokio::fetch_data::run(),
            (Runtime::Tokio, Program::TwoTasks) => on_tokio::two_tasks::run(),
            (Runtime::Tokio, Program::TaskWorker) => on_tokio::task_worker::run(),
            (Runtime::AsyncStd, Program::FetchData) => on_async_std::fetch_data::run(),
            (Runtime::AsyncStd, Program::TwoTasks) => on_async_std::two_tasks::run(),
            (Runtime::AsyncStd, Program::TaskWorker) => on_async_std::task_worker::run(),
            (Runtime::Smol, Program::FetchData) => on_smol::fetch_data::run(),
            (Runtime::Smol, Program::TwoTasks) => on_smol::two_tasks::run(),
            (Runtime::Smol, Program::TaskWorker) => on_smol::task_worker::run(),
        },
    )
}
