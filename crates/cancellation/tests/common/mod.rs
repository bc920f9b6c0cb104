//! What the tests of the stamped demos share: reading the `[ 1.00s]` stamps of a transcript.

use testkit::split_stamp;

/// A transcript of stamped lines: when each was printed (seconds since the program started),
/// and its message.
pub struct Stamped<'a>(Vec<(f64, &'a str)>);

impl<'a> Stamped<'a> {
    pub fn parse(transcript: &'a str) -> Self {
        let lines = transcript.lines().map(|line| {
            split_stamp(line).unwrap_or_else(|| panic!("no stamp: {line}\n{transcript}"))
        });
        Self(lines.collect())
    }

    pub fn messages(&self) -> Vec<&'a str> {
        self.0.iter().map(|&(_, message)| message).collect()
    }

    /// When the `nth` line (from 0) with this message was printed.
    pub fn at(&self, message: &str, nth: usize) -> f64 {
        let mut times = self.0.iter().filter(|&&(_, m)| m == message);
        times
            .nth(nth)
            .map(|&(at, _)| at)
            .unwrap_or_else(|| panic!("no line {nth} {message:?}"))
    }
}
