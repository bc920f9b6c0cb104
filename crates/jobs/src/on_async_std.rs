//! llama-index's three async utilities (seed 002) on async-std, and the demo that runs seeded
//! jobs through them: `cargo run -p jobs -- run-jobs --runtime async-std` (also
//! `run-async-tasks` and `batch-gather`).
//!
//! async-std is discontinued upstream (its README says to use smol instead); this port is here
//! for readers migrating off it: compare it with `on_smol.rs`.
//!
//! The utilities are generic over the jobs they run: copy this file's first half into an
//! async-std project and call `run_jobs(jobs, false, workers, None).await` with any futures that
//! return a `Result`.

use std::num::NonZeroUsize;

use futures::stream::{self, FuturesUnordered, Stream, StreamExt, TryStreamExt};
use indicatif::{ProgressBar, ProgressFinish, ProgressStyle};

// ANCHOR: run_async_tasks
/// llama-index's `run_async_tasks`: run every task at once, on a runtime of its own, and return
/// their results in input order. The first task to fail ends it with that task's error.
pub fn run_async_tasks<T, E>(
    tasks: Vec<impl Future<Output = Result<T, E>>>,
    show_progress: bool,
    progress_bar_desc: &str,
) -> anyhow::Result<Vec<T>>
where
    anyhow::Error: From<E>,
{
    // The Python tries tqdm's gather, and falls back on asyncio.gather if that raises; here one
    // gather does both, with or without a bar.
    let bar = progress_bar(tasks.len(), show_progress, Some(progress_bar_desc));
    asyncio_run(gather(tasks, bar.as_ref()))
}

// ANCHOR_END: run_async_tasks

// ANCHOR: asyncio_run
/// llama-index's `asyncio_run`: run a future to the end on this thread.
pub fn asyncio_run<T>(future: impl Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    // async-std's global executor starts on first use; block_on drives the future on this
    // thread. Called inside another block_on it works too (Python needs nest_asyncio for that),
    // and holds up the outer one's thread until it returns.
    async_std::task::block_on(future)
}
// ANCHOR_END: asyncio_run

// ANCHOR: gather

/// `asyncio.gather(*aws)`: run every future at once and return their results in input order,
/// moving the progress bar, if there is one, as each ends.
///
/// They are all polled by the task that awaits `gather`, each when it is woken, as asyncio's
/// ready queue runs them. The first error, in time, returns at once: the futures still running
/// are dropped, which cancels them where they wait (asyncio's gather leaves them pending, and
/// they die with the loop).
async fn gather<T, E>(
    aws: impl IntoIterator<Item = impl Future<Output = Result<T, E>>>,
    bar: Option<&ProgressBar>,
) -> anyhow::Result<Vec<T>>
where
    anyhow::Error: From<E>,
{
    let running: FuturesUnordered<_> = aws
        .into_iter()
        .enumerate()
        .map(|(i, aw)| async move { (i, aw.await) })
        .collect();
    in_input_order(running.len(), running, bar).await
}

/// Results that arrive as `(input index, result)` in any order, put back in input order, one
/// step of the bar each. The first error returns at once, and dropping `arrivals` drops the
/// futures behind it.
async fn in_input_order<T, E>(
    len: usize,
    mut arrivals: impl Stream<Item = (usize, Result<T, E>)> + Unpin,
    bar: Option<&ProgressBar>,
) -> anyhow::Result<Vec<T>>
where
    anyhow::Error: From<E>,
{
    let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None).take(len).collect();
    while let Some((i, result)) = arrivals.next().await {
        if let Some(bar) = bar {
            bar.inc(1);
        }
        slots[i] = Some(result?);
    }
    Ok(slots.into_iter().flatten().collect())
}

/// tqdm's twin, if asked for: a bar on stderr, which indicatif draws only when stderr is a
/// terminal, so it never shows in a pipe or a test.
fn progress_bar(len: usize, show_progress: bool, desc: Option<&str>) -> Option<ProgressBar> {
    if !show_progress {
        return None;
    }
    let template = "{msg}{percent:>3}%|{wide_bar}| {pos}/{len} [{elapsed}<{eta}]";
    let style =
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
    // When the bar is dropped it stays as it is, as tqdm's does: full, or where a failure left it.
    let bar = ProgressBar::new(len as u64)
        .with_style(style)
        .with_finish(ProgressFinish::Abandon);
    if let Some(desc) = desc {
        bar.set_message(format!("{desc}: "));
    }
    Some(bar)
}
// ANCHOR_END: gather

