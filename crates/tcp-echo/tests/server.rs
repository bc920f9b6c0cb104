//! The server in real use, on every runtime: a thousand clients at once, a client that leaves
//! in the middle of a line, a line over the limit, and Ctrl-C while clients are connected. Each
//! test runs the real `server` (and, for the thousand, the real `client`) on the three runtimes
//! at once, and stops the server with Ctrl-C.

mod common;

use std::io::{ErrorKind, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Instant;

use common::{Server, mask_ports, on_every_runtime};
use testkit::{mask_decimals, stdout_of_success};

/// The line every server prints last.
fn summary(served: usize, at_once: usize, echoed: usize) -> String {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    format!(
        "Server closed: {served} connection{} served (at most {at_once} at once), {echoed} line{} echoed.",
        s(served),
        s(echoed)
    )
}

/// Presses Ctrl-C on a server whose connections have all ended, and checks that it says so
/// and exits with code 130.
fn interrupt_idle(server: Server, served: usize, at_once: usize, echoed: usize) {
    let runtime = server.runtime;
    let (status, rest) = server.interrupt();
    assert_eq!(status.code(), Some(130), "{runtime}: {status:?}");
    assert_eq!(rest, [summary(served, at_once, echoed)], "{runtime}");
}

#[test]
fn the_server_holds_a_thousand_clients_at_once() {
    // Two processes of a thousand sockets each; Linux's default soft limit is often 1024.
    let limit = rlimit::increase_nofile_limit(4096).expect("the open-files limit");
    assert!(
        limit >= 1100,
        "open-files limit {limit}: too low for the test"
    );
    on_every_runtime(|runtime| {
        let server = Server::start(runtime, &[]);
        // Each connection sends two lines, checks both echoes, and waits until every one has
        // its echoes before it closes: all thousand are open at the same moment.
        let output = server.client(&["--connections", "1000", "ping", "pong"]);
        let (said, _) = mask_decimals(&stdout_of_success(runtime, &output));
        assert_eq!(
            said, "Echoed 2000 lines on 1000 connections, all open at once, in X s.\n",
            "{runtime}"
        );
        let mut numbers: Vec<usize> = (0..1000)
            .map(|_| {
                let line = mask_ports(&server.line());
                let number = line
                    .strip_prefix("Connection ")
                    .and_then(|rest| rest.split(' ').next()?.parse().ok())
                    .unwrap_or_else(|| panic!("{runtime}: {line}"));
                assert!(
                    line.ends_with(" from 127.0.0.1:PORT: closed by the client; 2 lines echoed."),
                    "{runtime}: {line}"
                );
                number
            })
            .collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=1000).collect::<Vec<_>>(), "{runtime}");
        interrupt_idle(server, 1000, 1000, 2000);
    });
}

/// The listen backlog of the socket listening on `addr`: `ss` shows it as the Send-Q of a
/// listening socket.
fn backlog(addr: std::net::SocketAddr) -> u32 {
    let output = std::process::Command::new("ss")
        .args(["-ltnH", "src", &addr.to_string()])
        .output()
        .expect("ss (iproute2) runs");
    let listing = String::from_utf8_lossy(&output.stdout);
    listing
        .split_whitespace()
        .nth(2)
        .and_then(|backlog| backlog.parse().ok())
        .unwrap_or_else(|| panic!("no listener on {addr}: {listing}"))
}

#[test]
fn the_listener_queues_1024_connections_not_128() {
    on_every_runtime(|runtime| {
        let server = Server::start(runtime, &[]);
        // With 128, a thousand clients connecting at once overflow the queue: the kernel drops
        // handshakes, and those clients retry a second later or more.
        assert_eq!(backlog(server.addr), 1024, "{runtime}");
        interrupt_idle(server, 0, 0, 0);
    });
}

#[test]
fn a_client_that_leaves_in_the_middle_of_a_line_is_logged_and_the_server_goes_on() {
    on_every_runtime(|runtime| {
        let server = Server::start(runtime, &[]);
        let mut leaver = server.connect();
        leaver.echo("one whole line");
        leaver.send(b"half a li");
        drop(leaver);
        assert_eq!(
            mask_ports(&server.line()),
            "Connection 1 from 127.0.0.1:PORT: closed by the client in the middle of a line \
             (9 bytes dropped); 1 line echoed.",
            "{runtime}"
        );
        // The server goes on serving.
        let output = server.client(&["still there?"]);
        assert!(
            stdout_of_success(runtime, &output).contains("Client 1 received: 'still there?'\n"),
            "{runtime}"
        );
        assert_eq!(
            mask_ports(&server.line()),
            "Connection 2 from 127.0.0.1:PORT: closed by the client; 1 line echoed.",
            "{runtime}"
        );
        interrupt_idle(server, 2, 1, 2);
    });
}

