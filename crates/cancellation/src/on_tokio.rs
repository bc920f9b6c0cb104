//! Cancellation on tokio: `cargo run -p cancellation` (tokio is the default runtime), and
//! `cargo run -p cancellation -- --show shield` (or `signal`, `drop`, `blocking`, `busy`) for
//! the rest.
//!
//! A tokio task is cancelled with `JoinHandle::abort`: the runtime drops the task's future at the
//! await it is stopped at, and awaiting the handle then gives a `JoinError` that `is_cancelled`.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use futures::FutureExt;
use scopeguard::ScopeGuard;
use timing::stamped;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tokio::sync::oneshot;
use tokio::task::JoinError;
use tokio_util::sync::CancellationToken;

use crate::Show;

pub fn run(show: Show) -> anyhow::Result<()> {
    // asyncio.run(...): the current-thread runtime runs every task on this thread, between the
    // awaits of the others, as asyncio's loop does.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")?;
    runtime.block_on(async {
        match show {
            Show::LongOperation => main().await,
            Show::Signal => main_with_signal().await,
            Show::Shield => shield().await,
            Show::Drop => drop_handle().await,
            Show::Blocking => cancel_blocking_work().await,
            Show::Busy => cancel_busy_task().await,
        }
    })
    // Dropping the runtime drops every task still alive (their guards run) and waits for the
    // spawn_blocking jobs that have started.
}

// ANCHOR: long_operation
async fn long_operation() -> &'static str {
    // Python's `except asyncio.CancelledError:`. abort() does not raise anything inside the task:
    // the runtime drops its future where it waits, and that drops this guard, whose Drop runs
    // the closure. (`scopeguard::guard` is such a value; `into_inner` below defuses it.)
    let cleanup = scopeguard::guard((), |()| println!("Operation was cancelled, cleaning up..."));
    println!("Starting long operation...");
    sleep(10.0).await; // Long operation
    ScopeGuard::into_inner(cleanup);
    "Operation completed"
}

async fn main() -> anyhow::Result<()> {
    // Create the task: it starts at this task's next await.
    let task = tokio::spawn(long_operation());

    // Let it run for a bit
    sleep(2.0).await;

    // Cancel the task. abort() only asks: the task is dropped the next time the runtime gets to
    // it, which is when this task awaits the handle below.
    println!("Cancelling task...");
    task.abort();

    // Await the cancelled task
    match task.await {
        Err(error) if error.is_cancelled() => println!("Main: task was cancelled"),
        Err(panic) => return Err(panic).context("long_operation panicked"),
        // It finished before the abort reached it: asyncio's `await task` returns quietly too.
        Ok(_) => {}
    }
    Ok(())
}
// ANCHOR_END: long_operation

// ANCHOR: signal
async fn long_operation_until(cancel: CancellationToken) -> Option<&'static str> {
    println!("Starting long operation...");
    // Cancelling by a signal is cooperative: the task waits for the operation or the signal,
    // whichever comes first, and is never dropped half-way. CancellationToken (tokio-util) is
    // tokio's signal: `cancel()` wakes every clone's `cancelled()`.
    tokio::select! {
        () = sleep(10.0) => Some("Operation completed"), // Long operation
        () = cancel.cancelled() => {
            println!("Operation was cancelled, cleaning up...");
            // Perform any necessary cleanup: unlike a Drop, it can await.
            sleep(1.0).await;
            None // Python re-raises; the task reports that it stopped early.
        }
    }
}

async fn main_with_signal() -> anyhow::Result<()> {
    let cancel = CancellationToken::new();
    let task = tokio::spawn(long_operation_until(cancel.clone()));
    sleep(2.0).await;
    println!("Cancelling task...");
    cancel.cancel();
    // The task ends on its own, after its cleanup: awaiting it waits for that.
    if task.await.context("long_operation panicked")?.is_none() {
        println!("Main: task was cancelled");
    }
    Ok(())
}
// ANCHOR_END: signal

