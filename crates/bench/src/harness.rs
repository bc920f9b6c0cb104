//! Runs every measurement as a process of its own (this binary's `measure` command, or
//! `python3 python/bench.py`), so that one run's memory and threads never leak into the next,
//! and collects what each printed.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

use crate::measure::Sample;
use crate::plan::{Contender, Imp, Loop, Runner, Section, Variant};

/// The Python side of the benchmark.
pub const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/python/bench.py");

/// What the machine has of Python.
#[derive(Clone, Debug)]
pub struct Python {
    /// `Python 3.11.7`, or why there is none.
    pub version: Result<String, String>,
    /// uvloop's version, or why it is not measured.
    pub uvloop: Result<String, String>,
    /// requests' and aiohttp's versions (the download workload's clients), or why not.
    pub http: Result<String, String>,
}

impl Python {
    /// Looks for `python3` and the packages the benchmark can use. A missing package is
    /// installed with `pip install --user` only when asked: `install_uvloop` for uvloop,
    /// `install_http` for requests and aiohttp. Never by default.
    pub fn detect(install_uvloop: bool, install_http: bool) -> Self {
        let version = output_of("python3", &["--version"])
            .ok_or_else(|| "not measured: python3 not found".to_owned());
        let (uvloop, http) = match &version {
            Err(why) => (Err(why.clone()), Err(why.clone())),
            Ok(_) => (
                packages(&["uvloop"], install_uvloop, "--with-uvloop"),
                packages(&["requests", "aiohttp"], install_http, "--with-aiohttp"),
            ),
        };
        Self {
            version,
            uvloop,
            http,
        }
    }

    /// Why this contender cannot run this workload here, if it cannot.
    fn missing(&self, runner: Runner, section: Section) -> Option<String> {
        let http = section == Section::Download;
        let why = match runner {
            Runner::Rust(_) => return None,
            Runner::Python(Loop::Asyncio) => self.version.as_ref().err(),
            Runner::Python(Loop::Uvloop) => self.uvloop.as_ref().err(),
        };
        why.or(self.http.as_ref().err().filter(|_| http)).cloned()
    }
}

/// The versions of Python packages (`uvloop 0.23.0`), installed with `pip install --user` first
/// if `install` and one is missing; or why they are not there.
fn packages(names: &[&str], install: bool, flag: &str) -> Result<String, String> {
    let versions = || {
        let script = names
            .iter()
            .map(|name| format!("import {name}; print('{name}', {name}.__version__, end=', ')"))
            .collect::<Vec<_>>()
            .join("; ");
        output_of("python3", &["-c", &script]).map(|line| line.trim_end_matches(',').to_owned())
    };
    if let Some(found) = versions() {
        return Ok(found);
    }
    if install {
        eprintln!("bench: python3 -m pip install --user {}", names.join(" "));
        let _ = Command::new("python3")
            .args(["-m", "pip", "install", "--user", "--quiet"])
            .args(names)
            .status();
        if let Some(found) = versions() {
            return Ok(found);
        }
    }
    Err(format!(
        "not measured: {} not installed (`{flag}` installs it)",
        names.join(" or ")
    ))
}

/// The first line a command prints (on stdout, or on stderr as old Pythons print `--version`).
pub fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let text = [output.stdout, output.stderr].concat();
    let line = String::from_utf8_lossy(&text)
        .lines()
        .next()?
        .trim()
        .to_owned();
    (output.status.success() && !line.is_empty()).then_some(line)
}

/// How a row of a table ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    Measured(Vec<Sample>),
    /// Not run here, and why (python3 or uvloop missing).
    Skipped(String),
    /// It ran and failed: the last thing it said.
    Failed(String),
}

#[derive(Clone, Debug)]
pub struct Row {
    pub contender: Contender,
    pub outcome: Outcome,
}

/// A table's measurements.
#[derive(Clone, Debug)]
pub struct Table {
    pub variant: Variant,
    pub rows: Vec<Row>,
}

