//! Waiting for several tasks, on tokio: `cargo run -p gather-wait -- wait` (tokio is the
//! default runtime; the programs are `gather`, `wait`, `worker-process`, `as-completed` and
//! `return-exceptions`).

use anyhow::{Context, bail};
use futures::future::{join_all, try_join_all};
use futures_lite::FutureExt;
use timing::stamped;
use tokio::runtime::Runtime;
use tokio::task::{JoinError, JoinHandle, JoinSet};

// ANCHOR: sleeping_func
async fn nested_coroutine(i: u64) -> u64 {
    stamped!(label: "MainProcess", "Hello, nested coroutine!");
    sleep(i as f64).await;
    stamped!(label: "MainProcess", "nested coroutine is finished.");
    i
}

async fn sleeping_func(i: u64) -> u64 {
    stamped!(label: "MainProcess", "Hello, sleeping_func!");
    let result = nested_coroutine(i).await;
    stamped!(label: "MainProcess", "sleeping_func is finished.");
    result
}
// ANCHOR_END: sleeping_func

// ANCHOR: gather
async fn main_gather() -> anyhow::Result<()> {
    // asyncio.create_task: each task starts at main's next await, as in asyncio (on the
    // multi-threaded runtime, another worker thread could start it at once).
    let tasks_workers: Vec<JoinHandle<u64>> =
        (0..4).map(|i| tokio::spawn(sleeping_func(i))).collect();
    // Some concurrent code
    // asyncio.gather(*tasks_workers): wait until every task has finished; the results come in
    // the order of the list. A handle gives Err(JoinError) if its task panicked.
    let results = try_join_all(tasks_workers)
        .await
        .context("a task panicked")?;
    for result in results {
        stamped!(label: "MainProcess", "{result}");
    }
    Ok(())
}

pub fn gather() -> anyhow::Result<()> {
    run_until_complete(main_gather())
}
// ANCHOR_END: gather

// ANCHOR: wait
async fn main_wait(timeout: f64) -> anyhow::Result<()> {
    // asyncio names its tasks Task-1, Task-2, ... as it creates them, and Task-1 is the one
    // run_until_complete wraps main in. tokio's tasks have ids, not names: keep each name next
    // to its handle.
    let tasks_workers: Vec<(String, JoinHandle<u64>)> = (0..4)
        .map(|i| (format!("Task-{}", i + 2), tokio::spawn(sleeping_func(i))))
        .collect();
    // Some concurrent code

    let (done, pending) = done_and_pending(tasks_workers, timeout).await?;

    for (name, result) in done {
        stamped!(label: "MainProcess", "{name} is finished. Result: {result}");
    }

    let mut cancelled = Vec::new();
    for (name, task) in pending {
        stamped!(label: "MainProcess", "{name} is still pending...Cancelling...");
        // abort() is task.cancel(): it only asks, and returns at once. The task is dropped
        // where it waits (in its sleep) the next time the runtime gets to it, without running
        // another line. Only abort() does it: dropping the handle would leave the task
        // running, detached.
        task.abort();
        cancelled.push((name, task));
    }
    // Awaiting an aborted task's handle waits until it is gone, and gives Err(JoinError) with
    // is_cancelled(). (asyncio's cancelled tasks also go at main's next await: here, before
    // run_until_complete returns.)
    for (name, task) in cancelled {
        match task.await {
            Err(error) if error.is_cancelled() => {}
            Err(error) => return Err(error).context(format!("{name} panicked")),
            Ok(result) => bail!("{name} finished with {result} before it was cancelled"),
        }
    }
    Ok(())
}

pub fn wait(timeout: f64) -> anyhow::Result<()> {
    run_until_complete(main_wait(timeout))
}
// ANCHOR_END: wait

