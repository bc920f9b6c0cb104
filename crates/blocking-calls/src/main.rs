//! What a blocking call does to an event loop, how to move it off the loop, and how to notice
//! it. A port of the "time.sleep vs asyncio.sleep" pair from seed 003's asyncio notes (nine
//! `sleeping_func(i)` on one loop that is told to stop after 15 s), plus the asyncio cheat
//! sheet's `run_in_executor` and a watchdog like asyncio's debug mode, on tokio, async-std and
//! smol: the three ports are `on_tokio.rs`, `on_async_std.rs` and `on_smol.rs`.
//!
//! ```text
//! cargo run -p blocking-calls                            # asyncio.sleep: all nine at once, done at 9 s
//! cargo run -p blocking-calls -- --blocking              # time.sleep: one after another, 45 s
//! cargo run -p blocking-calls -- --offload               # the thread sleep on the blocking pool
//! cargo run -p blocking-calls -- --blocking --debug      # a watchdog warns that the loop was blocked
//! cargo run -p blocking-calls -- --blocking --workers 2  # tokio's multi-thread runtime, 2 workers
//! TIME_SCALE=0.05 cargo run -p blocking-calls -- --blocking --runtime smol
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, Parser};
use timing::{ExampleArgs, Runtime};

/// time.sleep vs asyncio.sleep on tokio, async-std or smol: nine sleeping_func(i) on one
/// loop, stopped after 15 s
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Sleep with std::thread::sleep inside the async function (the seed's time.sleep version)
    #[arg(long, conflicts_with = "offload")]
    blocking: bool,

    /// Run the thread sleep on the runtime's blocking pool (asyncio's run_in_executor)
    #[arg(long)]
    offload: bool,

    /// Start a watchdog that warns when the loop is blocked (asyncio's debug mode)
    #[arg(long)]
    debug: bool,

    /// With --debug: how long, in real seconds, the loop may keep the watchdog's heartbeat
    /// waiting before it warns (asyncio's slow_callback_duration)
    #[arg(long, value_name = "SECS", default_value = "0.1", value_parser = parse_slow, requires = "debug")]
    slow_callback_duration: Duration,

    /// Run the tasks on N worker threads: tokio's multi-thread runtime, or smol's executor on
    /// N threads [default: one thread, like asyncio]. async-std's pool has one thread per core
    /// (ASYNC_STD_THREAD_COUNT sets it), so it does not take this flag.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    workers: Option<u16>,

    #[command(flatten)]
    example: ExampleArgs,
}

/// How `sleeping_func` waits its `i` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// `await asyncio.sleep(i)`: the task is suspended, the loop runs the others.
    Async,
    /// `time.sleep(i)`: the thread sleeps, and no other task runs on it meanwhile.
    Blocking,
    /// `await loop.run_in_executor(None, time.sleep, i)`: a pool thread sleeps, the task awaits it.
    Offload,
}

/// What the command line asked for, handed to the port.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub wait: Wait,
    /// `Some(slow)` starts the watchdog, which warns when the loop misses its beats for `slow`.
    pub watchdog: Option<Duration>,
    /// Worker threads (tokio and smol); `None` runs everything on the calling thread.
    pub workers: Option<usize>,
}

fn parse_slow(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.001..=60.0).contains(&secs) {
        Ok(Duration::from_secs_f64(secs))
    } else {
        Err("must be between 0.001 and 60".into())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.workers.is_some() && cli.example.runtime == Runtime::AsyncStd {
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "--workers is for tokio and smol: async-std runs tasks on its own pool, \
                 sized by ASYNC_STD_THREAD_COUNT",
            )
            .exit();
    }
    cli.example.install();
    let options = Options {
        wait: match (cli.blocking, cli.offload) {
            (true, _) => Wait::Blocking,
            (_, true) => Wait::Offload,
            _ => Wait::Async,
        },
        watchdog: cli.debug.then_some(cli.slow_callback_duration),
        workers: cli.workers.map(usize::from),
    };
    timing::exit_code(match cli.example.runtime {
        Runtime::Tokio => on_tokio::run(options),
        Runtime::AsyncStd => on_async_std::run(options),
        Runtime::Smol => on_smol::run(options),
    })
}
