//! What the three ports share by nature, with no async code in it: the server's counters, how a
//! connection ended, and the lines the programs print about them. The ports hold everything
//! that awaits.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Duration;

/// The listen backlog: connections the kernel completes and queues until the server accepts
/// them. `TcpListener::bind` asks for 128 on all three runtimes (std's value, and mio's); a
/// thousand clients connecting at once overflow that, and a client whose handshake is dropped
/// retries only a second later. Linux caps it at `net.core.somaxconn` (4096 by default).
pub const BACKLOG: u32 = 1024;

/// How long the accept loop pauses after a failed accept (out of file descriptors, say)
/// before it tries again.
pub const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// After the error reply to a line that is too long, how long the server still reads (and
/// drops) what the client sends before it closes: what HTTP servers call a lingering close.
/// Closing a socket with unread input makes the kernel answer with a reset instead of a normal
/// close, and a reply still on its way (lost once and due for a resend, say) is then lost.
pub const LINGER: Duration = Duration::from_secs(1);

/// What the demo's clients send, one client after the other (the Python twin's `MESSAGES`).
pub const DEMO_MESSAGES: [&[&str]; 2] = [&["Hello World!", "Line-based echo."], &["Goodbye!"]];

/// What the server answers to a line over the limit, before it closes the connection.
pub fn too_long_reply(max_line: usize) -> String {
    format!("error: line longer than {max_line} bytes\n")
}

/// The longest answer a client reads when it expects the echo of a shorter line: room for the
/// error reply.
pub const ANSWER_ROOM: usize = 256;

/// The server's counters, shared by its tasks.
#[derive(Default)]
pub struct Stats {
    served: AtomicUsize,
    echoed: AtomicUsize,
    open: AtomicUsize,
    peak: AtomicUsize,
}

impl Stats {
    /// A connection was accepted; returns its number, counting from 1.
    pub fn opened(&self) -> usize {
        let open = self.open.fetch_add(1, Relaxed) + 1;
        self.peak.fetch_max(open, Relaxed);
        self.served.fetch_add(1, Relaxed) + 1
    }

    pub fn echoed_a_line(&self) {
        self.echoed.fetch_add(1, Relaxed);
    }

    pub fn closed(&self) {
        self.open.fetch_sub(1, Relaxed);
    }

    /// Once the server has stopped accepting: says what it waits for, if anything.
    pub fn print_closing(&self, grace: Duration) {
        let open = self.open.load(Relaxed);
        if open > 0 {
            println!(
                "Closing: no new connections; {} open; lines in progress get {} s to finish.",
                plural(open, "connection"),
                grace.as_secs_f64()
            );
        }
    }

    /// Once every connection has ended.
    pub fn print_summary(&self) {
        println!(
            "Server closed: {} served (at most {} at once), {} echoed.",
            plural(self.served.load(Relaxed), "connection"),
            self.peak.load(Relaxed),
            plural(self.echoed.load(Relaxed), "line")
        );
    }
}

/// How a connection ended.
#[derive(Debug)]
pub enum Ending {
    /// The client closed (or half-closed) between two lines.
    ClosedByClient,
    /// The client closed after sending part of a line, which is dropped.
    MidLine { dropped: usize },
    /// A line went over the limit: the client got the error reply.
    TooLong { max_line: usize },
    /// The server closed, and the connection was between two lines or finished its line.
    Shutdown,
    /// The server closed, and the connection was still busy `grace` later.
    CutOff { grace: Duration },
    /// Reading or writing failed (a reset connection, say).
    Failed(io::Error),
}

impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ending::ClosedByClient => write!(f, "closed by the client"),
            Ending::MidLine { dropped } => write!(
                f,
                "closed by the client in the middle of a line ({} dropped)",
                plural(*dropped, "byte")
            ),
            Ending::TooLong { max_line } => {
                write!(f, "line longer than {max_line} bytes, error sent")
            }
            Ending::Shutdown => write!(f, "closed at shutdown"),
            Ending::CutOff { grace } => write!(
                f,
                "cut off, still busy {} s after shutdown",
                grace.as_secs_f64()
            ),
            Ending::Failed(error) => write!(f, "failed: {error}"),
        }
    }
}

/// The line the server prints when connection `number` ends: the only line it prints per
/// connection, so that a thousand clients make a thousand lines.
pub fn print_ending(number: usize, peer: SocketAddr, ending: &Ending, lines: usize) {
    println!(
        "Connection {number} from {peer}: {ending}; {} echoed.",
        plural(lines, "line")
    );
}

/// What the `client` command prints once every connection has its echoes.
pub fn print_client_summary(connections: usize, lines: usize, took: Duration) {
    let at_once = if connections > 1 {
        ", all open at once,"
    } else {
        ""
    };
    println!(
        "Echoed {} on {}{at_once} in {:.2} s.",
        plural(lines, "line"),
        plural(connections, "connection"),
        took.as_secs_f64()
    );
}

/// A client's check of the echo of the line it sent.
pub fn check_echo(name: usize, sent: &str, echo: &[u8]) -> anyhow::Result<()> {
    if echo == sent.as_bytes() {
        Ok(())
    } else if echo.is_empty() {
        anyhow::bail!("connection {name}: the server closed the connection instead of echoing")
    } else {
        let echo = String::from_utf8_lossy(echo);
        anyhow::bail!("connection {name}: the server answered {echo:?} instead of the echo")
    }
}

/// `3 lines`, `1 line`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_track_the_peak_of_open_connections() {
        let stats = Stats::default();
        assert_eq!((stats.opened(), stats.opened()), (1, 2));
        stats.closed();
        assert_eq!(stats.opened(), 3);
        stats.closed();
        stats.closed();
        assert_eq!(stats.peak.load(Relaxed), 2);
        assert_eq!(stats.open.load(Relaxed), 0);
    }

    #[test]
    fn endings_read_as_sentences() {
        let mid = Ending::MidLine { dropped: 1 };
        assert_eq!(
            mid.to_string(),
            "closed by the client in the middle of a line (1 byte dropped)"
        );
        let cut = Ending::CutOff {
            grace: Duration::from_millis(500),
        };
        assert_eq!(cut.to_string(), "cut off, still busy 0.5 s after shutdown");
        assert_eq!(plural(0, "line"), "0 lines");
    }
}
