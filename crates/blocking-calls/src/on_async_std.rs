//! `time.sleep` vs `asyncio.sleep` on async-std:
//! `cargo run -p blocking-calls -- --blocking --runtime async-std` (drop `--blocking` for the async
//! version, or say `--offload`).
//!
//! async-std is discontinued upstream (its README says to use smol instead); this port is here
//! for readers migrating off it: compare it with `on_smol.rs`.

// ANCHOR: port
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_std::task;

use crate::{Options, Wait};

async fn sleeping_func(i: u64, wait: Wait) {
    timing::stamped!(label: "MainProcess", "Hello, sleeping_func!");
    match wait {
        Wait::Async => sleep(i as f64).await,
        // time.sleep(i): this thread sleeps inside a poll. Nothing else runs on it meanwhile;
        // the pool's other threads go on with the other tasks.
        Wait::Blocking => std::thread::sleep(timing::scaled(i as f64)),
        // run_in_executor(None, time.sleep, i): spawn_blocking runs the closure on a thread
        // pool for blocking work, and this task waits for it like for any other future.
        Wait::Offload => {
            let nap = timing::scaled(i as f64);
            task::spawn_blocking(move || std::thread::sleep(nap)).await;
        }
    }
    timing::stamped!(label: "MainProcess", "Done.");
}

async fn main(options: Options) {
    if let Some(slow) = options.watchdog {
        task::spawn(watchdog(slow));
    }
    // loop.call_soon(sleeping_func, i) / loop.create_task(sleeping_func(i)): start them
    // without waiting for them (dropping an async-std JoinHandle detaches the task). They run
    // on async-std's global pool, one thread per core: async-std has no single-threaded
    // executor in its stable API.
    for i in 1..10 {
        task::spawn(sleeping_func(i, options.wait));
    }
    // loop.call_later(15, loop.stop) then loop.run_forever(): this future is the stop timer,
    // and block_on returns when it ends. It runs on this thread, not on the pool.
    sleep(15.0).await;
    timing::stamped!(label: "MainProcess", "Stopping the loop.");
}

pub fn run(options: Options) -> anyhow::Result<()> {
    task::block_on(main(options));
    // loop.close(): the tasks that have not finished are left behind on the pool, and end
    // with the process.
    Ok(())
}
// ANCHOR_END: port

// ANCHOR: watchdog
/// How often the loop beats, and the watchdog looks.
const TICK: Duration = Duration::from_millis(50);

/// asyncio's debug mode warns when one callback ran longer than `slow_callback_duration`.
/// Nothing on a blocked thread can notice that it is blocked, so the watchdog has two halves:
/// this task, on the loop, beats every tick, and a plain thread, off the loop, checks the
/// beats. When the last beat is `slow` old, the loop did not give the task its turn.
async fn watchdog(slow: Duration) {
    let last_beat = Arc::new(Mutex::new(Instant::now()));
    let beats = Arc::clone(&last_beat);
    std::thread::spawn(move || watch(&beats, slow));
    loop {
        *last_beat.lock().unwrap_or_else(PoisonError::into_inner) = Instant::now();
        async_std::task::sleep(TICK).await;
    }
}

/// The thread's half: one warning per stall, as soon as it lasts `slow`.
fn watch(last_beat: &Mutex<Instant>, slow: Duration) {
    let mut warned_about = None;
    loop {
        std::thread::sleep(TICK);
        let beat = *last_beat.lock().unwrap_or_else(PoisonError::into_inner);
        let silence = beat.elapsed();
        if silence >= slow && warned_about != Some(beat) {
            warned_about = Some(beat);
            let secs = silence.as_secs_f64();
            timing::stamped!(label: "watchdog", "WARNING: the loop has been blocked for {secs:.2} s");
        }
    }
}
// ANCHOR_END: watchdog

// ANCHOR: sleep
/// `asyncio.sleep(secs)`, under the time scale. It waits until a deadline on the program's
/// timeline (see `timing::deadline`), and a zero wait only hands control back once.
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