// ANCHOR: done_and_pending
/// `done, pending = await asyncio.wait(tasks, timeout=...)`: waits until every task has
/// finished or the timeout has passed, whichever comes first, and returns the finished tasks
/// with their results and the tasks still running, both in the order they were created.
async fn done_and_pending(
    mut tasks: Vec<(String, JoinHandle<u64>)>,
    timeout: f64,
) -> anyhow::Result<(Vec<(String, u64)>, Vec<(String, JoinHandle<u64>)>)> {
    let mut results: Vec<Option<Result<u64, JoinError>>> = tasks.iter().map(|_| None).collect();
    // Await the handles by reference (`&mut handle` is a future too): when the timeout comes
    // first, the handles of the tasks still running stay in `tasks`, untouched.
    let all_finished = async {
        join_all(
            tasks
                .iter_mut()
                .zip(&mut results)
                .map(|((_, task), result)| async move { *result = Some(task.await) }),
        )
        .await;
    };
    // asyncio's timeout is a timer, and even a timer of 0 s fires only on the loop's next
    // turn, then wakes main on the turn after: every task gets two turns first. (A sleep of 0
    // is a single turn, in asyncio and here.)
    let timer = async {
        if timing::scaled(timeout).is_zero() {
            futures_lite::future::yield_now().await;
        }
        sleep(timeout).await;
    };
    // `or` polls all_finished first: a task that has finished by the time the timer fires is
    // done, as asyncio.wait counts it.
    all_finished.or(timer).await;

    let (mut done, mut pending) = (Vec::new(), Vec::new());
    for ((name, task), result) in tasks.into_iter().zip(results) {
        match result {
            Some(result) => {
                let result = result.with_context(|| format!("{name} panicked"))?;
                done.push((name, result));
            }
            None => pending.push((name, task)),
        }
    }
    Ok((done, pending))
}
// ANCHOR_END: done_and_pending

// ANCHOR: worker_process
async fn worker_process(identifier: u32) -> u32 {
    sleep(2.0).await;
    println!("Process {identifier} finished");
    identifier
}

pub fn batch_run() -> anyhow::Result<()> {
    let event_loop = new_event_loop()?;
    // Calling worker_process only makes a future, as calling it in Python makes a coroutine.
    let tasks: Vec<_> = (0..3).map(worker_process).collect();
    // asyncio.gather wraps each coroutine in a task; join_all polls the futures itself, on the
    // one task it runs in, and returns their results in the order of the list.
    let results = event_loop.block_on(join_all(tasks));
    println!("Results: {results:?}");
    Ok(())
}
// ANCHOR_END: worker_process

// ANCHOR: as_completed
async fn main_as_completed() -> anyhow::Result<()> {
    // The longest first: the results arrive in the order the tasks finish, not in this one.
    let mut tasks_workers = JoinSet::new();
    for i in (0..4).rev() {
        tasks_workers.spawn(sleeping_func(i));
    }

    // asyncio.as_completed(tasks_workers): join_next gives the result of the next task to
    // finish, until none is left. (Dropping a JoinSet aborts the tasks still in it.)
    while let Some(result) = tasks_workers.join_next().await {
        let result = result.context("a task panicked")?;
        stamped!(label: "MainProcess", "Result: {result}");
    }
    Ok(())
}

pub fn as_completed() -> anyhow::Result<()> {
    run_until_complete(main_as_completed())
}
// ANCHOR_END: as_completed

// ANCHOR: return_exceptions
async fn fallible_worker_process(identifier: u32) -> anyhow::Result<u32> {
    sleep(2.0).await;
    if identifier == 1 {
        // raise ValueError(...): a failure the caller is meant to handle is an Err in Rust,
        // not a panic (a panic is a bug, and prints a message of its own).
        bail!("process {identifier} has no data");
    }
    println!("Process {identifier} finished");
    Ok(identifier)
}

pub fn batch_run_return_exceptions() -> anyhow::Result<()> {
    let event_loop = new_event_loop()?;
    let tasks: Vec<_> = (0..3).map(fallible_worker_process).collect();
    // gather(*tasks, return_exceptions=True): every outcome, Ok or Err, in the order of the
    // list; join_all does just that. (try_join_all is gather without return_exceptions, but
    // at the first Err it drops, and so cancels, the futures still running.)
    let results = event_loop.block_on(join_all(tasks));
    for (identifier, result) in results.iter().enumerate() {
        match result {
            Ok(value) => println!("Process {identifier} returned {value}"),
            Err(error) => println!("Process {identifier} failed: {error}"),
        }
    }
    Ok(())
}
// ANCHOR_END: return_exceptions

// ANCHOR: event_loop
/// `asyncio.get_event_loop()`: tokio's current-thread runtime runs every task on this one
/// thread, as asyncio's loop does, and fires every timer that is due before it polls again.
fn new_event_loop() -> anyhow::Result<Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")
}

/// `loop.run_until_complete(main())`. asyncio wraps main in a task, Task-1, that takes its
/// turn with the other tasks in the order they are woken; so does this. (Left as block_on's
/// own future, main would run before every task woken in the same tick, even one whose timer
/// was due before main's.)
fn run_until_complete(
    main: impl Future<Output = anyhow::Result<()>> + Send + 'static,
) -> anyhow::Result<()> {
    let event_loop = new_event_loop()?;
    let main = event_loop.spawn(main);
    event_loop.block_on(main).context("main panicked")?
}
// ANCHOR_END: event_loop

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
