//! The seed-003 lock example on async-std: `cargo run -p lock -- --runtime async-std`.
//!
//! async-std is discontinued upstream (its README says to use smol instead); this port is here
//! for readers migrating off it: compare it with `on_smol.rs`.

// ANCHOR: port
use std::sync::Arc;

use async_std::sync::Mutex;
use async_std::task;

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

async fn main(use_lock: bool) {
    // asyncio.Lock(): a Mutex that guards nothing, `()`. In Rust a mutex usually owns the data
    // it protects (`Mutex<Vec<Item>>`), so the data cannot be reached without holding the lock.
    // async-std's Mutex is async-lock's, re-exported.
    let lock = Arc::new(Mutex::new(()));
    // asyncio.create_task, twice. spawn_local keeps the tasks on this thread, the one block_on
    // runs on, as asyncio does (task::spawn would hand them to async-std's thread pool, where the
    // two workers would print in parallel, in no fixed order). They start running when main
    // next waits, in the order they were spawned.
    let tasks: Vec<_> = (0..2)
        .map(|_| task::spawn_local(my_worker(Arc::clone(&lock), use_lock)))
        .collect();

    // asyncio.wait(tasks): wait until both have finished.
    for task in tasks {
        task.await;
    }
}

pub fn run(use_lock: bool) -> anyhow::Result<()> {
    // loop.run_until_complete(main()): block_on runs main, and the tasks it spawns locally, on
    // this thread.
    task::block_on(main(use_lock));
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
        // async-std sleeps only for a duration; async-io, the reactor async-std runs on, has
        // timers for an instant.
        Some(deadline) => {
            async_io::Timer::at(deadline).await;
        }
        None => task::yield_now().await,
    }
}
// ANCHOR_END: sleep
