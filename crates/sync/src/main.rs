//! Two of asyncio's synchronization primitives, each in a small program of ours (the documents
//! name them but give no program to run), on tokio, async-std and smol: the three ports are
//! `on_tokio.rs`, `on_async_std.rs` and `on_smol.rs`, and read the same top to bottom.
//!
//! - `semaphore`: N jobs, at most K at once, through llama-index's `run_jobs` (seed 002), which
//!   wraps each job in `async with semaphore`; the program counts the jobs inside the semaphore
//!   and prints the most there ever were at once.
//! - `event`: waiters that all wait for one `asyncio.Event` and are all released by its `set()`
//!   (the seed-000 cheat sheet), and a late waiter that finds it already set.
//!
//! ```text
//! cargo run -p sync -- semaphore                  # 10 jobs, at most 4 at once, on tokio
//! cargo run -p sync -- semaphore -n 6 -k 2 --runtime smol
//! cargo run -p sync -- event --runtime async-std  # 3 waiters
//! TIME_SCALE=0.01 cargo run -p sync -- semaphore  # a hundred times faster
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;

use clap::builder::RangedU64ValueParser;
use clap::{Args, Parser, Subcommand};
use timing::{ExampleArgs, Runtime};

/// asyncio.Semaphore and asyncio.Event on tokio, async-std or smol
#[derive(Parser)]
#[command(version, about, arg_required_else_help = false)]
struct Cli {
    #[command(subcommand)]
    primitive: Primitive,

    #[command(flatten)]
    example: ExampleArgs,
}

#[derive(Subcommand)]
enum Primitive {
    /// Run N jobs, at most K at once (asyncio.Semaphore, in llama-index's run_jobs)
    Semaphore(SemaphoreArgs),
    /// Release every waiter at once with one set() (asyncio.Event)
    Event(EventArgs),
}

#[derive(Args)]
struct SemaphoreArgs {
    /// How many jobs to run (job n takes 1 + n/2 seconds)
    #[arg(
        short = 'n',
        long,
        value_name = "N",
        default_value_t = 10,
        value_parser = RangedU64ValueParser::<usize>::new().range(0..=10_000)
    )]
    jobs: usize,

    /// At most this many jobs at once (run_jobs's `workers`; llama-index's default is 4)
    #[arg(
        short = 'k',
        long,
        value_name = "K",
        default_value_t = 4,
        value_parser = RangedU64ValueParser::<usize>::new().range(1..=10_000)
    )]
    workers: usize,
}

#[derive(Args)]
struct EventArgs {
    /// How many waiters wait for the event before it is set
    #[arg(
        short = 'w',
        long,
        value_name = "W",
        default_value_t = 3,
        value_parser = RangedU64ValueParser::<usize>::new().range(0..=10_000)
    )]
    waiters: usize,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.example.install();
    timing::exit_code(match (cli.primitive, cli.example.runtime) {
        (Primitive::Semaphore(SemaphoreArgs { jobs, workers }), runtime) => match runtime {
            Runtime::Tokio => on_tokio::semaphore(jobs, workers),
            Runtime::AsyncStd => on_async_std::semaphore(jobs, workers),
            Runtime::Smol => on_smol::semaphore(jobs, workers),
        },
        (Primitive::Event(EventArgs { waiters }), runtime) => match runtime {
            Runtime::Tokio => on_tokio::event(waiters),
            Runtime::AsyncStd => on_async_std::event(waiters),
            Runtime::Smol => on_smol::event(waiters),
        },
    })
}
