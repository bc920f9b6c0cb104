//! Runs the real `interleave` binary on every runtime and checks what a reader sees: the lines
//! in CPython 3.11's order, with the wall-clock stamps taken out, and the stamps themselves:
//! the local time, one second apart where the waits are.

use std::time::{SystemTime, UNIX_EPOCH};

use testkit::{assert_usage_error, run_on_every_runtime, stdout_of_success};

/// Seed 000's program, `python3 interleave.py` on CPython 3.11, stamps masked. Both tasks'
/// last waits end at 3 s; CPython usually runs task 2's first (it started at 1 s, task 1's at
/// 2 s), but which deadline is earlier depends on fractions of a millisecond of lateness: in
/// 145 runs, task 2 completed first in 126 and task 1 in 19, all of those on a busy machine.
/// The ports print this, CPython's usual order (see the chapter).
const PYTHON: &str = "\
[HH:MM:SS] Task 1 started
[HH:MM:SS] Task 2 started
[HH:MM:SS] Task 2 resumed after 1s
[HH:MM:SS] Task 1 resumed after 2s
[HH:MM:SS] Task 2 completed
[HH:MM:SS] Task 1 completed
";

/// When each line of [`PYTHON`] is printed, in seconds from the start.
const SECONDS: [u32; 6] = [0, 0, 1, 2, 3, 3];

/// The same program with every `asyncio.sleep` made 0 s, on CPython 3.11: each await only
/// yields, so the tasks simply take turns.
const PYTHON_NO_WAITING: &str = "\
[HH:MM:SS] Task 1 started
[HH:MM:SS] Task 2 started
[HH:MM:SS] Task 1 resumed after 2s
[HH:MM:SS] Task 2 resumed after 1s
[HH:MM:SS] Task 1 completed
[HH:MM:SS] Task 2 completed
";

const DAY: u32 = 24 * 3600;

fn interleave(args: &[&str]) -> std::process::Command {
    testkit::command(env!("CARGO_BIN_EXE_interleave"), args)
}

/// Takes the `[HH:MM:SS]` stamp out of every line: the masked text, and each stamp as seconds
/// since midnight.
fn mask_clock(transcript: &str) -> (String, Vec<u32>) {
    let mut masked = String::new();
    let mut stamps = Vec::new();
    for line in transcript.lines() {
        let (stamp, message) = line
            .strip_prefix('[')
            .and_then(|rest| rest.split_once("] "))
            .unwrap_or_else(|| panic!("no [HH:MM:SS] stamp: {line:?}"));
        let fields: Vec<u32> = stamp
            .split(':')
            .map(|field| {
                assert_eq!(field.len(), 2, "two digits: {line:?}");
                field.parse().expect("a number")
            })
            .collect();
        let [h, m, s] = fields[..] else {
            panic!("three fields: {line:?}")
        };
        assert!(h < 24 && m < 60 && s < 60, "a time of day: {line:?}");
        stamps.push(h * 3600 + m * 60 + s);
        masked.push_str(&format!("[HH:MM:SS] {message}\n"));
    }
    (masked, stamps)
}

/// Seconds from `earlier` to `later` on a clock that wraps at midnight.
fn since(earlier: u32, later: u32) -> u32 {
    (later + DAY - earlier) % DAY
}

/// The UTC time of day now, in seconds.
fn utc_now() -> u32 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    u32::try_from(secs % u64::from(DAY)).expect("less than a day")
}

/// At full speed (the stamps have whole seconds), on every runtime: the lines in CPython's
/// order, and each stamp as far from the first as the waits before it add up to. A stamp
/// truncates to the second, so a line printed `n` seconds and a few milliseconds after the
/// first can show `n` or `n + 1`, but never less than `n`, and never `n + 2`.
///
/// The two lines printed at 3 s may come in either order. The ports print them in the order
/// the waits started, as CPython usually does, but only while no wake-up is more than
/// `timing::TIMELINE_SLACK` (50 ms) late: on a machine busy enough for that, the tie falls the
/// other way, as CPython's does on a busy machine. The test runs on such machines.
#[test]
fn the_tasks_take_turns_at_their_awaits_one_second_apart() {
    for (runtime, transcript) in run_on_every_runtime(env!("CARGO_BIN_EXE_interleave"), &[], 1.0) {
        let (masked, stamps) = mask_clock(&transcript);
        let lines: Vec<&str> = masked.lines().collect();
        let python: Vec<&str> = PYTHON.lines().collect();
        assert_eq!(lines.len(), python.len(), "{runtime}: {masked}");
        assert_eq!(
            lines[..4],
            python[..4],
            "{runtime}: lines differ from CPython's"
        );
        let (mut tied, mut python_tied) = (lines[4..].to_vec(), python[4..].to_vec());
        tied.sort_unstable();
        python_tied.sort_unstable();
        assert_eq!(tied, python_tied, "{runtime}: the lines at 3 s");

        for (line, (&stamp, ideal)) in stamps.iter().zip(SECONDS).enumerate() {
            let offset = since(stamps[0], stamp);
            assert!(
                offset == ideal || offset == ideal + 1,
                "{runtime} line {}: {offset} s after the first, expected {ideal}: {stamps:?}",
                line + 1
            );
        }
        // Never backwards (a wall clock can be set back): each stamp is the one before or
        // at most two seconds after it.
        for pair in stamps.windows(2) {
            assert!(since(pair[0], pair[1]) <= 2, "{runtime}: {stamps:?}");
        }
    }
}

#[test]
fn with_time_scale_0_every_await_yields_as_asyncio_sleep_0_does() {
    for (runtime, transcript) in run_on_every_runtime(env!("CARGO_BIN_EXE_interleave"), &[], 0.0) {
        let (masked, _) = mask_clock(&transcript);
        assert_eq!(masked, PYTHON_NO_WAITING, "{runtime}");
    }
}

/// The stamps are the local wall-clock time, as `time.strftime` gives it: the time of day in
/// UTC with `TZ=UTC`, five and a half hours later with a POSIX zone of UTC+05:30.
#[test]
fn stamps_are_the_local_time_of_day() {
    for (tz, offset) in [("UTC", 0), ("<+0530>-5:30", 5 * 3600 + 30 * 60)] {
        let before = (utc_now() + offset) % DAY;
        let output = interleave(&["--time-scale", "0"])
            .env("TZ", tz)
            .output()
            .expect("runs");
        let after = (utc_now() + offset) % DAY;
        let (_, stamps) = mask_clock(&stdout_of_success(tz, &output));
        for stamp in stamps {
            assert!(
                since(before, stamp) <= since(before, after),
                "TZ={tz}: {stamp} s is not between {before} s and {after} s"
            );
        }
    }
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 4] = [
        (&["task1"], "unexpected argument 'task1'"),
        (&["--runtime", "glommio"], "invalid value 'glommio'"),
        (&["--time-scale", "-1"], "must be between 0 and 1000"),
        (&["--time-scale", "fast"], "`fast` is not a number"),
    ];
    for (args, message) in cases {
        assert_usage_error(&interleave(args).output().expect("runs"), message);
    }
}
