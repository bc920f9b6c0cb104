//! llama-index's three async utilities from seed 002, `run_async_tasks`, `batch_gather` and
//! `run_jobs`, on tokio ([`on_tokio`]), async-std ([`on_async_std`]) and smol ([`on_smol`]),
//! generic over the jobs they run; and the demo that `cargo run -p jobs` runs through them.
//!
//! Each module is a self-contained port: the utilities first, then the demo (the one part that
//! uses the types below, which the command line fills in).

use std::num::NonZeroUsize;

pub mod on_async_std;
pub mod on_smol;
pub mod on_tokio;

/// What the demo runs: how many seeded jobs, which one fails, and through which utility.
#[derive(Clone, Debug)]
pub struct Demo {
    pub jobs: usize,
    pub fail: Option<usize>,
    pub utility: Utility,
}

/// The utility the demo's jobs go through, with its own arguments.
#[derive(Clone, Debug)]
pub enum Utility {
    RunAsyncTasks {
        show_progress: bool,
    },
    BatchGather {
        batch_size: NonZeroUsize,
    },
    RunJobs {
        workers: NonZeroUsize,
        limit: Limit,
        show_progress: bool,
    },
}

/// How `run_jobs` keeps at most `workers` jobs running.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Limit {
    /// futures' buffer_unordered: the next job starts when any job ends (`run_jobs`)
    #[default]
    BufferUnordered,
    /// llama-index's way: every job waits for a semaphore's permit (`run_jobs_with_semaphore`)
    Semaphore,
    /// futures' buffered: results in order, a slow job holds the next ones back (`run_jobs_buffered`)
    Buffered,
}
