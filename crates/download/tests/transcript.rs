//! Runs the real `download` binary, every version and the async one on every runtime, against
//! its embedded server (and against servers and a closed port the tests set up), and checks
//! what a reader sees: the lines against CPython 3.11's for the same sites, the summary, the
//! failures, and the measured time against the version's ideal.

use std::collections::BTreeSet;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use download::server::{Server, ServerConfig};
use testkit::{RUNTIMES, assert_usage_error, mask_decimals, stdout_of_success};

/// The simulated network in the timing tests: long enough that one round of requests and
/// the next are told apart on a loaded machine (the tolerance below is 0.15 s plus 20%).
const LATENCY: f64 = 0.2;

/// The Python originals (the document's four programs, with the list of sites pointed at the
/// port's own server: `download serve`, `REPEAT=3` instead of 80) on CPython 3.11, requests
/// 2.34 and aiohttp 3.14; the server's address written `HOST`, durations masked. The processes
/// version ran with the "spawn" start method, as the port's workers are started.
const PYTHON_SYNC: &str = "\
Read 10966 bytes from http://HOST/www.jython.org
Read 276 bytes from http://HOST/olympus.realpython.org/dice
Read 10966 bytes from http://HOST/www.jython.org
Read 276 bytes from http://HOST/olympus.realpython.org/dice
Read 10966 bytes from http://HOST/www.jython.org
Read 276 bytes from http://HOST/olympus.realpython.org/dice
Downloaded 6 sites in X seconds
";

/// `io_threads.py` and `io_asyncio.py`: the same lines, in an order that changes from run to
/// run; the tests compare them as a set.
const PYTHON_THREADS: &str = "\
Read 276 bytes from http://HOST/olympus.realpython.org/dice
Read 10966 bytes from http://HOST/www.jython.org
Read 10966 bytes from http://HOST/www.jython.org
Read 276 bytes from http://HOST/olympus.realpython.org/dice
Read 10966 bytes from http://HOST/www.jython.org
Read 276 bytes from http://HOST/olympus.realpython.org/dice
Downloaded 6 sites in X seconds
";

/// `io_processes.py` on a 2-core machine.
const PYTHON_PROCESSES: &str = "\
SpawnProcess-2:Read 10966 bytes from http://HOST/www.jython.org
SpawnProcess-1:Read 276 bytes from http://HOST/olympus.realpython.org/dice
SpawnProcess-2:Read 10966 bytes from http://HOST/www.jython.org
SpawnProcess-1:Read 276 bytes from http://HOST/olympus.realpython.org/dice
SpawnProcess-2:Read 10966 bytes from http://HOST/www.jython.org
SpawnProcess-1:Read 276 bytes from http://HOST/olympus.realpython.org/dice
Downloaded 6 sites in X seconds
";

/// Seed 001's program with `fetch_page` pointed at the server's small page: the page, and the
/// empty line `print` adds after its final newline.
const PYTHON_FETCH_PAGE: &str = "\
<!DOCTYPE html>
<html>
<head><title>olympus.realpython.org/dice</title></head>
<body>
<p>A stand-in for olympus.realpython.org/dice, served on 127.0.0.1: 276 bytes, as the document read.</p>
<p>Read while the other downloads wait.</p>
<!-- padding         -->
</body>
</html>

";

fn download(args: &[&str]) -> Command {
    testkit::command(env!("CARGO_BIN_EXE_download"), args)
}

/// Starts every command at once and waits for all of them.
fn run_all(commands: Vec<(String, Command)>) -> Vec<(String, Output)> {
    let children: Vec<(String, Child)> = commands
        .into_iter()
        .map(|(what, mut command)| {
            let child = command
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the binary starts");
            (what, child)
        })
        .collect();
    children
        .into_iter()
        .map(|(what, child)| (what, child.wait_with_output().expect("the binary runs")))
        .collect()
}

