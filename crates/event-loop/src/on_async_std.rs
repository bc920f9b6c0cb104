//! The event loop by hand, on async-std: `cargo run -p event-loop -- [PROGRAM] --runtime
//! async-std` (PROGRAM is lifecycle, new-event-loop, run-forever or asyncio-run).
//!
//! async-std is discontinued upstream (its README says to use smol instead); this port is here
//! for readers migrating off it: compare it with `on_smol.rs`.

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
    use super::sleep;

    async fn my_coroutine() -> &'static str {
        sleep(1.0).await;
        "Done"
    }

    pub fn run() -> anyhow::Result<()> {
        // Get the event loop: async-std has none to get. Its global executor, a pool of
        // threads, starts the first time a task is spawned, and is never closed.

        // Schedule coroutines: an executor thread starts the task at once; nothing has to run
        // a loop first.
        let task = async_std::task::spawn(my_coroutine());

        // Run until the task completes: block_on waits on this thread for the handle.
        // Get the result: the handle's output (a panic in the task panics here).
        let result = async_std::task::block_on(task);
        println!("{result}");

        // Close the loop when done: there is nothing to close.
        Ok(())
    }
}
// ANCHOR_END: lifecycle

// ANCHOR: new_event_loop
/// Seed 004's "Managing the Event Loop".
mod new_event_loop {
    use super::sleep;

    async fn fetch_data() -> &'static str {
        sleep(0.5).await;
        "Data Retrieved"
    }

    pub fn run() -> anyhow::Result<()> {
        // loop = asyncio.new_event_loop(); asyncio.set_event_loop(loop): async-std has one
        // global executor, created on first use; there is no loop to create or to install.
        // try: result = loop.run_until_complete(fetch_data())
        let result = async_std::task::block_on(fetch_data());
        println!("{result}");
        // finally: loop.close(): nothing to close.
        Ok(())
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
        // loop = asyncio.get_event_loop(): there is none; tasks go to the global executor.

        // loop.call_later(2, loop.stop): a task that sleeps 2 seconds, then sends the signal
        // that run_forever (below) waits for. Dropping its JoinHandle detaches it.
        let (stop, stopped) = oneshot::channel();
        async_std::task::spawn(async move {
            sleep(2.0).await;
            // An error means nobody waits for the signal any more: nothing left to stop.
            let _ = stop.send(());
        });

        // loop.call_soon(print, "Hello!"): an executor thread runs it at once, possibly
        // before this thread reaches run_forever: async-std has no loop that must run first.
        async_std::task::spawn(async { println!("Hello!") });

        // loop.run_forever(): block this thread until the stop signal.
        async_std::task::block_on(stopped).context("the task that stops the loop is gone")?;

        // loop.close(): nothing to close; tasks still spawned stop when the process exits.
        Ok(())
    }
}
// ANCHOR_END: run_forever

// ANCHOR: asyncio_run
/// Seed 002: the `asyncio_run` helper of llama-index's async utilities, and a program that
/// calls it from synchronous code, then from inside a running runtime.
mod asyncio_run {
    use super::sleep;

    /// Runs `future` to its end from synchronous code. Called from inside an async-std task
    /// (block_on runs its future as one), it returns an error instead of blocking that task's
    /// thread: async-std would allow it, and deadlock if the future needs that thread.
    pub fn asyncio_run<F: Future>(future: F) -> anyhow::Result<F::Output> {
        // Python asks asyncio.get_event_loop() and catches the RuntimeErrors. async-std
        // answers directly: task::try_current is the task running this code, if any.
        if async_std::task::try_current().is_some() {
            anyhow::bail!(
                "Detected nested async. This thread is already running an async-std task, and \
                 blocking it can deadlock: await the future instead."
            );
        }
        // return asyncio.run(coro): block_on on the global executor.
        Ok(async_std::task::block_on(future))
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
        async_std::task::block_on(inside_a_running_loop());
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
        // async-std sleeps only for a duration; async-io, the reactor async-std runs on, has
        // timers for an instant.
        Some(deadline) => {
            async_io::Timer::at(deadline).await;
        }
        None => async_std::task::yield_now().await,
    }
}
// ANCHOR_END: sleep
