//! A line-based TCP echo server and its clients, on tokio, async-std and smol: asyncio's
//! `start_server` and `open_connection` from seed 000's cheat sheet, as a small program of our
//! own (the seed has only the two rows). The three ports are `on_tokio.rs`, `on_async_std.rs`
//! and `on_smol.rs`, and read the same top to bottom.
//!
//! - By default, the demo: a server on 127.0.0.1 (a port the OS picks) and two clients, one
//!   after the other, that send their lines and print the echoes.
//! - `server`: serves until Ctrl-C, a thousand clients at once if need be. A line longer than
//!   `--max-line` gets an error reply and its connection is closed; a client that leaves in the
//!   middle of a line is logged. Ctrl-C stops accepting, gives the open connections `--grace`
//!   seconds to finish their line, prints a summary and exits with code 130.
//! - `client`: sends each MESSAGE as a line and checks its echo, on `--connections` connections
//!   at once.
//!
//! ```text
//! cargo run -p tcp-echo                                         # the demo, on tokio
//! cargo run -p tcp-echo -- --runtime smol                       # or --runtime async-std
//! cargo run -p tcp-echo -- server                               # on 127.0.0.1:8888; Ctrl-C stops it
//! cargo run -p tcp-echo -- client 'Hello World!' 'Goodbye!'     # in another terminal
//! cargo run -p tcp-echo -- client --connections 1000            # a thousand clients at once
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;
mod report;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, CommandFactory, Parser, Subcommand, error::ErrorKind};
use timing::{ExampleArgs, Runtime};

/// A line-based TCP echo server and its clients (asyncio's start_server and open_connection) on
/// tokio, async-std or smol; without a command, a demo of both on 127.0.0.1
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    example: ExampleArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Echo every line received until Ctrl-C
    Server {
        /// The address to listen on (IP:PORT; port 0: one the OS picks)
        #[arg(long, value_name = "ADDR", default_value = DEFAULT_ADDR)]
        listen: SocketAddr,

        #[command(flatten)]
        config: Config,
    },
    /// Send each MESSAGE as a line and check its echo
    Client {
        /// The server's address (IP:PORT)
        #[arg(long, value_name = "ADDR", default_value = DEFAULT_ADDR)]
        connect: SocketAddr,

        /// Connections to open at once; each sends every MESSAGE, and all stay open until every
        /// one has its echoes
        #[arg(long, value_name = "N", default_value_t = 1,
              value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_CONNECTIONS)))]
        connections: u32,

        /// The lines to send (without a newline)
        #[arg(value_name = "MESSAGE", default_value = "Hello World!")]
        messages: Vec<String>,
    },
}

/// asyncio's documentation serves its echo examples on this address.
const DEFAULT_ADDR: &str = "127.0.0.1:8888";

/// The most connections a client opens: each takes a file descriptor and a local port.
const MAX_CONNECTIONS: u32 = 10_000;

/// The longest `--max-line`: 16 MiB.
const MAX_MAX_LINE: u32 = 16 << 20;

/// The longest `--grace`: an hour.
const MAX_GRACE: f64 = 3600.0;

/// How the server treats its connections.
#[derive(Args, Clone, Copy, Debug)]
pub struct Config {
    /// The longest line echoed, in bytes, newline excluded; a longer line gets an error reply and
    /// its connection is closed (asyncio's `limit`)
    #[arg(long, value_name = "BYTES", default_value_t = 8192,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_MAX_LINE)))]
    max_line: u32,

    /// After Ctrl-C, the seconds open connections get to finish the line they are in
    #[arg(long, value_name = "SECS", default_value = "5", value_parser = parse_grace,
          allow_negative_numbers = true)]
    grace: Duration,
}

impl Config {
    /// The demo's server: the defaults above.
    pub const DEMO: Config = Config {
        max_line: 8192,
        grace: Duration::from_secs(5),
    };

    pub fn max_line(&self) -> usize {
        self.max_line as usize
    }
}

fn parse_grace(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if (0.0..=MAX_GRACE).contains(&secs) {
        Ok(Duration::from_secs_f64(secs))
    } else {
        Err(format!("must be between 0 and {MAX_GRACE} seconds"))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.example.install();
    let runtime = cli.example.runtime;
    timing::exit_code(match cli.command {
        None => match runtime {
            Runtime::Tokio => on_tokio::demo(),
            Runtime::AsyncStd => on_async_std::demo(),
            Runtime::Smol => on_smol::demo(),
        },
        Some(Command::Server { listen, config }) => match runtime {
            Runtime::Tokio => on_tokio::server(listen, config),
            Runtime::AsyncStd => on_async_std::server(listen, config),
            Runtime::Smol => on_smol::server(listen, config),
        },
        Some(Command::Client {
            connect,
            connections,
            messages,
        }) => {
            if messages.iter().any(|message| message.contains('\n')) {
                // Checked here rather than by a value parser, whose error would quote the
                // message and so span two lines.
                Cli::command()
                    .error(
                        ErrorKind::ValueValidation,
                        "a MESSAGE is one line: it cannot contain a newline",
                    )
                    .exit();
            }
            let messages: Vec<&str> = messages.iter().map(String::as_str).collect();
            let connections = connections as usize;
            match runtime {
                Runtime::Tokio => on_tokio::client(connect, connections, &messages),
                Runtime::AsyncStd => on_async_std::client(connect, connections, &messages),
                Runtime::Smol => on_smol::client(connect, connections, &messages),
            }
        }
    })
}
