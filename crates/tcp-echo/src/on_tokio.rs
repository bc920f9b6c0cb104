//! The TCP echo server and clients on tokio (the default runtime): `cargo run -p tcp-echo` runs
//! the demo; `cargo run -p tcp-echo -- server` serves on 127.0.0.1:8888 until Ctrl-C, and
//! `cargo run -p tcp-echo -- client` talks to it.

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{Barrier, mpsc, watch};
use tokio::task::JoinHandle;

use crate::Config;
use crate::report::{
    self, ACCEPT_PAUSE, ANSWER_ROOM, BACKLOG, DEMO_MESSAGES, Ending, LINGER, Stats, check_echo,
};

// ANCHOR: start_server
/// What `asyncio.start_server` returns: a server that accepts in the background until `close`.
pub struct Server {
    /// Where it listens (with port 0, the port the OS picked).
    pub addr: SocketAddr,
    /// The accept loop, a task of its own. Aborting it drops the listener: from then on the
    /// OS refuses new connections.
    accepting: JoinHandle<()>,
    /// Set to `true` once the server closes; every connection watches it.
    stop: watch::Sender<bool>,
    /// `recv()` returns `None` once every connection task has ended: each holds a sender.
    all_closed: mpsc::Receiver<()>,
    stats: Arc<Stats>,
    grace: Duration,
}

/// `await asyncio.start_server(handle_echo, host, port, limit=max_line)`.
pub async fn start_server(addr: SocketAddr, config: Config) -> anyhow::Result<Server> {
    let listener = listen(addr).with_context(|| format!("cannot listen on {addr}"))?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let (done, all_closed) = mpsc::channel(1);
    let stats = Arc::new(Stats::default());
    // Like asyncio's server, this one accepts from now on, whatever the caller awaits next.
    let accepting = tokio::spawn(accept_loop(listener, config, stopped, done, stats.clone()));
    Ok(Server {
        addr,
        accepting,
        stop,
        all_closed,
        stats,
        grace: config.grace,
    })
}

/// A listener with a backlog of [`BACKLOG`]: `TcpListener::bind` listens with 128. tokio's
/// `TcpSocket` is the socket before `listen`, so it can take the backlog.
fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    // As TcpListener::bind does on Unix: a restarted server can listen on its port while the
    // connections of the last run linger in TIME_WAIT. A port someone listens on stays taken.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}
// ANCHOR_END: start_server

// ANCHOR: accept
/// What the server does in the background: accept a connection, hand it to a task of its own,
/// accept the next.
async fn accept_loop(
    listener: TcpListener,
    config: Config,
    stopped: watch::Receiver<bool>,
    done: mpsc::Sender<()>,
    stats: Arc<Stats>,
) {
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                let number = stats.opened();
                // One task per connection: a slow client holds up only its own task. The
                // handle is dropped, which on tokio detaches the task: it runs on by itself.
                tokio::spawn(connection(
                    stream,
                    peer,
                    number,
                    config,
                    stopped.clone(),
                    done.clone(),
                    stats.clone(),
                ));
            }
            // Out of file descriptors, say: the listener is fine, and some connection will
            // close. Say so, pause, and accept again.
            Err(error) => {
                println!("Cannot accept a connection: {error}; trying again.");
                tokio::time::sleep(ACCEPT_PAUSE).await;
            }
        }
    }
}

/// One client, in a task of its own: echoes its lines until the client or the server closes,
/// then prints how it ended. The socket is closed only after that line is printed, so a client
/// that waits for the server to close (the demo's clients do) sees the line first.
async fn connection(
    mut stream: TcpStream,
    peer: SocketAddr,
    number: usize,
    config: Config,
    stopped: watch::Receiver<bool>,
    done: mpsc::Sender<()>,
    stats: Arc<Stats>,
) {
    let mut lines = 0;
    let mut shutdown = stopped.clone();
    let grace_over = async move {
        let _ = shutdown.wait_for(|&stop| stop).await;
        tokio::time::sleep(config.grace).await;
    };
    let ending = tokio::select! {
        ending = handle_echo(&mut stream, config.max_line(), stopped, &mut lines, &stats) => ending,
        // Whatever it waits for (the end of a line, or a client that does not read its
        // echoes), a connection gets `grace` after shutdown, and no more.
        () = grace_over => Ending::CutOff { grace: config.grace },
    };
    stats.closed();
    report::print_ending(number, peer, &ending, lines);
    // Only now: this closes the socket, and tells `close` that one more connection is done.
    drop((stream, done));
}
// ANCHOR_END: accept

