//! The hello programs on smol: `cargo run -p hello -- [PROGRAM] --runtime smol` (PROGRAM is
//! guten-morgen, asyncio-run, runner or fetch-data).

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
/// `asyncio.run(main())`: run `main` to its end on this thread.
fn run_main<F: Future>(main: F) -> anyhow::Result<F::Output> {
    // Nothing to start: block_on polls `main` on this thread until it is done. Timers and I/O
    // belong to smol's reactor (async-io), which needs no setup; tasks need an executor, which
    // this program does not use (see `runner`).
    Ok(smol::block_on(main))
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
    use super::sleep;

    async fn main() {
        sleep(1.0).await;
        println!("hey! whats up?");
    }

    pub fn run() -> anyhow::Result<()> {
        // with asyncio.Runner() as runner: a LocalExecutor is asyncio's loop without the
        // timers and I/O (the reactor serves those): a queue of tasks run on one thread.
        let runner = smol::LocalExecutor::new();
        //     runner.run(main())
        // block_on drives the executor until main is done; tasks spawned on it with
        // `runner.spawn` run on this thread meanwhile. Like a Runner, it can run one future
        // after another, and keeps the tasks they spawn between runs.
        smol::block_on(runner.run(main()));
        // The with block ends: Runner.close(). Dropping the executor cancels the tasks left on
        // it: each is dropped where it waits.
        drop(runner);
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
        Some(deadline) => {
            smol::Timer::at(deadline).await;
        }
        None => smol::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
