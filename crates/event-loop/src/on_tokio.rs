//! The event loop by hand, on tokio: `cargo run -p event-loop -- [PROGRAM]` (tokio is the
//! default runtime; PROGRAM is lifecycle, new-event-loop, run-forever or asyncio-run).

use crate::Program;

pub fn run(program: Program) -> anyhow::Result<()> {
    match program {
        Program::Lifecycle => lifecycle::run(),
        Program::NewEventLoop => new_event_loop::run(),
        Program::RunForever => run_forever::run(),
        Program::AsyncioRun => asyncio_run::run(),
    }
}

// ANCHOR: lifecycle
/// Seed 000's "Event Loop Life cycle Methods".
mod lifecycle {
    use anyhow::Context;

    use super::sleep;

    async fn my_coroutine() -> &'static str {
        sleep(1.0).await;
        "Done"
    }

    pub fn run() -> anyhow::Result<()> {
        // Get the event loop: a current-thread runtime, asyncio's one-thread loop. Building it
        // runs nothing yet.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .context("cannot start the tokio runtime")?;

        // Schedule coroutines: the task waits in the runtime's queue until the runtime runs.
        let task = runtime.spawn(my_coroutine());

        // Run until the task completes: block_on runs the runtime on this thread, the task
        // included, until the handle has the task's output.
        // Get the result: the output, or a JoinError if the task panicked or was aborted,
        // where task.result() would raise.
        let result = runtime.block_on(task).context("my_coroutine failed")?;
        println!("{result}");

        // Close the loop when done: dropping the runtime drops the tasks still on it.
        drop(runtime);
        Ok(())
    }
}
// ANCHOR_END: lifecycle

// ANCHOR: new_event_loop
/// Seed 004's "Managing the Event Loop".
mod new_event_loop {
    use anyhow::Context;

    use super::sleep;

    async fn fetch_data() -> &'static str {
        sleep(0.5).await;
        "Data Retrieved"
    }

    pub fn run() -> anyhow::Result<()> {
        // loop = asyncio.new_event_loop()
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .context("cannot start the tokio runtime")?;
        // asyncio.set_event_loop(loop): make it this thread's current runtime, so that code
        // that has no handle to it (tokio::spawn, Handle::current()) finds it, until the guard
        // is dropped. block_on would do so for its own duration anyway.
        let _current = runtime.enter();
        // try: result = loop.run_until_complete(fetch_data())
        let result = runtime.block_on(fetch_data());
        println!("{result}");
        Ok(())
        // finally: loop.close(). Rust's try/finally is Drop: the guard, then the runtime, are
        // dropped here on every way out of this function, an early return or a panic included.
    }
}
// ANCHOR_END: new_event_loop

// ANCHOR: run_forever
/// Seed 003's first program: `call_soon`, `call_later`, `run_forever`.
mod run_forever {
    use anyhow::Context;
    use futures::channel::oneshot;

    use super::sleep;

    pub fn run() -> anyhow::Result<()> {
        // loop = asyncio.get_event_loop()
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .context("cannot start the tokio runtime")?;

        // loop.call_later(2, loop.stop): a task that sleeps 2 seconds, then sends the signal
        // that run_forever (below) waits for. Dropping its JoinHandle detaches it.
        let (stop, stopped) = oneshot::channel();
        runtime.spawn(async move {
            sleep(2.0).await;
            // An error means nobody waits for the signal any more: nothing left to stop.
            let _ = stop.send(());
        });

        // loop.call_soon(print, "Hello!"): runs as soon as the runtime runs.
        runtime.spawn(async { println!("Hello!") });

        // loop.run_forever(): run the runtime, and the tasks above, until the stop signal.
        runtime
            .block_on(stopped)
            .context("the task that stops the loop is gone")?;

        // loop.close(): whatever is still spawned is dropped with the runtime.
        drop(runtime);
        Ok(())
    }
}
// ANCHOR_END: run_forever

// ANCHOR: asyncio_run
/// Seed 002: the `asyncio_run` helper of llama-index's async utilities, and a program that
/// calls it from synchronous code, then from inside a running runtime.
mod asyncio_run {
    use anyhow::Context;

    use super::sleep;

    /// Runs `future` to its end from synchronous code, on a runtime of its own. Called on a
    /// thread that is already running a tokio runtime, it returns an error instead of
    /// blocking: tokio would panic ("Cannot start a runtime from within a runtime").
    pub fn asyncio_run<F: Future>(future: F) -> anyhow::Result<F::Output> {
        // Python asks asyncio.get_event_loop() and catches the RuntimeErrors. tokio answers
        // directly: Handle::try_current finds the runtime whose task or block_on runs this
        // code. (It also finds one entered with Runtime::enter, or the runtime of a
        // spawn_blocking thread, where blocking would be allowed: refusing there is safe.)
        if tokio::runtime::Handle::try_current().is_ok() {
            anyhow::bail!(
                "Detected nested async. This thread is already running a tokio runtime, and \
                 blocking it would panic: await the future instead."
            );
        }
        // return asyncio.run(coro): a new runtime, blocked on, and closed when it is dropped.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .context("cannot start the tokio runtime")?;
        Ok(runtime.block_on(future))
    }

    async fn fetch_data() -> &'static str {
        sleep(0.5).await;
        "Data Retrieved"
    }

    async fn inside_a_running_loop() {
        match asyncio_run(fetch_data()) {
            Ok(result) => println!("{result}"),
            // The refused future is dropped without being polled: none of fetch_data ran.
            // (Python warns "coroutine 'fetch_data' was never awaited"; Rust says nothing.)
            Err(error) => println!("asyncio_run refused: {error}"),
        }
    }

    pub fn run() -> anyhow::Result<()> {
        // From synchronous code: the helper runs the future to its end.
        println!("{}", asyncio_run(fetch_data())?);
        // From async code, while a runtime is running: the helper refuses.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .context("cannot start the tokio runtime")?;
        runtime.block_on(inside_a_running_loop());
        Ok(())
    }
}
// ANCHOR_END: asyncio_run

// ANCHOR: sleep
/// `asyncio.sleep(secs)`, under the time scale. It waits until a deadline on the program's
/// timeline (see `timing::deadline`), and a zero wait only hands control back once, like
/// `asyncio.sleep(0)`.
async fn sleep(secs: f64) {
    match timing::deadline(secs) {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        // tokio::task::yield_now defers the wake-up, and tasks that yield in the same tick
        // then resume last-first; asyncio re-queues them first-first, as this yield does.
        None => futures_lite::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
