//! Chained coroutines: several chains run at once, and inside each chain the second step starts
//! only when the first has returned its result. A port of `chained.py` from Real Python's
//! "Async IO in Python" tutorial, on tokio, async-std and smol: the three ports are
//! `on_tokio.rs`, `on_async_std.rs` and `on_smol.rs`, and read the same top to bottom.
//!
//! ```text
//! cargo run -p chained -- 9 6 3                      # the tutorial's run, on tokio
//! cargo run -p chained -- 9 6 3 --runtime smol       # or --runtime async-std
//! TIME_SCALE=0.01 cargo run -p chained               # chains 1 2 3, a hundred times faster
//! ```

use std::process::ExitCode;

use chained::{on_async_std, on_smol, on_tokio};
use clap::Parser;
use timing::{ExampleArgs, Runtime};

/// Chained coroutines (Real Python's chained.py) on tokio, async-std or smol
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// The chains to run at once, by name (a whole number each)
    #[arg(value_name = "N", default_values_t = [1, 2, 3])]
    chains: Vec<u32>,

    #[command(flatten)]
    example: ExampleArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.example.install();
    timing::exit_code(match cli.example.runtime {
        Runtime::Tokio => on_tokio::run(&cli.chains),
        Runtime::AsyncStd => on_async_std::run(&cli.chains),
        Runtime::Smol => on_smol::run(&cli.chains),
    })
}
