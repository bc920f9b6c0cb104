//! One measurement: wall time and memory, taken inside the process that ran the workload, and
//! the one line that process prints on stderr for the harness. The Python side
//! (`python/bench.py`) takes and prints them the same way.

use std::time::Instant;

/// What one run of one workload measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    /// Wall time of the workload, from just before its first task to just after its last.
    pub secs: f64,
    /// Resident memory just before the workload started (bytes; 0 where unknown).
    pub rss_before: u64,
    /// The process's peak resident memory when the workload ended (bytes; 0 where unknown).
    pub peak: u64,
}

impl Sample {
    /// Memory the workload added at its peak, per unit of work (task, item, chain).
    pub fn bytes_per(&self, units: u64) -> Option<f64> {
        (self.peak > 0 && units > 0)
            .then(|| self.peak.saturating_sub(self.rss_before) as f64 / units as f64)
    }

    /// The line a measuring process prints on stderr.
    pub fn to_line(self) -> String {
        format!(
            "{PREFIX} secs={:.9} rss_before={} peak={}",
            self.secs, self.rss_before, self.peak
        )
    }

    /// Reads the last such line out of a measuring process's stderr.
    pub fn from_output(stderr: &str) -> Option<Self> {
        let line = stderr.lines().rev().find_map(|l| l.strip_prefix(PREFIX))?;
        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
        };
        Some(Self {
            secs: field("secs")?.parse().ok()?,
            rss_before: field("rss_before")?.parse().ok()?,
            peak: field("peak")?.parse().ok()?,
        })
    }
}

const PREFIX: &str = "BENCH";

/// Starts measuring: reads the resident memory, then starts the clock.
pub struct Meter {
    rss_before: u64,
    start: Instant,
}

impl Meter {
    pub fn start() -> Self {
        let rss_before = status_bytes("VmRSS");
        Self {
            rss_before,
            start: Instant::now(),
        }
    }

    /// Stops the clock, then reads the peak resident memory.
    pub fn stop(self) -> Sample {
        let secs = self.start.elapsed().as_secs_f64();
        Sample {
            secs,
            rss_before: self.rss_before,
            peak: status_bytes("VmHWM"),
        }
    }
}

/// A `kB` field of `/proc/self/status` in bytes (VmRSS: resident now; VmHWM: the peak), or 0
/// where there is no such file (not Linux).
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_survives_its_line() {
        let sample = Sample {
            secs: 0.125,
            rss_before: 4096,
            peak: 1 << 20,
        };
        let stderr = format!("a warning\n{}\n", sample.to_line());
        assert_eq!(Sample::from_output(&stderr), Some(sample));
        assert_eq!(Sample::from_output("error: no line"), None);
    }

    #[test]
    fn memory_is_read_on_linux() {
        let sample = Meter::start().stop();
        if cfg!(target_os = "linux") {
            assert!(sample.rss_before > 0 && sample.peak >= sample.rss_before);
        }
    }
}
