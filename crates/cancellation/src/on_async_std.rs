//! Cancellation on async-std: `cargo run -p cancellation -- --runtime async-std`, and
//! `cargo run -p cancellation -- --runtime async-std --show shield` (or `signal`, `drop`,
//! `blocking`, `busy`) for the rest.
//!
//! async-std is discontinued upstream (its README says to use smol instead); this port is here
//! for readers migrating off it: compare it with `on_smol.rs`.
//!
//! An async-std task is cancelled with `JoinHandle::cancel().await`: the executor drops the
//! task's future at the await it is stopped at, and `cancel` gives `None` once that is done.
//! Tasks run on async-std's executor threads, not on the thread that calls `block_on`.

use std::future::Future;
use std::time::Instant;

use async_std::channel::{Receiver, Sender};
use futures::FutureExt;
use futures_lite::FutureExt as _;
use scopeguard::ScopeGuard;
use timing::stamped;

use crate::Show;

pub fn run(show: Show) -> anyhow::Result<()> {
    // asyncio.run(...): block_on drives the demo on this thread; the tasks it spawns run on
    // async-std's global executor, a pool of threads started on first use.
    async_std::task::block_on(async {
        match show {
            Show::LongOperation => main().await,
            Show::Signal => main_with_signal().await,
            Show::Shield => shield().await,
            Show::Drop => drop_handle().await,
            Show::Blocking => cancel_blocking_work().await,
            Show::Busy => cancel_busy_task().await,
        }
    });
    // Tasks still alive are never dropped: the process ends with them.
    Ok(())
}

// ANCHOR: long_operation
async fn long_operation() -> &'static str {
    // Python's `except asyncio.CancelledError:`. cancel() does not raise anything inside the
    // task: the executor drops its future where it waits, and that drops this guard, whose Drop
    // runs the closure. (`scopeguard::guard` is such a value; `into_inner` below defuses it.)
    let cleanup = scopeguard::guard((), |()| println!("Operation was cancelled, cleaning up..."));
    println!("Starting long operation...");
    sleep(10.0).await; // Long operation
    ScopeGuard::into_inner(cleanup);
    "Operation completed"
}

async fn main() {
    // Create the task: an executor thread starts it at once.
    let task = async_std::task::spawn(long_operation());

    // Let it run for a bit
    sleep(2.0).await;

    // Cancel the task, and await the cancelled task: cancel() returns once the task's future
    // has been dropped, with None (with Some(result) if the task had finished first: asyncio's
    // `await task` returns quietly then too).
    println!("Cancelling task...");
    if task.cancel().await.is_none() {
        println!("Main: task was cancelled");
    }
}
// ANCHOR_END: long_operation

// ANCHOR: signal
async fn long_operation_until(cancelled: Receiver<()>) -> Option<&'static str> {
    println!("Starting long operation...");
    // Cancelling by a signal is cooperative: the task waits for the operation or the signal,
    // whichever comes first, and is never dropped half-way. The signal is a channel that never
    // carries a message: closing it wakes every receiver, whose recv() then fails.
    let operation = async {
        sleep(10.0).await; // Long operation
        Some("Operation completed")
    };
    let cancellation = async {
        let _closed = cancelled.recv().await;
        println!("Operation was cancelled, cleaning up...");
        // Perform any necessary cleanup: unlike a Drop, it can await.
        sleep(1.0).await;
        None // Python re-raises; the task reports that it stopped early.
    };
    operation.or(cancellation).await
}

async fn main_with_signal() {
    let (cancel, cancelled) = async_std::channel::bounded(1);
    let task = async_std::task::spawn(long_operation_until(cancelled));
    sleep(2.0).await;
    println!("Cancelling task...");
    cancel.close();
    // The task ends on its own, after its cleanup: awaiting it waits for that.
    if task.await.is_none() {
        println!("Main: task was cancelled");
    }
}
// ANCHOR_END: signal

// ANCHOR: shield
async fn save_file() -> &'static str {
    println!("Saving file...");
    sleep(3.0).await;
    println!("File saved");
    "saved"
}

async fn request_handler(save: impl Future<Output = &'static str>) {
    let cancelled = scopeguard::guard((), |()| println!("Handler was cancelled; the save goes on"));
    // asyncio.shield(save): awaiting a task never cancels it in Rust. When this handler is
    // cancelled, what gets dropped is its clone of the shared handle, and the save runs on.
    let result = save.await;
    ScopeGuard::into_inner(cancelled);
    println!("Handler: file {result}");
}

async fn shield() {
    // Two awaiters for one task, as in Python: `shared()` gives each its own clone to await.
    let save = async_std::task::spawn(save_file()).shared();
    let handler = async_std::task::spawn(request_handler(save.clone()));
    sleep(1.0).await;
    println!("Cancelling handler...");
    if handler.cancel().await.is_none() {
        println!("Main: handler was cancelled");
    }
    let result = save.await;
    println!("Main: file {result}");
}
// ANCHOR_END: shield

// ANCHOR: drop
/// Does each job it is sent (2 s each) and reports it done, until the jobs channel closes.
async fn worker(jobs: Receiver<u32>, done: Sender<u32>) {
    let cancelled = scopeguard::guard((), |()| stamped!("worker: dropped at its await: cancelled"));
    while let Ok(job) = jobs.recv().await {
        sleep(2.0).await;
        stamped!("worker: job {job} done");
        let _ = done.try_send(job);
    }
    ScopeGuard::into_inner(cancelled);
    stamped!("worker: no more jobs, finished");
}

