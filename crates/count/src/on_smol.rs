//! Real Python's `countasync.py` on smol: `cargo run -p count -- --runtime smol`.

// ANCHOR: port
use std::time::Instant;

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
    // asyncio.run(main()): block_on drives main to completion on this thread (smol's timers
    // run on its reactor thread, started on first use).
    smol::block_on(main());
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
        Some(deadline) => {
            smol::Timer::at(deadline).await;
        }
        None => smol::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
