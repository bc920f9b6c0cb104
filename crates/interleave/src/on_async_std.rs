//! Seed 000's two interleaving tasks on async-std:
//! `cargo run -p interleave -- --runtime async-std`.
//!
//! async-std is discontinued upstream (its README says to use smol instead); this port is here
//! for readers migrating off it: compare it with `on_smol.rs`.

// ANCHOR: port
use async_std::task;

async fn task1() {
    println!("[{}] Task 1 started", now());
    // Suspend here: task1 hands the thread back to the executor, which runs task2.
    sleep(2.0).await;
    println!("[{}] Task 1 resumed after 2s", now());
    // Suspend again; task2 is already waiting, so the thread has nothing to do for a second.
    sleep(1.0).await;
    println!("[{}] Task 1 completed", now());
}

async fn task2() {
    println!("[{}] Task 2 started", now());
    // Suspend here: nothing else is ready, the executor sleeps until the first timer is due.
    sleep(1.0).await;
    println!("[{}] Task 2 resumed after 1s", now());
    // Suspend again: this wait ends at 3 s, as task1's last one will, and was started first.
    sleep(2.0).await;
    println!("[{}] Task 2 completed", now());
}

async fn main() {
    // Create tasks to run concurrently: both are queued, and start in this order when main
    // awaits. spawn_local keeps them on the thread that runs block_on, as asyncio keeps its
    // tasks on one thread; task::spawn would run them on async-std's thread pool, where the
    // two could print at the same moment in either order.
    let t1 = task::spawn_local(task1());
    let t2 = task::spawn_local(task2());

    // Wait for both tasks to complete. When t1 is done, t2 is too: the second await returns
    // at once.
    t1.await;
    t2.await;
}

pub fn run() -> anyhow::Result<()> {
    // asyncio.run(main()): block_on runs main, and the tasks it spawns locally, on this thread.
    task::block_on(main());
    Ok(())
}
// ANCHOR_END: port

// ANCHOR: helpers
/// `time.strftime('%H:%M:%S')`: the local wall-clock time, in the time zone `TZ` or
/// `/etc/localtime` names.
fn now() -> String {
    let now = jiff::Zoned::now();
    format!("{:02}:{:02}:{:02}", now.hour(), now.minute(), now.second())
}

/// `asyncio.sleep(secs)`, under the time scale. It waits until a deadline on the program's
/// timeline (see `timing::deadline`), so the two waits that end at 3 s end at the same instant,
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
// ANCHOR_END: helpers