async fn drop_handle() {
    let (jobs, jobs_rx) = async_std::channel::unbounded();
    let (done_tx, done) = async_std::channel::unbounded();
    let handle = async_std::task::spawn(worker(jobs_rx, done_tx));
    let _ = jobs.try_send(1);
    // Job 1 is done: the worker now waits for the next job.
    let _job_1 = done.recv().await;
    stamped!("Main: dropping the worker's handle, then sending jobs 2 and 3");
    // On async-std this detaches the task: it runs on, and nothing can await or cancel it now.
    drop(handle);
    // (A send fails if the worker is already gone: the count below tells.)
    let _ = jobs.try_send(2);
    let _ = jobs.try_send(3);
    drop(jobs); // no more jobs
    // `done` closes when the worker's future is gone, finished or dropped: it owns the sender.
    let mut more = 0;
    while done.recv().await.is_ok() {
        more += 1;
    }
    match more {
        0 => stamped!("Main: no job done after the drop: the worker was cancelled"),
        n => stamped!("Main: {n} jobs done after the drop: the worker was detached"),
    }
}
// ANCHOR_END: drop

// ANCHOR: blocking
/// Three seconds of work that never awaits: std::thread::sleep stands for a blocking call (a
/// file read, a C library, a long computation). It says when it has started.
fn blocking_job(started: Sender<()>) -> &'static str {
    stamped!("job: started, blocking its thread for 3 s");
    let _ = started.try_send(());
    std::thread::sleep(timing::scaled(3.0));
    stamped!("job: finished");
    "job result"
}

async fn wait_for_job(started: Sender<()>) -> &'static str {
    let cancelled = scopeguard::guard((), |()| {
        stamped!("task: cancelled while it waited for the job")
    });
    // spawn_blocking runs the job on a pool of blocking threads; this task only waits.
    let result = async_std::task::spawn_blocking(move || blocking_job(started)).await;
    ScopeGuard::into_inner(cancelled);
    result
}

async fn cancel_blocking_work() {
    // 1. Cancel a task that waits for a blocking job: the task stops at once; the job's handle,
    //    dropped with it, detaches the job, which runs on (a thread cannot be interrupted).
    let (started, job_started) = async_std::channel::bounded(1);
    let task = async_std::task::spawn(wait_for_job(started));
    // Let the job run for a bit once it has started (a blocking thread can be slow to start,
    // and a job cancelled before it starts never runs at all).
    let _ = job_started.recv().await;
    sleep(1.0).await;
    stamped!("Main: cancelling the task");
    match task.cancel().await {
        None => stamped!("Main: task was cancelled"),
        Some(result) => stamped!("Main: task finished with {result:?}"),
    }
    sleep(3.0).await;

    // 2. Cancel the blocking job's own handle. async-std's spawn_blocking wraps the job in an
    //    async task that waits for it: cancel() stops that wrapper at once, and the job runs on.
    let (started, job_started) = async_std::channel::bounded(1);
    let job = async_std::task::spawn_blocking(move || blocking_job(started));
    let _ = job_started.recv().await;
    sleep(1.0).await;
    stamped!("Main: cancelling the job's handle");
    match job.cancel().await {
        Some(result) => stamped!("Main: cancel() still gave {result:?}"),
        None => stamped!("Main: cancel() gave None: the job's result is thrown away"),
    }
    sleep(3.0).await;
}
// ANCHOR_END: blocking

// ANCHOR: busy
async fn busy() {
    let cancelled = scopeguard::guard((), |()| stamped!("busy: cancelled at its first await"));
    stamped!("busy: computing for 3 s without an await");
    // A CPU-bound loop (a blocking call made right here would do the same): while it runs, this
    // task keeps its thread, and nothing can stop it: cancelling only takes effect at an await.
    let end = Instant::now() + timing::scaled(3.0);
    while Instant::now() < end {
        std::hint::spin_loop();
    }
    stamped!("busy: loop done, awaiting now");
    sleep(1.0).await;
    ScopeGuard::into_inner(cancelled);
    stamped!("busy: finished");
}

async fn cancel_busy_task() {
    let task = async_std::task::spawn(busy());
    // `busy` keeps an executor thread; this task runs on the block_on thread, so it wakes on
    // time, and its cancel() waits until `busy` reaches an await.
    sleep(1.0).await;
    stamped!("Main: cancelling the busy task");
    match task.cancel().await {
        None => stamped!("Main: task was cancelled"),
        Some(()) => stamped!("Main: task finished before the cancel reached it"),
    }
}
// ANCHOR_END: busy

// ANCHOR: sleep
/// `asyncio.sleep(secs)`, under the time scale. It waits until a deadline on the program's
/// timeline (see `timing::deadline`), and a zero wait only hands control back once, like
/// `asyncio.sleep(0)`.
async fn sleep(secs: f64) {
    match timing::deadline(secs) {
        // async-std sleeps only for a duration; async-io, the reactor async-std runs on, has
        // timers for an instant.
        Some(deadline) => {
            async_io::Timer::at(deadline).await;
        }
        None => async_std::task::yield_now().await,
    }
}
// ANCHOR_END: sleep
