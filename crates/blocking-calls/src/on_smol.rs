//! `time.sleep` vs `asyncio.sleep` on smol: `cargo run -p blocking-calls -- --blocking --runtime smol`
//! (drop `--blocking` for the async version, or say `--offload`).

// ANCHOR: port
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use smol::Executor;

use crate::{Options, Wait};

async fn sleeping_func(i: u64, wait: Wait) {
    timing::stamped!(label: "MainProcess", "Hello, sleeping_func!");
    match wait {
        Wait::Async => sleep(i as f64).await,
        // time.sleep(i): this thread sleeps inside a poll. Nothing else runs on it meanwhile:
        // not the other tasks, not the timers, not the stop.
        Wait::Blocking => std::thread::sleep(timing::scaled(i as f64)),
        // run_in_executor(None, time.sleep, i): unblock runs the closure on the `blocking`
        // crate's thread pool, and this task waits for it like for any other future.
        Wait::Offload => {
            let nap = timing::scaled(i as f64);
            smol::unblock(move || std::thread::sleep(nap)).await;
        }
    }
    timing::stamped!(label: "MainProcess", "Done.");
}

async fn main(ex: &Executor<'static>, options: Options) {
    if let Some(slow) = options.watchdog {
        ex.spawn(watchdog(slow)).detach();
    }
    // loop.call_soon(sleeping_func, i) / loop.create_task(sleeping_func(i)): start them
    // without waiting for them. A smol Task is cancelled when dropped: detach() lets it run.
    for i in 1..10 {
        ex.spawn(sleeping_func(i, options.wait)).detach();
    }
    // loop.call_later(15, loop.stop) then loop.run_forever(): this future is the stop timer,
    // and ex.run returns when it ends.
    sleep(15.0).await;
    timing::stamped!(label: "MainProcess", "Stopping the loop.");
}

pub fn run(options: Options) -> anyhow::Result<()> {
    // asyncio's loop is one thread: here the calling thread runs the executor. With
    // --workers N, N - 1 more threads run it too, and take tasks whenever they are free.
    let ex = Arc::new(Executor::new());
    for _ in 1..options.workers.unwrap_or(1) {
        let ex = Arc::clone(&ex);
        std::thread::spawn(move || smol::block_on(ex.run(smol::future::pending::<()>())));
    }
    smol::block_on(ex.run(main(&ex, options)));
    // loop.close(): the tasks that have not finished are left behind, and end with the
    // process (joining a worker stuck in a thread sleep would wait for it).
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
        smol::Timer::after(TICK).await;
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
        Some(deadline) => {
            smol::Timer::at(deadline).await;
        }
        None => smol::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