// ANCHOR: batch_gather
/// llama-index's `chunks`, without the padding: consecutive batches of `size` items, the last
/// one shorter. (Python's `zip_longest` pads the last batch with `None`, which `batch_gather`
/// then filters out again.)
pub fn chunks<I: IntoIterator>(
    iterable: I,
    size: NonZeroUsize,
) -> impl Iterator<Item = Vec<I::Item>> {
    let mut items = iterable.into_iter();
    std::iter::from_fn(move || {
        let chunk: Vec<_> = items.by_ref().take(size.get()).collect();
        (!chunk.is_empty()).then_some(chunk)
    })
}

/// llama-index's `batch_gather`: run the tasks `batch_size` at a time, each batch with `gather`,
/// so a batch starts when the whole batch before it has ended. Results in input order.
pub async fn batch_gather<T, E>(
    tasks: Vec<impl Future<Output = Result<T, E>>>,
    batch_size: NonZeroUsize,
    verbose: bool,
) -> anyhow::Result<Vec<T>>
where
    anyhow::Error: From<E>,
{
    let total = tasks.len();
    let mut output = Vec::with_capacity(total);
    for task_chunk in chunks(tasks, batch_size) {
        // A failing task ends the batch and returns its error: the batches after it are
        // dropped without ever being polled (Python warns "coroutine was never awaited").
        let output_chunk = gather(task_chunk, None).await?;
        output.extend(output_chunk);
        if verbose {
            println!("Completed {} out of {total} tasks", output.len());
        }
    }
    Ok(output)
}
// ANCHOR_END: batch_gather

// ANCHOR: semaphore
// async-std has no semaphore of its own: async-lock's is the crate its Mutex comes from.
use async_lock::Semaphore;

/// llama-index's `run_jobs`, line for line: every job waits for one of `workers` permits of a
/// semaphore. Results in input order; the first job to fail ends it with that job's error.
///
/// Every job exists from the start, waiting in the semaphore's queue: memory grows with the
/// number of jobs. [`run_jobs`] keeps the same limit without that.
pub async fn run_jobs_with_semaphore<T, E>(
    jobs: impl IntoIterator<Item = impl Future<Output = Result<T, E>>, IntoIter: ExactSizeIterator>,
    show_progress: bool,
    workers: NonZeroUsize,
    desc: Option<&str>,
) -> anyhow::Result<Vec<T>>
where
    anyhow::Error: From<E>,
{
    let semaphore = Semaphore::new(workers.get());
    let jobs = jobs.into_iter();
    let bar = progress_bar(jobs.len(), show_progress, desc);
    let pool_jobs = jobs.map(|job| worker(job, &semaphore));
    // gather polls every worker on this one task, so the workers can borrow the semaphore.
    gather::<T, anyhow::Error>(pool_jobs, bar.as_ref()).await
}

/// `run_jobs`'s inner `worker`: the job runs only while it holds one of the semaphore's permits.
async fn worker<T, E>(
    job: impl Future<Output = Result<T, E>>,
    semaphore: &Semaphore,
) -> anyhow::Result<T>
where
    anyhow::Error: From<E>,
{
    // `async with semaphore:`. The permit goes back when `_permit` is dropped: when the job
    // returns, fails, or is dropped itself. Unlike asyncio's, this semaphore does not promise
    // to let waiters in in the order they came.
    let _permit = semaphore.acquire().await;
    Ok(job.await?)
}
// ANCHOR_END: semaphore

// ANCHOR: run_jobs

/// llama-index's `run_jobs`, the Rust way: at most `workers` jobs at once, results in input
/// order, and the first job to fail ends it with that job's error.
///
/// No semaphore: `buffer_unordered` takes the next job from the iterator whenever one of the
/// `workers` it runs ends, so a job that has not started does not exist yet, and memory stays
/// flat however many jobs there are. Jobs start in input order, as with asyncio's semaphore.
pub async fn run_jobs<T, E>(
    jobs: impl IntoIterator<Item = impl Future<Output = Result<T, E>>, IntoIter: ExactSizeIterator>,
    show_progress: bool,
    workers: NonZeroUsize,
    desc: Option<&str>,
) -> anyhow::Result<Vec<T>>
where
    anyhow::Error: From<E>,
{
    let jobs = jobs.into_iter();
    let (len, bar) = (jobs.len(), progress_bar(jobs.len(), show_progress, desc));
    // Each job carries its place in the list, so its result can be put back there.
    let running = stream::iter(jobs.enumerate())
        .map(|(i, job)| async move { (i, job.await) })
        .buffer_unordered(workers.get());
    in_input_order(len, running, bar.as_ref()).await
}

