//! Many trivial jobs (100,000 by default) through the ports' `run_jobs` with 10 workers, or
//! through a bare `buffer_unordered(10)`, to measure time and peak memory (the chapter's numbers):
//!
//! ```text
//! cargo build --release -p jobs --example many_jobs
//! /usr/bin/time -v target/release/examples/many_jobs --runtime smol     # run_jobs
//! /usr/bin/time -v target/release/examples/many_jobs --runtime smol --bare
//! /usr/bin/time -v target/release/examples/many_jobs --runtime smol --limit semaphore
//! target/release/examples/many_jobs --runtime smol --rounds 61   # run_jobs against bare, timed
//! ```
//!
//! A trivial job yields once (as `asyncio.sleep(0)` does) and returns its number. The jobs are
//! made as they are needed, from an iterator, so only what a utility keeps alive is measured.

use std::convert::Infallible;
use std::num::NonZeroUsize;
use std::time::{Duration, Instant};

use anyhow::ensure;
use clap::Parser;
use futures::stream::{self, StreamExt, TryStreamExt};
use jobs::{Limit, on_async_std, on_smol, on_tokio};
use timing::Runtime;

/// Many trivial jobs through run_jobs, or through a bare buffer_unordered
#[derive(Parser)]
struct Cli {
    #[arg(long, value_enum, default_value_t)]
    runtime: Runtime,

    /// Which of the ports' run_jobs runs them
    #[arg(long, value_enum, default_value_t)]
    limit: Limit,

    /// Run them with `stream::iter(jobs).buffer_unordered(workers)` instead of a port's run_jobs
    #[arg(long)]
    bare: bool,

    #[arg(long, default_value_t = 100_000)]
    jobs: usize,

    #[arg(long, default_value = "10")]
    workers: NonZeroUsize,

    /// Time this many rounds, each one run_jobs and one bare, and print the medians
    #[arg(long)]
    rounds: Option<usize>,
}

async fn trivial(n: usize) -> Result<usize, Infallible> {
    futures_lite::future::yield_now().await;
    Ok(n)
}

async fn through(cli: &Cli, bare: bool) -> anyhow::Result<Vec<usize>> {
    let jobs = (0..cli.jobs).map(trivial);
    let workers = cli.workers;
    if bare {
        let bare = stream::iter(jobs).buffer_unordered(workers.get());
        return Ok(bare.try_collect().await?);
    }
    match (cli.runtime, cli.limit) {
        (Runtime::Tokio, Limit::Semaphore) => {
            on_tokio::run_jobs_with_semaphore(jobs, false, workers, None).await
        }
        (Runtime::Tokio, Limit::BufferUnordered) => {
            on_tokio::run_jobs(jobs, false, workers, None).await
        }
        (Runtime::Tokio, Limit::Buffered) => {
            on_tokio::run_jobs_buffered(jobs, false, workers, None).await
        }
        (Runtime::AsyncStd, Limit::Semaphore) => {
            on_async_std::run_jobs_with_semaphore(jobs, false, workers, None).await
        }
        (Runtime::AsyncStd, Limit::BufferUnordered) => {
            on_async_std::run_jobs(jobs, false, workers, None).await
        }
        (Runtime::AsyncStd, Limit::Buffered) => {
            on_async_std::run_jobs_buffered(jobs, false, workers, None).await
        }
        (Runtime::Smol, Limit::Semaphore) => {
            on_smol::run_jobs_with_semaphore(jobs, false, workers, None).await
        }
        (Runtime::Smol, Limit::BufferUnordered) => {
            on_smol::run_jobs(jobs, false, workers, None).await
        }
        (Runtime::Smol, Limit::Buffered) => {
            on_smol::run_jobs_buffered(jobs, false, workers, None).await
        }
    }
}

/// Runs the jobs once on a runtime of their own, checks the results and returns the time taken.
fn run(cli: &Cli, bare: bool) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let results = match cli.runtime {
        Runtime::Tokio => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(through(cli, bare))?,
        Runtime::AsyncStd => async_std::task::block_on(through(cli, bare))?,
        Runtime::Smol => smol::block_on(through(cli, bare))?,
    };
    let elapsed = start.elapsed();
    ensure!(results.len() == cli.jobs, "{} results", results.len());
    if !bare {
        ensure!(
            results.iter().copied().eq(0..cli.jobs),
            "results out of order"
        );
    }
    Ok(elapsed)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let Some(rounds) = cli.rounds.filter(|&rounds| rounds > 0) else {
        let elapsed = run(&cli, cli.bare)?;
        println!("{} jobs in {elapsed:.2?}", cli.jobs);
        return Ok(());
    };
    let (mut ours, mut bare) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        ours.push(run(&cli, false)?);
        bare.push(run(&cli, true)?);
    }
    let (ours, bare) = (median(ours), median(bare));
    let ratio = ours.as_secs_f64() / bare.as_secs_f64();
    println!(
        "{} jobs, median of {rounds}: {ours:.2?} against bare {bare:.2?} ({ratio:.2}x)",
        cli.jobs
    );
    Ok(())
}
