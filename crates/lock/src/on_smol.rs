//! The seed-003 lock example on smol: `cargo run -p lock -- --runtime smol`.

// ANCHOR: port
use std::sync::Arc;

use smol::LocalExecutor;
use smol::lock::Mutex;

/// The notes' `print`: every line stamped with the process name and the time since the start.
fn print(message: &str) {
    timing::stamped!(label: "MainProcess", "{message}");
}

async fn my_worker(lock: Arc<Mutex<()>>, use_lock: bool) {
    print("Attempting to attain lock");

    {
        // `async with lock:`. While the other worker holds the lock, `lock().await` parks this
        // task until the lock is released and the thread runs other tasks. The guard it
        // returns is the lock held: it stays held across the sleep's await, and is released
        // when the guard is dropped at the end of this block.
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

async fn main(ex: &LocalExecutor<'_>, use_lock: bool) {
    // asyncio.Lock(): a Mutex that guards nothing, `()`. In Rust a mutex usually owns the data
    // it protects (`Mutex<Vec<Item>>`), so the data cannot be reached without holding the lock.
    // smol's Mutex is async-lock's, re-exported as `smol::lock`.
    let lock = Arc::new(Mutex::new(()));
    // asyncio.create_task, twice. A LocalExecutor runs its tasks on the thread that runs it, as
    // asyncio does (smol::spawn would hand them to smol's background executor thread). They
    // start running when main next waits, in the order they were spawned.
    let tasks: Vec<_> = (0..2)
        .map(|_| ex.spawn(my_worker(Arc::clone(&lock), use_lock)))
        .collect();

    // asyncio.wait(tasks): wait until both have finished. A smol Task is cancelled when it is
    // dropped, so each one is awaited (or would need `.detach()`).
    for task in tasks {
        task.await;
    }
}

pub fn run(use_lock: bool) -> anyhow::Result<()> {
    // loop.run_until_complete(main()): block_on drives the executor, which runs main and the
    // tasks main spawns, all on this thread.
    let ex = LocalExecutor::new();
    smol::block_on(ex.run(main(&ex, use_lock)));
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
        Some(deadline) => {
            smol::Timer::at(deadline).await;
        }
        None => smol::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
