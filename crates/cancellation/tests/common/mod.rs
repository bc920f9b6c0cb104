//! What the tests of the stamped demos share: a transcript's messages, and the check of each
//! line's `[ 1.00s]` stamp against its ideal moment.

use testkit::split_stamp;

/// A line as (its ideal moment in the program's seconds, the message after the stamp).
pub type Timeline<'a> = &'a [(f64, &'static str)];

/// The messages of a stamped transcript, in order.
pub fn messages(transcript: &str) -> Vec<&str> {
    transcript
        .lines()
        .map(|line| split_stamp(line).map_or(line, |(_, message)| message))
        .collect()
}

/// Checks the messages, in order, and that each was printed at its ideal moment under `scale`:
/// never before it, and after it only by scheduling noise, less than the gap between two moments.
pub fn assert_timeline(what: &str, transcript: &str, expected: Timeline<'_>, scale: f64) {
    let expected_messages: Vec<&str> = expected.iter().map(|&(_, message)| message).collect();
    assert_eq!(
        messages(transcript),
        expected_messages,
        "{what}:\n{transcript}"
    );
    for (line, &(ideal, message)) in transcript.lines().zip(expected) {
        let (at, _) = split_stamp(line).expect("a stamped line");
        let ideal = ideal * scale;
        assert!(
            at >= ideal - 0.01 && at <= ideal * 1.2 + 0.15,
            "{what}: {message:?} at {at:.2} s, ideal {ideal:.2} s\n{transcript}"
        );
    }
}
