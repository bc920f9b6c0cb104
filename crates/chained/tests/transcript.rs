//! Runs the real `chained` binary on every runtime and checks what a reader sees: the lines and
//! their order against CPython 3.11's output for the same arguments, the seeded random values,
//! and the measured times against the ideal critical path.

use std::collections::BTreeMap;
use std::process::Command;

use testkit::{assert_usage_error, mask_decimals, stdout_of_success};

/// 1 s in the document is 0.1 s here: distinct wake-ups stay 100 ms apart, which keeps the
/// order stable on a loaded machine, and a run takes about a second.
const SCALE: f64 = 0.1;

/// `python3 chained.py 9 6 3` on CPython 3.11 (the tutorial's transcript), durations masked.
const PYTHON_9_6_3: &str = "\
part1(9) sleeping for 4 seconds.
part1(6) sleeping for 4 seconds.
part1(3) sleeping for 0 seconds.
Returning part1(3) == result3-1.
part2(3, 'result3-1') sleeping for 4 seconds.
Returning part1(9) == result9-1.
part2(9, 'result9-1') sleeping for 7 seconds.
Returning part1(6) == result6-1.
part2(6, 'result6-1') sleeping for 4 seconds.
Returning part2(3, 'result3-1') == result3-2 derived from result3-1.
-->Chained result3 => result3-2 derived from result3-1 (took X seconds).
Returning part2(6, 'result6-1') == result6-2 derived from result6-1.
-->Chained result6 => result6-2 derived from result6-1 (took X seconds).
Returning part2(9, 'result9-1') == result9-2 derived from result9-1.
-->Chained result9 => result9-2 derived from result9-1 (took X seconds).
Program finished in X seconds.
";

/// `python3 chained.py` (no arguments: chains 1 2 3) on CPython 3.11, durations masked.
const PYTHON_DEFAULT: &str = "\
part1(1) sleeping for 4 seconds.
part1(2) sleeping for 4 seconds.
part1(3) sleeping for 0 seconds.
Returning part1(3) == result3-1.
part2(3, 'result3-1') sleeping for 4 seconds.
Returning part1(1) == result1-1.
part2(1, 'result1-1') sleeping for 7 seconds.
Returning part1(2) == result2-1.
part2(2, 'result2-1') sleeping for 4 seconds.
Returning part2(3, 'result3-1') == result3-2 derived from result3-1.
-->Chained result3 => result3-2 derived from result3-1 (took X seconds).
Returning part2(2, 'result2-1') == result2-2 derived from result2-1.
-->Chained result2 => result2-2 derived from result2-1 (took X seconds).
Returning part2(1, 'result1-1') == result1-2 derived from result1-1.
-->Chained result1 => result1-2 derived from result1-1 (took X seconds).
Program finished in X seconds.
";

/// `python3 chained.py 1 2 3 4 5` on CPython 3.11, durations masked. At 4 s, chain 4's first
/// wait and chain 3's second (started one loop iteration later) are tied: asyncio wakes them
/// in the order they started, every run, and so do the ports, though chain 3 comes first in the
/// list. At 14 s, chains 4 (4 + 10 s) and 5 (7 + 7 s) are tied after starting their waits at
/// different moments; CPython breaks that tie by microseconds of earlier lateness, one way or
/// the other from run to run. This is a run that broke it in start order, as the ports do.
const PYTHON_1_TO_5: &str = "\
part1(1) sleeping for 4 seconds.
part1(2) sleeping for 4 seconds.
part1(3) sleeping for 0 seconds.
part1(4) sleeping for 4 seconds.
part1(5) sleeping for 7 seconds.
Returning part1(3) == result3-1.
part2(3, 'result3-1') sleeping for 4 seconds.
Returning part1(1) == result1-1.
part2(1, 'result1-1') sleeping for 4 seconds.
Returning part1(2) == result2-1.
part2(2, 'result2-1') sleeping for 8 seconds.
Returning part1(4) == result4-1.
part2(4, 'result4-1') sleeping for 10 seconds.
Returning part2(3, 'result3-1') == result3-2 derived from result3-1.
-->Chained result3 => result3-2 derived from result3-1 (took X seconds).
Returning part1(5) == result5-1.
part2(5, 'result5-1') sleeping for 7 seconds.
Returning part2(1, 'result1-1') == result1-2 derived from result1-1.
-->Chained result1 => result1-2 derived from result1-1 (took X seconds).
Returning part2(2, 'result2-1') == result2-2 derived from result2-1.
-->Chained result2 => result2-2 derived from result2-1 (took X seconds).
Returning part2(4, 'result4-1') == result4-2 derived from result4-1.
-->Chained result4 => result4-2 derived from result4-1 (took X seconds).
Returning part2(5, 'result5-1') == result5-2 derived from result5-1.
-->Chained result5 => result5-2 derived from result5-1 (took X seconds).
Program finished in X seconds.
";

