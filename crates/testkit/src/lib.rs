//! What the examples' tests share: start the real binary on every runtime, check how it ended
//! (or stop it when it does not), and read the numbers out of what it printed. A dev-dependency
//! only; examples never use it.

pub mod timed;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The `--runtime` values, in the order tests report them.
pub const RUNTIMES: [&str; 3] = ["tokio", "async-std", "smol"];

/// The example binary with `args`, without a `TIME_SCALE` inherited from the caller's shell.
/// Pass `env!("CARGO_BIN_EXE_<name>")` as `bin`.
pub fn command(bin: &str, args: &[&str]) -> Command {
    let mut command = Command::new(bin);
    command.args(args).env_remove("TIME_SCALE");
    command
}

/// Starts `bin args --runtime R --time-scale scale` on all three runtimes at once, waits for
/// them, checks that each succeeded with nothing on stderr, and returns each one's stdout.
pub fn run_on_every_runtime(bin: &str, args: &[&str], scale: f64) -> Vec<(&'static str, String)> {
    let scale = scale.to_string();
    let children: Vec<_> = RUNTIMES
        .iter()
        .map(|&runtime| {
            let child = command(bin, args)
                .args(["--runtime", runtime, "--time-scale", &scale])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the binary starts");
            (runtime, child)
        })
        .collect();
    children
        .into_iter()
        .map(|(runtime, child)| {
            let output = child.wait_with_output().expect("the binary runs");
            (runtime, stdout_of_success(runtime, &output))
        })
        .collect()
}

/// One run of an example binary that is allowed to fail: how it ended, and how long it took.
pub struct Outcome {
    /// The `--runtime` it ran on.
    pub runtime: &'static str,
    /// Its exit status, stdout and stderr.
    pub output: Output,
    /// Seconds from starting the process to seeing it end.
    pub secs: f64,
    /// The `--time-scale` it ran with.
    pub scale: f64,
}

impl Outcome {
    /// What it printed on stdout.
    pub fn stdout(&self) -> String {
        String::from_utf8(self.output.stdout.clone()).expect("UTF-8 stdout")
    }

    /// What it printed on stderr.
    pub fn stderr(&self) -> String {
        String::from_utf8(self.output.stderr.clone()).expect("UTF-8 stderr")
    }

    /// Checks that it failed with exit code 1, and printed exactly `stdout` and `stderr`.
    pub fn assert_failed_with(&self, stdout: &str, stderr: &str) {
        assert_eq!(self.output.status.code(), Some(1), "{}", self.runtime);
        assert_eq!(self.stdout(), stdout, "{}: lines differ", self.runtime);
        assert_eq!(self.stderr(), stderr, "{}", self.runtime);
    }

    /// Checks that the run waited for the document's `waited` seconds, and ended before the
    /// document's `before` seconds (a wait that should have been cut short, or just a bound):
    /// both are multiplied by the run's time scale, and the margin between them absorbs the
    /// process's start-up on a loaded machine.
    pub fn assert_took(&self, waited: f64, before: f64) {
        let (low, high) = (waited * self.scale - 0.01, before * self.scale);
        assert!(
            self.secs >= low && self.secs < high,
            "{}: took {:.3} s, expected {low:.2} to {high:.2} s",
            self.runtime,
            self.secs
        );
    }
}

/// Runs `bin args --runtime R --time-scale scale` on all three runtimes at once, each on a
/// thread of its own that times it from its start to its exit, and returns how each ended and
/// how long it took. Unlike [`run_on_every_runtime`], a run that fails is returned, not a
/// failed test. `RUST_BACKTRACE` is unset, so that a panic a test provokes does not spend a
/// visible part of a second printing a backtrace.
pub fn outcomes_on_every_runtime(bin: &str, args: &[&str], scale: f64) -> Vec<Outcome> {
    let scale_arg = scale.to_string();
    std::thread::scope(|scope| {
        let runs: Vec<_> = RUNTIMES
            .iter()
            .map(|&runtime| {
                let mut command = command(bin, args);
                command
                    .args(["--runtime", runtime, "--time-scale", &scale_arg])
                    .env_remove("RUST_BACKTRACE");
                scope.spawn(move || {
                    let start = Instant::now();
                    let output = command.output().expect("the binary runs");
                    let secs = start.elapsed().as_secs_f64();
                    Outcome {
                        runtime,
                        output,
                        secs,
                        scale,
                    }
                })
            })
            .collect();
        runs.into_iter()
            .map(|run| run.join().expect("the run's thread"))
            .collect()
    })
}

/// [`outcomes_on_every_runtime`] for runs that must succeed: checks that each did, with
/// nothing on stderr, and returns each one's stdout and how many seconds it took.
pub fn timed_on_every_runtime(
    bin: &str,
    args: &[&str],
    scale: f64,
) -> Vec<(&'static str, String, f64)> {
    outcomes_on_every_runtime(bin, args, scale)
        .into_iter()
        .map(|run| {
            (
                run.runtime,
                stdout_of_success(run.runtime, &run.output),
                run.secs,
            )
        })
        .collect()
}

