//! llama-index's async utilities (seed 002, "Some Utility Functions from Llama-Index"), with a
//! demo workload of seeded jobs, on tokio, async-std and smol: `run_async_tasks` runs every job
//! at once (optionally under a progress bar), `batch_gather` runs them in batches, and `run_jobs`
//! runs at most `--workers` at once, with the peak concurrency measured. The ports are
//! `on_tokio.rs`, `on_async_std.rs` and `on_smol.rs` (the library this binary calls), and read
//! the same top to bottom.
//!
//! ```text
//! cargo run -p jobs -- run-jobs                          # 12 jobs, at most 4 at once, on tokio
//! cargo run -p jobs -- run-jobs --workers 2 --limit buffered --runtime smol
//! cargo run -p jobs -- batch-gather --batch-size 4       # "Completed 4 out of 12 tasks", ...
//! cargo run -p jobs -- run-async-tasks --progress        # the bar is drawn on a terminal only
//! cargo run -p jobs -- run-jobs --fail 2                 # job 2 fails: error, exit code 1
//! TIME_SCALE=0.01 cargo run -p jobs -- run-jobs          # a hundred times faster
//! ```

use std::num::NonZeroUsize;
use std::process::ExitCode;

use clap::builder::{RangedU64ValueParser, TypedValueParser};
use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};
use jobs::{Demo, Limit, Utility, on_async_std, on_smol, on_tokio};
use timing::{ExampleArgs, Runtime};

/// The most jobs, workers or batch size the command line takes.
const MOST: u64 = 1_000_000;

/// llama-index's run_async_tasks, batch_gather and run_jobs on tokio, async-std or smol
#[derive(Parser)]
#[command(version, about, arg_required_else_help = false)]
struct Cli {
    #[command(subcommand)]
    utility: Command,

    #[command(flatten)]
    example: ExampleArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Run every job at once (run_async_tasks)
    RunAsyncTasks {
        #[command(flatten)]
        jobs: JobArgs,

        /// Show a progress bar on stderr (drawn only when stderr is a terminal)
        #[arg(long)]
        progress: bool,
    },
    /// Run the jobs in batches, one batch after the other (batch_gather)
    BatchGather {
        #[command(flatten)]
        jobs: JobArgs,

        /// How many jobs each batch runs at once
        #[arg(long, value_name = "B", default_value = "10", value_parser = positive())]
        batch_size: NonZeroUsize,
    },
    /// Run the jobs, at most W at once (run_jobs)
    RunJobs {
        #[command(flatten)]
        jobs: JobArgs,

        /// At most this many jobs at once (llama-index's default is 4)
        #[arg(short = 'w', long, value_name = "W", default_value = "4", value_parser = positive())]
        workers: NonZeroUsize,

        /// How the limit is kept
        #[arg(long, value_enum, default_value_t)]
        limit: Limit,

        /// Show a progress bar on stderr (drawn only when stderr is a terminal)
        #[arg(long)]
        progress: bool,
    },
}

#[derive(Args)]
struct JobArgs {
    /// How many jobs to run; job n waits a seeded 1 to 10 seconds and returns its wait
    #[arg(
        short = 'n',
        long = "jobs",
        value_name = "N",
        default_value_t = 12,
        value_parser = RangedU64ValueParser::<usize>::new().range(0..=MOST)
    )]
    count: usize,

    /// Make job J fail when its wait ends
    #[arg(long, value_name = "J", value_parser = RangedU64ValueParser::<usize>::new().range(0..MOST))]
    fail: Option<usize>,
}

/// A whole number from 1 to MOST: a limit of 0 would never start a job.
fn positive() -> impl TypedValueParser<Value = NonZeroUsize> {
    RangedU64ValueParser::<usize>::new()
        .range(1..=MOST)
        .try_map(NonZeroUsize::try_from)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (args, utility) = match cli.utility {
        Command::RunAsyncTasks { jobs, progress } => (
            jobs,
            Utility::RunAsyncTasks {
                show_progress: progress,
            },
        ),
        Command::BatchGather { jobs, batch_size } => (jobs, Utility::BatchGather { batch_size }),
        Command::RunJobs {
            jobs,
            workers,
            limit,
            progress,
        } => (
            jobs,
            Utility::RunJobs {
                workers,
                limit,
                show_progress: progress,
            },
        ),
    };
    if let Some(fail) = args.fail.filter(|&fail| fail >= args.count) {
        let message = match args.count {
            0 => format!("invalid value '{fail}' for '--fail <J>': there are no jobs"),
            count => format!(
                "invalid value '{fail}' for '--fail <J>': the jobs are numbered 0 to {}",
                count - 1
            ),
        };
        Cli::command()
            .error(ErrorKind::ValueValidation, message)
            .exit();
    }
    cli.example.install();
    let demo = Demo {
        jobs: args.count,
        fail: args.fail,
        utility,
    };
    timing::exit_code(match cli.example.runtime {
        Runtime::Tokio => on_tokio::main(&demo),
        Runtime::AsyncStd => on_async_std::main(&demo),
        Runtime::Smol => on_smol::main(&demo),
    })
}
