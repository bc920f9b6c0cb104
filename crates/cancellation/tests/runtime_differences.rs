//! The demos without a Python original where timing is not the point, or does not get in the
//! way: dropping a task's handle, and cancelling blocking work. Each runs the real binary on
//! every runtime at once and checks, per runtime, the lines it prints (and, for the blocking
//! work, when: its `[ 1.00s]` stamps against the ideal timeline in the program's seconds).

mod common;

use common::Stamped;

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
                Stamped::parse(&transcript).messages(),
                expected,
                "{runtime} at {scale}:\n{transcript}"
            );
        }
    }
}

const STARTED: &str = "job: started, blocking its thread for 3 s";
const FINISHED: &str = "job: finished";

/// Part 1 on every runtime: the task waiting for the job is cancelled at once, 1 s after the
/// job started; the job cannot be interrupted and runs to its end anyway.
const BLOCKING_TASK_CANCELLED: &[&str] = &[
    STARTED,
    "Main: cancelling the task",
    "task: cancelled while it waited for the job",
    "Main: task was cancelled",
    FINISHED,
    STARTED,
];

/// Part 2, tokio: abort on a running spawn_blocking job has no effect; awaiting its handle
/// gives the job's result when the job ends.
const ABORT_TOKIO: [&str; 3] = [
    "Main: aborting the job's handle",
    FINISHED,
    "Main: the handle still gave \"job result\": abort had no effect",
];

/// Part 2, async-std: cancel() stops spawn_blocking's async wrapper at once; the job runs on
/// and ends later, its result thrown away.
const CANCEL_ASYNC_STD: [&str; 3] = [
    "Main: cancelling the job's handle",
    "Main: cancel() gave None: the job's result is thrown away",
    FINISHED,
];

/// Part 2, smol: cancel() on unblock's Task waits for the running job to end, and throws its
/// result away.
const CANCEL_SMOL: [&str; 3] = [
    "Main: cancelling the job's handle",
    FINISHED,
    "Main: cancel() gave None: the job's result is thrown away",
];

/// The lines, in order, and the intervals that make the point: each job ran its 3 s whatever
/// was cancelled; the waiting task stopped at once; the job's own handle gave way at once on
/// async-std, and only when the job ended on tokio and smol. Intervals, not moments: main waits
/// for each job to start, and a thread can be slow to start under load.
#[test]
fn blocking_jobs_run_to_their_end_whatever_cancels_them() {
    let scale = 0.25;
    let secs = |program_secs: f64| program_secs * scale;
    for (runtime, transcript) in run_on_every_runtime("blocking", scale) {
        let part2 = match runtime {
            "tokio" => ABORT_TOKIO,
            "async-std" => CANCEL_ASYNC_STD,
            _ => CANCEL_SMOL,
        };
        let lines = Stamped::parse(&transcript);
        let expected = [BLOCKING_TASK_CANCELLED, &part2].concat();
        assert_eq!(lines.messages(), expected, "{runtime}:\n{transcript}");

        for job in 0..2 {
            let ran = lines.at(FINISHED, job) - lines.at(STARTED, job);
            assert!(
                ran >= secs(3.0) - 0.01,
                "{runtime}: job {job} ran {ran:.2} s"
            );
        }
        let cancel = lines.at("Main: cancelling the task", 0);
        assert!(
            cancel - lines.at(STARTED, 0) >= secs(1.0) - 0.01,
            "{runtime}"
        );
        let stopped = lines.at("Main: task was cancelled", 0) - cancel;
        assert!(
            stopped < secs(1.0),
            "{runtime}: the task took {stopped:.2} s to stop"
        );

        // Part 2 on async-std: cancel() answered at once, before the job ended (the order above).
        // On tokio and smol the answer came only after the job ended (the order above), 2 s
        // after the cancel: a thread cannot be stopped.
        if runtime == "async-std" {
            let waited = lines.at(part2[1], 0) - lines.at(part2[0], 0);
            assert!(waited < secs(1.0), "{runtime}: cancel() took {waited:.2} s");
        }
    }
}
