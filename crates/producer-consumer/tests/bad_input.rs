//! Bad input gets a one-line error and exit code 2 before anything runs: never a hang (asyncio
//! waits forever with producers and no consumer) and never a panic.

mod common;

use common::producer_consumer;
use testkit::assert_usage_error;

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 14] = [
        (&["-c", "0"], "with producers and no consumer (--ncon 0)"),
        (&["-p", "1", "--ncon", "0"], "would wait forever"),
        (&["-p", "-1"], "-1 is not in 0..=100000"),
        (&["-c", "-3"], "-3 is not in 0..=100000"),
        (&["-p", "100001"], "100001 is not in 0..=100000"),
        (&["-c", "99999999999"], "invalid value '99999999999'"),
        (&["-p", "two"], "invalid value 'two'"),
        (&["--maxsize", "-1"], "-1 is not in 0..=100000"),
        (&["--timeout", "-5"], "must be between 0 and 86400 seconds"),
        (&["--timeout", "soon"], "`soon` is not a number of seconds"),
        (&["--timeout", "5", "-p", "2"], "cannot be used with"),
        (&["--sentinel", "-c", "2"], "cannot be used with"),
        (&["--sentinel", "--maxsize", "3"], "cannot be used with"),
        (&["--runtime", "trio"], "invalid value 'trio'"),
    ];
    for (args, message) in cases {
        let output = producer_consumer(args).output().expect("runs");
        assert_usage_error(&output, message);
    }
}

#[test]
fn no_producer_and_no_consumer_is_a_program_that_ends_at_once() {
    let output = producer_consumer(&["-p", "0", "-c", "0"])
        .output()
        .expect("runs");
    let transcript = testkit::stdout_of_success("-p 0 -c 0", &output);
    assert!(
        transcript.starts_with("Program completed in "),
        "{transcript}"
    );
}
