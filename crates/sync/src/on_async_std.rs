//! The `semaphore` and `event` programs on async-std:
//! `cargo run -p sync -- semaphore --runtime async-std` (or `event`).
//!
//! async-std is discontinued upstream (its README says to use smol instead); this port is here
//! for readers migrating off it: compare it with `on_smol.rs`.

use timing::stamped;

// ANCHOR: semaphore
use std::sync::atomic::{AtomicUsize, Ordering};

// async-std has no semaphore of its own: async-lock's is the one async-std's Mutex comes from.
use async_lock::Semaphore;
use futures::stream::{FuturesUnordered, StreamExt};

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
async fn run_jobs(jobs: Vec<impl Future<Output = ()>>, workers: usize, concurrency: &Concurrency) {
    let semaphore = Semaphore::new(workers);
    // asyncio.gather(*pool_jobs): every worker is polled on this one task, each when it is
    // woken, as asyncio's ready queue runs them; nothing is spawned, so the workers can borrow
    // the semaphore and the counters.
    let pool_jobs: FuturesUnordered<_> = jobs
        .into_iter()
        .map(|job| worker(job, &semaphore, concurrency))
        .collect();
    pool_jobs.collect::<Vec<()>>().await;
}

/// `run_jobs`'s inner `worker`: the job runs only while it holds one of the semaphore's permits.
async fn worker(job: impl Future<Output = ()>, semaphore: &Semaphore, concurrency: &Concurrency) {
    // `async with semaphore:`. acquire() waits while every permit is out; the guard it returns
    // is the permit, given back when `_permit` is dropped at the end of this function, which
    // wakes a waiter. Unlike asyncio's and tokio's, async-lock's semaphore does not promise to
    // serve waiters in the order they came: the jobs that wait may start in another order.
    let _permit = semaphore.acquire().await;
    concurrency.enter();
    job.await;
    concurrency.leave();
}

async fn semaphore_main(jobs: usize, workers: usize) -> anyhow::Result<()> {
    let concurrency = Concurrency::default();
    let job_list = (0..jobs).map(|n| job(n, &concurrency)).collect();
    run_jobs(job_list, workers, &concurrency).await;
    // What the semaphore promises, checked: never more than `workers` jobs at once.
    let peak = concurrency.peak();
    anyhow::ensure!(peak <= workers, "{peak} jobs ran at once, over {workers}");
    println!("{jobs} jobs, at most {workers} at once: peak concurrency {peak}");
    Ok(())
}
// ANCHOR_END: semaphore

// ANCHOR: event
use std::sync::Arc;

// async-std has no event: async-lock's OnceCell, set once and waited for, is one.
use async_lock::OnceCell;
use async_std::task;

async fn waiter(name: String, event: Arc<OnceCell<()>>) {
    stamped!("{name} waiting for the event");
    // event.wait(): returns at once if the event is set, or waits until it is.
    event.wait().await;
    stamped!("{name} released");
}

async fn event_main(waiters: usize) -> anyhow::Result<()> {
    // asyncio.Event(): a OnceCell holding `()`, since the event carries no value.
    let event = Arc::new(OnceCell::new());
    // asyncio.create_task, once per waiter. spawn_local keeps the tasks on this thread, as
    // asyncio does (task::spawn would hand them to async-std's thread pool); they start when
    // main waits, in this order.
    let tasks: Vec<_> = (0..waiters)
        .map(|i| task::spawn_local(waiter(format!("waiter {i}"), Arc::clone(&event))))
        .collect();
    sleep(1.0).await;
    stamped!("setting the event");
    // event.set(): wakes every waiter, in the order they began to wait; they run when main
    // waits next. Setting it again would return an error, where asyncio's set() does nothing;
    // ignoring the result does nothing too.
    let _ = event.set(()).await;
    // asyncio.gather(*tasks)
    for task in tasks {
        task.await;
    }
    // The event stays set: a waiter that comes after set() passes straight through.
    waiter("late waiter".to_string(), event).await;
    Ok(())
}
// ANCHOR_END: event

// ANCHOR: run
pub fn semaphore(jobs: usize, workers: usize) -> anyhow::Result<()> {
    // asyncio.run(semaphore_main(jobs, workers)): block_on drives it on this thread.
    task::block_on(semaphore_main(jobs, workers))
}

pub fn event(waiters: usize) -> anyhow::Result<()> {
    // asyncio.run(event_main(waiters)): block_on drives it, and the tasks it spawns locally,
    // on this thread.
    task::block_on(event_main(waiters))
}
// ANCHOR_END: run

// ANCHOR: sleep
/// `asyncio.sleep(secs)`, under the time scale. It waits until a deadline on the program's
/// timeline (see `timing::deadline`), so waits tied in the document's seconds end together,
/// and a zero wait only hands control back once, like `asyncio.sleep(0)`.
async fn sleep(secs: f64) {
    match timing::deadline(secs) {
        // async-std sleeps only for a duration; async-io, the reactor async-std runs on, has
        // timers for an instant.
        Some(deadline) => {
            async_io::Timer::at(deadline).await;
        }
        None => task::yield_now().await,
    }
}
// ANCHOR_END: sleep
