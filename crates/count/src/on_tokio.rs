//! Real Python's `countasync.py` on tokio: `cargo run -p count` (tokio is the default runtime).

// ANCHOR: port
use std::time::Instant;

use anyhow::Context;

async fn count() {
    println!("One");
    // The count suspends here, and the next one runs: the three seconds overlap.
    sleep(1.0).await;
    println!("Two");
}

async fn main() {
    // asyncio.gather(count(), count(), count()): join! polls the three counts on this one
    // task, each up to its next await, and returns when all three have returned. (gather
    // wraps each coroutine in a task; the lines and the time are the same.)
    futures::join!(count(), count(), count());
}

pub fn run() -> anyhow::Result<()> {
    let s = Instant::now();
    // asyncio.run(main()): asyncio runs everything on one thread; so does the current-thread
    // runtime.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")?;
    runtime.block_on(main());
    let elapsed = s.elapsed().as_secs_f64();
    // Python prints its own path, `__file__`, here; the port names the script.
    println!("countasync.py executed in {elapsed:.2} seconds.");
    Ok(())
}
// ANCHOR_END: port

// ANCHOR: sleep
/// `asyncio.sleep(secs)`, under the time scale. It waits until a deadline on the program's
/// timeline (see `timing::deadline`), and a zero wait only hands control back once, like
/// `asyncio.sleep(0)`.
async fn sleep(secs: f64) {
    match timing::deadline(secs) {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        // tokio::task::yield_now defers the wake-up, and futures that yield in the same tick
        // then resume last-first; asyncio re-queues them first-first, as this yield does.
        None => futures_lite::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
