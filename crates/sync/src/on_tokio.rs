//! The `semaphore` and `event` programs on tokio: `cargo run -p sync -- semaphore` or
//! `cargo run -p sync -- event` (tokio is the default runtime).

use anyhow::Context;
use timing::stamped;

// ANCHOR: semaphore
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::stream::{FuturesUnordered, TryStreamExt};
use tokio::sync::Semaphore;

/// How many jobs are inside the semaphore now, and the most there ever were at once: the
/// Python program's globals `running` and `peak`.
#[derive(Default)]
struct Concurrency {
    running: AtomicUsize,
    peak: AtomicUsize,
}

impl Concurrency {
    fn enter(&self) {
        let running = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(running, Ordering::SeqCst);
    }

    fn leave(&self) {
        self.running.fetch_sub(1, Ordering::SeqCst);
    }

    fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

async fn job(n: usize, concurrency: &Concurrency) {
    let secs = 1.0 + n as f64 / 2.0;
    let running = concurrency.running();
    stamped!("job {n} started ({running} running), takes {secs:.1} s");
    sleep(secs).await;
    stamped!("job {n} done");
}

/// llama-index's `run_jobs`: run every job, at most `workers` of them at once.
async fn run_jobs(
    jobs: Vec<impl Future<Output = ()>>,
    workers: usize,
    concurrency: &Concurrency,
) -> anyhow::Result<()> {
    let semaphore = Semaphore::new(workers);
    // asyncio.gather(*pool_jobs): every worker is polled on this one task, each when it is
    // woken, as asyncio's ready queue runs them; nothing is spawned, so the workers can borrow
    // the semaphore and the counters.
    let pool_jobs: FuturesUnordered<_> = jobs
        .into_iter()
        .map(|job| worker(job, &semaphore, concurrency))
        .collect();
    pool_jobs.try_collect().await
}

/// `run_jobs`'s inner `worker`: the job runs only while it holds one of the semaphore's permits.
async fn worker(
    job: impl Future<Output = ()>,
    semaphore: &Semaphore,
    concurrency: &Concurrency,
) -> anyhow::Result<()> {
    // `async with semaphore:`. acquire() waits while every permit is out, in a queue: first
    // come, first served. The permit goes back when `_permit` is dropped, at the end of this
    // function, and the first waiter gets it. (A tokio semaphore can be closed, which makes
    // acquire() fail; this one never is.)
    let _permit = semaphore.acquire().await.context("the semaphore closed")?;
    concurrency.enter();
    job.await;
    concurrency.leave();
    Ok(())
}

async fn semaphore_main(jobs: usize, workers: usize) -> anyhow::Result<()> {
    let concurrency = Concurrency::default();
    let job_list = (0..jobs).map(|n| job(n, &concurrency)).collect();
    run_jobs(job_list, workers, &concurrency).await?;
    // What the semaphore promises, checked: never more than `workers` jobs at once.
    let peak = concurrency.peak();
    anyhow::ensure!(peak <= workers, "{peak} jobs ran at once, over {workers}");
    println!("{jobs} jobs, at most {workers} at once: peak concurrency {peak}");
    Ok(())
}
// ANCHOR_END: semaphore

// ANCHOR: event
use std::sync::Arc;

use tokio::sync::SetOnce;

async fn waiter(name: String, event: Arc<SetOnce<()>>) {
    stamped!("{name} waiting for the event");
    // event.wait(): returns at once if the event is set, or waits until it is.
    event.wait().await;
    stamped!("{name} released");
}

async fn event_main(waiters: usize) -> anyhow::Result<()> {
    // asyncio.Event(): tokio's SetOnce, a cell that is set once and can be waited for (its
    // documentation names asyncio.Event as its model). It holds `()`: the event carries no value.
    let event = Arc::new(SetOnce::new());
    // asyncio.create_task, once per waiter: they start when main waits, in this order.
    let tasks: Vec<_> = (0..waiters)
        .map(|i| tokio::spawn(waiter(format!("waiter {i}"), Arc::clone(&event))))
        .collect();
    sleep(1.0).await;
    stamped!("setting the event");
    // event.set(): wakes every waiter, in the order they began to wait; they run when main
    // waits next. Setting it again would return an error, where asyncio's set() does nothing;
    // ignoring the result does nothing too.
    let _ = event.set(());
    // asyncio.gather(*tasks)
    for task in tasks {
        task.await.context("a waiter did not finish")?;
    }
    // The event stays set: a waiter that comes after set() passes straight through.
    waiter("late waiter".to_string(), event).await;
    Ok(())
}
// ANCHOR_END: event

// ANCHOR: run
pub fn semaphore(jobs: usize, workers: usize) -> anyhow::Result<()> {
    // asyncio.run(semaphore_main(jobs, workers))
    current_thread_runtime()?.block_on(semaphore_main(jobs, workers))
}

pub fn event(waiters: usize) -> anyhow::Result<()> {
    // asyncio.run(event_main(waiters))
    current_thread_runtime()?.block_on(event_main(waiters))
}

/// asyncio's twin: one thread runs every task, and every timer that is due fires before the
/// runtime polls again.
fn current_thread_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")
}
// ANCHOR_END: run

// ANCHOR: sleep
/// `asyncio.sleep(secs)`, under the time scale. It waits until a deadline on the program's
/// timeline (see `timing::deadline`), so waits tied in the document's seconds end together,
/// and a zero wait only hands control back once, like `asyncio.sleep(0)`.
async fn sleep(secs: f64) {
    match timing::deadline(secs) {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        // tokio::task::yield_now defers the wake-up, and tasks that yield in the same tick
        // then resume last-first; asyncio re-queues them first-first, as this yield does.
        None => futures_lite::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
