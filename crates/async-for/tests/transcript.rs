//! Runs the real `async-for` binary on every runtime and checks what a reader sees: the lines
//! against CPython 3.11's, the half-second steps of the counter, and the chunks of a body
//! streamed from the local server.
//!
//! The CPython goldens come from one file reconstructed from the seeds: seed 000's
//! `AsyncCounter` (with the `<` the page lost), an async generator with the same output, and
//! seed 000's aiohttp `iter_chunked(1024)` example fetching from a local aiohttp server that
//! sends `size` bytes; `asyncio.sleep` scaled by 0.1.

use std::process::Command;

use testkit::{assert_usage_error, stdout_of_success};

/// 1 s in the document is 0.1 s here: the counter's numbers come 50 ms apart.
const SCALE: f64 = 0.1;

/// `python3 async_for.py counter` (AsyncCounter(5)) and `... generator`: the same lines.
const PYTHON_COUNTER: &str = "\
Starting iteration...
Got number: 1
Got number: 2
Got number: 3
Got number: 4
Got number: 5
Iteration complete
";

fn async_for(args: &[&str]) -> Command {
    testkit::command(env!("CARGO_BIN_EXE_async-for"), args)
}

fn run_on_every_runtime(args: &[&str], scale: f64) -> Vec<(&'static str, String)> {
    testkit::run_on_every_runtime(env!("CARGO_BIN_EXE_async-for"), args, scale)
}

/// `python3 async_for.py chunks SIZE` prints one line per 1024 bytes, and one for the rest.
fn python_chunks(size: usize) -> String {
    let mut lines = "Received 1024 bytes\n".repeat(size / 1024);
    if !size.is_multiple_of(1024) {
        lines += &format!("Received {} bytes\n", size % 1024);
    }
    lines
}

#[test]
fn every_stream_shape_prints_the_documents_transcript() {
    for demo in ["counter", "unfold", "generator"] {
        let started = std::time::Instant::now();
        for (runtime, transcript) in run_on_every_runtime(&[demo], SCALE) {
            assert_eq!(transcript, PYTHON_COUNTER, "{demo} on {runtime}");
        }
        // Five numbers, each after its own 0.5 s wait: 2.5 s of the document's time, one
        // after another (the three runtimes run side by side).
        let took = started.elapsed().as_secs_f64();
        let ideal = 2.5 * SCALE;
        assert!(
            took >= ideal - 0.01 && took <= ideal * 1.2 + 0.5,
            "{demo}: took {took:.2} s, ideal {ideal:.2} s"
        );
    }
}

#[test]
fn without_waiting_the_streams_still_end_after_five() {
    for demo in ["counter", "unfold", "generator"] {
        for (runtime, transcript) in run_on_every_runtime(&[demo], 0.0) {
            assert_eq!(transcript, PYTHON_COUNTER, "{demo} on {runtime}");
        }
    }
}

#[test]
fn a_body_from_the_local_server_arrives_in_chunks_of_1024_bytes() {
    for size in [10_000, 2048, 1, 0, 1_000_000] {
        let size_arg = size.to_string();
        for (runtime, transcript) in run_on_every_runtime(&["chunks", "--size", &size_arg], SCALE) {
            assert_eq!(transcript, python_chunks(size), "{size} bytes on {runtime}");
        }
    }
    // The default is 10 000 bytes, the size the chapter shows.
    let output = async_for(&["chunks"]).output().expect("runs");
    assert_eq!(stdout_of_success("tokio", &output), python_chunks(10_000));
}

#[test]
fn the_loopback_client_ignores_proxy_settings() {
    for runtime in testkit::RUNTIMES {
        let mut command = async_for(&["chunks", "--size", "3000", "--runtime", runtime]);
        for proxy in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
            // Nothing listens there: a client that used it would fail.
            command.env(proxy, "http://127.0.0.1:9");
        }
        command.env_remove("NO_PROXY").env_remove("no_proxy");
        let output = command.output().expect("runs");
        assert_eq!(stdout_of_success(runtime, &output), python_chunks(3000));
    }
}

#[test]
fn a_server_that_is_not_there_is_a_one_line_error() {
    // Bind a port, then free it: nothing listens on it any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/data");
    for runtime in testkit::RUNTIMES {
        let output = async_for(&["chunks", "--url", &url, "--runtime", runtime])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{runtime}: {stderr}");
        assert!(output.stdout.is_empty(), "{runtime}");
        assert_eq!(stderr.lines().count(), 1, "{runtime}: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: GET {url}: ")) && stderr.contains("refused"),
            "{runtime}: {stderr}"
        );
    }
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 8] = [
        (&["count"], "invalid value 'count'"),
        (
            &["chunks", "--url", "https://example.com/"],
            "is not an http://host/path URL",
        ),
        (
            &["chunks", "--url", "not a url"],
            "invalid value 'not a url'",
        ),
        (&["chunks", "--size", "-5"], "unexpected argument '-5'"),
        (
            &["chunks", "--size", "100000001"],
            "is not in 0..=100000000",
        ),
        (
            &["chunks", "--size", "5", "--url", "http://127.0.0.1/"],
            "cannot be used with",
        ),
        (
            &["counter", "--size", "5"],
            "--url and --size are for the chunks demo",
        ),
        (
            &["--url", "http://127.0.0.1/"],
            "--url and --size are for the chunks demo",
        ),
    ];
    for (args, message) in cases {
        assert_usage_error(&async_for(args).output().expect("runs"), message);
    }
}