/// Measures one table: `runs` runs of every contender, taken in turns (run 1 of each, then
/// run 2 of each, …) so that a burst of load from elsewhere lands on all of them alike. With
/// `more_for_fast_rows`, a row whose runs add up to less than [`ENOUGH`] seconds gets more turns,
/// up to [`MAX_RUNS`]: the median of five 20 ms runs on a shared machine says little.
pub fn measure(variant: &Variant, runs: u32, more_for_fast_rows: bool, python: &Python) -> Table {
    let mut rows: Vec<Row> = variant
        .contenders
        .iter()
        .map(|contender| Row {
            contender: contender.clone(),
            outcome: match python.missing(contender.runner, variant.section) {
                Some(why) => Outcome::Skipped(why),
                None => Outcome::Measured(Vec::new()),
            },
        })
        .collect();
    let wants_more = |samples: &[Sample]| {
        samples.len() < runs as usize
            || more_for_fast_rows
                && samples.len() < MAX_RUNS
                && samples.iter().map(|s| s.secs).sum::<f64>() < ENOUGH
    };
    if let Some(workload) = &variant.workload {
        let args = workload.args();
        for run in 1.. {
            let turn = |row: &Row| matches!(&row.outcome, Outcome::Measured(s) if wants_more(s));
            if !rows.iter().any(turn) {
                break;
            }
            eprint!("\r{}: run {run} ", variant.title);
            let _ = std::io::stderr().flush();
            for row in rows.iter_mut().filter(|row| turn(row)) {
                if let Outcome::Measured(samples) = &mut row.outcome {
                    match run_once(row.contender.runner, &args) {
                        Ok(sample) => samples.push(sample),
                        Err(why) => row.outcome = Outcome::Failed(why),
                    }
                }
            }
        }
        eprintln!();
    }
    Table {
        variant: variant.clone(),
        rows,
    }
}

/// Seconds of runs that make a row's median worth quoting.
pub const ENOUGH: f64 = 1.0;

/// The most runs a fast row gets.
pub const MAX_RUNS: usize = 25;

/// One run in a process of its own. Its stdout goes to /dev/null (the `chained` port prints
/// four lines per chain, and that printing is part of what is measured); its measurement
/// comes back on stderr.
fn run_once(runner: Runner, workload: &[String]) -> Result<Sample, String> {
    let mut command = match runner {
        Runner::Rust(imp) => {
            let exe = std::env::current_exe().map_err(|e| format!("cannot find myself: {e}"))?;
            let mut command = Command::new(exe);
            command.arg("measure").arg(imp_name(imp));
            command
        }
        Runner::Python(event_loop) => {
            let mut command = Command::new("python3");
            command.arg(SCRIPT).arg(event_loop.name());
            command
        }
    };
    let output = command
        .args(workload)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot start: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    match Sample::from_output(&stderr) {
        Some(sample) if output.status.success() => Ok(sample),
        _ => Err(format!(
            "{} ({})",
            stderr.lines().last().unwrap_or("no output"),
            output.status
        )),
    }
}

fn imp_name(imp: Imp) -> String {
    clap::ValueEnum::to_possible_value(&imp)
        .map(|value| value.get_name().to_owned())
        .unwrap_or_default()
}

/// The `download` example's embedded server, run as `bench serve` for the download tables.
/// Dropping it closes the server's stdin, which stops it.
pub struct ServerProcess {
    child: Child,
    pub port: u16,
}

impl ServerProcess {
    pub fn start(latency_ms: u64) -> Result<Self, String> {
        let exe = std::env::current_exe().map_err(|e| format!("cannot find myself: {e}"))?;
        let mut child = Command::new(exe)
            .args(["serve", &latency_ms.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("the embedded server did not start: {e}"))?;
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = BufReader::new(stdout).read_line(&mut line);
        }
        let port = line.trim().parse().map_err(|_| {
            let _ = child.kill();
            format!("the embedded server did not say its port: {line:?}")
        });
        let mut server = Self { child, port: 0 };
        server.port = port?;
        Ok(server)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}
