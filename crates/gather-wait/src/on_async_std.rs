//! Waiting for several tasks, on async-std: `cargo run -p gather-wait -- wait --runtime
//! async-std` (the programs are `gather`, `wait`, `worker-process`, `as-completed` and
//! `return-exceptions`).
//!
//! async-std is discontinued upstream (its README says to use smol instead); this port is here
//! for readers migrating off it: compare it with `on_smol.rs`.

use anyhow::bail;
use async_std::task::{self, JoinHandle};
use futures::future::join_all;
use futures::stream::{FuturesUnordered, StreamExt};
use futures_lite::FutureExt;
use timing::stamped;

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
    // asyncio.create_task: spawn_local runs the task on this thread, as asyncio does, and it
    // starts at main's next await. (task::spawn would run it on async-std's thread pool.)
    let tasks_workers: Vec<JoinHandle<u64>> = (0..4)
        .map(|i| task::spawn_local(sleeping_func(i)))
        .collect();
    // Some concurrent code
    // asyncio.gather(*tasks_workers): wait until every task has finished; the results come in
    // the order of the list.
    let results = join_all(tasks_workers).await;
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
    // run_until_complete wraps main in. Keep each name next to its handle, as the other ports
    // do (async-std's task::Builder can name a task too).
    let tasks_workers: Vec<(String, JoinHandle<u64>)> = (0..4)
        .map(|i| {
            (
                format!("Task-{}", i + 2),
                task::spawn_local(sleeping_func(i)),
            )
        })
        .collect();
    // Some concurrent code

    let (done, pending) = done_and_pending(tasks_workers, timeout).await;

    for (name, result) in done {
        stamped!(label: "MainProcess", "{name} is finished. Result: {result}");
    }

    // task.cancel() in asyncio only asks, and returns at once; the tasks go at main's next
    // await. cancel() here is a future that asks when it is first polled, then waits until the
    // task is gone: join_all polls every one of them before main waits, so each pending task
    // is cancelled before any of them can run again.
    let cancellations = pending.into_iter().map(|(name, task)| async move {
        stamped!(label: "MainProcess", "{name} is still pending...Cancelling...");
        // The task is dropped where it waits (in its sleep) the next time the executor gets
        // to it, without running another line. Only cancel() does it: dropping the handle
        // would leave the task running, detached.
        (name, task.cancel().await)
    });
    // cancel() gives None for a task it cancelled, and the task's result if it had finished.
    for (name, result) in join_all(cancellations).await {
        if let Some(result) = result {
            bail!("{name} finished with {result} before it was cancelled");
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
) -> (Vec<(String, u64)>, Vec<(String, JoinHandle<u64>)>) {
    let mut results: Vec<Option<u64>> = tasks.iter().map(|_| None).collect();
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
            task::yield_now().await;
        }
        sleep(timeout).await;
    };
    // `or` polls all_finished first: a task that has finished by the time the timer fires is
    // done, as asyncio.wait counts it.
    all_finished.or(timer).await;

    let (mut done, mut pending) = (Vec::new(), Vec::new());
    for ((name, task), result) in tasks.into_iter().zip(results) {
        match result {
            Some(result) => done.push((name, result)),
            None => pending.push((name, task)),
        }
    }
    (done, pending)
}
// ANCHOR_END: done_and_pending

// ANCHOR: worker_process
async fn worker_process(identifier: u32) -> u32 {
    sleep(2.0).await;
    println!("Process {identifier} finished");
    identifier
}

pub fn batch_run() -> anyhow::Result<()> {
    // Calling worker_process only makes a future, as calling it in Python makes a coroutine.
    let tasks: Vec<_> = (0..3).map(worker_process).collect();
    // asyncio.gather wraps each coroutine in a task; join_all polls the futures itself, on the
    // one task it runs in, and returns their results in the order of the list.
    let results = task::block_on(join_all(tasks));
    println!("Results: {results:?}");
    Ok(())
}
// ANCHOR_END: worker_process

// ANCHOR: as_completed
async fn main_as_completed() -> anyhow::Result<()> {
    // The longest first: the results arrive in the order the tasks finish, not in this one.
    let tasks_workers: Vec<JoinHandle<u64>> = (0..4)
        .rev()
        .map(|i| task::spawn_local(sleeping_func(i)))
        .collect();

    // asyncio.as_completed(tasks_workers): a FuturesUnordered of the handles is a stream of
    // their results, in the order the tasks finish.
    let mut next_finished: FuturesUnordered<_> = tasks_workers.into_iter().collect();
    while let Some(result) = next_finished.next().await {
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
    let tasks: Vec<_> = (0..3).map(fallible_worker_process).collect();
    // gather(*tasks, return_exceptions=True): every outcome, Ok or Err, in the order of the
    // list; join_all does just that. (try_join_all is gather without return_exceptions, but
    // at the first Err it drops, and so cancels, the futures still running.)
    let results = task::block_on(join_all(tasks));
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
/// `loop.run_until_complete(main())`: block_on runs the tasks spawn_local makes, on this
/// thread. asyncio wraps main in a task, Task-1, that takes its turn with the other tasks in
/// the order they are woken; so does this. (Left as block_on's own future, main would run
/// before the tasks woken with it, or after them when the executor is already busy running
/// tasks.)
fn run_until_complete<T: 'static>(main: impl Future<Output = T> + 'static) -> T {
    task::block_on(task::spawn_local(main))
}
// ANCHOR_END: event_loop

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
