//! Producers and consumers around a queue, on tokio, async-std and smol: the three ports are
//! `on_tokio.rs`, `on_async_std.rs` and `on_smol.rs`, and each holds three programs.
//!
//! - By default, `asyncq.py` from Real Python's "Async IO in Python": `-p` producers put random
//!   items in a queue, `-c` consumers take them out, and the program ends once every item put
//!   has been processed (asyncio's `Queue.join`/`task_done`).
//! - With `--timeout SECS`: the queue program of seed 003, two producers and two consumers
//!   forever around `asyncio.Queue(maxsize=10)` (give `--maxsize 10`), cancelled after SECS.
//! - With `--sentinel`: the queue program of seed 004, fixed: its consumer waits for a `None`
//!   that never comes; here the producer closes the queue and the consumer stops.
//!
//! Ctrl-C stops a run cleanly: the producers stop, the consumers are cancelled, a line says how
//! many items were produced, consumed and left in the queue, and the exit code is 130.
//!
//! ```text
//! cargo run -p producer-consumer -- -p 2 -c 2                       # asyncq.py, on tokio
//! cargo run -p producer-consumer -- -p 2 -c 2 --runtime smol        # or --runtime async-std
//! cargo run -p producer-consumer -- --maxsize 10 --timeout 5        # seed 003's program
//! cargo run -p producer-consumer -- --sentinel                      # seed 004's, fixed
//! TIME_SCALE=0 cargo run -p producer-consumer -- -p 10000 -c 1000   # 50 000 items, no waiting
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, error::ErrorKind};
use timing::{ExampleArgs, Runtime};

/// The most producers, consumers or queue slots a run takes: enough for a stress test of half
/// a million items, few enough that a typo cannot exhaust the memory.
const MAX_COUNT: u32 = 100_000;

/// The longest `--timeout`, in the document's seconds: a day.
const MAX_TIMEOUT: f64 = 86_400.0;

/// Producers and consumers around a queue (Real Python's asyncq.py, and the queue programs of
/// seeds 003 and 004) on tokio, async-std or smol
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Number of producers (asyncq.py)
    #[arg(short = 'p', long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_COUNT)),
          allow_negative_numbers = true)]
    nprod: u32,

    /// Number of consumers (asyncq.py); at least 1 when there are producers
    #[arg(short = 'c', long, value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_COUNT)),
          allow_negative_numbers = true)]
    ncon: u32,

    /// The queue holds at most N items and a producer waits for room, as asyncio.Queue(maxsize);
    /// 0: no limit
    #[arg(long, value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_COUNT)),
          allow_negative_numbers = true)]
    maxsize: u32,

    /// Run seed 003's program instead: two producers and two consumers forever, all cancelled
    /// after SECS (the document's seconds)
    #[arg(long, value_name = "SECS", value_parser = parse_timeout,
          allow_negative_numbers = true, conflicts_with_all = ["nprod", "ncon"])]
    timeout: Option<f64>,

    /// Run seed 004's program instead, fixed: one producer puts five items and closes the
    /// queue, and the consumer stops once the queue is closed and empty
    #[arg(long, conflicts_with_all = ["nprod", "ncon", "maxsize", "timeout"])]
    sentinel: bool,

    #[command(flatten)]
    example: ExampleArgs,
}

fn parse_timeout(text: &str) -> Result<f64, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if (0.0..=MAX_TIMEOUT).contains(&secs) {
        Ok(secs)
    } else {
        Err(format!("must be between 0 and {MAX_TIMEOUT} seconds"))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.nprod > 0 && cli.ncon == 0 && cli.timeout.is_none() && !cli.sentinel {
        // asyncio would wait forever in q.join(): nobody takes the items out.
        Cli::command()
            .error(
                ErrorKind::ArgumentConflict,
                "with producers and no consumer (--ncon 0) the queue is never emptied and the \
                 program would wait forever; give at least one consumer",
            )
            .exit();
    }
    cli.example.install();
    let maxsize = cli.maxsize as usize;
    timing::exit_code(match (cli.sentinel, cli.timeout) {
        (true, _) => match cli.example.runtime {
            Runtime::Tokio => on_tokio::sentinel::run(),
            Runtime::AsyncStd => on_async_std::sentinel::run(),
            Runtime::Smol => on_smol::sentinel::run(),
        },
        (false, Some(timeout)) => match cli.example.runtime {
            Runtime::Tokio => on_tokio::bounded::run(maxsize, timeout),
            Runtime::AsyncStd => on_async_std::bounded::run(maxsize, timeout),
            Runtime::Smol => on_smol::bounded::run(maxsize, timeout),
        },
        (false, None) => match cli.example.runtime {
            Runtime::Tokio => on_tokio::asyncq::run(cli.nprod, cli.ncon, maxsize),
            Runtime::AsyncStd => on_async_std::asyncq::run(cli.nprod, cli.ncon, maxsize),
            Runtime::Smol => on_smol::asyncq::run(cli.nprod, cli.ncon, maxsize),
        },
    })
}
