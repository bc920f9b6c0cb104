//! Coroutine function and coroutine object on tokio: `cargo run -p coroutines -- [FUNCTION]`
//! (tokio is the default runtime; FUNCTION is my-function or execute-worker).

use std::any::type_name_of_val;

use anyhow::Context;

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
    // tokio::spawn hands the future to the runtime, which may poll it on any of its threads:
    // it must own what it uses ('static) and be Send, even on this one-thread runtime.
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

    // Option 2: spawn it as a task. The runtime polls it on its own, starting at this task's
    // next await, whether or not anyone awaits the handle (dropping the JoinHandle detaches
    // the task). Awaiting the handle waits for the task's output, or for the panic that
    // ended it (a JoinError).
    println!("Option 2: schedule it as a task");
    let task = tokio::spawn(coroutine_function());
    let result = task.await.context("the task panicked")?;
    println!("{result}");
    Ok(())
}

fn demonstrate<F, Fut>(coroutine_function: F) -> anyhow::Result<()>
where
    F: Fn() -> Fut + Copy,
    Fut: Future<Output = &'static str> + Send + 'static,
{
    // asyncio.run(main(...)): a current-thread runtime, asyncio's one-thread loop.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")?;
    runtime.block_on(main(coroutine_function))?;

    // Option 3: run it from synchronous code. block_on polls the future on this thread until
    // it is done; asyncio.run would start a fresh loop, the runtime can simply be used again.
    println!("Option 3: run it from synchronous code");
    let result = runtime.block_on(coroutine_function());
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
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        // tokio::task::yield_now defers the wake-up, and tasks that yield in the same tick
        // then resume last-first; asyncio re-queues them first-first, as this yield does.
        None => futures_lite::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