#[test]
fn a_line_over_the_limit_gets_an_error_reply_and_the_server_goes_on() {
    on_every_runtime(|runtime| {
        let server = Server::start(runtime, &["--max-line", "16"]);
        let reply = "error: line longer than 16 bytes\n";

        // 16 bytes is the limit, and is echoed.
        let mut client = server.connect();
        client.echo("sixteen bytes ok");
        // One byte more, and no newline yet: the server answers without waiting for one (it
        // does not keep reading a line it will never echo), then closes.
        client.send(b"seventeen bytes!!");
        assert_eq!(client.receive(reply.len()), reply, "{runtime}");
        client.assert_closed_by_server();
        drop(client);
        assert_eq!(
            mask_ports(&server.line()),
            "Connection 1 from 127.0.0.1:PORT: line longer than 16 bytes, error sent; \
             1 line echoed.",
            "{runtime}"
        );

        // A megabyte in one line, sent whole before reading: the reply arrives, and the server
        // ends the connection once the client is done sending (it reads and drops the rest
        // without keeping it: a lingering close).
        let mut flood = server.connect();
        let writer = flood.stream.try_clone().expect("a second handle");
        let sender = std::thread::spawn(move || {
            let mut line = vec![b'x'; 1 << 20];
            line.push(b'\n');
            // The server may close before it has read it all: then this fails.
            let _ = (&writer).write_all(&line);
            let _ = writer.shutdown(Shutdown::Write);
        });
        assert_eq!(flood.receive(reply.len()), reply, "{runtime}");
        sender.join().expect("the sender ends");
        assert!(
            mask_ports(&server.line()).starts_with(
                "Connection 2 from 127.0.0.1:PORT: line longer than 16 bytes, error sent;"
            ),
            "{runtime}"
        );

        // The server goes on serving.
        server.connect().echo("next, please");
        assert_eq!(
            mask_ports(&server.line()),
            "Connection 3 from 127.0.0.1:PORT: closed by the client; 1 line echoed.",
            "{runtime}"
        );
        interrupt_idle(server, 3, 1, 2);
    });
}

#[test]
fn ctrl_c_stops_accepting_lets_lines_finish_and_exits_with_130() {
    on_every_runtime(|runtime| {
        let grace = 2.0;
        let server = Server::start(runtime, &["--grace", "2"]);
        // Between two lines when Ctrl-C comes.
        let mut idle = server.connect();
        idle.echo("a");
        // In the middle of a line, which it finishes after Ctrl-C. The line's start comes in
        // the same packet as a whole line, so once the echo of that one is back, the server
        // has read the start of the next.
        let mut finisher = server.connect();
        finisher.send(b"b\npart");
        assert_eq!(finisher.receive(2), "b\n", "{runtime}");
        // In the middle of a line that never ends.
        let mut stuck = server.connect();
        stuck.send(b"c\nstuck in the mid");
        assert_eq!(stuck.receive(2), "c\n", "{runtime}");

        let pressed = Instant::now();
        server.press_ctrl_c();
        assert_eq!(
            server.line(),
            "Closing: no new connections; 3 connections open; lines in progress get 2 s to finish.",
            "{runtime}"
        );
        // Between two lines: closed at once.
        assert_eq!(
            mask_ports(&server.line()),
            "Connection 1 from 127.0.0.1:PORT: closed at shutdown; 1 line echoed.",
            "{runtime}"
        );
        idle.assert_closed_by_server();
        // No new connections.
        let refused = TcpStream::connect(server.addr).expect_err("the port is closed");
        assert_eq!(refused.kind(), ErrorKind::ConnectionRefused, "{runtime}");
        // The line in progress is finished, echoed whole, and the connection closed.
        finisher.send(b"ial\n");
        assert_eq!(finisher.receive(8), "partial\n", "{runtime}");
        finisher.assert_closed_by_server();
        assert_eq!(
            mask_ports(&server.line()),
            "Connection 2 from 127.0.0.1:PORT: closed at shutdown; 2 lines echoed.",
            "{runtime}"
        );
        // The line that never ends is cut off after the grace period.
        stuck.assert_closed_by_server();
        let waited = pressed.elapsed().as_secs_f64();
        assert_eq!(
            mask_ports(&server.line()),
            "Connection 3 from 127.0.0.1:PORT: cut off, still busy 2 s after shutdown; \
             1 line echoed.",
            "{runtime}"
        );
        assert!(
            waited >= grace && waited <= grace * 1.2 + 0.15,
            "{runtime}: cut off after {waited:.2} s, grace {grace} s"
        );

        let (status, rest) = server.finish();
        assert_eq!(status.code(), Some(130), "{runtime}: {status:?}");
        assert_eq!(rest, [summary(3, 3, 4)], "{runtime}");
    });
}
