//! What the tcp-echo tests share: the binary, a server running in the background whose lines
//! the test reads one at a time, and raw clients (std's blocking sockets) that misbehave on
//! purpose.

#![allow(dead_code)] // each test file uses its own part

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use testkit::StdoutLines;

pub const BIN: &str = env!("CARGO_BIN_EXE_tcp-echo");

/// How long a test waits for a line or a reply before it fails: far more than anything takes
/// on a loaded machine, far less than a hung test run.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub fn tcp_echo(args: &[&str]) -> Command {
    testkit::command(BIN, args)
}

/// Every `127.0.0.1:PORT` as `127.0.0.1:PORT`: ports are the OS's pick.
pub fn mask_ports(text: &str) -> String {
    const HOST: &str = "127.0.0.1:";
    let mut masked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(HOST) {
        masked.push_str(&rest[..at + HOST.len()]);
        rest = &rest[at + HOST.len()..];
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        masked.push_str(if digits > 0 { "PORT" } else { "" });
        rest = &rest[digits..];
    }
    masked.push_str(rest);
    masked
}

/// `tcp-echo server --listen 127.0.0.1:0 --runtime R ARGS`, running, with its stdout read on a
/// thread of its own so that it never blocks on a full pipe.
pub struct Server {
    pub runtime: &'static str,
    pub addr: SocketAddr,
    child: Child,
    stdout: StdoutLines,
}

impl Server {
    pub fn start(runtime: &'static str, args: &[&str]) -> Server {
        let mut child = tcp_echo(&["server", "--listen", "127.0.0.1:0", "--runtime", runtime])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stdout = StdoutLines::of(&mut child);
        let first = stdout
            .next_within(PATIENCE)
            .unwrap_or_else(|| panic!("{runtime}: no `Serving on` line"));
        let addr = first
            .strip_prefix("Serving on ")
            .and_then(|addr| addr.parse().ok())
            .unwrap_or_else(|| panic!("{runtime}: {first}"));
        Server {
            runtime,
            addr,
            child,
            stdout,
        }
    }

    /// The next line the server prints.
    pub fn line(&self) -> String {
        self.stdout
            .next_within(PATIENCE)
            .unwrap_or_else(|| panic!("{}: no line within {PATIENCE:?}", self.runtime))
    }

    /// `client --connect ADDR ARGS` on the server's runtime.
    pub fn client(&self, args: &[&str]) -> std::process::Output {
        let addr = self.addr.to_string();
        tcp_echo(&["client", "--connect", &addr, "--runtime", self.runtime])
            .args(args)
            .output()
            .expect("the client runs")
    }

    /// Presses Ctrl-C and returns how the server exited and the lines it printed from then
    /// on, once it has ended (with an empty stderr).
    pub fn interrupt(self) -> (ExitStatus, Vec<String>) {
        testkit::interrupt(&self.child);
        self.finish()
    }

    /// Waits for the server to end after Ctrl-C; see [`Server::interrupt`].
    pub fn finish(mut self) -> (ExitStatus, Vec<String>) {
        let status = testkit::wait_at_most(&mut self.child, PATIENCE);
        let rest = self.stdout.rest();
        let mut stderr = String::new();
        self.child
            .stderr
            .take()
            .expect("piped")
            .read_to_string(&mut stderr)
            .expect("stderr");
        assert!(stderr.is_empty(), "{}: {stderr}", self.runtime);
        (status, rest)
    }

    /// Presses Ctrl-C, and leaves the server running to its end.
    pub fn press_ctrl_c(&self) {
        testkit::interrupt(&self.child);
    }

    /// A raw client.
    pub fn connect(&self) -> Raw {
        let stream = TcpStream::connect(self.addr)
            .unwrap_or_else(|e| panic!("{}: connect: {e}", self.runtime));
        stream.set_read_timeout(Some(PATIENCE)).expect("a timeout");
        Raw { stream }
    }
}

/// A client on std's blocking socket, to send what a good client would not.
pub struct Raw {
    pub stream: TcpStream,
}

impl Raw {
    pub fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("send");
    }

    /// Reads exactly `n` bytes.
    pub fn receive(&mut self, n: usize) -> String {
        let mut reply = vec![0; n];
        self.stream.read_exact(&mut reply).expect("a reply");
        String::from_utf8(reply).expect("UTF-8")
    }

    /// Checks that the server has closed its end: a read finds the end of the stream.
    pub fn assert_closed_by_server(&mut self) {
        let mut rest = Vec::new();
        self.stream
            .read_to_end(&mut rest)
            .expect("an end of stream, not an error");
        assert_eq!(String::from_utf8_lossy(&rest), "", "nothing more");
    }

    /// Sends `line` and a newline, and checks the echo.
    pub fn echo(&mut self, line: &str) {
        let sent = format!("{line}\n");
        self.send(sent.as_bytes());
        assert_eq!(self.receive(sent.len()), sent);
    }
}

/// Runs `check` on the three runtimes at once, each on a thread of its own.
pub fn on_every_runtime(check: fn(&'static str)) {
    let runs =
        testkit::RUNTIMES.map(|runtime| (runtime, std::thread::spawn(move || check(runtime))));
    for (runtime, run) in runs {
        if run.join().is_err() {
            panic!("{runtime}: failed (see above)");
        }
    }
}
