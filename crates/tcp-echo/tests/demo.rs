//! The demo against its Python twin, and the command line: bad input gets exit code 2, a
//! port already taken or a server that is not there exit code 1, each with one line.

mod common;

use std::net::TcpListener;

use common::{BIN, mask_ports, tcp_echo};
use testkit::{RUNTIMES, assert_usage_error};

/// Our asyncio twin of the demo (the seed has only the cheat sheet's rows), run on CPython
/// 3.11: `start_server(handle_echo, "127.0.0.1", 0, limit=8192)`, a handler that echoes each
/// `reader.readline()` with `writer.write` and `drain` and prints one line when the client
/// closes, and two `open_connection` clients, one after the other, that send their lines, read
/// the echoes, `write_eof()` and wait for the server's end of stream. Ports masked; the same
/// lines on every run (the clients run one at a time, and each waits for the server's close).
const PYTHON: &str = "\
Serving on 127.0.0.1:PORT
Client 1 send: 'Hello World!'
Client 1 received: 'Hello World!'
Client 1 send: 'Line-based echo.'
Client 1 received: 'Line-based echo.'
Client 1 closes the connection.
Connection 1 from 127.0.0.1:PORT: closed by the client; 2 lines echoed.
Client 2 send: 'Goodbye!'
Client 2 received: 'Goodbye!'
Client 2 closes the connection.
Connection 2 from 127.0.0.1:PORT: closed by the client; 1 line echoed.
Server closed: 2 connections served (at most 1 at once), 3 lines echoed.
";

#[test]
fn the_demo_prints_what_its_python_twin_prints_on_every_runtime() {
    for (runtime, transcript) in testkit::run_on_every_runtime(BIN, &[], 1.0) {
        assert_eq!(mask_ports(&transcript), PYTHON, "{runtime}");
        // The two clients came from two different local ports.
        let peers: Vec<&str> = transcript
            .lines()
            .filter_map(|line| line.strip_prefix("Connection ")?.split(' ').nth(2))
            .collect();
        assert_eq!(peers.len(), 2, "{runtime}");
        assert_ne!(peers[0], peers[1], "{runtime}");
    }
}

#[test]
fn ports_are_masked_and_the_rest_kept() {
    assert_eq!(
        mask_ports("on 127.0.0.1:8888\nfrom 127.0.0.1:5: x 127.0.0.1:"),
        "on 127.0.0.1:PORT\nfrom 127.0.0.1:PORT: x 127.0.0.1:"
    );
}

#[test]
fn an_address_in_use_is_a_runtime_error_with_one_line() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = taken.local_addr().expect("its address").to_string();
    for runtime in RUNTIMES {
        let output = tcp_echo(&["server", "--listen", &addr, "--runtime", runtime])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{runtime}: {stderr}");
        assert!(output.stdout.is_empty(), "{runtime}: nothing served");
        assert_eq!(stderr.lines().count(), 1, "{runtime}: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: cannot listen on {addr}: ")),
            "{runtime}: {stderr}"
        );
        assert!(stderr.contains("in use"), "{runtime}: {stderr}");
    }
}

#[test]
fn a_client_with_no_server_to_talk_to_fails_with_one_line() {
    // A port just freed: nothing listens there.
    let addr = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a port")
        .to_string();
    for runtime in RUNTIMES {
        let output = tcp_echo(&["client", "--connect", &addr, "--runtime", runtime])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{runtime}: {stderr}");
        assert_eq!(
            stderr.lines().collect::<Vec<_>>(),
            [format!(
                "error: cannot connect to {addr}: Connection refused (os error 111)"
            )],
            "{runtime}"
        );
    }
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 14] = [
        (
            &["server", "--listen", "nonsense"],
            "invalid value 'nonsense'",
        ),
        // An address is IP:PORT; host names are not resolved.
        (
            &["server", "--listen", "localhost:8888"],
            "invalid socket address",
        ),
        (
            &["server", "--listen", "127.0.0.1:65536"],
            "invalid socket address",
        ),
        (&["server", "--max-line", "0"], "0 is not in 1..=16777216"),
        (
            &["server", "--max-line", "16777217"],
            "is not in 1..=16777216",
        ),
        (&["server", "--max-line", "big"], "invalid value 'big'"),
        (
            &["server", "--grace", "-1"],
            "must be between 0 and 3600 seconds",
        ),
        (
            &["server", "--grace", "soon"],
            "`soon` is not a number of seconds",
        ),
        (&["client", "--connections", "0"], "0 is not in 1..=10000"),
        (
            &["client", "--connections", "10001"],
            "10001 is not in 1..=10000",
        ),
        (
            &["client", "--connect", "127.0.0.1"],
            "invalid socket address",
        ),
        (&["client", "two\nlines"], "a MESSAGE is one line"),
        (&["--max-line", "10"], "unexpected argument '--max-line'"),
        (&["serve"], "unrecognized subcommand 'serve'"),
    ];
    for (args, message) in cases {
        assert_usage_error(&tcp_echo(args).output().expect("runs"), message);
    }
    // The shared flags go before or after the command.
    assert_usage_error(
        &tcp_echo(&["--runtime", "trio", "server"])
            .output()
            .expect("runs"),
        "invalid value 'trio'",
    );
    assert_usage_error(
        &tcp_echo(&["client", "--runtime", "trio"])
            .output()
            .expect("runs"),
        "invalid value 'trio'",
    );
}
