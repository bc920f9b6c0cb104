//! How `await` suspends a task and hands control back to the event loop: two tasks take turns
//! at their waits, and every line is stamped with the wall-clock time. A port of "How await
//! suspend execution and yeilds control back to event loop?" from seed 000, on tokio, async-std
//! and smol: the three ports are `on_tokio.rs`, `on_async_std.rs` and `on_smol.rs`, and read the
//! same top to bottom.
//!
//! ```text
//! cargo run -p interleave                          # on tokio, about 3 seconds
//! cargo run -p interleave -- --runtime smol        # or --runtime async-std
//! TIME_SCALE=0 cargo run -p interleave             # no waiting: each await only yields
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;

use clap::Parser;
use timing::{ExampleArgs, Runtime};

/// Two tasks take turns at their awaits, with wall-clock stamps (seed 000), on tokio,
/// async-std or smol
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    example: ExampleArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.example.install();
    timing::exit_code(match cli.example.runtime {
        Runtime::Tokio => on_tokio::run(),
        Runtime::AsyncStd => on_async_std::run(),
        Runtime::Smol => on_smol::run(),
    })
}
