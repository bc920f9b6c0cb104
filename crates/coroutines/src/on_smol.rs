//! Coroutine function and coroutine object on smol:
//! `cargo run -p coroutines -- [FUNCTION] --runtime smol` (FUNCTION is my-function or
//! execute-worker).

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
    // smol::spawn hands the future to smol's global executor, which runs on a thread of its
    // own: the future must own what it uses ('static) and be Send.
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

    // Option 2: spawn it as a task. The executor's thread starts polling it at once. Unlike
    // tokio's and async-std's handles, a smol Task cancels the task when it is dropped: await
    // it, as here, or call `.detach()` to let it run on its own.
    println!("Option 2: schedule it as a task");
    let task = smol::spawn(coroutine_function());
    let result = task.await;
    println!("{result}");
    Ok(())
}

fn demonstrate<F, Fut>(coroutine_function: F) -> anyhow::Result<()>
where
    F: Fn() -> Fut + Copy,
    Fut: Future<Output = &'static str> + Send + 'static,
{
    // asyncio.run(main(...)): nothing to start; block_on drives main to completion on this
    // thread (smol's timers run on its reactor, started on first use).
    smol::block_on(main(coroutine_function))?;

    // Option 3: run it from synchronous code. block_on polls the future on this thread until
    // it is done.
    println!("Option 3: run it from synchronous code");
    let result = smol::block_on(coroutine_function());
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
        Some(deadline) => {
            smol::Timer::at(deadline).await;
        }
        None => smol::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
