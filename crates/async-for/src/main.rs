//! `async for`: values that arrive one at a time, with awaits in between. A port of seed 000's
//! `AsyncCounter` (an async iterator) and its aiohttp example (a response body read in chunks
//! of 1024 bytes), and of seed 002's async generator (`yield` in an `async def`), on tokio,
//! async-std and smol: the three ports are `on_tokio.rs`, `on_async_std.rs` and `on_smol.rs`.
//! In Rust an async iterator is a `Stream`.
//!
//! ```text
//! cargo run -p async-for                       # AsyncCounter(5): a Stream with poll_next
//! cargo run -p async-for -- unfold             # the same Stream from futures::stream::unfold
//! cargo run -p async-for -- generator          # an async generator: async_stream::stream!
//! cargo run -p async-for -- chunks             # a body in 1024-byte chunks, from a local server
//! cargo run -p async-for -- chunks --url http://127.0.0.1:8000/data --runtime smol
//! ```

mod on_async_std;
mod on_smol;
mod on_tokio;

use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser, ValueEnum};
use timing::{ExampleArgs, Runtime};

/// async for on tokio, async-std or smol: an async iterator, an async generator, and a
/// response body streamed in chunks
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// What to iterate over
    #[arg(value_enum, default_value_t)]
    demo: Demo,

    /// chunks: fetch this http:// URL instead of starting a server on 127.0.0.1
    #[arg(long, value_parser = parse_url)]
    url: Option<http::Uri>,

    /// chunks: how many bytes the local server sends
    #[arg(
        long,
        value_name = "BYTES",
        default_value_t = 10_000,
        value_parser = clap::value_parser!(u32).range(0..=100_000_000),
        conflicts_with = "url"
    )]
    size: u32,

    #[command(flatten)]
    example: ExampleArgs,
}

/// The programs: the first three print the same lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Demo {
    /// AsyncCounter(5), an async iterator: a Stream with a hand-written poll_next
    #[default]
    Counter,
    /// AsyncCounter(5) as futures::stream::unfold: state in, next value and state out
    Unfold,
    /// An async generator (yield in async def): async_stream's stream! macro
    Generator,
    /// aiohttp's iter_chunked(1024): a response body in chunks of 1024 bytes
    Chunks,
}

/// Where `chunks` gets its body from.
#[derive(Clone, Debug)]
pub enum Source {
    /// Start a server on 127.0.0.1 that sends this many bytes, and fetch from it.
    Local { size: usize },
    /// Fetch this URL.
    Url(http::Uri),
}

/// Only `http://host[:port]/path` URLs: the ports talk plain HTTP/1.1 (no TLS).
fn parse_url(text: &str) -> Result<http::Uri, String> {
    let uri: http::Uri = text.parse().map_err(|e| format!("`{text}`: {e}"))?;
    if uri.scheme() != Some(&http::uri::Scheme::HTTP) || uri.host().is_none() {
        return Err(format!("`{text}` is not an http://host/path URL"));
    }
    Ok(uri)
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let size_given = matches.value_source("size") == Some(ValueSource::CommandLine);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    if cli.demo != Demo::Chunks && (cli.url.is_some() || size_given) {
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "--url and --size are for the chunks demo",
            )
            .exit();
    }
    cli.example.install();
    let source = match cli.url {
        Some(url) => Source::Url(url),
        None => Source::Local {
            size: cli.size as usize,
        },
    };
    timing::exit_code(match cli.example.runtime {
        Runtime::Tokio => on_tokio::run(cli.demo, source),
        Runtime::AsyncStd => on_async_std::run(cli.demo, source),
        Runtime::Smol => on_smol::run(cli.demo, source),
    })
}
