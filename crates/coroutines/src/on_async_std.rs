//! Coroutine function and coroutine object on async-std:
//! `cargo run -p coroutines -- [FUNCTION] --runtime async-std` (FUNCTION is my-function or
//! execute-worker).
//!
//! async-std is discontinued upstream (its README says to use smol instead); this port is here
//! for readers migrating off it: compare it with `on_smol.rs`.

use std::any::type_name_of_val;

use crate::Function;

pub fn run(function: Function) -> anyhow::Result<()> {
    match function {
        Function::MyFunction => demonstrate(my_function),
        Function::ExecuteWorker => demonstrate(execute_worker),
    }
}

// ANCHOR: functions
// Define a coroutine function
async fn my_function() -> &'static str {
    println!("Starting");
    sleep(1.0).await;
    println!("Finished");
    "Result"
}

async fn execute_worker() -> &'static str {
    println!("Worker task initialized");
    sleep(1.0).await; // Non-blocking delay
    println!("Worker task completed");
    "Done"
}
// ANCHOR_END: functions

// ANCHOR: main
async fn main<F, Fut>(coroutine_function: F) -> anyhow::Result<()>
where
    F: Fn() -> Fut,
    // task::spawn hands the future to async-std's executor, a pool of threads: it must own
    // what it uses ('static) and be Send.
    Fut: Future<Output = &'static str> + Send + 'static,
{
    // Calling the function creates the future, a value holding the body's state, and runs
    // none of the body.
    let coro = coroutine_function();
    println!("{}", type_name_of_val(&coroutine_function));
    println!("{}", type_name_of_val(&coro));
    // Nobody polls `coro` during this second, so none of its body runs: no "Starting".
    sleep(1.0).await;
    println!("1 second later, nothing has run");

    // Option 1: await it (from within another async fn). This task polls it until it is done.
    println!("Option 1: await it");
    let result = coro.await;
    println!("{result}");

    // Option 2: spawn it as a task. An executor thread starts polling it at once, whether or
    // not anyone awaits the handle (dropping the JoinHandle detaches the task). Awaiting the
    // handle waits for the task's output; a panic in the task panics here too.
    println!("Option 2: schedule it as a task");
    let task = async_std::task::spawn(coroutine_function());
    let result = task.await;
    println!("{result}");
    Ok(())
}

fn demonstrate<F, Fut>(coroutine_function: F) -> anyhow::Result<()>
where
    F: Fn() -> Fut + Copy,
    Fut: Future<Output = &'static str> + Send + 'static,
{
    // asyncio.run(main(...)): async-std's global executor starts on first use; block_on
    // drives main to completion on this thread.
    async_std::task::block_on(main(coroutine_function))?;

    // Option 3: run it from synchronous code. block_on polls the future on this thread until
    // it is done.
    println!("Option 3: run it from synchronous code");
    let result = async_std::task::block_on(coroutine_function());
    println!("{result}");
    Ok(())
}
// ANCHOR_END: main

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
