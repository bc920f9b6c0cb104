//! Runs the real `event-loop` binary, every program on every runtime, and checks what a reader
//! sees: the lines against CPython 3.11's, when each line arrives, and when the program ends,
//! against the document's sleeps.

use std::process::Command;

use testkit::timed::{Python, assert_timing, run_timed_on};
use testkit::{RUNTIMES, assert_usage_error, stdout_of_success};

/// 1 s in the document is 0.4 s here: long enough that a line reaching the test a little late
/// does not hide a wait (the shortest is 0.5 s), and that a wait twice too long shows.
const SCALE: f64 = 0.4;

/// `python3 lifecycle.py`: seed 000's program as written.
const LIFECYCLE: Python = Python {
    lines: &[(1.0, "Done")],
    ends_at: 1.0,
};

/// `python3 new_event_loop.py`: seed 004's program as written.
const NEW_EVENT_LOOP: Python = Python {
    lines: &[(0.5, "Data Retrieved")],
    ends_at: 0.5,
};

/// `python3 run_forever.py`: seed 003's program as written. It prints at once and stops 2 s
/// later.
const RUN_FOREVER: Python = Python {
    lines: &[(0.0, "Hello!")],
    ends_at: 2.0,
};

/// `python3 asyncio_run.py`: seed 002's helper, indentation restored, called from synchronous
/// code, then from a coroutine run by `asyncio.run` (catching and printing its RuntimeError).
/// The ports keep the message's first sentence and replace the advice, which is about Python
/// packages, with their runtime's (see [`assert_refusal`]).
const ASYNCIO_RUN: Python = Python {
    lines: &[
        (0.5, "Data Retrieved"),
        (
            0.5,
            "asyncio_run refused: Detected nested async. Please use nest_asyncio.apply() to \
             allow nested event loops.Or, use async entry methods like `aquery()`, `aretriever`, \
             `achat`, etc.",
        ),
    ],
    ends_at: 0.5,
};

const REFUSED: &str = "asyncio_run refused: Detected nested async. ";

const BIN: &str = env!("CARGO_BIN_EXE_event-loop");

fn event_loop(args: &[&str]) -> Command {
    testkit::command(BIN, args)
}

/// The port's refusal keeps Python's first sentence, and says which runtime it found.
fn assert_refusal(runtime: &str, line: &str) {
    assert!(
        line.starts_with(REFUSED)
            && line.contains(runtime)
            && line.ends_with("await the future instead."),
        "{runtime}: {line}"
    );
}

/// The lines are CPython's, and they come, and the program ends, when CPython's do.
fn assert_timed_transcript(runtimes: &[&'static str], program: &str, python: &Python, scale: f64) {
    let expected = python.texts();
    for (runtime, run) in run_timed_on(BIN, runtimes, &[program], scale) {
        let texts = run.texts();
        assert_eq!(
            texts.len(),
            expected.len(),
            "{runtime} {program}: {texts:?}"
        );
        for (text, python) in texts.iter().zip(&expected) {
            if python.starts_with(REFUSED) {
                assert_refusal(runtime, text);
            } else {
                assert_eq!(
                    text, python,
                    "{runtime} {program}: lines differ from CPython's"
                );
            }
        }
        assert_timing(&format!("{runtime} {program}"), &run, python, scale);
    }
}

#[test]
fn lifecycle_prints_the_task_result_after_a_second() {
    assert_timed_transcript(&RUNTIMES, "lifecycle", &LIFECYCLE, SCALE);
}

#[test]
fn new_event_loop_prints_the_data_after_half_a_second() {
    assert_timed_transcript(&RUNTIMES, "new-event-loop", &NEW_EVENT_LOOP, SCALE);
}

#[test]
fn run_forever_says_hello_at_once_and_stops_after_two_seconds() {
    assert_timed_transcript(&RUNTIMES, "run-forever", &RUN_FOREVER, SCALE);
}

#[test]
fn asyncio_run_runs_from_sync_code_and_refuses_inside_a_runtime() {
    assert_timed_transcript(&RUNTIMES, "asyncio-run", &ASYNCIO_RUN, SCALE);
}

#[test]
fn without_a_program_it_runs_lifecycle() {
    let output = event_loop(&["--time-scale", "0"]).output().expect("runs");
    assert_eq!(stdout_of_success("tokio", &output), "Done\n");
}

/// With no waiting, call_later(0, stop) still comes after call_soon's print on tokio and smol,
/// whose executors run the queued tasks in order on one thread, as asyncio does. async-std is
/// left out of run-forever: its executor threads run the two tasks at once, and about one run
/// in a few hundred stops before printing (see the chapter).
#[test]
fn with_time_scale_0_nothing_waits_and_the_lines_stay() {
    for (program, python) in [
        ("lifecycle", &LIFECYCLE),
        ("new-event-loop", &NEW_EVENT_LOOP),
        ("asyncio-run", &ASYNCIO_RUN),
    ] {
        assert_timed_transcript(&RUNTIMES, program, python, 0.0);
    }
    assert_timed_transcript(&["tokio", "smol"], "run-forever", &RUN_FOREVER, 0.0);
}

#[test]
fn options_go_before_or_after_the_program_and_time_scale_comes_from_the_environment() {
    let output = event_loop(&["--runtime", "smol", "asyncio-run"])
        .env("TIME_SCALE", "0")
        .output()
        .expect("runs");
    let stdout = stdout_of_success("smol", &output);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "Data Retrieved");
    assert_refusal("smol", lines[1]);
    let output = event_loop(&[
        "new-event-loop",
        "--runtime",
        "async-std",
        "--time-scale",
        "0",
    ])
    .output()
    .expect("runs");
    assert_eq!(stdout_of_success("async-std", &output), "Data Retrieved\n");
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 5] = [
        (&["run_forever"], "unrecognized subcommand 'run_forever'"),
        (&["lifecycle", "2"], "unexpected argument '2'"),
        (&["--runtime", "glommio"], "invalid value 'glommio'"),
        (
            &["run-forever", "--time-scale", "-1"],
            "must be between 0 and 1000",
        ),
        (&["--time-scale", "fast"], "`fast` is not a number"),
    ];
    for (args, message) in cases {
        assert_usage_error(&event_loop(args).output().expect("runs"), message);
    }
    let from_env = event_loop(&[])
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
