//! create-task's three programs on tokio (the default runtime):
//! `cargo run -p create-task -- fetch-data` (or `two-tasks`, `task-worker`).
//!
//! `tokio::spawn` is `asyncio.create_task`: it queues the task on the runtime and returns a
//! `JoinHandle` at once; the task first runs when the code that spawned it awaits. On the
//! current-thread runtime every task runs on this one thread, as asyncio's do.

use anyhow::Context;

// ANCHOR: fetch_data
/// Seed 000, "Creating Tasks API": `fetch_data(123)` runs in the background while `main` does
/// other work.
pub mod fetch_data {
    use anyhow::Context;

    use super::sleep;

    async fn fetch_data(id: u32) -> String {
        println!("Fetching data for {id}...");
        sleep(2.0).await; // Simulating network request
        format!("Data for {id}")
    }

    async fn main() -> anyhow::Result<()> {
        // Create a task that runs in the background. It is only queued: main prints first.
        let task = tokio::spawn(fetch_data(123));

        // Do other work while the task runs concurrently. This wait hands the thread to the
        // task, which prints and starts its own 2-second wait.
        println!("Doing other work...");
        sleep(1.0).await;

        // Wait for the task to complete and get its result: one more second. The handle's
        // error case is a task that panicked or was aborted.
        let result = task.await.context("fetch_data failed")?;
        println!("Task completed with result: {result}");
        Ok(())
    }

    /// `asyncio.run(main())`
    pub fn run() -> anyhow::Result<()> {
        super::runtime()?.block_on(main())
    }
}
// ANCHOR_END: fetch_data

// ANCHOR: two_tasks
/// Seed 001: two tasks running the same coroutine wait at the same time, so the program takes
/// 2 seconds, not 4.
pub mod two_tasks {
    use anyhow::Context;

    use super::sleep;

    async fn fetch_data() {
        println!("Start fetching data...");
        sleep(2.0).await; // Simulate a network delay
        println!("Data fetched!");
    }

    async fn main() -> anyhow::Result<()> {
        let task1 = tokio::spawn(fetch_data());
        let task2 = tokio::spawn(fetch_data());
        // Both tasks start here, when main first waits; task2 has finished too by the time
        // task1 has, so the second await returns at once.
        task1.await.context("task1 failed")?;
        task2.await.context("task2 failed")?;
        Ok(())
    }

    /// `asyncio.run(main())`
    pub fn run() -> anyhow::Result<()> {
        super::runtime()?.block_on(main())
    }
}
// ANCHOR_END: two_tasks

// ANCHOR: task_worker
/// Seed 003, "task, gather, wait": a task's coroutine awaits a nested coroutine, and `main`
/// awaits the task. `stamped!` is the seed's `print`: the process name, then the time since
/// the start.
pub mod task_worker {
    use anyhow::Context;
    use timing::stamped;

    use super::sleep;

    async fn nested_coroutine(i: u32) -> u32 {
        stamped!(label: "MainProcess", "Hello, nested coroutine!");
        sleep(f64::from(i)).await;
        stamped!(label: "MainProcess", "nested coroutine is finished.");
        i
    }

    async fn sleeping_func(i: u32) -> u32 {
        stamped!(label: "MainProcess", "Hello, sleeping_func!");
        // Awaiting a coroutine makes no task: nested_coroutine runs inside this task, and
        // this line waits until it returns.
        let result = nested_coroutine(i).await;
        stamped!(label: "MainProcess", "sleeping_func is finished.");
        result
    }

    async fn main() -> anyhow::Result<()> {
        let task_worker = tokio::spawn(sleeping_func(1));
        // Some concurrent code
        //
        // Python awaits the task, then reads task_worker.result(); awaiting the handle
        // returns the result.
        let result = task_worker.await.context("sleeping_func failed")?;
        stamped!(label: "MainProcess", "{result}");
        Ok(())
    }

    /// `loop.run_until_complete(main())`, then `loop.close()`: the runtime closes when
    /// it is dropped, at the end of this function.
    pub fn run() -> anyhow::Result<()> {
        super::runtime()?.block_on(main())
    }
}
// ANCHOR_END: task_worker

// ANCHOR: runtime
/// asyncio's event loop: the current-thread runtime runs the spawned tasks on this thread, and
/// fires every timer that is due before it polls again.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")
}

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
// ANCHOR_END: runtime
