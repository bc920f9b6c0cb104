//! The embedded HTTP server that stands in for the document's two sites, so a default run needs
//! no network. It serves two pages of the sizes the document read (10,966 and 276 bytes), each
//! after `latency` (the simulated network), and can fail every Nth request with HTTP 500.
//!
//! It is a hyper 1 server on a thread of its own, with its own smol executor, whatever
//! `--runtime` the clients use: every version and every runtime downloads from the very same
//! server. It shares the process with the clients it is timing, and keeps out of their way:
//!
//! - a listen backlog of 1024, not 128, for the async version's burst of connections;
//! - precise timers: tokio's count whole milliseconds, and a 50 ms wait there lasted 51.4 ms on
//!   average where async-io's (smol's reactor: a `timerfd` on Linux) lasted 50.4 ms, an extra
//!   millisecond that would add almost 3% to every version's time (with `--runtime smol` or
//!   `async-std`, client and server share async-io's reactor, which exists once per process;
//!   the times measured with a tokio server and with this one were the same);
//! - the table of file descriptors grown before any client starts (see `reserve_descriptors`).

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use smol::future::FutureExt;

/// The document's two sites, as paths on the embedded server, with the sizes it read from them.
pub const PAGES: [(&str, usize); 2] = [
    ("/www.jython.org", 10_966),
    ("/olympus.realpython.org/dice", 276),
];

/// A burst of 160 connections overflows the kernel's usual accept queue of 128, and a client
/// whose connection is dropped from it retries its handshake a second later.
const LISTEN_BACKLOG: u32 = 1024;

/// The descriptors the process's table has room for once the server has started: two per site
/// in flight (the client's socket and the server's), for a few hundred sites at once.
const RESERVED_DESCRIPTORS: i32 = 1024;

/// How the embedded server behaves.
#[derive(Clone, Copy, Debug, Default)]
pub struct ServerConfig {
    /// How long each request waits before its answer: the simulated network.
    pub latency: Duration,
    /// Answer every Nth request (the Nth, the 2Nth, …, counted in arrival order) with HTTP 500.
    pub fail_every: Option<NonZeroU32>,
    /// The port on 127.0.0.1; 0 lets the system pick a free one.
    pub port: u16,
}

/// A running embedded server. It stops when dropped (or with [`Server::stop`]).
pub struct Server {
    address: SocketAddr,
    shutdown: Option<smol::channel::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Listens on 127.0.0.1 and serves on a thread of its own until stopped.
    pub fn start(config: ServerConfig) -> anyhow::Result<Self> {
        reserve_descriptors();
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, config.port));
        let listener = listen(address).with_context(|| format!("cannot listen on {address}"))?;
        let address = listener.local_addr()?;
        // Dropping the sender ends `stopped.recv()`, and with it the server.
        let (shutdown, stopped) = smol::channel::bounded::<()>(1);
        let thread = std::thread::Builder::new()
            .name("embedded-server".into())
            .spawn(move || {
                let executor = smol::LocalExecutor::new();
                let stop = async {
                    let _ = stopped.recv().await;
                };
                // Dropping the executor at the end drops the connections still open.
                smol::block_on(executor.run(serve(&executor, listener, config).or(stop)));
            })
            .context("cannot start the embedded server's thread")?;
        Ok(Self {
            address,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The URLs of its two pages, in the document's order.
    pub fn page_urls(&self) -> [String; 2] {
        PAGES.map(|(path, _)| format!("http://{}{path}", self.address))
    }

    /// Stops serving and waits for the server's thread to end.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        drop(self.shutdown.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// Grows the process's table of file descriptors now, so that it does not grow while a run is
/// being timed. Linux makes the table larger as it fills (to 128, 256, 512 entries…), and in a
/// process with more than one thread each growth waits for an RCU grace period, milliseconds
/// long. With client and server in one process, a run of 160 sites at once opens 320 sockets
/// and went through those waits on the clock: about 10 ms of a 70 ms run. A client alone in
/// its process would meet them only for its own sockets, and not at all with one thread, like
/// Python's asyncio program. The table never shrinks: opening files up to a high descriptor
/// and closing them leaves it grown. Where the limit on open files is lower, this stops there.
fn reserve_descriptors() {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let mut files = Vec::new();
        while let Ok(file) = std::fs::File::open("/dev/null") {
            let high_enough = file.as_raw_fd() >= RESERVED_DESCRIPTORS - 1;
            files.push(file);
            if high_enough {
                break;
            }
        }
    }
}

/// A listening socket with room for `LISTEN_BACKLOG` connections not yet accepted: the
/// standard library's `TcpListener::bind` (and so smol's) asks for 128.
fn listen(address: SocketAddr) -> std::io::Result<smol::net::TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&address.into())?;
    socket.listen(LISTEN_BACKLOG as i32)?;
    let listener: std::net::TcpListener = socket.into();
    Ok(smol::Async::new(listener)?.into())
}

