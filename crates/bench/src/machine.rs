//! The facts a table needs next to it: the machine, how loaded it was, and what ran.

use crate::flavour::cores;
use crate::harness::{ENOUGH, MAX_RUNS, Python, output_of};

/// The workspace's lock file, read when the benchmark is built: the versions it runs.
const LOCK: &str = include_str!("../../../Cargo.lock");

/// The version `Cargo.lock` holds for a crate (the newest, if it holds several).
fn locked(name: &str) -> String {
    let mut lines = LOCK.lines();
    let mut versions = Vec::new();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{name}\"")
            && let Some(version) = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
        {
            versions.push(version.to_owned());
        }
    }
    versions.pop().unwrap_or_else(|| "?".to_owned())
}

/// The first line of a file in `/proc` that starts with `key`, after its colon.
fn proc_field(file: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines()
        .find(|line| line.starts_with(key))
        .and_then(|line| Some(line.split_once(':')?.1.trim().to_owned()))
}

/// The 1-minute load average, from `/proc/loadavg`.
pub fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

/// The header's lines, as a Markdown list.
pub fn facts(python: &Python, load_before: &str, runs: u32, quick: bool) -> Vec<String> {
    let cpu = proc_field("/proc/cpuinfo", "model name").unwrap_or_else(|| "?".to_owned());
    let memory = proc_field("/proc/meminfo", "MemTotal")
        .and_then(|kb| kb.trim_end_matches(" kB").parse::<f64>().ok())
        .map_or("?".to_owned(), |kb| {
            format!("{:.0} GiB", kb / 1024.0 / 1024.0)
        });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map_or("?".to_owned(), |k| k.trim().to_owned());
    let rustc = output_of("rustc", &["--version"]).unwrap_or_else(|| "rustc ?".to_owned());
    let profile = if cfg!(debug_assertions) {
        "a debug build (numbers mean nothing: use --release)"
    } else {
        "release build"
    };
    let date = output_of("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default();
    let python_line = match &python.version {
        Err(why) => format!("Python: {why}"),
        Ok(version) => {
            let package = |p: &Result<String, String>| match p {
                Ok(found) => found.clone(),
                Err(why) => why.clone(),
            };
            format!(
                "{version}; {}; {}",
                package(&python.uvloop),
                package(&python.http)
            )
        }
    };
    let kind = if quick {
        "a `--quick` run: small sizes, to check that every workload runs; not for quoting"
    } else {
        "a full run"
    };
    vec![
        format!(
            "Machine: {} cores ({cpu}), {memory}, Linux {kernel}",
            cores()
        ),
        format!(
            "Load average (1 min) when the run started: {load_before}, when it ended: {}; \
             the machine was shared, so absolute times drift and ratios are what to quote",
            load()
        ),
        format!(
            "{rustc}, {profile}; tokio {}, async-std {}, smol {} (async-executor {}); \
             async-channel {}, flume {}, kanal {}",
            locked("tokio"),
            locked("async-std"),
            locked("smol"),
            locked("async-executor"),
            locked("async-channel"),
            locked("flume"),
            locked("kanal")
        ),
        python_line,
        format!(
            "{kind}; the median of {runs} run(s) per row{}, each run a process of its own; {date}",
            if quick {
                String::new()
            } else {
                format!(
                    " (a row whose runs add up to less than {ENOUGH:.0} s gets more, up to \
                     {MAX_RUNS})"
                )
            }
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_file_names_the_runtimes() {
        assert!(locked("tokio").starts_with("1."));
        assert!(locked("smol").starts_with("2."));
        assert_eq!(locked("no-such-crate"), "?");
    }
}
