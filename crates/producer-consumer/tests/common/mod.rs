//! What the producer-consumer tests share: the binary, and how a transcript is read.

#![allow(dead_code)] // each test file uses its own part

use std::process::Command;

pub const BIN: &str = env!("CARGO_BIN_EXE_producer-consumer");

pub fn producer_consumer(args: &[&str]) -> Command {
    testkit::command(BIN, args)
}

/// A transcript with every item (`<` + 10 hex digits + `>`, OS-random) replaced by `<hex>` and
/// every measured duration by `X`; and the items, in the order they were printed.
pub fn mask(transcript: &str) -> (String, Vec<&str>) {
    let mut masked = String::with_capacity(transcript.len());
    let mut items = Vec::new();
    let mut rest = transcript;
    while let Some(open) = rest.find('<') {
        let (before, from) = rest.split_at(open);
        masked.push_str(before);
        match from
            .get(1..11)
            .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            Some(hex) if from[11..].starts_with('>') => {
                masked.push_str("<hex>");
                items.push(hex);
                rest = &from[12..];
            }
            _ => {
                masked.push('<');
                rest = &from[1..];
            }
        }
    }
    masked.push_str(rest);
    (testkit::mask_decimals(&masked).0, items)
}

/// The items of the lines that start with `prefix` ("Producer", "Consumer"), in order.
pub fn items_of<'a>(transcript: &'a str, prefix: &str) -> Vec<&'a str> {
    transcript
        .lines()
        .filter(|line| line.starts_with(prefix))
        .filter_map(|line| Some(line.split_once('<')?.1.split_once('>')?.0))
        .collect()
}

/// 64-bit FNV-1a: a fingerprint of a transcript too long to keep in a test.
pub fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