// ANCHOR: shield
async fn save_file() -> &'static str {
    println!("Saving file...");
    sleep(3.0).await;
    println!("File saved");
    "saved"
}

async fn request_handler(
    save: impl Future<Output = Result<&'static str, Arc<JoinError>>>,
) -> anyhow::Result<()> {
    let cancelled = scopeguard::guard((), |()| println!("Handler was cancelled; the save goes on"));
    // asyncio.shield(save): awaiting a task never cancels it in Rust. When this handler is
    // aborted, what gets dropped is its clone of the shared handle, and the save runs on.
    let result = save.await.context("the save failed")?;
    ScopeGuard::into_inner(cancelled);
    println!("Handler: file {result}");
    Ok(())
}

async fn shield() -> anyhow::Result<()> {
    // Two awaiters for one task, as in Python: `shared()` gives each its own clone to await.
    // A JoinError cannot be cloned, so it is shared behind an Arc.
    let save = tokio::spawn(save_file())
        .map(|joined| joined.map_err(Arc::new))
        .shared();
    let handler = tokio::spawn(request_handler(save.clone()));
    sleep(1.0).await;
    println!("Cancelling handler...");
    handler.abort();
    match handler.await {
        Err(error) if error.is_cancelled() => println!("Main: handler was cancelled"),
        Err(panic) => return Err(panic).context("the handler panicked"),
        Ok(handled) => handled?,
    }
    let result = save.await.context("the save failed")?;
    println!("Main: file {result}");
    Ok(())
}
// ANCHOR_END: shield

// ANCHOR: drop
/// Does each job it is sent (2 s each) and reports it done, until the jobs channel closes.
async fn worker(mut jobs: UnboundedReceiver<u32>, done: UnboundedSender<u32>) {
    let cancelled = scopeguard::guard((), |()| stamped!("worker: dropped at its await: cancelled"));
    while let Some(job) = jobs.recv().await {
        sleep(2.0).await;
        stamped!("worker: job {job} done");
        let _ = done.send(job);
    }
    ScopeGuard::into_inner(cancelled);
    stamped!("worker: no more jobs, finished");
}

async fn drop_handle() -> anyhow::Result<()> {
    let (jobs, jobs_rx) = tokio::sync::mpsc::unbounded_channel();
    let (done_tx, mut done) = tokio::sync::mpsc::unbounded_channel();
    let handle = tokio::spawn(worker(jobs_rx, done_tx));
    let _ = jobs.send(1);
    // Job 1 is done: the worker now waits for the next job.
    let _job_1 = done.recv().await;
    stamped!("Main: dropping the worker's handle, then sending jobs 2 and 3");
    // On tokio this detaches the task: it runs on, and nothing can await it any more. (To be
    // able to stop it later, keep an AbortHandle: `handle.abort_handle()`.)
    drop(handle);
    // (A send fails if the worker is already gone: the count below tells.)
    let _ = jobs.send(2);
    let _ = jobs.send(3);
    drop(jobs); // no more jobs
    // `done` closes when the worker's future is gone, finished or dropped: it owns the sender.
    let mut more = 0;
    while done.recv().await.is_some() {
        more += 1;
    }
    match more {
        0 => stamped!("Main: no job done after the drop: the worker was cancelled"),
        n => stamped!("Main: {n} jobs done after the drop: the worker was detached"),
    }
    Ok(())
}
// ANCHOR_END: drop

// ANCHOR: blocking
/// Three seconds of work that never awaits: std::thread::sleep stands for a blocking call (a
/// file read, a C library, a long computation). It says when it has started.
fn blocking_job(started: oneshot::Sender<()>) -> &'static str {
    stamped!("job: started, blocking its thread for 3 s");
    let _ = started.send(());
    std::thread::sleep(timing::scaled(3.0));
    stamped!("job: finished");
    "job result"
}

