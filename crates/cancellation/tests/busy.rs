//! A task that runs 3 s without reaching an await (`--show busy`, alias `never-awaits`): when
//! the canceller gets to run, and when the cancel takes effect, per runtime. The three runtimes
//! run one after the other, not at once: each run keeps a core busy on purpose, and three at
//! once on two cores would delay the very wake-ups the test times.

mod common;

use common::{Timeline, assert_timeline};
use testkit::{RUNTIMES, stdout_of_success};

/// 1 s in the program is 0.2 s here: the cancel at 1 s and the await at 3 s stay 400 ms apart.
const SCALE: f64 = 0.2;

fn busy(runtime: &str, show: &str) -> String {
    let output = testkit::command(
        env!("CARGO_BIN_EXE_cancellation"),
        &[
            "--show",
            show,
            "--runtime",
            runtime,
            "--time-scale",
            &SCALE.to_string(),
        ],
    )
    .output()
    .expect("the binary runs");
    stdout_of_success(runtime, &output)
}

/// tokio's current-thread runtime: main shares the thread with the busy task, so its wake-up,
/// due at 1 s, waits until the busy task reaches an await at 3 s.
const BUSY_ONE_THREAD: Timeline = &[
    (0.0, "busy: computing for 3 s without an await"),
    (3.0, "busy: loop done, awaiting now"),
    (3.0, "Main: cancelling the busy task"),
    (3.0, "busy: cancelled at its first await"),
    (3.0, "Main: task was cancelled"),
];

/// async-std and smol: the busy task runs on an executor thread, main on the block_on thread:
/// main cancels on time, at 1 s, and the cancel takes effect at the busy task's await, at 3 s.
const BUSY_EXECUTOR_THREAD: Timeline = &[
    (0.0, "busy: computing for 3 s without an await"),
    (1.0, "Main: cancelling the busy task"),
    (3.0, "busy: loop done, awaiting now"),
    (3.0, "busy: cancelled at its first await"),
    (3.0, "Main: task was cancelled"),
];

#[test]
fn a_task_that_does_not_await_is_cancelled_only_at_its_first_await() {
    for runtime in RUNTIMES {
        let expected = match runtime {
            "tokio" => BUSY_ONE_THREAD,
            _ => BUSY_EXECUTOR_THREAD,
        };
        assert_timeline(runtime, &busy(runtime, "busy"), expected, SCALE);
    }
}

#[test]
fn never_awaits_is_another_name_for_busy() {
    assert_timeline(
        "tokio",
        &busy("tokio", "never-awaits"),
        BUSY_ONE_THREAD,
        SCALE,
    );
}
