//! create-task's three programs on async-std:
//! `cargo run -p create-task -- fetch-data --runtime async-std` (or `two-tasks`, `task-worker`).
//!
//! async-std is discontinued upstream (its README says to use smol instead); this port is here
//! for readers migrating off it: compare it with `on_smol.rs`.
//!
//! `task::spawn_local` is `asyncio.create_task`: it queues the task and returns a `JoinHandle`
//! at once; the task first runs when the code that spawned it awaits, on the thread that runs
//! `block_on`, as asyncio's tasks run on the loop's thread. (`task::spawn` would put it on
//! async-std's pool of threads instead; `spawn_local` needs the crate's "unstable" feature.)

// ANCHOR: fetch_data
/// Seed 000, "Creating Tasks API": `fetch_data(123)` runs in the background while `main` does
/// other work.
pub mod fetch_data {
    use async_std::task;

    use super::sleep;

    async fn fetch_data(id: u32) -> String {
        println!("Fetching data for {id}...");
        sleep(2.0).await; // Simulating network request
        format!("Data for {id}")
    }

    async fn main() {
        // Create a task that runs in the background. It is only queued: main prints first.
        let task = task::spawn_local(fetch_data(123));

        // Do other work while the task runs concurrently. This wait hands the thread to the
        // task, which prints and starts its own 2-second wait.
        println!("Doing other work...");
        sleep(1.0).await;

        // Wait for the task to complete and get its result: one more second.
        let result = task.await;
        println!("Task completed with result: {result}");
    }

    /// `asyncio.run(main())`
    pub fn run() -> anyhow::Result<()> {
        task::block_on(main());
        Ok(())
    }
}
// ANCHOR_END: fetch_data

// ANCHOR: two_tasks
/// Seed 001: two tasks running the same coroutine wait at the same time, so the program takes
/// 2 seconds, not 4.
pub mod two_tasks {
    use async_std::task;

    use super::sleep;

    async fn fetch_data() {
        println!("Start fetching data...");
        sleep(2.0).await; // Simulate a network delay
        println!("Data fetched!");
    }

    async fn main() {
        let task1 = task::spawn_local(fetch_data());
        let task2 = task::spawn_local(fetch_data());
        // Both tasks start here, when main first waits; task2 has finished too by the time
        // task1 has, so the second await returns at once.
        task1.await;
        task2.await;
    }

    /// `asyncio.run(main())`
    pub fn run() -> anyhow::Result<()> {
        task::block_on(main());
        Ok(())
    }
}
// ANCHOR_END: two_tasks

// ANCHOR: task_worker
/// Seed 003, "task, gather, wait": a task's coroutine awaits a nested coroutine, and `main`
/// awaits the task. `stamped!` is the seed's `print`: the process name, then the time since
/// the start.
pub mod task_worker {
    use async_std::task;
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

    async fn main() {
        let task_worker = task::spawn_local(sleeping_func(1));
        // Some concurrent code
        //
        // Python awaits the task, then reads task_worker.result(); awaiting the handle
        // returns the result.
        let result = task_worker.await;
        stamped!(label: "MainProcess", "{result}");
    }

    /// `loop.run_until_complete(main())`; async-std's executor is global, so there is no
    /// loop to close.
    pub fn run() -> anyhow::Result<()> {
        task::block_on(main());
        Ok(())
    }
}
// ANCHOR_END: task_worker

// ANCHOR: runtime
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
// ANCHOR_END: runtime