/// `what` → the command for every version, the async one once per runtime.
fn every_version(args: &[&str]) -> Vec<(String, Command)> {
    let mut commands = Vec::new();
    for mode in ["sync", "threads", "processes"] {
        let mut command = download(&["--mode", mode]);
        command.args(args);
        commands.push((mode.to_string(), command));
    }
    for runtime in RUNTIMES {
        let mut command = download(&["--mode", "async", "--runtime", runtime]);
        command.args(args);
        commands.push((format!("async on {runtime}"), command));
    }
    commands
}

/// The transcript with every `127.0.0.1:PORT` written `HOST`, then its decimals masked.
fn masked(transcript: &str) -> (String, Vec<f64>) {
    let mut text = String::with_capacity(transcript.len());
    let mut rest = transcript;
    while let Some(at) = rest.find("127.0.0.1:") {
        text.push_str(&rest[..at]);
        rest = rest[at + "127.0.0.1:".len()..].trim_start_matches(|c: char| c.is_ascii_digit());
        text.push_str("HOST");
    }
    text.push_str(rest);
    mask_decimals(&text)
}

fn sorted_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    lines
}

/// The measured time is the ideal (rounds of requests × latency) plus scheduling noise.
fn assert_near_ideal(what: &str, measured: f64, ideal: f64) {
    assert!(
        measured >= ideal - 0.01 && measured <= ideal * 1.2 + 0.15,
        "{what}: took {measured:.3} s, ideal {ideal:.3} s"
    );
}

/// Runs a version over the server's two pages × 3, and returns its masked lines and time.
fn six_sites(mode: &str, runtime: &str) -> (String, f64) {
    let latency_ms = (LATENCY * 1000.0).to_string();
    let args = ["--mode", mode, "--runtime", runtime, "--repeat", "3"];
    let output = download(&args)
        .args(["--latency-ms", &latency_ms])
        .output()
        .expect("runs");
    let (lines, durations) = masked(&stdout_of_success(mode, &output));
    (lines, durations[0])
}

#[test]
fn sync_prints_cpythons_lines_in_order_one_request_after_another() {
    let (lines, took) = six_sites("sync", "tokio");
    assert_eq!(lines, PYTHON_SYNC);
    assert_near_ideal("sync", took, 6.0 * LATENCY);
}

#[test]
fn threads_read_every_site_five_at_a_time() {
    let (lines, took) = six_sites("threads", "tokio");
    assert_eq!(sorted_lines(&lines), sorted_lines(PYTHON_THREADS));
    // Five sites in the first round, the sixth in a second one.
    assert_near_ideal("threads", took, 2.0 * LATENCY);
}

#[test]
fn async_reads_every_site_at_once_on_every_runtime() {
    let latency_ms = (LATENCY * 1000.0).to_string();
    let args = [
        "--mode",
        "async",
        "--repeat",
        "3",
        "--latency-ms",
        &latency_ms,
    ];
    for (runtime, transcript) in
        testkit::run_on_every_runtime(env!("CARGO_BIN_EXE_download"), &args, 1.0)
    {
        let (lines, durations) = masked(&transcript);
        assert_eq!(
            sorted_lines(&lines),
            sorted_lines(PYTHON_THREADS),
            "{runtime}"
        );
        // One round: under the two that five threads need.
        assert_near_ideal(runtime, durations[0], LATENCY);
    }
}

#[test]
fn processes_read_every_site_on_a_worker_per_core() {
    let (lines, took) = six_sites("processes", "tokio");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(6));
    let workers: BTreeSet<&str> = lines
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(w, _)| w)
        .collect();
    let expected: BTreeSet<String> = (1..=cores).map(|n| format!("SpawnProcess-{n}")).collect();
    assert_eq!(workers, expected.iter().map(String::as_str).collect());
    // Without the worker names, the lines are CPython's.
    let unnamed = |text: &str| {
        let mut lines: Vec<String> = text
            .lines()
            .map(|l| {
                l.split_once(":Read")
                    .map_or(l.to_string(), |(_, r)| format!("Read{r}"))
            })
            .collect();
        lines.sort_unstable();
        lines
    };
    assert_eq!(unnamed(&lines), unnamed(PYTHON_PROCESSES));
    assert_near_ideal("processes", took, 6usize.div_ceil(cores) as f64 * LATENCY);
}

