//! `asyncio.Future` on tokio: `cargo run -p future -- delay` and `cargo run -p future --
//! callback` (tokio is the default runtime); `delay --drop`, `delay --twice` and `callback
//! --drop` for our variants.

use std::sync::{Arc, Mutex, PoisonError};

use anyhow::{Context, anyhow};
use futures::FutureExt;
use tokio::sync::oneshot;

use crate::Setter;

// ANCHOR: delay
async fn set_future_after_delay(
    future: oneshot::Sender<String>,
    delay: u32,
    value: &str,
) -> anyhow::Result<()> {
    // Simulate work
    sleep(delay).await;
    // Set the result on the future. `send` takes the sender by value, so it completes the
    // future once: a second `send` does not compile. It fails only if the receiver is gone,
    // when nobody waits for the value any more.
    future
        .send(value.to_owned())
        .map_err(|_| anyhow!("nobody awaits the future any more"))?;
    println!("Future set with value: {value}");
    Ok(())
}

async fn main(setter: Setter) -> anyhow::Result<()> {
    // Create a Future object: a oneshot channel. The sender completes it, the receiver awaits it.
    let (future_setter, mut future) = oneshot::channel();

    // Schedule a task that will eventually set the future's result. It starts when main waits.
    // Dropping a tokio task's handle would leave the task running; main keeps the handles, to
    // collect the tasks' errors at the end.
    let setters = match setter {
        Setter::Once => vec![tokio::spawn(set_future_after_delay(
            future_setter,
            2,
            "Future is complete!",
        ))],
        Setter::Drops => vec![tokio::spawn(async move {
            // Our variant: the task ends without setting the future, and its sender is dropped.
            sleep(2).await;
            drop(future_setter);
            Ok(())
        })],
        Setter::Twice => {
            // Our variant: two tasks set the future. One sender cannot be sent twice, so they
            // share it, and the second finds it gone.
            let shared = Arc::new(Mutex::new(Some(future_setter)));
            ["Future is complete!", "Future is complete, again!"]
                .map(|value| tokio::spawn(set_shared_future_after_delay(shared.clone(), 2, value)))
                .into()
        }
    };

    println!("Waiting for future to complete...");

    // Await the future - this will pause here until the future has a result, or until its
    // sender is dropped without one: then the receiver ends with an error, where asyncio's
    // future would wait forever. (`&mut` keeps the receiver, to print it below.)
    let result = (&mut future)
        .await
        .context("the future was dropped without a value")?;

    println!("Received result: {result}");
    // Python prints the future's repr, result included; Debug is Rust's repr. The value has
    // moved to `result`, and tokio's receiver has let go of the channel: `inner: None`.
    println!("Future state: {future:?}");

    // asyncio logs the error of a task nobody awaited ("Task exception was never retrieved");
    // Rust loses it unless the task's handle is awaited.
    for task in setters {
        task.await
            .context("a task that sets the future panicked")??;
    }
    Ok(())
}

pub fn delay(setter: Setter) -> anyhow::Result<()> {
    // asyncio.run(main()): the current-thread runtime runs every task on this thread, as
    // asyncio does.
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")?
        .block_on(main(setter))
}
// ANCHOR_END: delay

// ANCHOR: twice
/// `set_future_after_delay` for tasks that share the future's sender: the first one to take it
/// sets the future; the next finds `None`, Rust's twin of asyncio's `InvalidStateError`.
async fn set_shared_future_after_delay(
    future: Arc<Mutex<Option<oneshot::Sender<String>>>>,
    delay: u32,
    value: &str,
) -> anyhow::Result<()> {
    sleep(delay).await;
    let taken = future.lock().unwrap_or_else(PoisonError::into_inner).take();
    let future = taken
        .with_context(|| format!("cannot set the future to '{value}': it already has a result"))?;
    future
        .send(value.to_owned())
        .map_err(|_| anyhow!("nobody awaits the future any more"))?;
    println!("Future set with value: {value}");
    Ok(())
}
// ANCHOR_END: twice

// ANCHOR: callback
async fn produce_result(task_id: &str, future_obj: oneshot::Sender<String>, drop_it: bool) {
    sleep(1).await;
    if drop_it {
        // Our variant: the task ends without a result, and the future's sender is dropped.
        return;
    }
    // The callback's task holds the receiver until the value comes: this cannot fail.
    let _ = future_obj.send(format!("Result {task_id}"));
}

/// The done callback. Python's gets the future and the loop (bound by `functools.partial`);
/// this one gets the future's value, and what stops the loop.
fn on_completion(data: String, stop_loop: oneshot::Sender<()>) {
    println!("{data}");
    // loop.stop(): run_forever below waits for this signal.
    let _ = stop_loop.send(());
}

pub fn start_forever_mode(drop_it: bool) -> anyhow::Result<()> {
    // loop = asyncio.get_event_loop()
    let event_loop = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")?;
    // future = Future(loop=loop), and the signal that stops the loop.
    let (future_obj, future) = oneshot::channel();
    let (stop_loop, loop_stopped) = oneshot::channel();
    // Create task: it starts when the loop runs.
    event_loop.spawn(produce_result("A", future_obj, drop_it));
    // Attach callback. A Rust future takes no callbacks; a task that awaits the future and then
    // calls the function is the twin of add_done_callback. If the future is dropped without a
    // value, the callback is not called, and `stop_loop` is dropped with it.
    event_loop.spawn(future.map(move |result| result.map(|data| on_completion(data, stop_loop))));
    // loop.run_forever(): run the tasks until the callback stops the loop.
    let stopped = event_loop.block_on(loop_stopped);
    // loop.close(): dropping the runtime drops the tasks still in it.
    drop(event_loop);
    stopped.map_err(|_| {
        anyhow!("the future was dropped without a value: no callback stopped the loop")
    })
}
// ANCHOR_END: callback

// ANCHOR: sleep
/// `asyncio.sleep(secs)`, under the time scale. It waits until a deadline on the program's
/// timeline (see `timing::deadline`), and a zero wait only hands control back once, like
/// `asyncio.sleep(0)`.
async fn sleep(secs: u32) {
    match timing::deadline(f64::from(secs)) {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        // tokio::task::yield_now defers the wake-up, and tasks that yield in the same tick
        // then resume last-first; asyncio re-queues them first-first, as this yield does.
        None => futures_lite::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