// ANCHOR: handle_echo
/// `handle_echo(reader, writer)`: reads a line and writes it back, until the client closes or
/// the server does.
async fn handle_echo(
    stream: &mut TcpStream,
    max_line: usize,
    mut stopped: watch::Receiver<bool>,
    lines: &mut usize,
    stats: &Stats,
) -> Ending {
    let (reader, mut writer) = stream.split();
    let mut reader = BufReader::new(reader);
    let mut line = Vec::new();
    let mut stopping = false;
    loop {
        // `line = await reader.readline()`, unless the server closes first.
        let read = read_line(&mut reader, &mut line, max_line);
        let read = tokio::select! {
            read = read => read,
            // Between two lines, the connection ends here. In the middle of one, it reads on
            // (read_line resumes where it was cut) and ends once the line is echoed.
            _ = stopped.wait_for(|&stop| stop), if !stopping => {
                if line.is_empty() {
                    return Ending::Shutdown;
                }
                stopping = true;
                continue;
            }
        };
        if let Err(error) = read {
            return Ending::Failed(error);
        }
        if !line.ends_with(b"\n") {
            return if line.len() > max_line {
                refuse(writer, reader, max_line).await
            } else if line.is_empty() {
                Ending::ClosedByClient
            } else {
                Ending::MidLine {
                    dropped: line.len(),
                }
            };
        }
        // `writer.write(line); await writer.drain()`: returns once the kernel holds the line.
        // A client that does not read its echoes makes it wait here: the server holds one
        // line per connection, never more.
        if let Err(error) = writer.write_all(&line).await {
            return Ending::Failed(error);
        }
        *lines += 1;
        stats.echoed_a_line();
        line.clear();
        if stopping {
            return Ending::Shutdown;
        }
    }
}

/// `reader.readline()` with asyncio's `limit`: appends to `line` up to and including a newline,
/// and stops at `max_line + 1` bytes (a line too long) or at the end of the stream. Cut short
/// by the other branch of a `select!`, it keeps what it has read in `line` (`read_until` is
/// cancel-safe), and the next call goes on from there.
async fn read_line(
    reader: &mut (impl AsyncBufRead + Unpin),
    line: &mut Vec<u8>,
    max_line: usize,
) -> io::Result<()> {
    let room = (max_line + 1).saturating_sub(line.len());
    reader.take(room as u64).read_until(b'\n', line).await?;
    Ok(())
}

/// The answer to a line over the limit: the error reply, then the end of the connection.
async fn refuse(
    mut writer: impl AsyncWrite + Unpin,
    mut reader: impl AsyncBufRead + Unpin,
    max_line: usize,
) -> Ending {
    // Best effort: a client that is gone gets nothing.
    let _ = writer
        .write_all(report::too_long_reply(max_line).as_bytes())
        .await;
    // Our side is done (the client reads an end of file after the reply); what the client
    // still sends is read and dropped for a moment, so that the close does not reset the
    // connection under the reply. Nothing of it is kept.
    let _ = writer.shutdown().await;
    let mut nowhere = tokio::io::sink();
    let drain = tokio::io::copy(&mut reader, &mut nowhere);
    let _ = tokio::time::timeout(LINGER, drain).await;
    Ending::TooLong { max_line }
}
// ANCHOR_END: handle_echo

// ANCHOR: close
impl Server {
    /// `server.close(); await server.wait_closed()`, and what asyncio 3.11 leaves to the
    /// program: let the open connections finish their line first.
    pub async fn close(mut self) {
        // Stop accepting. abort() only asks; awaiting the handle waits until the task (and
        // its listener) is gone.
        self.accepting.abort();
        let _cancelled = self.accepting.await;
        self.stats.print_closing(self.grace);
        // Tell every connection: between two lines it ends now, in the middle of one it ends
        // after that line, and `grace` later it is cut off.
        self.stop.send_replace(true);
        // wait_closed(): None once every connection task has dropped its sender.
        self.all_closed.recv().await;
        self.stats.print_summary();
    }
}
// ANCHOR_END: close

