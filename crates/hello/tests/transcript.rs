//! Runs the real `hello` binary, every program on every runtime, and checks what a reader sees:
//! the lines against CPython 3.11's, and when each line arrives against the document's sleeps.

use std::io::{BufRead, BufReader};
use std::panic::resume_unwind;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

/// What a program prints on CPython 3.11, each line with the document second at which it is
/// printed, and the second at which the program ends.
struct Python {
    lines: &'static [(f64, &'static str)],
    ends_at: f64,
}

/// How late the first line may arrive after the process is started, beyond its wait: the
/// process has to start, which takes a while on a loaded machine.
const STARTUP: f64 = 0.5;

/// How much longer than its ideal a gap between two lines may look: the later line can reach
/// the test late on a loaded machine.
const GAP_SLACK: f64 = 0.25;

/// Each line a run printed, with the seconds since the process was started at which it
/// arrived, and the seconds at which its stdout closed (when it ended).
struct Run {
    lines: Vec<(f64, String)>,
    ended: f64,
}

/// Runs `BIN args` on `runtimes` at once; checks that each succeeded with nothing on stderr,
/// within ten seconds (a deadlock fails the test instead of hanging it).
fn run_timed_on(runtimes: &[&'static str], args: &[&str], scale: f64) -> Vec<(&'static str, Run)> {
    let scale = scale.to_string();
    std::thread::scope(|scope| {
        let runs: Vec<_> = runtimes
            .iter()
            .map(|&runtime| {
                let args = [args, &["--runtime", runtime, "--time-scale", &scale]].concat();
                scope.spawn(move || (runtime, run_timed(runtime, &args)))
            })
            .collect();
        runs.into_iter()
            .map(|run| run.join().unwrap_or_else(|panic| resume_unwind(panic)))
            .collect()
    })
}

fn run_timed(runtime: &str, args: &[&str]) -> Run {
    let start = Instant::now();
    let mut child = testkit::command(BIN, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = BufReader::new(child.stdout.take().expect("piped"));
    let reader = std::thread::spawn(move || {
        let arrival = |line: std::io::Result<String>| {
            (start.elapsed().as_secs_f64(), line.expect("UTF-8 lines"))
        };
        let lines = stdout.lines().map(arrival).collect();
        Run {
            lines,
            ended: start.elapsed().as_secs_f64(),
        }
    });
    while child.try_wait().expect("waits").is_none() {
        if start.elapsed() > Duration::from_secs(10) {
            child.kill().expect("kills");
            panic!("{runtime} {args:?}: still running after 10 s");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    stdout_of_success(runtime, &child.wait_with_output().expect("ends"));
    reader.join().unwrap_or_else(|panic| resume_unwind(panic))
}

/// Each line arrived after its wait and not much later (the first within the start-up
/// allowance, each next one within scheduling noise of the one before), and the program ended
/// when CPython's does. Lines are timed as they reach the test, which may be a little late:
/// a gap may look shorter than it was, but not by half.
fn assert_timing(what: &str, run: &Run, python: &Python, scale: f64) {
    // (arrival, ideal) of the line before; the process start for the first line.
    let mut before = (0.0, 0.0);
    let arrivals = run.lines.iter().map(|(at, text)| (*at, text.as_str()));
    let ideals = python.lines.iter().map(|&(ideal, _)| ideal);
    for (i, ((at, line), doc_secs)) in arrivals
        .chain([(run.ended, "the end")])
        .zip(ideals.chain([python.ends_at]))
        .enumerate()
    {
        let ideal = doc_secs * scale;
        assert!(
            at + 0.01 >= ideal,
            "{what}: {line:?} at {at:.3} s, ideal {ideal:.2} s"
        );
        let (gap, ideal_gap) = (at - before.0, ideal - before.1);
        let slack = if i == 0 { STARTUP } else { GAP_SLACK };
        assert!(
            gap >= ideal_gap / 2.0 && gap <= ideal_gap * 1.2 + slack,
            "{what}: {line:?} came {gap:.3} s after the line before, ideal {ideal_gap:.2} s"
        );
        before = (at, ideal);
    }
}

/// The lines are CPython's, and they come, and the program ends, when CPython's do.
fn assert_timed_transcript(args: &[&str], python: &Python, scale: f64) {
    let expected = transcript(python);
    for (runtime, run) in run_timed_on(&RUNTIMES, args, scale) {
        let texts: String = run
            .lines
            .iter()
            .map(|(_, line)| format!("{line}\n"))
            .collect();
        assert_eq!(
            texts, expected,
            "{runtime} {args:?}: lines differ from CPython's"
        );
        assert_timing(&format!("{runtime} {args:?}"), &run, python, scale);
    }
}

fn transcript(python: &Python) -> String {
    python
        .lines
        .iter()
        .map(|(_, line)| format!("{line}\n"))
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
fn runner_prints_after_a_second() {
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
    use std::os::unix::process::ExitStatusExt;
    for runtime in RUNTIMES {
        let mut child = hello(&["--runtime", runtime, "--time-scale", "0.1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        // Like `hello | true`: the reader is gone before the first print.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("the binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.is_empty(), "{runtime}: {stderr}");
        assert_eq!(
            output.status.signal(),
            Some(13),
            "{runtime}: ended by SIGPIPE"
        );
    }
}