struct State {
    config: ServerConfig,
    pages: [(&'static str, Bytes); 2],
    requests: AtomicU64,
}

/// Accepts connections forever, one task per connection; hyper keeps each one alive for as
/// many requests as its client sends (the blocking clients reuse theirs).
async fn serve(
    executor: &smol::LocalExecutor<'_>,
    listener: smol::net::TcpListener,
    config: ServerConfig,
) {
    let state = Arc::new(State {
        config,
        pages: PAGES.map(|(path, size)| (path, stand_in_page(path, size))),
        requests: AtomicU64::new(0),
    });
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors, say: the clients see their own errors; keep serving.
            smol::Timer::after(Duration::from_millis(10)).await;
            continue;
        };
        // Answers go out whole, at once: no waiting for an acknowledgement (Nagle).
        let _ = stream.set_nodelay(true);
        let state = Arc::clone(&state);
        let service =
            hyper::service::service_fn(move |request| answer(request, Arc::clone(&state)));
        // smol-hyper adapts smol's socket to hyper's I/O traits.
        let io = smol_hyper::rt::FuturesIo::new(stream);
        let connection = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
        executor.spawn(connection).detach();
    }
}

async fn answer(
    request: Request<Incoming>,
    state: Arc<State>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let number = state.requests.fetch_add(1, Ordering::Relaxed) + 1;
    if !state.config.latency.is_zero() {
        smol::Timer::after(state.config.latency).await;
    }
    let failing = state
        .config
        .fail_every
        .is_some_and(|every| number.is_multiple_of(u64::from(every.get())));
    let page = state
        .pages
        .iter()
        .find(|(path, _)| *path == request.uri().path());
    let (status, body) = match page {
        _ if failing => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Bytes::from(format!(
                "request {number} fails on purpose (--fail-every)\n"
            )),
        ),
        Some((_, body)) => (StatusCode::OK, body.clone()),
        None => (StatusCode::NOT_FOUND, Bytes::from_static(b"no such page\n")),
    };
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Ok(response)
}

/// An HTML page of exactly `size` bytes that says what it stands in for: paragraphs of text,
/// then a comment (or, for the last few bytes, blank lines) to make up the size.
fn stand_in_page(path: &str, size: usize) -> Bytes {
    const PARAGRAPH: &str = "<p>Read while the other downloads wait.</p>\n";
    const TAIL: &str = "</body>\n</html>\n";
    let site = path.trim_start_matches('/');
    let mut page = format!(
        "<!DOCTYPE html>\n<html>\n<head><title>{site}</title></head>\n<body>\n\
         <p>A stand-in for {site}, served on 127.0.0.1: {size} bytes, as the document read.</p>\n"
    );
    let mut room = size.saturating_sub(page.len() + TAIL.len());
    while room >= PARAGRAPH.len() {
        page.push_str(PARAGRAPH);
        room -= PARAGRAPH.len();
    }
    let padding = "<!-- padding -->\n";
    if room >= padding.len() {
        let spaces = " ".repeat(room - padding.len());
        page.push_str(&format!("<!-- padding{spaces} -->\n"));
    } else {
        page.push_str(&"\n".repeat(room));
    }
    page.push_str(TAIL);
    Bytes::from(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_have_the_documents_sizes() {
        for (path, size) in PAGES {
            let page = stand_in_page(path, size);
            assert_eq!(page.len(), size, "{path}");
            assert!(page.ends_with(b"</body>\n</html>\n"));
        }
    }

    /// A field of a `/proc/self` file, as the number after `name`.
    #[cfg(target_os = "linux")]
    fn proc_self(file: &str, name: &str) -> Option<u64> {
        let text = std::fs::read_to_string(format!("/proc/self/{file}")).ok()?;
        let line = text.lines().find(|line| line.starts_with(name))?;
        line[name.len()..].split_whitespace().next()?.parse().ok()
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn starting_a_server_grows_the_descriptor_table_beforehand() {
        let server = Server::start(ServerConfig::default()).expect("a server");
        let limit = proc_self("limits", "Max open files").expect("a limit");
        let table = proc_self("status", "FDSize:").expect("a table size");
        let wanted = limit.min(RESERVED_DESCRIPTORS as u64);
        assert!(
            table >= wanted,
            "a table of {table} descriptors, not {wanted}"
        );
        server.stop();
    }

    #[test]
    fn pages_of_any_size_fit_exactly() {
        for size in 230..400 {
            assert_eq!(stand_in_page("/x", size).len(), size, "{size}");
        }
    }
}