#[test]
fn failed_requests_are_reported_counted_and_make_the_exit_code_1() {
    // The third and the sixth request get HTTP 500.
    let args = ["--repeat", "3", "--latency-ms", "10", "--fail-every", "3"];
    for (what, output) in run_all(every_version(&args)) {
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{what}: {stderr}");
        assert_eq!(stderr, "error: 2 of 6 downloads failed\n", "{what}");
        let (lines, _) = masked(&stdout);
        let read = lines.lines().filter(|l| l.contains("Read ")).count();
        let failed: Vec<&str> = lines
            .lines()
            .filter(|l| l.starts_with("Failed to read http://HOST/"))
            .collect();
        assert_eq!((read, failed.len()), (4, 2), "{what}: {stdout}");
        assert!(failed.iter().all(|l| l.contains("500")), "{what}: {stdout}");
        assert!(
            lines.ends_with("Downloaded 4 of 6 sites in X seconds (2 failed)\n"),
            "{what}: {stdout}"
        );
    }
}

#[test]
fn a_refused_connection_and_a_slow_server_fail_alone_in_every_version() {
    let fast = Server::start(ServerConfig {
        latency: Duration::from_millis(10),
        ..ServerConfig::default()
    })
    .expect("a server");
    let slow = Server::start(ServerConfig {
        latency: Duration::from_secs(3),
        ..ServerConfig::default()
    })
    .expect("a server");
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("its address")
    };
    let [fast_url, _] = fast.page_urls();
    let [slow_url, _] = slow.page_urls();
    let closed_url = format!("http://{closed}/");
    let args = [
        "--url",
        &fast_url,
        "--url",
        &slow_url,
        "--url",
        &closed_url,
        "--repeat",
        "1",
        "--timeout",
        "0.5",
    ];
    for (what, output) in run_all(every_version(&args)) {
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{what}: {stderr}");
        assert_eq!(stderr, "error: 2 of 3 downloads failed\n", "{what}");
        let line = |prefix: &str| {
            stdout
                .lines()
                .find(|l| l.contains(prefix))
                .unwrap_or_else(|| panic!("{what}: no line with {prefix}: {stdout}"))
        };
        assert!(line(&format!("Read 10966 bytes from {fast_url}")).ends_with(&fast_url));
        let timed_out = line(&format!("Failed to read {slow_url}: "));
        assert!(
            ["timeout", "timed out", "no complete answer within 500ms"]
                .iter()
                .any(|words| timed_out.contains(words)),
            "{what}: {timed_out}"
        );
        let refused = line(&format!("Failed to read {closed_url}: "));
        assert!(refused.contains("Connection refused"), "{what}: {refused}");
        let (summary, took) = masked(stdout.lines().last().unwrap_or_default());
        assert_eq!(
            summary, "Downloaded 1 of 3 sites in X seconds (2 failed)",
            "{what}"
        );
        // The slow site was given up on after the timeout, not waited for.
        assert!(took[0] >= 0.49 && took[0] < 2.0, "{what}: {took:?}");
    }
}

