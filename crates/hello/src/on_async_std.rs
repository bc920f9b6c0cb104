//! The hello programs on async-std: `cargo run -p hello -- [PROGRAM] --runtime async-std`
//! (PROGRAM is guten-morgen, asyncio-run, runner or fetch-data).
//!
//! async-std is discontinued upstream (its README says to use smol instead); this port is here
//! for readers migrating off it: compare it with `on_smol.rs`.

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
    // There is no runtime to build: async-std starts its global executor (a pool of threads for
    // spawned tasks) the first time something needs it, and keeps it until the process exits.
    // block_on polls `main` on this thread until it is done.
    Ok(async_std::task::block_on(main))
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
        // with asyncio.Runner() as runner: async-std has no runtime value to hold, start or
        // close. Its global executor starts on first use and is never shut down: tasks spawned
        // on it and never awaited stop only when the process exits.
        //     runner.run(main())
        async_std::task::block_on(main());
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
        // async-std sleeps only for a duration; async-io, the reactor async-std runs on, has
        // timers for an instant.
        Some(deadline) => {
            async_io::Timer::at(deadline).await;
        }
        None => async_std::task::yield_now().await,
    }
}
// ANCHOR_END: sleep
