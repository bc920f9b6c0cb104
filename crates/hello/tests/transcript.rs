//! Runs the real `hello` binary, every program on every runtime, and checks what a reader sees:
//! the lines against CPython 3.11's, and when each line comes and the program ends against the
//! document's sleeps.

use std::process::Command;

use testkit::timed::{Python, assert_timing, run_timed_on};
use testkit::{RUNTIMES, assert_usage_error, stdout_of_success};

/// 1 s in the document is 0.4 s here: long enough that a line reaching the test a little late
/// does not hide a wait, and that a wait twice too long shows; a run takes under a second.
const SCALE: f64 = 0.4;

/// `python3 guten_morgen.py`, `asyncio_run.py`, `runner.py` and `fetch_data.py` on CPython
/// 3.11: the seeds' programs as written (seed 000's typo "how are are you?" included).
const GUTEN_MORGEN: Python = Python {
    lines: &[(0.0, "Guten ..."), (1.0, "... morgen!")],
    ends_at: 1.0,
};
const ASYNCIO_RUN: Python = Python {
    lines: &[(1.0, "hey! how are are you?")],
    ends_at: 1.0,
};
const RUNNER: Python = Python {
    lines: &[(1.0, "hey! whats up?")],
    ends_at: 1.0,
};
const FETCH_DATA: Python = Python {
    lines: &[(0.0, "Start fetching data..."), (2.0, "Data fetched!")],
    ends_at: 2.0,
};

const BIN: &str = env!("CARGO_BIN_EXE_hello");

fn hello(args: &[&str]) -> Command {
    testkit::command(BIN, args)
}

/// The lines are CPython's, and they come, and the program ends, when CPython's do.
fn assert_timed_transcript(args: &[&str], python: &Python, scale: f64) {
    for (runtime, run) in run_timed_on(BIN, &RUNTIMES, args, scale) {
        assert_eq!(
            run.texts(),
            python.texts(),
            "{runtime} {args:?}: lines differ from CPython's"
        );
        assert_timing(&format!("{runtime} {args:?}"), &run, python, scale);
    }
}

fn transcript(python: &Python) -> String {
    python
        .texts()
        .iter()
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn guten_morgen_waits_a_second_between_its_lines() {
    assert_timed_transcript(&["guten-morgen"], &GUTEN_MORGEN, SCALE);
}

#[test]
fn asyncio_run_prints_after_a_second() {
    assert_timed_transcript(&["asyncio-run"], &ASYNCIO_RUN, SCALE);
}

#[test]
fn runner_prints_after_a_second_and_closes_at_once() {
    assert_timed_transcript(&["runner"], &RUNNER, SCALE);
}

#[test]
fn fetch_data_waits_two_seconds_between_its_lines() {
    assert_timed_transcript(&["fetch-data"], &FETCH_DATA, SCALE);
}

#[test]
fn without_a_program_it_runs_guten_morgen() {
    assert_timed_transcript(&[], &GUTEN_MORGEN, SCALE);
}

#[test]
fn with_time_scale_0_nothing_waits_and_the_lines_stay() {
    for (program, python) in [
        ("guten-morgen", &GUTEN_MORGEN),
        ("asyncio-run", &ASYNCIO_RUN),
        ("runner", &RUNNER),
        ("fetch-data", &FETCH_DATA),
    ] {
        assert_timed_transcript(&[program], python, 0.0);
    }
}

#[test]
fn options_go_before_or_after_the_program_and_time_scale_comes_from_the_environment() {
    let output = hello(&["--runtime", "smol", "fetch-data"])
        .env("TIME_SCALE", "0")
        .output()
        .expect("runs");
    assert_eq!(stdout_of_success("smol", &output), transcript(&FETCH_DATA));
    let output = hello(&["runner", "--runtime", "async-std", "--time-scale", "0"])
        .output()
        .expect("runs");
    assert_eq!(stdout_of_success("async-std", &output), transcript(&RUNNER));
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 6] = [
        (&["goodbye"], "unrecognized subcommand 'goodbye'"),
        (&["runner", "extra"], "unexpected argument 'extra'"),
        (&["runner", "runner"], "unexpected argument 'runner'"),
        (&["--runtime", "glommio"], "invalid value 'glommio'"),
        (
            &["fetch-data", "--time-scale", "-1"],
            "must be between 0 and 1000",
        ),
        (&["--time-scale", "fast"], "`fast` is not a number"),
    ];
    for (args, message) in cases {
        assert_usage_error(&hello(args).output().expect("runs"), message);
    }
    let from_env = hello(&[]).env("TIME_SCALE", "soon").output().expect("runs");
    assert_usage_error(&from_env, "`soon` is not a number");
}

#[cfg(unix)]
#[test]
fn closing_stdout_early_ends_the_program_quietly() {
    testkit::assert_quiet_when_stdout_closes(BIN, &[]);
}