#[test]
fn all_runs_the_four_versions_then_compares_them_ignoring_proxy_settings() {
    // A proxy that would refuse every request: the clients must not use it for 127.0.0.1.
    let proxy = "http://127.0.0.1:1";
    let commands = RUNTIMES
        .iter()
        .map(|runtime| {
            let mut command =
                download(&["--repeat", "1", "--latency-ms", "20", "--runtime", runtime]);
            for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
                command.env(name, proxy);
            }
            command.env_remove("NO_PROXY").env_remove("no_proxy");
            (runtime.to_string(), command)
        })
        .collect();
    for (runtime, output) in run_all(commands) {
        let stdout = stdout_of_success(&runtime, &output);
        let (lines, _) = masked(&stdout);
        let headers: Vec<&str> = lines.lines().filter(|l| l.starts_with("== ")).collect();
        assert_eq!(
            headers,
            [
                "== Synchronous version ==",
                "== Multi-threaded version ==",
                "== Asynchronous version ==",
                "== Process-based version ==",
            ],
            "{runtime}"
        );
        let summaries = lines
            .lines()
            .filter(|l| *l == "Downloaded 2 sites in X seconds");
        assert_eq!(summaries.count(), 4, "{runtime}: {stdout}");
        let table = lines
            .split_once("Version         The document   This run      Faster by\n")
            .map(|(_, table)| table)
            .unwrap_or_else(|| panic!("{runtime}: no table: {stdout}"));
        let rows: Vec<&str> = table
            .lines()
            .map(|l| l.split(' ').next().unwrap_or(""))
            .collect();
        assert_eq!(
            rows,
            [
                "Synchronous",
                "Multi-threaded",
                "Asynchronous",
                "Process-based",
                "",
                "This",
                "Synchronous",
                "Multi-threaded",
                "Asynchronous",
                "Process-based",
            ],
            "{runtime}: {table}"
        );
        assert!(
            stdout.contains("14.29 s") && table.contains('█'),
            "{stdout}"
        );
    }
}

#[test]
fn fetch_page_prints_the_page_on_every_runtime() {
    for (runtime, transcript) in testkit::run_on_every_runtime(
        env!("CARGO_BIN_EXE_download"),
        &["fetch-page", "--latency-ms", "10"],
        1.0,
    ) {
        assert_eq!(transcript, PYTHON_FETCH_PAGE, "{runtime}");
    }
    // The shared options go before the subcommand's name as well as after it.
    let before = download(&["--runtime", "smol", "--latency-ms", "0", "fetch-page"])
        .output()
        .expect("runs");
    assert_eq!(stdout_of_success("before", &before), PYTHON_FETCH_PAGE);
}

#[test]
fn request_resource_sends_ten_requests_at_once_on_every_runtime() {
    let latency_ms = (LATENCY * 1000.0).to_string();
    for (runtime, transcript) in testkit::run_on_every_runtime(
        env!("CARGO_BIN_EXE_download"),
        &["request-resource", "--latency-ms", &latency_ms],
        1.0,
    ) {
        let (masked, durations) = mask_decimals(&transcript);
        assert_eq!(masked, "Duration: Xs\n", "{runtime}");
        assert_near_ideal(runtime, durations[0], LATENCY);
    }
}

#[test]
fn the_seed_programs_fail_on_the_first_error_with_exit_code_1() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        format!("http://{}/", listener.local_addr().expect("its address"))
    };
    let mut commands = Vec::new();
    for runtime in RUNTIMES {
        let refused = download(&["request-resource", &closed, "--runtime", runtime]);
        commands.push((
            format!("request-resource on {runtime}"),
            refused,
            "Connection refused",
        ));
        let failing = download(&["fetch-page", "--fail-every", "1", "--runtime", runtime]);
        commands.push((format!("fetch-page on {runtime}"), failing, "500"));
    }
    let expectations: Vec<(String, &str)> = commands
        .iter()
        .map(|(what, _, words)| (what.clone(), *words))
        .collect();
    let outputs = run_all(commands.into_iter().map(|(what, c, _)| (what, c)).collect());
    for ((what, output), (_, words)) in outputs.into_iter().zip(expectations) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{what}: {stderr}");
        assert!(output.stdout.is_empty(), "{what}");
        assert!(
            stderr.starts_with("error: GET http://127.0.0.1:") && stderr.contains(words),
            "{what}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{what}: {stderr}");
    }
}

