//! The seed-003 lock example on tokio: `cargo run -p lock` (tokio is the default runtime).

// ANCHOR: port
use std::sync::Arc;

use anyhow::Context;
use tokio::sync::Mutex;

/// The notes' `print`: every line stamped with the process name and the time since the start.
fn print(message: &str) {
    timing::stamped!(label: "MainProcess", "{message}");
}

async fn my_worker(lock: Arc<Mutex<()>>, use_lock: bool) {
    print("Attempting to attain lock");

    {
        // `async with lock:`. While the other worker holds the lock, `lock().await` parks this
        // task in the lock's queue (first come, first served) and the thread runs other tasks.
        // The guard it returns is the lock held: it stays held across the sleep's await, and is
        // released when the guard is dropped at the end of this block.
        let _guard = if use_lock {
            Some(lock.lock().await)
        } else {
            None
        };
        print("Currently locked");
        sleep(2.0).await;
    }

    print("Unlocked from critical section");
}

async fn main(use_lock: bool) -> anyhow::Result<()> {
    // asyncio.Lock(): a Mutex that guards nothing, `()`. In Rust a mutex usually owns the data
    // it protects (`Mutex<Vec<Item>>`), so the data cannot be reached without holding the lock.
    let lock = Arc::new(Mutex::new(()));
    // asyncio.create_task, twice. Tasks start running when main next waits, in the order they
    // were spawned. tokio::spawn wants a future that owns what it uses (`'static`) and may move
    // between threads (`Send`), even on this one-thread runtime: hence the Arc.
    let tasks: Vec<_> = (0..2)
        .map(|_| tokio::spawn(my_worker(Arc::clone(&lock), use_lock)))
        .collect();

    // asyncio.wait(tasks): wait until both have finished. A JoinHandle gives an error if its
    // task panicked or was aborted.
    for task in tasks {
        task.await.context("a worker did not finish")?;
    }
    Ok(())
}

pub fn run(use_lock: bool) -> anyhow::Result<()> {
    // loop.run_until_complete(main()): asyncio runs everything on one thread, and so does tokio's
    // current-thread runtime; both workers' tasks run on it, taking turns at their awaits.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")?;
    runtime.block_on(main(use_lock))?;
    print("All workers completed.");
    Ok(())
}
// ANCHOR_END: port

// ANCHOR: sleep
/// `asyncio.sleep(secs)`, under the time scale. It waits until a deadline on the program's
/// timeline (see `timing::deadline`), so waits tied in the document's seconds end together,
/// and a zero wait only hands control back once, like `asyncio.sleep(0)`.
async fn sleep(secs: f64) {
    match timing::deadline(secs) {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        // tokio::task::yield_now defers the wake-up, and tasks that yield in the same tick
        // then resume last-first; asyncio re-queues them first-first, as this yield does.
        None => futures_lite::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
