//! The performance page's chart, drawn with plotters' SVG backend: on top, how many times faster
//! than Python asyncio each runtime ran the throughput workloads (log scale); below, how close
//! the sleepers came to their ideal of one sleep.

use std::path::Path;

use plotters::prelude::*;

use crate::harness::{Row, Table};
use crate::plan::{Imp, Loop, Runner, Section};
use crate::report::Stats;

const WIDTH: u32 = 1000;
const FONT: &str = "sans-serif";

/// Each runner's colour and the name its legend gives it; `None` for the bare twins of the
/// ports and the channel comparison's rows, which the chart leaves out.
fn look(runner: Runner) -> Option<(RGBColor, &'static str)> {
    Some(match runner {
        Runner::Rust(Imp::TokioMt) => (RGBColor(0x1f, 0x4e, 0x9c), "tokio, multi-thread"),
        Runner::Rust(Imp::TokioCt | Imp::PortTokio) => {
            (RGBColor(0x6b, 0xae, 0xd6), "tokio, current-thread")
        }
        Runner::Rust(Imp::TokioMpsc) => (RGBColor(0xa9, 0xcf, 0xe8), "tokio, current-thread, mpsc"),
        Runner::Rust(Imp::AsyncStd | Imp::PortAsyncStd) => {
            (RGBColor(0xe6, 0x7e, 0x22), "async-std")
        }
        Runner::Rust(Imp::SmolLocal | Imp::PortSmol) => {
            (RGBColor(0x5c, 0xb8, 0x5c), "smol, one thread")
        }
        Runner::Rust(Imp::SmolStatic) => (RGBColor(0xa1, 0xd9, 0x9b), "smol, static, one thread"),
        Runner::Rust(Imp::SmolMt) => (RGBColor(0x1e, 0x6b, 0x2e), "smol, multi-thread"),
        Runner::Python(Loop::Uvloop) => (RGBColor(0x8e, 0x6c, 0xbf), "Python uvloop"),
        Runner::Python(Loop::Asyncio) => (RGBColor(0x88, 0x88, 0x88), "Python asyncio"),
        Runner::Rust(
            Imp::AsyncStdLocal
            | Imp::TokioCtFlume
            | Imp::TokioCtKanal
            | Imp::TokioMtFlume
            | Imp::TokioMtKanal,
        ) => return None,
    })
}

