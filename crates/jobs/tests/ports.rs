//! The chapter shows the parts of the ports that no runtime changes once, from the tokio file:
//! this keeps them the same in the three files.

const PORTS: [(&str, &str); 3] = [
    ("on_tokio.rs", include_str!("../src/on_tokio.rs")),
    ("on_async_std.rs", include_str!("../src/on_async_std.rs")),
    ("on_smol.rs", include_str!("../src/on_smol.rs")),
];

/// The lines between `// ANCHOR: name` and `// ANCHOR_END: name`.
fn anchored<'a>(file: &str, source: &'a str, name: &str) -> &'a str {
    let start = format!("// ANCHOR: {name}\n");
    let end = format!("// ANCHOR_END: {name}\n");
    let from = source
        .find(&start)
        .unwrap_or_else(|| panic!("{file}: no {start}"))
        + start.len();
    let to = source[from..]
        .find(&end)
        .unwrap_or_else(|| panic!("{file}: no {end}"))
        + from;
    &source[from..to]
}

#[test]
fn the_parts_no_runtime_changes_are_the_same_in_the_three_ports() {
    for name in [
        "run_async_tasks",
        "gather",
        "batch_gather",
        "run_jobs",
        "demo",
    ] {
        let (tokio_file, tokio) = PORTS[0];
        let expected = anchored(tokio_file, tokio, name);
        for (file, source) in &PORTS[1..] {
            assert_eq!(anchored(file, source, name), expected, "{file}: {name}");
        }
    }
}