/// Checks that the run succeeded with an empty stderr, and returns its stdout.
pub fn stdout_of_success(what: &str, output: &Output) -> String {
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "{what}: {:?}, stderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// Checks a usage error: exit code 2, nothing on stdout, and a first stderr line
/// `error: …` that contains `message`, without a panic.
pub fn assert_usage_error(output: &Output, message: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty(), "nothing runs");
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error: ") && first.contains(message),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Replaces every decimal number (`0.40`, `1.00`, `0.00012`) with `X`, and returns the numbers
/// in order: what a run measured, taken out so the rest can be compared with CPython's lines.
/// Whole numbers (`sleeping for 4 seconds`) are kept.
pub fn mask_decimals(text: &str) -> (String, Vec<f64>) {
    let mut masked = String::with_capacity(text.len());
    let mut numbers = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        masked.push_str(&rest[..start]);
        rest = &rest[start..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let whole = digits(rest);
        let fraction = match rest[whole..].strip_prefix('.') {
            Some(after) if after.starts_with(|c: char| c.is_ascii_digit()) => 1 + digits(after),
            _ => 0,
        };
        let (number, after) = rest.split_at(whole + fraction);
        if fraction == 0 {
            masked.push_str(number);
        } else {
            masked.push('X');
            numbers.push(number.parse().expect("digits, a point, digits"));
        }
        rest = after;
    }
    masked.push_str(rest);
    (masked, numbers)
}

/// Splits a line printed by `timing::stamped!` into its time and its message:
/// `"[ 1.00s] Hello"` and `"MainProcess      [ 1.00s] Hello"` both give `(1.0, "Hello")`.
pub fn split_stamp(line: &str) -> Option<(f64, &str)> {
    let (_, stamped) = line.split_once('[')?;
    let (secs, message) = stamped.split_once("s] ")?;
    Some((secs.trim().parse().ok()?, message))
}

/// Checks, on every runtime, that `bin args` ends quietly when its stdout is closed early (like
/// `bin | head -1` once head has its line): killed by SIGPIPE, nothing on stderr, no panic.
#[cfg(unix)]
pub fn assert_quiet_when_stdout_closes(bin: &str, args: &[&str]) {
    use std::os::unix::process::ExitStatusExt;
    for runtime in RUNTIMES {
        let mut child = command(bin, args)
            .args(["--runtime", runtime, "--time-scale", "0.1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
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

/// Sends SIGINT to a running child, as Ctrl-C in a terminal would.
#[cfg(unix)]
pub fn interrupt(child: &std::process::Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -INT {}", child.id());
}

/// Waits for a running child to end, for at most `limit`: a child still running then is killed
/// and the test fails, instead of hanging the test run. Read the child's pipes on other
/// threads if it prints more than a pipe holds (64 KiB), or it cannot end.
pub fn wait_at_most(child: &mut Child, limit: Duration) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A running child's stdout, read line by line on a thread of its own: the child never blocks
/// on a full pipe while the test waits for the line it is looking for.
pub struct StdoutLines {
    lines: mpsc::Receiver<String>,
    reader: JoinHandle<()>,
}

impl StdoutLines {
    /// Starts reading the stdout of `child`, which must be piped.
    pub fn of(child: &mut Child) -> StdoutLines {
        let stdout = child.stdout.take().expect("piped");
        let (sender, lines) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                // Nobody listens any more: the test has failed already.
                if sender.send(line.expect("UTF-8 output")).is_err() {
                    return;
                }
            }
        });
        StdoutLines { lines, reader }
    }

    /// The next line, if it comes within `limit`; `None` if it does not, or if stdout closes
    /// first.
    pub fn next_within(&self, limit: Duration) -> Option<String> {
        self.lines.recv_timeout(limit).ok()
    }

    /// Waits until stdout closes (the child has ended), and returns the lines not taken yet.
    pub fn rest(self) -> Vec<String> {
        self.reader.join().expect("the reader ends at end of file");
        self.lines.try_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_masked_and_whole_numbers_kept() {
        let (masked, numbers) =
            mask_decimals("part1(9) sleeping for 4 seconds.\n(took 0.40 seconds). 12.5s 3.\n");
        assert_eq!(
            masked,
            "part1(9) sleeping for 4 seconds.\n(took X seconds). Xs 3.\n"
        );
        assert_eq!(numbers, [0.40, 12.5]);
    }

    #[cfg(unix)]
    #[test]
    fn wait_at_most_returns_the_status_of_a_child_that_ends_in_time() {
        let mut child = Command::new("true").spawn().expect("true starts");
        assert!(wait_at_most(&mut child, Duration::from_secs(10)).success());
    }

    #[cfg(unix)]
    #[test]
    #[should_panic(expected = "still running after")]
    fn wait_at_most_kills_a_child_that_hangs() {
        let mut child = Command::new("sleep")
            .arg("10")
            .spawn()
            .expect("sleep starts");
        wait_at_most(&mut child, Duration::from_millis(50));
    }

    #[cfg(unix)]
    #[test]
    fn stdout_lines_come_one_at_a_time_then_the_rest_at_the_end() {
        let mut child = Command::new("printf")
            .arg("one\\ntwo\\nthree\\n")
            .stdout(Stdio::piped())
            .spawn()
            .expect("printf starts");
        let stdout = StdoutLines::of(&mut child);
        let first = stdout.next_within(Duration::from_secs(10));
        assert_eq!(first.as_deref(), Some("one"));
        assert!(wait_at_most(&mut child, Duration::from_secs(10)).success());
        assert_eq!(stdout.rest(), ["two", "three"]);
    }

    #[test]
    fn stamps_split_with_and_without_a_label() {
        assert_eq!(split_stamp("[ 1.00s] Hello"), Some((1.0, "Hello")));
        assert_eq!(
            split_stamp("MainProcess      [12.25s] Hi there"),
            Some((12.25, "Hi there"))
        );
        assert_eq!(split_stamp("no stamp"), None);
    }
}
