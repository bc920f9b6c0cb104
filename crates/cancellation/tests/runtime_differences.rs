//! The demos without a Python original where timing is not the point, or does not get in the
//! way: dropping a task's handle, and cancelling blocking work. Each runs the real binary on
//! every runtime at once and checks, per runtime, the lines it prints (and, for the blocking
//! work, when: its `[ 1.00s]` stamps against the ideal timeline in the program's seconds).

mod common;

use common::{Timeline, assert_timeline, messages};

fn run_on_every_runtime(show: &str, scale: f64) -> Vec<(&'static str, String)> {
    testkit::run_on_every_runtime(env!("CARGO_BIN_EXE_cancellation"), &["--show", show], scale)
}

/// tokio and async-std: the dropped handle detached the worker, which does jobs 2 and 3.
const DROP_DETACHES: &[&str] = &[
    "worker: job 1 done",
    "Main: dropping the worker's handle, then sending jobs 2 and 3",
    "worker: job 2 done",
    "worker: job 3 done",
    "worker: no more jobs, finished",
    "Main: 2 jobs done after the drop: the worker was detached",
];

/// smol: dropping the Task cancelled the worker where it waited; its guard ran at once.
const DROP_CANCELS: &[&str] = &[
    "worker: job 1 done",
    "Main: dropping the worker's handle, then sending jobs 2 and 3",
    "worker: dropped at its await: cancelled",
    "Main: no job done after the drop: the worker was cancelled",
];

/// main drops the handle when the worker reports job 1 done, not at a moment, so the outcome
/// does not depend on time: the same lines with waits, and with no waiting at all. (Stamps are
/// not checked: when a line comes says nothing about dropping.)
#[test]
fn dropping_the_handle_detaches_on_tokio_and_async_std_and_cancels_on_smol() {
    for scale in [0.1, 0.0] {
        for (runtime, transcript) in run_on_every_runtime("drop", scale) {
            let expected = match runtime {
                "smol" => DROP_CANCELS,
                _ => DROP_DETACHES,
            };
            assert_eq!(
                messages(&transcript),
                expected,
                "{runtime} at {scale}:\n{transcript}"
            );
        }
    }
}

/// Part 1 on every runtime: the task waiting for the job is cancelled at once, at 1 s; the job
/// cannot be interrupted and runs to its end at 3 s anyway.
const BLOCKING_TASK_CANCELLED: Timeline = &[
    (0.0, "job: started, blocking its thread for 3 s"),
    (1.0, "Main: cancelling the task"),
    (1.0, "task: cancelled while it waited for the job"),
    (1.0, "Main: task was cancelled"),
    (3.0, "job: finished"),
    (4.0, "job: started, blocking its thread for 3 s"),
];

/// Part 2, tokio: abort on a running spawn_blocking job has no effect; awaiting its handle
/// gives the job's result when the job ends, at 7 s.
const BLOCKING_ABORT_TOKIO: Timeline = &[
    (5.0, "Main: aborting the job's handle"),
    (7.0, "job: finished"),
    (
        7.0,
        "Main: the handle still gave \"job result\": abort had no effect",
    ),
];

/// Part 2, async-std: cancel() stops spawn_blocking's async wrapper at once, at 5 s; the job
/// runs on and ends at 7 s, its result thrown away.
const BLOCKING_CANCEL_ASYNC_STD: Timeline = &[
    (5.0, "Main: cancelling the job's handle"),
    (
        5.0,
        "Main: cancel() gave None: the job's result is thrown away",
    ),
    (7.0, "job: finished"),
];

/// Part 2, smol: cancel() on unblock's Task waits for the running job to end, at 7 s, and
/// throws its result away.
const BLOCKING_CANCEL_SMOL: Timeline = &[
    (5.0, "Main: cancelling the job's handle"),
    (7.0, "job: finished"),
    (
        7.0,
        "Main: cancel() gave None: the job's result is thrown away",
    ),
];

#[test]
fn blocking_jobs_run_to_their_end_whatever_cancels_them() {
    // 1 s is 0.2 s here: a blocking thread that starts late under load must not reorder lines.
    let scale = 0.2;
    for (runtime, transcript) in run_on_every_runtime("blocking", scale) {
        let part2 = match runtime {
            "tokio" => BLOCKING_ABORT_TOKIO,
            "async-std" => BLOCKING_CANCEL_ASYNC_STD,
            _ => BLOCKING_CANCEL_SMOL,
        };
        let expected = [BLOCKING_TASK_CANCELLED, part2].concat();
        assert_timeline(runtime, &transcript, &expected, scale);
    }
}
