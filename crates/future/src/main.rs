//! `asyncio.Future` in Rust: a oneshot channel, whose sender completes the future and whose
//! receiver awaits it. Two programs, one subcommand each:
//!
//! - `delay` ports seed 000's `set_future_after_delay`: a task completes a bare future after
//!   2 seconds while main awaits it. Our variants `--drop` (the task ends without completing it)
//!   and `--twice` (a second task completes it too) show what Rust makes of those mistakes.
//! - `callback` ports seed 004's `start_forever_mode`: a done callback on a future prints its
//!   result and stops a loop started with `run_forever`. Our variant `--drop` has the producer
//!   end without a result.
//!
//! The ports are `on_tokio.rs`, `on_async_std.rs` and `on_smol.rs`, and read the same.
//!
//! ```text
//! cargo run -p future -- delay                      # seed 000's program, on tokio
//! cargo run -p future -- delay --runtime smol       # or --runtime async-std
//! cargo run -p future -- delay --drop               # an error after 2 s, where Python hangs
//! cargo run -p future -- callback                   # seed 004's program
//! ```
//!
//! (The crate is `future`, not `futures`: a package named `futures` next to the `futures`
//! dependency makes `cargo run -p futures` ambiguous.)

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use timing::{ExampleArgs, Runtime};

/// asyncio.Future's Rust twin (seeds 000 and 004) on tokio, async-std or smol
#[derive(Parser)]
#[command(version, about, arg_required_else_help = false)]
struct Cli {
    #[command(subcommand)]
    program: Program,

    #[command(flatten)]
    example: ExampleArgs,
}

#[derive(Subcommand)]
enum Program {
    /// Seed 000: a task completes a future after 2 seconds while main awaits it
    Delay {
        /// The task ends after its wait without completing the future
        #[arg(long, conflicts_with = "twice")]
        drop: bool,

        /// A second task also completes the future after 2 seconds
        #[arg(long)]
        twice: bool,
    },
    /// Seed 004: a done callback prints the future's result and stops run_forever
    Callback {
        /// The producer ends after its wait without completing the future
        #[arg(long)]
        drop: bool,
    },
}

/// How the task that completes the future behaves in the `delay` program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setter {
    /// Completes the future once: seed 000's program.
    Once,
    /// Ends without completing it.
    Drops,
    /// Two tasks complete it.
    Twice,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.example.install();
    let runtime = cli.example.runtime;
    timing::exit_code(match cli.program {
        Program::Delay { drop, twice } => {
            let setter = match (drop, twice) {
                (true, _) => Setter::Drops,
                (_, true) => Setter::Twice,
                _ => Setter::Once,
            };
            match runtime {
                Runtime::Tokio => on_tokio::delay(setter),
                Runtime::AsyncStd => on_async_std::delay(setter),
                Runtime::Smol => on_smol::delay(setter),
            }
        }
        Program::Callback { drop } => match runtime {
            Runtime::Tokio => on_tokio::start_forever_mode(drop),
            Runtime::AsyncStd => on_async_std::start_forever_mode(drop),
            Runtime::Smol => on_smol::start_forever_mode(drop),
        },
    })
}
