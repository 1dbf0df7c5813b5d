//! `race-lab compare --plot`: the comparison as an SVG document — throughput and lost
//! updates against threads, one colour per experiment, the hardware's baselines dashed.

use super::compare::sig;
use crate::compare::{CompareReport, Row};
use crate::error::{LabError, Result};
use std::fmt::Display;

fn draw_err(e: impl Display) -> LabError {
    LabError::usage(format!("cannot draw the plot: {e}"))
}

/// Colours of the experiments' lines, the same in both charts (no grey: the baselines are).
const COLOURS: [(u8, u8, u8); 12] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (188, 189, 34),
    (23, 190, 207),
    (57, 59, 121),
    (99, 121, 57),
    (231, 186, 82),
];

/// An axis tick on a log scale: 0.01, 0.1, 1, 10, 100, 1000, then 1e4, 1e5, …
fn log_tick(y: f64) -> String {
    if y >= 1e4 {
        format!("1e{}", y.log10().round())
    } else {
        sig(y)
    }
}

/// The plot as an SVG document: throughput vs threads (log scale) on the left, lost updates
/// vs threads in the middle, one line per experiment in the same colour in both, the
/// hardware's baselines as dashed grey lines, and the legend on the right.
pub fn svg(r: &CompareReport) -> Result<String> {
    use plotters::prelude::*;

    let threads = &r.threads;
    let names: Vec<String> = {
        let mut n: Vec<String> = r.rows.iter().map(|row| row.name.clone()).collect();
        n.dedup();
        n
    };
    let racy = |name: &str| {
        r.rows
            .iter()
            .any(|row| row.name == name && row.class != "fixed")
    };
    let series = |name: &str, f: fn(&Row) -> Option<f64>| -> Vec<(SegmentValue<i32>, f64)> {
        r.rows
            .iter()
            .filter(|row| row.name == name)
            .filter_map(|row| {
                let i = threads.iter().position(|&t| t == row.threads)? as i32;
                Some((SegmentValue::CenterOf(i), f(row)?))
            })
            .collect()
    };
    let x_label = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) => threads
            .get(*i as usize)
            .map(|t| t.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    };
    let colour = |i: usize| {
        let (r, g, b) = COLOURS[i % COLOURS.len()];
        RGBColor(r, g, b)
    };
    let baseline_styles = [
        RGBColor(60, 60, 60).stroke_width(2),
        RGBColor(140, 140, 140).stroke_width(2),
        RGBColor(190, 190, 190).stroke_width(2),
    ];
    // Segments 0..=last, one per thread count.
    let last = threads.len().saturating_sub(1) as i32;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (1500, 640)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let (charts, legend) = root.split_horizontally(1170);
        let (left, right) = charts.split_horizontally(640);

        // Throughput, log scale.
        let tput: Vec<f64> = r
            .rows
            .iter()
            .chain(&r.baselines)
            .filter_map(|row| row.m_increments_per_s)
            .filter(|&x| x > 0.0)
            .collect();
        let lo = tput.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = tput.iter().copied().fold(0.0, f64::max);
        let (lo, hi) = if lo.is_finite() && hi > 0.0 {
            (lo / 2.0, hi * 2.0)
        } else {
            (0.1, 10.0)
        };
        let mut chart = ChartBuilder::on(&left)
            .caption(
                "Throughput vs threads (log scale)",
                ("sans-serif", 22).into_font(),
            )
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d((0..last).into_segmented(), (lo..hi).log_scale())
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc("threads")
            .y_desc("million increments per second, all threads together")
            .x_label_formatter(&x_label)
            .y_label_formatter(&|y| log_tick(*y))
            .axis_desc_style(("sans-serif", 16))
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(draw_err)?;
        for (b, style) in r.baselines.iter().zip(baseline_styles) {
            if let Some(y) = b.m_increments_per_s {
                let line = vec![(SegmentValue::Exact(0), y), (SegmentValue::Last, y)];
                chart
                    .draw_series(DashedLineSeries::new(line, 8, 5, style))
                    .map_err(draw_err)?;
            }
        }
        for (i, name) in names.iter().enumerate() {
            let c = colour(i);
            chart
                .draw_series(
                    LineSeries::new(
                        series(name, |row| row.m_increments_per_s),
                        c.stroke_width(2),
                    )
                    .point_size(3),
                )
                .map_err(draw_err)?;
        }

        // Lost updates, linear.
        let top = r
            .rows
            .iter()
            .filter_map(|row| row.lost_pct)
            .fold(0.0, f64::max);
        let top = if top > 0.0 {
            (top * 1.15).min(100.0)
        } else {
            1.0
        };
        let mut chart = ChartBuilder::on(&right)
            .caption("Lost updates vs threads", ("sans-serif", 22).into_font())
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d((0..last).into_segmented(), 0.0..top)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc("threads")
            .y_desc("updates lost, % of threads × increments")
            .x_label_formatter(&x_label)
            .y_label_formatter(&|y| {
                if top >= 5.0 {
                    format!("{y:.0}%")
                } else {
                    format!("{}%", sig(*y))
                }
            })
            .axis_desc_style(("sans-serif", 16))
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(draw_err)?;
        // Every fixed version sits on 0%: one dark line stands for all of them.
        let zero: Vec<(SegmentValue<i32>, f64)> = (0..=last)
            .map(|i| (SegmentValue::CenterOf(i), 0.0))
            .collect();
        let fixed = names.iter().filter(|n| !racy(n)).count();
        if fixed > 0 {
            chart
                .draw_series(LineSeries::new(zero, BLACK.stroke_width(3)))
                .map_err(draw_err)?;
        }
        for (i, name) in names.iter().enumerate().filter(|(_, n)| racy(n)) {
            let c = colour(i);
            chart
                .draw_series(
                    LineSeries::new(series(name, |row| row.lost_pct), c.stroke_width(2))
                        .point_size(3),
                )
                .map_err(draw_err)?;
        }

        // The legend, for both charts.
        let font = ("sans-serif", 14).into_font();
        let mut y = 40;
        legend
            .draw(&Text::new(
                "experiments (same colours in both charts)",
                (10, y - 25),
                font.clone(),
            ))
            .map_err(draw_err)?;
        for (i, name) in names.iter().enumerate() {
            let c = colour(i);
            legend
                .draw(&PathElement::new(vec![(10, y), (40, y)], c.stroke_width(3)))
                .map_err(draw_err)?;
            let label = if racy(name) {
                format!("{name} (racy)")
            } else {
                name.clone()
            };
            legend
                .draw(&Text::new(label, (48, y - 7), font.clone()))
                .map_err(draw_err)?;
            y += 22;
        }
        if fixed > 0 {
            legend
                .draw(&PathElement::new(
                    vec![(10, y), (40, y)],
                    BLACK.stroke_width(3),
                ))
                .map_err(draw_err)?;
            legend
                .draw(&Text::new(
                    format!("lost updates of the {fixed} fixed versions: 0%"),
                    (48, y - 7),
                    font.clone(),
                ))
                .map_err(draw_err)?;
            y += 22;
        }
        y += 18;
        legend
            .draw(&Text::new(
                "hardware, measured in the same run:",
                (10, y - 7),
                font.clone(),
            ))
            .map_err(draw_err)?;
        y += 24;
        for (b, style) in r.baselines.iter().zip(baseline_styles) {
            for x in [10, 24] {
                legend
                    .draw(&PathElement::new(vec![(x, y), (x + 9, y)], style))
                    .map_err(draw_err)?;
            }
            let what = match b.ns_per_increment {
                Some(ns) => format!("{}, {} thr: {} ns", b.name, b.threads, sig(ns)),
                None => b.name.clone(),
            };
            legend
                .draw(&Text::new(what, (48, y - 7), font.clone()))
                .map_err(draw_err)?;
            y += 22;
        }
        let mut notes = vec![
            format!("{} CPUs, {} increments per thread,", r.cpus, r.iters),
            format!("median of {} trials per point", r.trials_requested),
        ];
        if let Some(o) = r.other_cpu_use.filter(|&o| o >= 0.2) {
            notes.push(format!("other processes used {o:.1} CPUs meanwhile"));
        }
        for note in notes {
            legend
                .draw(&Text::new(
                    note,
                    (10, y + 6),
                    ("sans-serif", 13).into_font(),
                ))
                .map_err(draw_err)?;
            y += 18;
        }
        root.present().map_err(draw_err)?;
    }
    Ok(out)
}
