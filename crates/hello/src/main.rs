//! Hello, asyncio: the smallest programs of the tutorials, and how each runtime is started and
//! shut down. Four programs, each a `main` coroutine run by `asyncio.run` or an `asyncio.Runner`,
//! ported to tokio, async-std and smol: `on_tokio.rs`, `on_async_std.rs` and `on_smol.rs` each
//! hold all four, and read the same top to bottom.
//!
//! - `guten-morgen` (the default): "Guten ...", a one-second sleep, "... morgen!" (seed 000);
//! - `asyncio-run`: `asyncio.run(main())` prints "hey! how are are you?" (seed 000, Runner API);
//! - `runner`: `with asyncio.Runner() as runner: runner.run(main())` (seed 000);
//! - `fetch-data`: `asyncio.run(fetch_data())`, two lines two seconds apart (seed 001).
//!
//! ```text
//! cargo run -p hello                                 # guten-morgen, on tokio
//! cargo run -p hello -- runner --runtime smol        # or --runtime async-std
//! TIME_SCALE=0.1 cargo run -p hello -- fetch-data
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use timing::{ExampleArgs, Runtime};

/// Hello, asyncio: asyncio.run and asyncio.Runner (seeds 000, 001) on tokio, async-std or smol
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// The program to run (guten-morgen if none is named)
    #[command(subcommand)]
    program: Option<Program>,

    #[command(flatten)]
    example: ExampleArgs,
}

#[derive(Clone, Copy, Default, Subcommand)]
enum Program {
    /// "Guten ...", a one-second sleep, "... morgen!" (seed 000; the default)
    #[default]
    GutenMorgen,
    /// asyncio.run(main()): "hey! how are are you?" after a second (seed 000)
    AsyncioRun,
    /// with asyncio.Runner() as runner: runner.run(main()): "hey! whats up?" (seed 000)
    Runner,
    /// asyncio.run(fetch_data()): two lines two seconds apart (seed 001)
    FetchData,
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
