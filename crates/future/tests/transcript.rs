//! Runs the real `future` binary on every runtime, both programs, every variant, and checks what
//! a reader sees against CPython 3.11 running the same program: the lines and their order, the
//! error and exit code where Python would hang, and how long each run took.
//!
//! The goldens come from seed 000's `set_future_after_delay` program and seed 004's
//! `start_forever_mode` (with the `import asyncio` the seed leaves out), and from our variants of
//! them: `--drop` has the task return after its wait without setting the future, `--twice`
//! creates a second task `set_future_after_delay(future, 2, "Future is complete, again!")`.

use testkit::{Outcome, assert_usage_error};

/// 1 s in the document is 0.2 s here: a run takes at most 0.4 s, and the time checks keep a
/// margin of a fifth of a second on a loaded machine.
const SCALE: f64 = 0.2;

/// `python3 future.py` on CPython 3.11 (and our variant with `--twice`, whose second task's
/// `InvalidStateError` is only logged on stderr: "Task exception was never retrieved"). The
/// ports print the last line the way Rust shows the receiver: see [`state`].
const PYTHON_DELAY: &str = "\
Waiting for future to complete...
Future set with value: Future is complete!
Received result: Future is complete!
Future state: <Future finished result='Future is complete!'>
";

/// Our variant with `--drop` on CPython 3.11 prints this, then waits forever: nothing will ever
/// set the future, and asyncio cannot know it.
const PYTHON_DELAY_DROP: &str = "\
Waiting for future to complete...
";

/// `python3 callback.py` on CPython 3.11. With `--drop`, it prints nothing and runs forever.
const PYTHON_CALLBACK: &str = "Result A\n";

/// What the ports print for the future after awaiting it: the receiver's Debug. The value has
/// moved out; tokio's receiver has let go of the channel, the `futures` crate's (async-std,
/// smol) remembers it completed.
fn state(runtime: &str) -> &'static str {
    if runtime == "tokio" {
        "Future state: Receiver { inner: None }"
    } else {
        "Future state: Receiver { complete: true }"
    }
}

/// The Python golden with the state line as the port prints it.
fn delay_transcript(runtime: &str) -> String {
    PYTHON_DELAY.replace(
        "Future state: <Future finished result='Future is complete!'>",
        state(runtime),
    )
}

/// The receiver's error when the sender is dropped: tokio's `RecvError`, the `futures` crate's
/// `Canceled`.
fn dropped_error(runtime: &str) -> &'static str {
    if runtime == "tokio" {
        "error: the future was dropped without a value: channel closed\n"
    } else {
        "error: the future was dropped without a value: oneshot canceled\n"
    }
}

const TWICE_ERROR: &str =
    "error: cannot set the future to 'Future is complete, again!': it already has a result\n";

const CALLBACK_DROP_ERROR: &str =
    "error: the future was dropped without a value: no callback stopped the loop\n";

/// Checks that the run succeeded with nothing on stderr, and printed exactly `stdout`.
fn assert_succeeded_with(run: &Outcome, stdout: &str) {
    assert!(
        run.output.status.success() && run.output.stderr.is_empty(),
        "{}: {:?}, stderr: {}",
        run.runtime,
        run.output.status,
        run.stderr()
    );
    assert_eq!(run.stdout(), stdout, "{}: lines differ", run.runtime);
}

/// Runs `future args` on the three runtimes at once, and times each run; a run may fail.
fn run_on_every_runtime(args: &[&str], scale: f64) -> Vec<Outcome> {
    testkit::outcomes_on_every_runtime(env!("CARGO_BIN_EXE_future"), args, scale)
}

#[test]
fn main_awaits_the_future_another_task_sets_after_2_seconds() {
    for run in run_on_every_runtime(&["delay"], SCALE) {
        assert_succeeded_with(&run, &delay_transcript(run.runtime));
        run.assert_took(2.0, 4.0);
    }
}

#[test]
fn a_future_dropped_without_a_value_is_an_error_where_python_hangs() {
    for run in run_on_every_runtime(&["delay", "--drop"], SCALE) {
        run.assert_failed_with(PYTHON_DELAY_DROP, dropped_error(run.runtime));
        // The error comes when the task ends, after its wait, not before.
        run.assert_took(2.0, 4.0);
    }
}

#[test]
fn a_second_task_setting_the_future_gets_an_error() {
    for run in run_on_every_runtime(&["delay", "--twice"], SCALE) {
        run.assert_failed_with(&delay_transcript(run.runtime), TWICE_ERROR);
        run.assert_took(2.0, 4.0);
    }
}

#[test]
fn the_done_callback_prints_the_result_and_stops_the_loop() {
    for run in run_on_every_runtime(&["callback"], SCALE) {
        assert_succeeded_with(&run, PYTHON_CALLBACK);
        run.assert_took(1.0, 3.0);
    }
}

#[test]
fn a_loop_whose_future_is_dropped_ends_with_an_error_where_python_runs_forever() {
    for run in run_on_every_runtime(&["callback", "--drop"], SCALE) {
        run.assert_failed_with("", CALLBACK_DROP_ERROR);
        run.assert_took(1.0, 3.0);
    }
}

#[test]
fn with_time_scale_0_every_wait_yields_as_asyncio_sleep_0_does() {
    for run in run_on_every_runtime(&["delay"], 0.0) {
        assert_succeeded_with(&run, &delay_transcript(run.runtime));
    }
    for run in run_on_every_runtime(&["callback"], 0.0) {
        assert_succeeded_with(&run, PYTHON_CALLBACK);
    }
}

#[test]
fn time_scale_also_comes_from_the_environment() {
    let output = testkit::command(env!("CARGO_BIN_EXE_future"), &["callback"])
        .env("TIME_SCALE", "0")
        .output()
        .expect("runs");
    assert_eq!(
        testkit::stdout_of_success("tokio", &output),
        PYTHON_CALLBACK
    );
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 8] = [
        (&[], "requires a subcommand"),
        (&["forever"], "unrecognized subcommand 'forever'"),
        (&["delay", "--drop", "--twice"], "cannot be used with"),
        (&["callback", "--twice"], "unexpected argument '--twice'"),
        (&["delay", "3"], "unexpected argument '3'"),
        (
            &["delay", "--runtime", "glommio"],
            "invalid value 'glommio'",
        ),
        (
            &["callback", "--time-scale", "-1"],
            "must be between 0 and 1000",
        ),
        (
            &["callback", "--time-scale", "soon"],
            "`soon` is not a number",
        ),
    ];
    for (args, message) in cases {
        let output = testkit::command(env!("CARGO_BIN_EXE_future"), args)
            .output()
            .expect("runs");
        assert_usage_error(&output, message);
    }
}
