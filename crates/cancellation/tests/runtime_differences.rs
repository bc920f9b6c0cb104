//! The demos without a Python original, where the runtimes answer differently: dropping a
//! task's handle, cancelling blocking work, cancelling a task that does not reach an await.
//! Each runs the real binary on every runtime and checks, per runtime, the lines it prints and
//! when (`[ 1.00s]` stamps) against the ideal timeline in the program's seconds.

use testkit::split_stamp;

/// 1 s in the programs is 0.1 s here: distinct moments stay 100 ms apart.
const SCALE: f64 = 0.1;

/// A line as (the ideal moment in the program's seconds, the message after the stamp).
type Timeline<'a> = &'a [(f64, &'static str)];

fn run_on_every_runtime(show: &str, scale: f64) -> Vec<(&'static str, String)> {
    testkit::run_on_every_runtime(env!("CARGO_BIN_EXE_cancellation"), &["--show", show], scale)
}

/// Checks the messages, in order, and that each was printed at its ideal moment: never before
/// it, and after it only by scheduling noise, far less than the second between two moments.
fn assert_timeline(what: &str, transcript: &str, expected: Timeline<'_>) {
    let lines: Vec<(f64, &str)> = transcript
        .lines()
        .map(|line| split_stamp(line).unwrap_or_else(|| panic!("{what}: no stamp: {line}")))
        .collect();
    let messages: Vec<&str> = lines.iter().map(|&(_, message)| message).collect();
    let expected_messages: Vec<&str> = expected.iter().map(|&(_, message)| message).collect();
    assert_eq!(messages, expected_messages, "{what}:\n{transcript}");
    for (&(at, message), &(ideal, _)) in lines.iter().zip(expected) {
        let ideal = ideal * SCALE;
        assert!(
            at >= ideal - 0.01 && at <= ideal * 1.2 + 0.15,
            "{what}: {message:?} at {at:.2} s, ideal {ideal:.2} s\n{transcript}"
        );
    }
}

/// tokio and async-std: the dropped handle detached the worker, which does jobs 2 and 3.
const DROP_DETACHES: Timeline = &[
    (2.0, "worker: job 1 done"),
    (
        2.0,
        "Main: dropping the worker's handle, then sending jobs 2 and 3",
    ),
    (4.0, "worker: job 2 done"),
    (6.0, "worker: job 3 done"),
    (6.0, "worker: no more jobs, finished"),
    (
        6.0,
        "Main: 2 jobs done after the drop: the worker was detached",
    ),
];

/// smol: dropping the Task cancelled the worker where it waited; its guard ran at once.
const DROP_CANCELS: Timeline = &[
    (2.0, "worker: job 1 done"),
    (
        2.0,
        "Main: dropping the worker's handle, then sending jobs 2 and 3",
    ),
    (2.0, "worker: dropped at its await: cancelled"),
    (
        2.0,
        "Main: no job done after the drop: the worker was cancelled",
    ),
];

fn expected_drop(runtime: &str) -> Timeline<'static> {
    match runtime {
        "smol" => DROP_CANCELS,
        _ => DROP_DETACHES,
    }
}

#[test]
fn dropping_the_handle_detaches_on_tokio_and_async_std_and_cancels_on_smol() {
    for (runtime, transcript) in run_on_every_runtime("drop", SCALE) {
        assert_timeline(runtime, &transcript, expected_drop(runtime));
    }
}

/// main drops the handle once job 1 is reported done, not at a moment: the outcome does not
/// depend on time, and holds with no waiting at all.
#[test]
fn what_dropping_the_handle_does_does_not_depend_on_timing() {
    for (runtime, transcript) in run_on_every_runtime("drop", 0.0) {
        let messages: Vec<&str> = transcript
            .lines()
            .filter_map(|line| split_stamp(line).map(|(_, message)| message))
            .collect();
        let expected: Vec<&str> = expected_drop(runtime).iter().map(|&(_, m)| m).collect();
        assert_eq!(messages, expected, "{runtime}:\n{transcript}");
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
    for (runtime, transcript) in run_on_every_runtime("blocking", SCALE) {
        let part2 = match runtime {
            "tokio" => BLOCKING_ABORT_TOKIO,
            "async-std" => BLOCKING_CANCEL_ASYNC_STD,
            _ => BLOCKING_CANCEL_SMOL,
        };
        let expected = [BLOCKING_TASK_CANCELLED, part2].concat();
        assert_timeline(runtime, &transcript, &expected);
    }
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
    for (runtime, transcript) in run_on_every_runtime("busy", SCALE) {
        let expected = match runtime {
            "tokio" => BUSY_ONE_THREAD,
            _ => BUSY_EXECUTOR_THREAD,
        };
        assert_timeline(runtime, &transcript, expected);
    }
}

#[test]
fn never_awaits_is_another_name_for_busy() {
    let output = testkit::command(
        env!("CARGO_BIN_EXE_cancellation"),
        &["--show", "never-awaits", "--time-scale", "0.1"],
    )
    .output()
    .expect("runs");
    assert_timeline(
        "tokio",
        &testkit::stdout_of_success("tokio", &output),
        BUSY_ONE_THREAD,
    );
}
