//! Seed 000's two interleaving tasks on tokio: `cargo run -p interleave` (tokio is the default
//! runtime).

// ANCHOR: port
use anyhow::Context;

async fn task1() {
    println!("[{}] Task 1 started", now());
    // Suspend here: task1 hands the thread back to the runtime, which runs task2.
    sleep(2.0).await;
    println!("[{}] Task 1 resumed after 2s", now());
    // Suspend again; task2 is already waiting, so the thread has nothing to do for a second.
    sleep(1.0).await;
    println!("[{}] Task 1 completed", now());
}

async fn task2() {
    println!("[{}] Task 2 started", now());
    // Suspend here: nothing else is ready, the runtime sleeps until the first timer is due.
    sleep(1.0).await;
    println!("[{}] Task 2 resumed after 1s", now());
    // Suspend again: this wait ends at 3 s, as task1's last one will, and was started first.
    sleep(2.0).await;
    println!("[{}] Task 2 completed", now());
}

async fn main() -> anyhow::Result<()> {
    // Create tasks to run concurrently: both are queued, and start in this order when main
    // awaits.
    let t1 = tokio::spawn(task1());
    let t2 = tokio::spawn(task2());

    // Wait for both tasks to complete. When t1 is done, t2 is too: the second await returns
    // at once.
    t1.await.context("task1 failed")?;
    t2.await.context("task2 failed")?;
    Ok(())
}

pub fn run() -> anyhow::Result<()> {
    // asyncio.run(main()): asyncio runs its tasks on one thread; so does the current-thread
    // runtime, which also fires every timer that is due before it polls again.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")?;
    runtime.block_on(main())
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
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        // tokio::task::yield_now defers the wake-up, and tasks that yield in the same tick
        // then resume last-first; asyncio re-queues them first-first, as this yield does.
        None => futures_lite::future::yield_now().await,
    }
}
// ANCHOR_END: helpers