/// `python3 chained.py 1 2` on CPython 3.11, durations masked: chain 1 waits 0 s in the middle
/// of the batch woken at 4 s, and chain 2, woken in the same batch, runs before it resumes.
const PYTHON_1_2: &str = "\
part1(1) sleeping for 4 seconds.
part1(2) sleeping for 4 seconds.
Returning part1(1) == result1-1.
part2(1, 'result1-1') sleeping for 0 seconds.
Returning part1(2) == result2-1.
part2(2, 'result2-1') sleeping for 4 seconds.
Returning part2(1, 'result1-1') == result1-2 derived from result1-1.
-->Chained result1 => result1-2 derived from result1-1 (took X seconds).
Returning part2(2, 'result2-1') == result2-2 derived from result2-1.
-->Chained result2 => result2-2 derived from result2-1 (took X seconds).
Program finished in X seconds.
";

/// `chained.py 9 6 3` on CPython 3.11 with every `asyncio.sleep` given 0 seconds: each await
/// only yields, so the chains take turns and draw their random numbers in another order.
const PYTHON_9_6_3_NO_WAITING: &str = "\
part1(9) sleeping for 4 seconds.
part1(6) sleeping for 4 seconds.
part1(3) sleeping for 0 seconds.
Returning part1(9) == result9-1.
part2(9, 'result9-1') sleeping for 4 seconds.
Returning part1(6) == result6-1.
part2(6, 'result6-1') sleeping for 7 seconds.
Returning part1(3) == result3-1.
part2(3, 'result3-1') sleeping for 4 seconds.
Returning part2(9, 'result9-1') == result9-2 derived from result9-1.
-->Chained result9 => result9-2 derived from result9-1 (took X seconds).
Returning part2(6, 'result6-1') == result6-2 derived from result6-1.
-->Chained result6 => result6-2 derived from result6-1 (took X seconds).
Returning part2(3, 'result3-1') == result3-2 derived from result3-1.
-->Chained result3 => result3-2 derived from result3-1 (took X seconds).
Program finished in X seconds.
";

fn chained(args: &[&str]) -> Command {
    testkit::command(env!("CARGO_BIN_EXE_chained"), args)
}

fn run_on_every_runtime(args: &[&str], scale: f64) -> Vec<(&'static str, String)> {
    testkit::run_on_every_runtime(env!("CARGO_BIN_EXE_chained"), args, scale)
}

/// Each chain's ideal time in the document's seconds (part1's sleep + part2's), read from the
/// sleeps the program printed.
fn ideal_chain_times(transcript: &str) -> BTreeMap<String, f64> {
    let mut ideal = BTreeMap::new();
    for line in transcript.lines() {
        let Some((call, rest)) = line.split_once(" sleeping for ") else {
            continue;
        };
        let n = call
            .trim_start_matches("part1(")
            .trim_start_matches("part2(")
            .split([',', ')'])
            .next()
            .expect("a chain name");
        let secs: f64 = rest
            .trim_end_matches(" seconds.")
            .parse()
            .expect("whole seconds");
        *ideal.entry(n.to_string()).or_insert(0.0) += secs;
    }
    ideal
}

/// Each "-->Chained resultN ... (took T seconds)." as (N, T).
fn measured_chain_times(transcript: &str) -> BTreeMap<String, f64> {
    let mut measured = BTreeMap::new();
    for line in transcript
        .lines()
        .filter(|l| l.starts_with("-->Chained result"))
    {
        let n = line["-->Chained result".len()..]
            .split(' ')
            .next()
            .expect("a name");
        let (_, took) = mask_decimals(line);
        measured.insert(n.to_string(), took[0]);
    }
    measured
}

/// A measured time (printed with two decimals) is over the ideal only by scheduling noise, far
/// less than a second wait would add. It can be under it by up to the timeline's slack: a chain
/// that started late on a busy machine still ends its waits on the program's timeline.
fn assert_near_ideal(what: &str, measured: f64, ideal_doc_secs: f64) {
    let ideal = ideal_doc_secs * SCALE;
    let slack = timing::TIMELINE_SLACK.as_secs_f64() + 0.01;
    assert!(
        measured >= ideal - slack && measured <= ideal * 1.2 + 0.15,
        "{what}: took {measured:.2} s, ideal {ideal:.2} s"
    );
}

