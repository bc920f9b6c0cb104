//! A failing job (`--fail J`: job J fails when its wait ends) through each utility, on every
//! runtime: the first failure ends the run with a one-line `error: …` and exit code 1, and the
//! lines before it are CPython's, apart from the one difference each test names.

mod common;

use common::python::*;
use common::*;

/// Each runtime ends with exit code 1, `error: {message}` alone on stderr, and `stdout` before.
fn assert_fails(args: &[&str], stdout: &str, message: &str) {
    for (runtime, output) in outputs_on_every_runtime(args, SCALE) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{runtime}: {stderr}");
        assert_eq!(stderr, format!("error: {message}\n"), "{runtime}");
        let printed = String::from_utf8_lossy(&output.stdout);
        assert_eq!(printed, stdout, "{runtime} {args:?}");
    }
}

/// gather returns the first failure, in time, at once: job 2 fails at 2 s, after jobs 5 and 8
/// have ended and before any other has. The jobs still running are dropped, so they never print
/// "done" (asyncio leaves them pending until the program ends).
#[test]
fn run_async_tasks_ends_with_the_first_failure() {
    let args = ["run-async-tasks", "--fail", "2"];
    assert_fails(
        &args,
        PYTHON_RUN_ASYNC_TASKS_FAIL_2,
        "job 2 failed after 2 s",
    );
}

/// With the bar asked for, the ports fail the same way. llama-index's Python does not: its
/// `except Exception: pass` swallows the job's error, then awaits the same coroutines a second
/// time, and what reaches the caller is "Detected nested async. Please use nest_asyncio..."
/// (the chapter shows the run).
#[test]
fn run_async_tasks_with_a_progress_bar_keeps_the_jobs_error() {
    let args = ["run-async-tasks", "--fail", "2", "--progress"];
    assert_fails(
        &args,
        PYTHON_RUN_ASYNC_TASKS_FAIL_2,
        "job 2 failed after 2 s",
    );
}

/// The failing batch ends the run; the batches after it never start. (CPython also warns on
/// stderr that the coroutines of the last batch were never awaited; dropped futures say nothing.)
#[test]
fn batch_gather_stops_at_the_failing_batch() {
    let args = [
        "batch-gather",
        "-n",
        "6",
        "--batch-size",
        "4",
        "--fail",
        "5",
    ];
    assert_fails(&args, PYTHON_BATCH_GATHER_FAIL_5, "job 5 failed after 1 s");
}

/// CPython prints one line more: when job 2 fails, its worker leaves `async with semaphore`
/// first, and the waiter that gets the permit, job 4, runs before `gather` has told `main` of
/// the failure. The ports return the failure as soon as it arrives, so job 4 never starts:
/// with the semaphore version, and with buffer_unordered.
#[test]
fn run_jobs_ends_with_the_first_failure_and_starts_nothing_after_it() {
    let python_extra = "job 4 started (4 running), waits 5 s\n";
    assert!(PYTHON_RUN_JOBS_FAIL_2.contains(python_extra));
    let expected = PYTHON_RUN_JOBS_FAIL_2.replace(python_extra, "");
    for limit in ["buffer-unordered", "semaphore"] {
        let args = ["run-jobs", "--fail", "2", "--limit", limit];
        assert_fails(&args, &expected, "job 2 failed after 2 s");
    }
}

/// `buffered` hands results out in input order, failures included: job 2's failure waits until
/// jobs 0 (3 s) and 1 (6 s) have ended, and job 0's end lets job 4 start meanwhile.
#[test]
fn buffered_reports_a_failure_only_after_the_jobs_before_it() {
    let expected = "\
job 0 started (1 running), waits 3 s
job 1 started (2 running), waits 6 s
job 2 started (3 running), waits 2 s
job 3 started (4 running), waits 10 s
job 0 done
job 4 started (3 running), waits 5 s
job 1 done
";
    let args = ["run-jobs", "--fail", "2", "--limit", "buffered"];
    assert_fails(&args, expected, "job 2 failed after 2 s");
}

/// The failure ends the run when it happens (and, with buffered, when the jobs before it are
/// done), not when the jobs still running would have ended.
#[test]
fn a_failure_ends_the_run_at_once() {
    let cases: [(&[&str], f64); 3] = [
        (&["run-async-tasks", "--fail", "2"], 2.0),
        (&["run-jobs", "--fail", "2"], 2.0),
        (&["run-jobs", "--fail", "2", "--limit", "buffered"], 6.0),
    ];
    for (args, ideal) in cases {
        let start = std::time::Instant::now();
        let runs = outputs_on_every_runtime(args, SCALE);
        let took = start.elapsed().as_secs_f64();
        assert!(
            runs.iter()
                .all(|(_, output)| output.status.code() == Some(1))
        );
        // All three ran at once; the longest job (10 s) would have taken 1 s.
        assert!(
            took <= ideal * SCALE * 1.2 + 0.4,
            "{args:?}: took {took:.2} s, ideal {:.2} s",
            ideal * SCALE
        );
    }
}