#[test]
fn serve_runs_the_server_alone_for_other_clients() {
    use std::io::{BufRead, BufReader};
    let mut server = download(&["serve", "--latency-ms", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut urls = BufReader::new(server.stdout.take().expect("its stdout")).lines();
    let big = urls.next().expect("a line").expect("a URL");
    let small = urls.next().expect("a line").expect("a URL");
    let fetched = download(&["fetch-page", &small]).output();
    let requested = download(&["request-resource", &big]).output();
    server.kill().expect("the server stops");
    let _ = server.wait();
    assert_eq!(
        stdout_of_success("fetch-page", &fetched.expect("runs")),
        PYTHON_FETCH_PAGE
    );
    let (masked, _) = mask_decimals(&stdout_of_success(
        "request-resource",
        &requested.expect("runs"),
    ));
    assert_eq!(masked, "Duration: Xs\n");
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 17] = [
        (&["--mode", "fibers"], "invalid value 'fibers'"),
        (&["--repeat", "-1"], "unexpected argument '-1'"),
        (&["--repeat", "many"], "invalid value 'many'"),
        (&["--repeat", "10001"], "10001 is not in 0..=10000"),
        (&["--latency-ms", "60001"], "60001 is not in 0..=60000"),
        (&["--fail-every", "0"], "invalid value '0'"),
        (&["--timeout", "0"], "must be more than 0"),
        (&["--timeout", "soon"], "`soon` is not a number"),
        (
            &["--url", "https://www.jython.org"],
            "is not an http://host/path URL",
        ),
        (&["--url", "http://"], "invalid value 'http://'"),
        (
            &["--url", "http://127.0.0.1:1/", "--latency-ms", "5"],
            "cannot be used with",
        ),
        (&["--runtime", "glommio"], "invalid value 'glommio'"),
        (
            &["fetch-page", "ftp://example.org/"],
            "is not an http://host/path URL",
        ),
        (
            &["--mode", "sync", "fetch-page"],
            "--mode is for the comparison, not for fetch-page",
        ),
        (
            &["request-resource", "--url", "http://127.0.0.1:1/"],
            "unexpected argument '--url'",
        ),
        (
            &["fetch-page", "http://127.0.0.1:1/", "--fail-every", "2"],
            "--fail-every is for the local server",
        ),
        (
            &[
                "--latency-ms",
                "5",
                "request-resource",
                "http://127.0.0.1:1/",
            ],
            "--latency-ms is for the local server",
        ),
    ];
    for (args, message) in cases {
        assert_usage_error(&download(args).output().expect("runs"), message);
    }
}

/// What the benchmarks call: the versions in this process, against a server in this process,
/// with the `download` binary as the worker program of the processes version.
#[test]
fn the_library_runs_every_version_in_process() {
    use download::{Mode, Runtime};
    let server = Server::start(ServerConfig {
        latency: Duration::from_millis(10),
        fail_every: std::num::NonZeroU32::new(4),
        port: 0,
    })
    .expect("a server");
    let sites = download::sites(&server.page_urls(), 2);
    let timeout = Duration::from_secs(10);
    let worker = std::path::Path::new(env!("CARGO_BIN_EXE_download"));
    let mut summaries = vec![download::processes(worker, &sites, timeout).expect("runs")];
    for mode in [Mode::Sync, Mode::Threads] {
        summaries.push(download::download(mode, Runtime::Tokio, &sites, timeout).expect("runs"));
    }
    for runtime in [Runtime::Tokio, Runtime::AsyncStd, Runtime::Smol] {
        summaries.push(download::download(Mode::Async, runtime, &sites, timeout).expect("runs"));
    }
    // The server counts requests across the runs: every fourth one of each run's four fails.
    for summary in &summaries {
        assert_eq!(
            (summary.sites, summary.failures.len()),
            (4, 1),
            "{summary:?}"
        );
        assert!(summary.bytes == 10_966 * 2 + 276 || summary.bytes == 10_966 + 276 * 2);
        assert!(summary.duration >= Duration::from_millis(10), "{summary:?}");
        assert_eq!(
            summary.ok().map_err(|e| e.to_string()),
            Err("1 of 4 downloads failed".into())
        );
    }
    server.stop();
}
