//! `async with`: a resource that is acquired and released with awaits, and a file read without
//! blocking the loop. A port of seed 000's `AsyncResource` (an async context manager) and its
//! `aiofiles` example, on tokio, async-std and smol: the three ports are `on_tokio.rs`,
//! `on_async_std.rs` and `on_smol.rs`. Drop cannot await, so the ports release the resource in
//! a scoped helper that takes an async closure.
//!
//! ```text
//! cargo run -p async-with                                      # acquire, use, release
//! cargo run -p async-with -- --fail                            # the body fails: still released
//! cargo run -p async-with -- --cancel-after 0.2                # the body is cancelled: released
//! cargo run -p async-with -- --read-file crates/async-with/data.txt --runtime smol
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use timing::{ExampleArgs, Runtime};

/// async with: an async context manager, and an async file read, on tokio, async-std or smol
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Fail inside the `async with` body, after using the resource
    #[arg(long)]
    fail: bool,

    /// Cancel the use of the resource after SECS seconds (asyncio.timeout around the body)
    #[arg(long, value_name = "SECS", value_parser = parse_secs)]
    cancel_after: Option<f64>,

    /// Instead: read a text file asynchronously and print it (the aiofiles example)
    #[arg(
        long,
        value_name = "PATH",
        num_args = 0..=1,
        default_missing_value = "data.txt",
        conflicts_with_all = ["fail", "cancel_after"]
    )]
    read_file: Option<PathBuf>,

    #[command(flatten)]
    example: ExampleArgs,
}

/// What the `async with` body does, besides using the resource.
#[derive(Clone, Copy, Debug, Default)]
pub struct Body {
    /// Return an error after using the resource.
    pub fail: bool,
    /// Give up on `use_resource` after this many (document) seconds.
    pub cancel_after: Option<f64>,
}

fn parse_secs(text: &str) -> Result<f64, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=3600.0).contains(&secs) {
        Ok(secs)
    } else {
        Err("must be between 0 and 3600".into())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.example.install();
    let body = Body {
        fail: cli.fail,
        cancel_after: cli.cancel_after,
    };
    timing::exit_code(match (cli.example.runtime, &cli.read_file) {
        (Runtime::Tokio, None) => on_tokio::run(body),
        (Runtime::Tokio, Some(path)) => on_tokio::run_read_file(path),
        (Runtime::AsyncStd, None) => on_async_std::run(body),
        (Runtime::AsyncStd, Some(path)) => on_async_std::run_read_file(path),
        (Runtime::Smol, None) => on_smol::run(body),
        (Runtime::Smol, Some(path)) => on_smol::run_read_file(path),
    })
}
