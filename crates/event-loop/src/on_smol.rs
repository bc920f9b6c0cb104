//! The event loop by hand, on smol: `cargo run -p event-loop -- [PROGRAM] --runtime smol`
//! (PROGRAM is lifecycle, new-event-loop, run-forever or asyncio-run).

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
        // Get the event loop: a LocalExecutor, a queue of tasks run on one thread, asyncio's
        // loop without the timers and I/O (smol's reactor serves those to every executor).
        let executor = smol::LocalExecutor::new();

        // Schedule coroutines: the task waits in the executor's queue until the executor runs.
        let task = executor.spawn(my_coroutine());

        // Run until the task completes: block_on runs the executor on this thread, the task
        // included, until the task's output is there.
        // Get the result: awaiting the Task gives its output (a panic in it panics here).
        let result = smol::block_on(executor.run(task));
        println!("{result}");

        // Close the loop when done: dropping the executor cancels the tasks still on it.
        drop(executor);
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
        // loop = asyncio.new_event_loop()
        let executor = smol::LocalExecutor::new();
        // asyncio.set_event_loop(loop): smol has no current executor. Code that spawns tasks
        // is handed the executor (`&executor`), so there is nothing to install.
        // try: result = loop.run_until_complete(fetch_data())
        let result = smol::block_on(executor.run(fetch_data()));
        println!("{result}");
        Ok(())
        // finally: loop.close(). Rust's try/finally is Drop: the executor is dropped here on
        // every way out of this function, an early return or a panic included.
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
        let executor = smol::LocalExecutor::new();

        // loop.call_later(2, loop.stop): a task that sleeps 2 seconds, then sends the signal
        // that run_forever (below) waits for. A smol Task cancels its task when dropped:
        // detach lets it run on its own.
        let (stop, stopped) = oneshot::channel();
        executor
            .spawn(async move {
                sleep(2.0).await;
                // An error means nobody waits for the signal any more: nothing left to stop.
                let _ = stop.send(());
            })
            .detach();

        // loop.call_soon(print, "Hello!"): runs as soon as the executor runs.
        executor.spawn(async { println!("Hello!") }).detach();

        // loop.run_forever(): run the executor, and the tasks above, until the stop signal.
        smol::block_on(executor.run(stopped)).context("the task that stops the loop is gone")?;

        // loop.close(): dropping the executor cancels whatever is still on it.
        drop(executor);
        Ok(())
    }
}
// ANCHOR_END: run_forever

// ANCHOR: asyncio_run
/// Seed 002: the `asyncio_run` helper of llama-index's async utilities, and a program that
/// calls it from synchronous code, then from inside a running runtime.
mod asyncio_run {
    use std::cell::Cell;

    use super::sleep;

    thread_local! {
        /// Whether this thread is inside `block_on` (below). smol keeps no such record: a
        /// program that wants to know has to keep it itself.
        static RUNNING: Cell<bool> = const { Cell::new(false) };
    }

    /// `smol::block_on`, marking this thread as running async code while it blocks.
    fn block_on<T>(future: impl Future<Output = T>) -> T {
        struct Restore(bool);
        impl Drop for Restore {
            fn drop(&mut self) {
                RUNNING.set(self.0);
            }
        }
        let _restore = Restore(RUNNING.replace(true));
        smol::block_on(future)
    }

    /// Runs `future` to its end from synchronous code. Called from inside this module's
    /// `block_on`, it returns an error instead of blocking again: smol would allow it, and
    /// deadlock if the future needs a task that only the outer block_on runs.
    pub fn asyncio_run<F: Future>(future: F) -> anyhow::Result<F::Output> {
        // Python asks asyncio.get_event_loop() and catches the RuntimeErrors; smol cannot be
        // asked, so this port asks the flag its own block_on keeps. A bare smol::block_on
        // further up the stack goes unseen.
        if RUNNING.get() {
            anyhow::bail!(
                "Detected nested async. This thread is already running a smol block_on, and \
                 blocking it again can deadlock: await the future instead."
            );
        }
        // return asyncio.run(coro)
        Ok(block_on(future))
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
        block_on(inside_a_running_loop());
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
        Some(deadline) => {
            smol::Timer::at(deadline).await;
        }
        None => smol::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
