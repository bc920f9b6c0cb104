//! Concurrent waits against blocking ones: three counts that each wait a second take about one
//! second in all with asyncio, three without it. A port of Real Python's `countasync.py`
//! (seed 002; `on_tokio.rs`, `on_async_std.rs` and `on_smol.rs`, which read the same top to
//! bottom) and, with `--sync`, of its `countsync.py` (`countsync.rs`: plain Rust, no runtime).
//!
//! ```text
//! cargo run -p count                        # countasync.py on tokio, about 1 second
//! cargo run -p count -- --runtime smol      # or --runtime async-std
//! cargo run -p count -- --sync              # countsync.py, about 3 seconds
//! ```

mod countsync;
mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;

use clap::Parser;
use timing::{ExampleArgs, Runtime};

/// Real Python's countasync.py on tokio, async-std or smol, or countsync.py
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Run countsync.py instead: the counts one after the other, each blocking the thread in
    /// its sleep. It starts no async runtime, so --runtime makes no difference to it
    #[arg(long)]
    sync: bool,

    #[command(flatten)]
    example: ExampleArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.example.install();
    timing::exit_code(match (cli.sync, cli.example.runtime) {
        (true, _) => countsync::run(),
        (false, Runtime::Tokio) => on_tokio::run(),
        (false, Runtime::AsyncStd) => on_async_std::run(),
        (false, Runtime::Smol) => on_smol::run(),
    })
}