async fn wait_for_job(started: oneshot::Sender<()>) -> anyhow::Result<&'static str> {
    let cancelled = scopeguard::guard((), |()| {
        stamped!("task: cancelled while it waited for the job")
    });
    // spawn_blocking runs the job on tokio's pool of blocking threads; this task only waits.
    let result = tokio::task::spawn_blocking(move || blocking_job(started)).await?;
    ScopeGuard::into_inner(cancelled);
    Ok(result)
}

async fn cancel_blocking_work() -> anyhow::Result<()> {
    // 1. Cancel a task that waits for a blocking job: the task stops at once; the job's handle,
    //    dropped with it, detaches the job, which runs on (a thread cannot be interrupted).
    let (started, job_started) = oneshot::channel();
    let task = tokio::spawn(wait_for_job(started));
    // Let the job run for a bit once it has started (a blocking thread can be slow to start,
    // and a job cancelled before it starts never runs at all).
    let _ = job_started.await;
    sleep(1.0).await;
    stamped!("Main: cancelling the task");
    task.abort();
    match task.await {
        Err(error) if error.is_cancelled() => stamped!("Main: task was cancelled"),
        Err(panic) => return Err(panic).context("the task panicked"),
        Ok(result) => stamped!("Main: task finished with {:?}", result?),
    }
    sleep(3.0).await;

    // 2. Abort the blocking job's own handle: once the job has started, abort has no effect.
    let (started, job_started) = oneshot::channel();
    let job = tokio::task::spawn_blocking(move || blocking_job(started));
    let _ = job_started.await;
    sleep(1.0).await;
    stamped!("Main: aborting the job's handle");
    job.abort();
    match job.await {
        Ok(result) => stamped!("Main: the handle still gave {result:?}: abort had no effect"),
        Err(error) if error.is_cancelled() => stamped!("Main: the job was cancelled"),
        Err(panic) => return Err(panic).context("the job panicked"),
    }
    sleep(3.0).await;
    Ok(())
}
// ANCHOR_END: blocking

// ANCHOR: busy
async fn busy() {
    let cancelled = scopeguard::guard((), |()| stamped!("busy: cancelled at its first await"));
    stamped!("busy: computing for 3 s without an await");
    // A CPU-bound loop (a blocking call made right here would do the same): while it runs, this
    // task keeps the thread, and nothing can stop it: cancelling only takes effect at an await.
    let end = Instant::now() + timing::scaled(3.0);
    while Instant::now() < end {
        std::hint::spin_loop();
    }
    stamped!("busy: loop done, awaiting now");
    sleep(1.0).await;
    ScopeGuard::into_inner(cancelled);
    stamped!("busy: finished");
}

async fn cancel_busy_task() -> anyhow::Result<()> {
    let task = tokio::spawn(busy());
    // On the current-thread runtime this task and `busy` share one thread: this sleep is due at
    // 1 s, but this task cannot run until `busy` reaches an await, at 3 s.
    sleep(1.0).await;
    stamped!("Main: cancelling the busy task");
    task.abort();
    match task.await {
        Err(error) if error.is_cancelled() => stamped!("Main: task was cancelled"),
        Err(panic) => return Err(panic).context("the busy task panicked"),
        Ok(()) => stamped!("Main: task finished before the cancel reached it"),
    }
    Ok(())
}
// ANCHOR_END: busy

// ANCHOR: sleep
/// `asyncio.sleep(secs)`, under the time scale. It waits until a deadline on the program's
/// timeline (see `timing::deadline`), and a zero wait only hands control back once, like
/// `asyncio.sleep(0)`.
async fn sleep(secs: f64) {
    match timing::deadline(secs) {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        // tokio::task::yield_now defers the wake-up, and tasks that yield in the same tick then
        // resume last-first; asyncio re-queues them first-first, as this yield does.
        None => futures_lite::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
