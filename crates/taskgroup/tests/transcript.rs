//! Runs the real `taskgroup` binary on every runtime, in every mode, and checks what a reader
//! sees against CPython 3.11 running the same program: the lines and their order on stdout, the
//! error on stderr, the exit code, and how long the run took against the longest wait that
//! should have been waited for.
//!
//! The goldens come from the seed's program (`taskgroup.py`) and from our variant of it, which
//! adds a cleanup print to each task (`except asyncio.CancelledError: print(...); raise`) and
//! takes one argument: `--fail` makes `process_item(1)` raise `ValueError` after its wait,
//! `--panic` makes it hit a bug (`return [][item]`, an IndexError), `--body-error` raises
//! `RuntimeError` in the `async with` body right after the tasks are created. The variant prints
//! nothing more than the seed's program when nothing fails.

use testkit::{Outcome, assert_usage_error};

/// 1 s in the document is 0.2 s here: the tasks end 200 ms apart, which keeps the order stable
/// and leaves room for the time checks on a loaded machine; a run takes at most 0.6 s.
const SCALE: f64 = 0.2;

/// `python3 taskgroup.py` on CPython 3.11 (and the variant without arguments): the tasks only
/// start when the body reaches the end of `async with`, after its print.
const PYTHON: &str = "\
All tasks have been created and are running...
Processing 1...
Processing 2...
Processing 3...
All tasks completed!
Results: Processed 1, Processed 2, Processed 3
";

/// The variant with `--fail` or `--panic` on CPython 3.11: `process_item(1)` fails at 1 s, and
/// the group cancels the two tasks still waiting before it raises. CPython cancels them in the
/// order of a set of tasks, which hashes their addresses: this order (the tasks' own) every time
/// the file is run directly; run through a wrapper script that scales `asyncio.sleep`, the other.
/// The ports cancel in the order the tasks were created.
const PYTHON_FAIL: &str = "\
All tasks have been created and are running...
Processing 1...
Processing 2...
Processing 3...
process_order(2) cancelled
process_bill(3) cancelled
";

/// The variant with `--body-error` on CPython 3.11: the tasks are cancelled before they ever
/// ran, so none of them prints anything.
const PYTHON_BODY_ERROR: &str = "\
All tasks have been created and are running...
";

/// The variant with `--fail`, every `asyncio.sleep` given 0 seconds: each wait only yields, and
/// by the time the group sees the error the other tasks have ended; nothing is cancelled.
const PYTHON_FAIL_NO_WAITING: &str = "\
All tasks have been created and are running...
Processing 1...
Processing 2...
Processing 3...
";

/// The port's error for `--fail`: the first line is the summary CPython's ExceptionGroup prints
/// (`unhandled errors in a TaskGroup (1 sub-exception)`), then one line per error.
const FAIL_ERROR: &str = "\
error: unhandled errors in a TaskGroup (1 sub-exception)
  process_item(1): item 1 is out of stock
";

const PANIC_ERROR: &str = "\
error: unhandled errors in a TaskGroup (1 sub-exception)
  process_item(1) panicked: index out of bounds: the len is 0 but the index is 1
";

const BODY_ERROR: &str = "\
error: unhandled errors in a TaskGroup (1 sub-exception)
  the body of the TaskGroup failed
";

/// Runs `taskgroup args` on the three runtimes at once, and times each run; a run may fail.
fn run_on_every_runtime(args: &[&str], scale: f64) -> Vec<Outcome> {
    testkit::outcomes_on_every_runtime(env!("CARGO_BIN_EXE_taskgroup"), args, scale)
}

#[test]
fn the_group_runs_its_tasks_at_once_and_returns_their_results_in_order() {
    for run in run_on_every_runtime(&[], SCALE) {
        assert!(
            run.output.status.success(),
            "{}: {}",
            run.runtime,
            run.stderr()
        );
        assert!(run.output.stderr.is_empty(), "{}", run.runtime);
        assert_eq!(run.stdout(), PYTHON, "{}: lines differ", run.runtime);
        // The group waited for the longest task (3 s), and the tasks ran at once: one after the
        // other, they would take 1 + 2 + 3 = 6 s.
        run.assert_took(3.0, 6.0);
    }
}

#[test]
fn a_failing_task_cancels_the_others_and_the_group_reports_its_error() {
    for run in run_on_every_runtime(&["--fail"], SCALE) {
        run.assert_failed_with(PYTHON_FAIL, FAIL_ERROR);
        // It fails at 1 s; waiting for process_order(2) would have taken 2 s.
        run.assert_took(1.0, 2.0);
    }
}

#[test]
fn a_panicking_task_is_a_failure_of_the_group_not_a_crash() {
    for run in run_on_every_runtime(&["--panic"], SCALE) {
        // Exit code 1, the group's error; not 101, a panic that ended the program.
        assert_eq!(run.output.status.code(), Some(1), "{}", run.runtime);
        assert_eq!(run.stdout(), PYTHON_FAIL, "{}: lines differ", run.runtime);
        // The panic hook reports the panic where it happens (as Python prints a traceback),
        // then the group's error comes last.
        let stderr = run.stderr();
        let hook = stderr.lines().find(|line| line.contains("panicked at"));
        assert!(
            hook.is_some_and(|line| line.contains("src/on_")),
            "{}: {stderr}",
            run.runtime
        );
        assert!(stderr.ends_with(PANIC_ERROR), "{}: {stderr}", run.runtime);
        run.assert_took(1.0, 2.0);
    }
}

#[test]
fn the_bodys_error_cancels_tasks_that_have_not_started_yet() {
    for run in run_on_every_runtime(&["--body-error"], SCALE) {
        run.assert_failed_with(PYTHON_BODY_ERROR, BODY_ERROR);
        run.assert_took(0.0, 1.0);
    }
}

#[test]
fn with_time_scale_0_every_wait_yields_as_asyncio_sleep_0_does() {
    for run in run_on_every_runtime(&[], 0.0) {
        assert!(
            run.output.status.success(),
            "{}: {}",
            run.runtime,
            run.stderr()
        );
        assert_eq!(run.stdout(), PYTHON, "{}", run.runtime);
    }
    for run in run_on_every_runtime(&["--fail"], 0.0) {
        run.assert_failed_with(PYTHON_FAIL_NO_WAITING, FAIL_ERROR);
    }
}

#[test]
fn time_scale_also_comes_from_the_environment() {
    let output = testkit::command(env!("CARGO_BIN_EXE_taskgroup"), &[])
        .env("TIME_SCALE", "0")
        .output()
        .expect("runs");
    assert_eq!(testkit::stdout_of_success("tokio", &output), PYTHON);
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 6] = [
        (&["--fail", "--panic"], "cannot be used with"),
        (&["--body-error", "--fail"], "cannot be used with"),
        (&["3"], "unexpected argument '3'"),
        (&["--runtime", "glommio"], "invalid value 'glommio'"),
        (&["--time-scale", "-1"], "must be between 0 and 1000"),
        (&["--time-scale", "fast"], "`fast` is not a number"),
    ];
    for (args, message) in cases {
        let output = testkit::command(env!("CARGO_BIN_EXE_taskgroup"), args)
            .output()
            .expect("runs");
        assert_usage_error(&output, message);
    }
}