/// `run_jobs` with `buffered`, `buffer_unordered`'s sibling that hands results out in input
/// order. A job that has ended keeps its place among the `workers` until every job before it has
/// ended: a slow job holds the next ones back, and a failure shows only when the jobs before it
/// are done.
pub async fn run_jobs_buffered<T, E>(
    jobs: impl IntoIterator<Item = impl Future<Output = Result<T, E>>, IntoIter: ExactSizeIterator>,
    show_progress: bool,
    workers: NonZeroUsize,
    desc: Option<&str>,
) -> anyhow::Result<Vec<T>>
where
    anyhow::Error: From<E>,
{
    let jobs = jobs.into_iter();
    let bar = progress_bar(jobs.len(), show_progress, desc);
    // The bar moves as results are handed out, in order.
    let running = stream::iter(jobs).buffered(workers.get()).inspect(|_| {
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    });
    Ok(running.try_collect().await?)
}
// ANCHOR_END: run_jobs

// ANCHOR: demo
use std::cell::Cell;
use std::time::Instant;

use crate::{Demo, Limit, Utility};

/// How many jobs are running now, and the most there ever were at once. One thread runs them
/// all, as asyncio's loop does, so a `Cell` is enough.
#[derive(Default)]
struct Concurrency {
    running: Cell<usize>,
    peak: Cell<usize>,
}

/// One job running: counted in when the job starts, counted out when this is dropped, which
/// happens when the job ends, fails, or is cancelled (Python's `try: ... finally:`).
struct Running<'a>(&'a Concurrency);

impl<'a> Running<'a> {
    fn enter(concurrency: &'a Concurrency) -> Self {
        let running = concurrency.running.get() + 1;
        concurrency.running.set(running);
        concurrency.peak.set(concurrency.peak.get().max(running));
        Running(concurrency)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.set(self.0.running.get() - 1);
    }
}

/// A simulated job: wait `secs` seconds, then return them, or fail if it is the one to fail.
async fn job(n: usize, secs: u64, fail: bool, concurrency: &Concurrency) -> anyhow::Result<u64> {
    let running = Running::enter(concurrency);
    println!(
        "job {n} started ({} running), waits {secs} s",
        concurrency.running.get()
    );
    sleep(secs).await;
    drop(running);
    anyhow::ensure!(!fail, "job {n} failed after {secs} s");
    println!("job {n} done");
    Ok(secs)
}

/// The demo: seeded jobs through the utility the command line names, then their results.
pub fn main(demo: &Demo) -> anyhow::Result<()> {
    pyrandom::seed(270);
    let waits: Vec<u64> = (0..demo.jobs)
        .map(|_| pyrandom::randint(1, 10) as u64)
        .collect();
    let concurrency = Concurrency::default();
    let jobs: Vec<_> = waits
        .iter()
        .enumerate()
        .map(|(n, &secs)| job(n, secs, demo.fail == Some(n), &concurrency))
        .collect();
    let start = Instant::now();
    let results = match demo.utility {
        Utility::RunAsyncTasks { show_progress } => {
            run_async_tasks(jobs, show_progress, "Running async tasks")?
        }
        Utility::BatchGather { batch_size } => asyncio_run(batch_gather(jobs, batch_size, true))?,
        Utility::RunJobs {
            workers,
            limit,
            show_progress,
        } => match limit {
            Limit::BufferUnordered => asyncio_run(run_jobs(jobs, show_progress, workers, None))?,
            Limit::Semaphore => {
                asyncio_run(run_jobs_with_semaphore(jobs, show_progress, workers, None))?
            }
            Limit::Buffered => asyncio_run(run_jobs_buffered(jobs, show_progress, workers, None))?,
        },
    };
    let elapsed = start.elapsed().as_secs_f64();
    println!("results: {results:?}");
    let peak = concurrency.peak.get();
    println!(
        "{} jobs in {elapsed:.2} seconds, peak concurrency {peak}",
        demo.jobs
    );
    Ok(())
}
// ANCHOR_END: demo

// ANCHOR: sleep
/// `asyncio.sleep(secs)`, under the time scale. It waits until a deadline on the program's
/// timeline (see `timing::deadline`), so waits tied in the document's seconds end together,
/// and a zero wait only hands control back once, like `asyncio.sleep(0)`.
async fn sleep(secs: u64) {
    match timing::deadline(secs as f64) {
        // async-std sleeps only for a duration; async-io, the reactor async-std runs on, has
        // timers for an instant.
        Some(deadline) => {
            async_io::Timer::at(deadline).await;
        }
        None => async_std::task::yield_now().await,
    }
}
// ANCHOR_END: sleep
