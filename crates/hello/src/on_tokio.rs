//! The hello programs on tokio: `cargo run -p hello -- [PROGRAM]` (tokio is the default
//! runtime; PROGRAM is guten-morgen, asyncio-run, runner or fetch-data).

use anyhow::Context;

use crate::Program;

pub fn run(program: Program) -> anyhow::Result<()> {
    match program {
        Program::GutenMorgen => guten_morgen::run(),
        Program::AsyncioRun => asyncio_run::run(),
        Program::Runner => runner::run(),
        Program::FetchData => fetch_data::run(),
    }
}

// ANCHOR: guten_morgen
/// Seed 000's first program: "Guten ...", a second's sleep, "... morgen!".
mod guten_morgen {
    use super::{run_main, sleep};

    async fn main() {
        println!("Guten ...");
        // The only task waits: nothing else is ready, so the thread sleeps until the timer.
        sleep(1.0).await;
        println!("... morgen!");
    }

    pub fn run() -> anyhow::Result<()> {
        run_main(main())
    }
}
// ANCHOR_END: guten_morgen

// ANCHOR: run_main
/// `asyncio.run(main())`: start a runtime, run `main` to its end on this thread, shut the
/// runtime down.
fn run_main<F: Future>(main: F) -> anyhow::Result<F::Output> {
    // asyncio's loop runs on one thread, and so does tokio's current-thread runtime.
    // `enable_time` starts its timer driver (without it, the first sleep panics).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")?;
    // block_on polls `main` on this thread, and runs the tasks main spawns while it waits.
    let output = runtime.block_on(main);
    // asyncio.run closes its loop before it returns; dropping the runtime is that close. Tasks
    // still spawned on it are dropped where they wait (no code of theirs runs again), and the
    // drop waits for the runtime's blocking threads, if it started any.
    drop(runtime);
    Ok(output)
}
// ANCHOR_END: run_main

// ANCHOR: asyncio_run
/// Seed 000's "Runner API": `asyncio.run(main())`.
mod asyncio_run {
    use super::{run_main, sleep};

    async fn main() {
        sleep(1.0).await;
        println!("hey! how are are you?");
    }

    pub fn run() -> anyhow::Result<()> {
        run_main(main())
    }
}
// ANCHOR_END: asyncio_run

// ANCHOR: runner
/// Seed 000's "Runner Context Manager API": `with asyncio.Runner() as runner:`.
mod runner {
    use std::time::Duration;

    use anyhow::Context;

    use super::sleep;

    async fn main() {
        sleep(1.0).await;
        println!("hey! whats up?");
    }

    pub fn run() -> anyhow::Result<()> {
        // with asyncio.Runner() as runner: the runtime is the runner, built step by step.
        let runner = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .context("cannot start the tokio runtime")?;
        //     runner.run(main())
        // Like a Runner, a runtime can block_on one future after another, and keeps the tasks
        // they spawn between runs; `runner.handle()` is the twin of `runner.get_loop()`.
        runner.block_on(main());
        // The with block ends: Runner.close(). shutdown_timeout is the explicit close: it drops
        // the tasks left on the runtime, and gives its blocking threads (none here) five
        // seconds to finish.
        runner.shutdown_timeout(Duration::from_secs(5));
        Ok(())
    }
}
// ANCHOR_END: runner

// ANCHOR: fetch_data
/// Seed 001: a coroutine run on its own, `asyncio.run(fetch_data())`.
mod fetch_data {
    use super::{run_main, sleep};

    async fn fetch_data() {
        println!("Start fetching data...");
        sleep(2.0).await; // Simulate a network delay
        println!("Data fetched!");
    }

    pub fn run() -> anyhow::Result<()> {
        run_main(fetch_data())
    }
}
// ANCHOR_END: fetch_data

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