// ANCHOR: client
/// `reader, writer = await asyncio.open_connection(host, port)`, then each message as a line:
/// send it, read its echo, check it. `talk` prints each step; a connection waits at `all_open`
/// for the others before it closes.
async fn tcp_echo_client(
    name: usize,
    addr: SocketAddr,
    messages: &[&str],
    talk: bool,
    all_open: &Barrier,
) -> anyhow::Result<()> {
    let mut stream = TcpStream::connect(addr)
        .await
        .with_context(|| format!("cannot connect to {addr}"))?;
    let (reader, mut writer) = stream.split();
    let mut reader = BufReader::new(reader);
    for message in messages {
        if talk {
            println!("Client {name} send: '{message}'");
        }
        let sent = format!("{message}\n");
        writer
            .write_all(sent.as_bytes())
            .await
            .with_context(|| format!("connection {name}: cannot send"))?;
        // Read a line, of no more than the echo's length (or the error reply's).
        let mut echo = Vec::new();
        read_line(&mut reader, &mut echo, sent.len().max(ANSWER_ROOM))
            .await
            .with_context(|| format!("connection {name}: cannot read the echo"))?;
        check_echo(name, &sent, &echo)?;
        if talk {
            println!("Client {name} received: '{message}'");
        }
    }
    all_open.wait().await;
    if talk {
        println!("Client {name} closes the connection.");
    }
    // writer.write_eof(): the server reads an end of file, says how the connection went, and
    // closes its side; read() returns 0 then. Closing only after that lets the server's line
    // come before anything this program prints next.
    writer
        .shutdown()
        .await
        .with_context(|| format!("connection {name}: cannot close"))?;
    let more = reader
        .read(&mut [0; 1])
        .await
        .with_context(|| format!("connection {name}: cannot read the server's close"))?;
    anyhow::ensure!(
        more == 0,
        "connection {name}: the server sent more than the echoes"
    );
    Ok(())
}
// ANCHOR_END: client

// ANCHOR: main
/// The demo: the server on a port the OS picks, and two clients, one after the other.
async fn main() -> anyhow::Result<()> {
    let server = start_server((Ipv4Addr::LOCALHOST, 0).into(), Config::DEMO).await?;
    println!("Serving on {}", server.addr);
    let alone = Barrier::new(1);
    for (name, messages) in (1..).zip(DEMO_MESSAGES) {
        tcp_echo_client(name, server.addr, messages, true, &alone).await?;
    }
    server.close().await;
    Ok(())
}

pub fn demo() -> anyhow::Result<()> {
    runtime()?.block_on(main())
}
// ANCHOR_END: main

// ANCHOR: commands
/// `server`: `async with server: await server.serve_forever()` until Ctrl-C, then a graceful
/// close, and exit code 130.
pub fn server(addr: SocketAddr, config: Config) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let server = start_server(addr, config).await?;
        // The accept loop and the connections run in tasks of their own: this task only waits
        // for Ctrl-C. What until_ctrl_c drops then is this wait, not the server.
        until_ctrl_c(async {
            println!("Serving on {}", server.addr);
            std::future::pending::<()>().await;
        })
        .await?;
        server.close().await;
        Err(timing::Interrupted.into())
    })
}

/// `client`: `connections` clients at once, on this one task, all open at the same time.
pub fn client(addr: SocketAddr, connections: usize, messages: &[&str]) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let start = Instant::now();
        let all_open = Barrier::new(connections);
        let talk = connections == 1;
        // asyncio.gather(*clients). try_join_all ends at the first error and drops the other
        // clients, which would otherwise wait at the barrier for the one that failed.
        let clients =
            (1..=connections).map(|name| tcp_echo_client(name, addr, messages, talk, &all_open));
        futures::future::try_join_all(clients).await?;
        report::print_client_summary(connections, connections * messages.len(), start.elapsed());
        Ok(())
    })
}
// ANCHOR_END: commands

// ANCHOR: ctrl_c
/// Runs `work` to its end, unless Ctrl-C comes first: then `work` is dropped, cancelled at the
/// await it was paused at, and the result is `None`.
async fn until_ctrl_c<T>(work: impl Future<Output = T>) -> anyhow::Result<Option<T>> {
    tokio::select! {
        // biased: the Ctrl-C branch is polled first, and tokio::signal::ctrl_c() takes over
        // SIGINT on its first poll, so from the first line `work` prints, Ctrl-C no longer
        // kills the process: it completes this future.
        biased;
        signal = tokio::signal::ctrl_c() => {
            signal.context("cannot listen for Ctrl-C")?;
            Ok(None)
        }
        output = work => Ok(Some(output)),
    }
}

/// One thread runs every task, as asyncio's loop does. Sockets and signals need the I/O
/// driver, the accept loop's pause and the grace period the timer.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")
}
// ANCHOR_END: ctrl_c
