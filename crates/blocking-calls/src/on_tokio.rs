//! `time.sleep` vs `asyncio.sleep` on tokio: `cargo run -p blocking-calls -- --blocking` (tokio is the
//! default runtime; drop `--blocking` for the async version, or say `--offload`).

// ANCHOR: port
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::{Options, Wait};

async fn sleeping_func(i: u64, wait: Wait) {
    timing::stamped!(label: "MainProcess", "Hello, sleeping_func!");
    match wait {
        Wait::Async => sleep(i as f64).await,
        // time.sleep(i): this thread sleeps inside a poll. Nothing else runs on it meanwhile:
        // not the other tasks, not the timers, not the stop.
        Wait::Blocking => std::thread::sleep(timing::scaled(i as f64)),
        // run_in_executor(None, time.sleep, i): a thread of tokio's blocking pool sleeps, and
        // this task waits for it like for any other future. An error means the runtime is
        // shutting down and dropped the job: nothing is left to print then.
        Wait::Offload => {
            let nap = timing::scaled(i as f64);
            if tokio::task::spawn_blocking(move || std::thread::sleep(nap))
                .await
                .is_err()
            {
                return;
            }
        }
    }
    timing::stamped!(label: "MainProcess", "Done.");
}

async fn main(options: Options) {
    if let Some(slow) = options.watchdog {
        tokio::spawn(watchdog(slow));
    }
    // loop.call_soon(sleeping_func, i) / loop.create_task(sleeping_func(i)): start them
    // without waiting for them. They first run when this task reaches its first await.
    for i in 1..10 {
        tokio::spawn(sleeping_func(i, options.wait));
    }
    // loop.call_later(15, loop.stop) then loop.run_forever(): this task is the stop timer, and
    // block_on returns when it ends.
    sleep(15.0).await;
    timing::stamped!(label: "MainProcess", "Stopping the loop.");
}

pub fn run(options: Options) -> anyhow::Result<()> {
    // asyncio's loop is one thread; so is tokio's current-thread runtime. With --workers N,
    // the multi-thread runtime (what #[tokio::main] builds) runs tasks on N worker threads.
    let mut builder = match options.workers {
        None => tokio::runtime::Builder::new_current_thread(),
        Some(workers) => {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            builder.worker_threads(workers);
            builder
        }
    };
    let runtime = builder
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")?;
    runtime.block_on(main(options));
    // loop.close(): drop the tasks that have not finished. Dropping the runtime would wait for
    // a worker stuck in a thread sleep; shutdown_background leaves it behind.
    runtime.shutdown_background();
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
        tokio::time::sleep(TICK).await;
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
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        None => futures_lite::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