/// The bars of one group: each drawn row's colour, name and value.
struct Group {
    title: String,
    bars: Vec<(RGBColor, &'static str, f64)>,
}

fn groups(
    tables: &[Table],
    sections: &[Section],
    value: impl Fn(&Table, &Row, Stats) -> Option<f64>,
) -> Vec<Group> {
    tables
        .iter()
        // Of the download tables, the async one: the others are not about the runtimes.
        .filter(|table| {
            table.variant.charted
                && sections.contains(&table.variant.section)
                && (table.variant.section != Section::Download || table.is_async_download())
        })
        .map(|table| Group {
            title: table.variant.title.clone(),
            bars: table
                .rows
                .iter()
                .filter(|row| !is_bare(table, row))
                .filter_map(|row| {
                    let (colour, name) = look(row.contender.runner)?;
                    let stats = row.stats(table.variant.units)?;
                    Some((colour, name, value(table, row, stats)?))
                })
                .collect(),
        })
        .filter(|group| !group.bars.is_empty())
        .collect()
}

/// Is this row some port's bare twin?
fn is_bare(table: &Table, row: &Row) -> bool {
    table
        .rows
        .iter()
        .any(|other| other.contender.bare.as_ref() == Some(&row.contender.label))
}

/// Draws the chart into an SVG file.
pub fn draw(tables: &[Table], path: &Path) -> anyhow::Result<()> {
    let speedups = groups(
        tables,
        &[
            Section::Spawn,
            Section::Queue,
            Section::Jobs,
            Section::Chained,
        ],
        // asyncio is the axis' 1×: its bar would say nothing.
        |table, row, stats| match row.contender.runner {
            Runner::Python(Loop::Asyncio) => None,
            _ => Some(table.asyncio()?.median / stats.median),
        },
    );
    let ideals = groups(
        tables,
        &[Section::Sleepers, Section::Download],
        |table, _, stats| Some(stats.median / table.variant.ideal?),
    );
    let height_of = |groups: &[Group]| {
        90 + groups
            .iter()
            .map(|g| 28 + 16 * g.bars.len() as u32)
            .sum::<u32>()
    };
    let (top, bottom) = (height_of(&speedups), height_of(&ideals));
    let root = SVGBackend::new(path, (WIDTH, top + bottom + 70)).into_drawing_area();
    root.fill(&WHITE)?;
    let (upper, lower) = root.split_vertically(top);
    let (lower, legend) = lower.split_vertically(bottom);

    let values = |groups: &[Group]| -> Vec<f64> {
        groups
            .iter()
            .flat_map(|g| g.bars.iter().map(|b| b.2))
            .collect()
    };
    let most = values(&speedups).into_iter().fold(100.0, f64::max);
    let least = values(&speedups).into_iter().fold(0.5, f64::min);
    panel(
        &upper,
        "How many times faster than Python asyncio (log scale; `jobs` and `chained`: the examples' own code)",
        &speedups,
        (least / 1.5..most * 3.0).log_scale(),
        1.0,
        &[(1.0, "asyncio"), (10.0, "10×"), (30.0, "30×")],
    )?;

    let slowest = values(&ideals).into_iter().fold(1.5, f64::max);
    panel(
        &lower,
        "Wall time over the ideal (1 = one sleep, or one latency for the downloads; the target is 1.3)",
        &ideals,
        0.0..slowest * 1.1,
        0.0,
        &[(1.0, "ideal"), (1.3, "1.3×")],
    )?;

    // One legend entry per runner that has a bar, in the order they first appear.
    let mut entries: Vec<(RGBColor, &str)> = Vec::new();
    for &(colour, name, _) in speedups.iter().chain(&ideals).flat_map(|g| &g.bars) {
        if !entries.iter().any(|&(_, seen)| seen == name) {
            entries.push((colour, name));
        }
    }
    draw_legend(&legend, &entries)?;
    root.present()?;
    Ok(())
}

/// One panel of grouped horizontal bars, from `base` to each value, with labelled guide lines.
fn panel<DB, X>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    caption: &str,
    groups: &[Group],
    x: X,
    base: f64,
    guides: &[(f64, &str)],
) -> anyhow::Result<()>
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
    X: plotters::coord::ranged1d::AsRangedCoord<Value = f64>,
    X::CoordDescType: plotters::coord::ranged1d::ValueFormatter<f64>,
{
    // Each group: a title line, then one bar per row; y grows downwards from 0.
    // The last strip, under the groups, holds the guide lines' labels.
    let rows: f64 = groups
        .iter()
        .map(|g| 1.6 + g.bars.len() as f64)
        .sum::<f64>()
        + 1.0;
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, 17))
        .margin(12)
        .x_label_area_size(28)
        .build_cartesian_2d(x, rows..0.0)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .x_label_style((FONT, 13))
        .x_label_formatter(&|v| axis_label(*v))
        .draw()?;

    let left = chart.x_range().start;
    for &(at, label) in guides {
        chart.draw_series([PathElement::new(
            [(at, 0.0), (at, rows)],
            RGBColor(0x99, 0x99, 0x99).stroke_width(1),
        )])?;
        chart.draw_series([Text::new(
            label.to_owned(),
            (at, rows - 0.9),
            (FONT, 12).into_font().color(&RGBColor(0x66, 0x66, 0x66)),
        )])?;
    }

    let mut y = 0.0;
    for group in groups {
        chart.draw_series([Text::new(
            group.title.clone(),
            (left, y + 0.2),
            (FONT, 13).into_font().style(FontStyle::Bold),
        )])?;
        y += 1.2;
        for &(colour, name, value) in &group.bars {
            chart.draw_series([Rectangle::new(
                [(base.max(left), y + 0.1), (value, y + 0.9)],
                colour.filled(),
            )])?;
            chart.draw_series([Text::new(
                format!("{} {name}", short(value)),
                (value, y + 0.15),
                (FONT, 11).into_font(),
            )])?;
            y += 1.0;
        }
        y += 0.4;
    }
    Ok(())
}

/// `0.5×`, `1×`, `10×`: no trailing zeros.
fn axis_label(value: f64) -> String {
    let text = format!("{value:.2}");
    format!("{}×", text.trim_end_matches('0').trim_end_matches('.'))
}

fn short(value: f64) -> String {
    if value >= 10.0 {
        format!("{value:.0}×")
    } else {
        format!("{value:.2}×")
    }
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    entries: &[(RGBColor, &str)],
) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    // Entries flow left to right, and onto a second line when the first is full.
    let (mut x, mut y) = (20, 12);
    for &(colour, name) in entries {
        let width = 34 + 7 * name.len() as i32;
        if x + width > WIDTH as i32 {
            (x, y) = (20, y + 24);
        }
        area.draw(&Rectangle::new([(x, y), (x + 14, y + 14)], colour.filled()))?;
        area.draw(&Text::new(name, (x + 20, y + 1), (FONT, 13)))?;
        x += width;
    }
    Ok(())
}
