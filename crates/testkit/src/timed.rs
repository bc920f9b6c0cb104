//! Timed runs of an example binary, for examples whose programs print no durations: each line
//! is timed as it reaches the test, and the times are checked against the seconds at which
//! CPython prints the same lines.

use std::io::{BufRead, BufReader};
use std::panic::resume_unwind;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::{command, stdout_of_success};

/// What a program prints on CPython 3.11, each line with the document second at which it is
/// printed, and the second at which the program ends.
pub struct Python {
    pub lines: &'static [(f64, &'static str)],
    pub ends_at: f64,
}

impl Python {
    /// The lines' texts, without their times.
    pub fn texts(&self) -> Vec<&'static str> {
        self.lines.iter().map(|&(_, text)| text).collect()
    }
}

/// How late the first line may arrive after the process is started, beyond its wait: the
/// process has to start, which takes a while on a loaded machine.
const STARTUP: f64 = 0.5;

/// How much longer than its ideal a gap between two lines may look: the later line can reach
/// the test late on a loaded machine.
const GAP_SLACK: f64 = 0.25;

/// Each line a run printed, with the seconds since the process was started at which it
/// arrived, and the seconds at which its stdout closed (when it ended).
pub struct Run {
    pub lines: Vec<(f64, String)>,
    pub ended: f64,
}

impl Run {
    /// The lines' texts, without their arrival times.
    pub fn texts(&self) -> Vec<&str> {
        self.lines.iter().map(|(_, text)| text.as_str()).collect()
    }
}

/// Runs `bin args --runtime R --time-scale scale` for each of `runtimes` at once; checks that
/// each succeeded with nothing on stderr, within ten seconds (a deadlock fails the test instead
/// of hanging it).
pub fn run_timed_on(
    bin: &str,
    runtimes: &[&'static str],
    args: &[&str],
    scale: f64,
) -> Vec<(&'static str, Run)> {
    let scale = scale.to_string();
    std::thread::scope(|scope| {
        let runs: Vec<_> = runtimes
            .iter()
            .map(|&runtime| {
                let args = [args, &["--runtime", runtime, "--time-scale", &scale]].concat();
                scope.spawn(move || (runtime, run_timed(bin, runtime, &args)))
            })
            .collect();
        runs.into_iter()
            .map(|run| run.join().unwrap_or_else(|panic| resume_unwind(panic)))
            .collect()
    })
}

fn run_timed(bin: &str, runtime: &str, args: &[&str]) -> Run {
    let start = Instant::now();
    let mut child = command(bin, args)
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
pub fn assert_timing(what: &str, run: &Run, python: &Python, scale: f64) {
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
