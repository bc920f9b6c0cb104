//! Runs the real `coroutines` binary on every runtime and checks what a reader sees: the lines
//! against CPython 3.11's (but for the two type names), and when each line arrives against the
//! document's sleeps, which shows when the coroutine's body runs and when it does not.

use std::process::Command;

use testkit::timed::{Python, assert_timing, run_timed_on};
use testkit::{RUNTIMES, assert_usage_error, stdout_of_success};

/// 1 s in the document is 0.4 s here: long enough that a line reaching the test a little late
/// does not hide a wait, and that a wait twice too long shows; a run takes under two seconds.
const SCALE: f64 = 0.4;

/// `python3 coroutines.py` on CPython 3.11: seed 000's snippet made to run (see the chapter),
/// each line with the document second at which it is printed. The ports print Rust's type
/// names in place of the first two lines.
const MY_FUNCTION: Python = Python {
    lines: &[
        (0.0, "<class 'function'>"),
        (0.0, "<class 'coroutine'>"),
        (1.0, "1 second later, nothing has run"),
        (1.0, "Option 1: await it"),
        (1.0, "Starting"),
        (2.0, "Finished"),
        (2.0, "Result"),
        (2.0, "Option 2: schedule it as a task"),
        (2.0, "Starting"),
        (3.0, "Finished"),
        (3.0, "Result"),
        (3.0, "Option 3: run it from synchronous code"),
        (3.0, "Starting"),
        (4.0, "Finished"),
        (4.0, "Result"),
    ],
    ends_at: 4.0,
};

/// `python3 coroutines.py execute-worker` on CPython 3.11: the same with seed 004's
/// `execute_worker`.
const EXECUTE_WORKER: Python = Python {
    lines: &[
        (0.0, "<class 'function'>"),
        (0.0, "<class 'coroutine'>"),
        (1.0, "1 second later, nothing has run"),
        (1.0, "Option 1: await it"),
        (1.0, "Worker task initialized"),
        (2.0, "Worker task completed"),
        (2.0, "Done"),
        (2.0, "Option 2: schedule it as a task"),
        (2.0, "Worker task initialized"),
        (3.0, "Worker task completed"),
        (3.0, "Done"),
        (3.0, "Option 3: run it from synchronous code"),
        (3.0, "Worker task initialized"),
        (4.0, "Worker task completed"),
        (4.0, "Done"),
    ],
    ends_at: 4.0,
};

const BIN: &str = env!("CARGO_BIN_EXE_coroutines");

fn coroutines(args: &[&str]) -> Command {
    testkit::command(BIN, args)
}

/// The port printed `function`'s type and its future's where Python prints `<class 'function'>`
/// and `<class 'coroutine'>`, then CPython's other lines; they come, and the program ends,
/// when CPython's do.
fn assert_timed_transcript(function: &str, python: &Python, scale: f64) {
    let args: &[&str] = if function == "my_function" {
        &[]
    } else {
        &["execute-worker"]
    };
    let expected = python.texts();
    for (runtime, run) in run_timed_on(BIN, &RUNTIMES, args, scale) {
        let texts = run.texts();
        assert_eq!(texts.len(), expected.len(), "{runtime}: {texts:?}");
        let module = format!("coroutines::on_{}", runtime.replace('-', "_"));
        assert_eq!(
            texts[0],
            format!("{module}::{function}"),
            "{runtime}: the function's type"
        );
        assert!(
            texts[1].len() > texts[0].len() && texts[1].starts_with(&format!("{}::", texts[0])),
            "{runtime}: the future's type is the function's own: {}",
            texts[1]
        );
        assert_eq!(
            texts[2..],
            expected[2..],
            "{runtime}: lines differ from CPython's"
        );
        assert_timing(runtime, &run, python, scale);
    }
}

#[test]
fn my_function_runs_only_when_awaited_spawned_or_blocked_on() {
    assert_timed_transcript("my_function", &MY_FUNCTION, SCALE);
}

#[test]
fn execute_worker_runs_only_when_awaited_spawned_or_blocked_on() {
    assert_timed_transcript("execute_worker", &EXECUTE_WORKER, SCALE);
}

#[test]
fn with_time_scale_0_nothing_waits_and_the_lines_stay() {
    assert_timed_transcript("my_function", &MY_FUNCTION, 0.0);
}

#[test]
fn my_function_by_name_and_options_before_it() {
    let output = coroutines(&["--runtime", "smol", "my-function"])
        .env("TIME_SCALE", "0")
        .output()
        .expect("runs");
    let stdout = stdout_of_success("smol", &output);
    assert!(
        stdout.starts_with("coroutines::on_smol::my_function\n"),
        "{stdout}"
    );
    assert!(stdout.ends_with("Starting\nFinished\nResult\n"), "{stdout}");
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 5] = [
        (&["my_function"], "unrecognized subcommand 'my_function'"),
        (&["execute-worker", "twice"], "unexpected argument 'twice'"),
        (&["--runtime", "glommio"], "invalid value 'glommio'"),
        (&["--time-scale", "-1"], "must be between 0 and 1000"),
        (
            &["execute-worker", "--time-scale", "fast"],
            "`fast` is not a number",
        ),
    ];
    for (args, message) in cases {
        assert_usage_error(&coroutines(args).output().expect("runs"), message);
    }
    let from_env = coroutines(&[])
        .env("TIME_SCALE", "soon")
        .output()
        .expect("runs");
    assert_usage_error(&from_env, "`soon` is not a number");
}

#[cfg(unix)]
#[test]
fn closing_stdout_early_ends_the_program_quietly() {
    testkit::assert_quiet_when_stdout_closes(BIN, &[]);
}
