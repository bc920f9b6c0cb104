//! What the examples' tests share: start the real binary on every runtime, check how it ended
//! (or stop it when it does not), and read the numbers out of what it printed. A dev-dependency
//! only; examples never use it.

pub mod timed;

use std::process::{Child, Command, ExitStatus, Output, Stdio};
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