fn assert_matches_python(args: &[&str], python: &str) {
    for (runtime, transcript) in run_on_every_runtime(args, SCALE) {
        let (masked, durations) = mask_decimals(&transcript);
        assert_eq!(masked, python, "{runtime}: lines differ from CPython's");

        let ideal = ideal_chain_times(&transcript);
        let measured = measured_chain_times(&transcript);
        assert_eq!(
            ideal.keys().collect::<Vec<_>>(),
            measured.keys().collect::<Vec<_>>()
        );
        for (n, took) in &measured {
            assert_near_ideal(&format!("{runtime} chain {n}"), *took, ideal[n]);
        }
        // The chains ran concurrently: the program took as long as its longest chain, not
        // the sum of all the sleeps.
        let critical_path = ideal.values().copied().fold(0.0, f64::max);
        let total = *durations.last().expect("Program finished in ...");
        assert_near_ideal(&format!("{runtime} program"), total, critical_path);
        let all_sleeps: f64 = ideal.values().sum();
        assert!(
            total < all_sleeps * SCALE * 0.75,
            "{runtime}: {total} s is not concurrent"
        );
    }
}

#[test]
fn chained_9_6_3_prints_the_tutorial_transcript_on_every_runtime() {
    assert_matches_python(&["9", "6", "3"], PYTHON_9_6_3);
}

#[test]
fn chained_without_arguments_runs_chains_1_2_3() {
    assert_matches_python(&[], PYTHON_DEFAULT);
}

#[test]
fn tied_wake_ups_run_in_the_order_their_waits_started() {
    assert_matches_python(&["1", "2", "3", "4", "5"], PYTHON_1_TO_5);
}

/// Only tokio: on async-std and smol, async-io's timer thread hands a batch of wake-ups over
/// one at a time while `block_on` is already polling, so chain 1 can resume before chain 2 has
/// been woken (see the chapter). tokio's current-thread runtime fires the whole batch first.
#[test]
fn a_zero_wait_lets_the_rest_of_its_batch_run_first_on_tokio() {
    let output = chained(&["1", "2", "--time-scale", "0.1"])
        .output()
        .expect("runs");
    let (masked, _) = mask_decimals(&stdout_of_success("tokio", &output));
    assert_eq!(masked, PYTHON_1_2);
}

#[test]
fn with_time_scale_0_every_await_yields_as_asyncio_sleep_0_does() {
    for (runtime, transcript) in run_on_every_runtime(&["9", "6", "3"], 0.0) {
        let (masked, durations) = mask_decimals(&transcript);
        assert_eq!(masked, PYTHON_9_6_3_NO_WAITING, "{runtime}");
        assert!(
            durations.iter().all(|&d| d < 0.5),
            "{runtime}: nothing waits: {durations:?}"
        );
    }
}

#[test]
fn time_scale_also_comes_from_the_environment() {
    let output = chained(&["5"])
        .env("TIME_SCALE", "0")
        .output()
        .expect("runs");
    let (masked, _) = mask_decimals(&stdout_of_success("tokio", &output));
    assert!(
        masked.starts_with("part1(5) sleeping for 4 seconds.\n"),
        "{masked}"
    );
    assert!(
        masked.ends_with("Program finished in X seconds.\n"),
        "{masked}"
    );
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 7] = [
        (&["abc"], "invalid value 'abc'"),
        (&["-1"], "unexpected argument '-1'"),
        (&["9", "4294967296"], "is not in 0..=4294967295"),
        (&["--runtime", "glommio"], "invalid value 'glommio'"),
        (&["--time-scale", "-1"], "must be between 0 and 1000"),
        (&["--time-scale", "fast"], "`fast` is not a number"),
        (&["--time-scale", "1e9"], "must be between 0 and 1000"),
    ];
    for (args, message) in cases {
        assert_usage_error(&chained(args).output().expect("runs"), message);
    }
    let from_env = chained(&[])
        .env("TIME_SCALE", "soon")
        .output()
        .expect("runs");
    assert_usage_error(&from_env, "`soon` is not a number");
}

#[cfg(unix)]
#[test]
fn closing_stdout_early_ends_the_program_quietly() {
    testkit::assert_quiet_when_stdout_closes(env!("CARGO_BIN_EXE_chained"), &[]);
}
