//! Two workers and one lock: each worker takes the lock, holds it across a two-second wait, and
//! lets it go, so the second one gets in only when the first is out. A port of the `asyncio.Lock`
//! example from the seed-003 notes ("lock, queue"), on tokio, async-std and smol: the three ports
//! are `on_tokio.rs`, `on_async_std.rs` and `on_smol.rs`, and read the same top to bottom.
//!
//! The notes print a transcript in which both workers are inside the lock at once; that is what
//! the program prints without the lock, which `--no-lock` shows.
//!
//! ```text
//! cargo run -p lock                           # the notes' program, on tokio: ends at 4 s
//! cargo run -p lock -- --runtime smol         # or --runtime async-std
//! cargo run -p lock -- --no-lock              # no lock: both inside at once, ends at 2 s
//! TIME_SCALE=0.01 cargo run -p lock           # a hundred times faster
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;

use clap::Parser;
use timing::{ExampleArgs, Runtime};

/// Two workers and one lock (the seed-003 asyncio.Lock example) on tokio, async-std or smol
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Let the workers skip the lock: both are then inside the critical section at once, as in
    /// the notes' printed transcript
    #[arg(long)]
    no_lock: bool,

    #[command(flatten)]
    example: ExampleArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.example.install();
    let use_lock = !cli.no_lock;
    timing::exit_code(match cli.example.runtime {
        Runtime::Tokio => on_tokio::run(use_lock),
        Runtime::AsyncStd => on_async_std::run(use_lock),
        Runtime::Smol => on_smol::run(use_lock),
    })
}
