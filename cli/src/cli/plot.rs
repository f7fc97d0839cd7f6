//! SVG charts for `check --plot` and `sweep --plot` (plotters, SVG backend only: no fonts or
//! system libraries needed). The Python package draws the same two charts with matplotlib.

use covenant::sweep::{Grid, Row};
use covenant::{Error, Result};
use plotters::prelude::*;
use std::path::Path;

fn draw_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

const PALETTE: [RGBColor; 7] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
];

/// Margin of each condition and scope against the first swept parameter: one line per
/// condition and scope, a filled marker where it holds and a hollow one where it fails. Points at which
/// the first parameter is not a number, and non-finite margins, are left out (a sweep over
/// words has no axis to draw against: the chart then says so in its caption).
///
/// # Errors
/// [`Error::Io`] when the file cannot be written.
pub fn sweep_chart(path: &Path, grid: &Grid, rows: &[Row]) -> Result<()> {
    let xname = grid
        .axes()
        .first()
        .map_or("point".to_string(), |a| a.path.clone());
    let x_of = |r: &Row| -> Option<f64> {
        match r.parameters.first() {
            None => Some(r.point as f64),
            Some(toml::Value::Float(x)) => Some(*x),
            Some(toml::Value::Integer(i)) => Some(*i as f64),
            Some(_) => None,
        }
    };
    // One line per condition and scope (pair rows are not drawn).
    let key = |r: &Row| format!("{} ({})", r.condition, r.scope);
    let mut conditions: Vec<String> = Vec::new();
    for r in rows.iter().filter(|r| r.scope != "pair") {
        if !conditions.contains(&key(r)) {
            conditions.push(key(r));
        }
    }
    let pts: Vec<(usize, f64, f64, bool)> = rows
        .iter()
        .filter(|r| r.scope != "pair" && r.margin.is_finite())
        .filter_map(|r| {
            let c = conditions.iter().position(|c| *c == key(r))?;
            Some((c, x_of(r)?, r.margin, r.verdict == "holds"))
        })
        .collect();
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(_, x, y, _) in &pts {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    if pts.is_empty() {
        (x0, x1, y0, y1) = (0.0, 1.0, -1.0, 1.0);
    }
    let pad = |a: f64, b: f64| if b - a > 0.0 { (b - a) * 0.05 } else { 0.5 };
    let (px, py) = (pad(x0, x1), pad(y0.min(0.0), y1.max(0.0)));
    let root = SVGBackend::new(path, (900, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| draw_error(path, e))?;
    let caption = if pts.is_empty() && !rows.is_empty() {
        format!("margin against {xname} (not numeric: nothing to draw)")
    } else {
        format!("margin against {xname} (filled: holds, hollow: fails)")
    };
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((x0 - px)..(x1 + px), (y0.min(0.0) - py)..(y1.max(0.0) + py))
        .map_err(|e| draw_error(path, e))?;
    chart
        .configure_mesh()
        .x_desc(xname.as_str())
        .y_desc("margin")
        .draw()
        .map_err(|e| draw_error(path, e))?;
    chart
        .draw_series(LineSeries::new(
            [(x0 - px, 0.0), (x1 + px, 0.0)],
            BLACK.mix(0.4),
        ))
        .map_err(|e| draw_error(path, e))?;
    for (c, name) in conditions.iter().enumerate() {
        let color = PALETTE[c % PALETTE.len()];
        let mut line: Vec<(f64, f64)> = pts
            .iter()
            .filter(|p| p.0 == c)
            .map(|p| (p.1, p.2))
            .collect();
        line.sort_by(|a, b| a.0.total_cmp(&b.0));
        chart
            .draw_series(LineSeries::new(line, color.stroke_width(2)))
            .map_err(|e| draw_error(path, e))?
            .label(name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color));
        chart
            .draw_series(pts.iter().filter(|p| p.0 == c).map(|&(_, x, y, holds)| {
                let style = if holds {
                    color.filled()
                } else {
                    color.stroke_width(2)
                };
                Circle::new((x, y), 4, style)
            }))
            .map_err(|e| draw_error(path, e))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| draw_error(path, e))?;
    root.present().map_err(|e| draw_error(path, e))
}

/// One cell of the heatmap: aggressor and target as indices into the id list, the EU and,
/// with samples, P(deterred).
#[derive(Debug, Clone, Copy)]
pub struct Cell {
    /// Row.
    pub aggressor: usize,
    /// Column.
    pub target: usize,
    /// The aggressor's expected utility.
    pub eu: f64,
    /// P(deterred) under the prior (a check with samples).
    pub p_deterred: Option<f64>,
}

/// The deterrence heatmap: aggressor (rows) × target (columns), each cell coloured by the
/// aggressor's expected utility of the attack (blue: deterred, EU < 0; red: not deterred),
/// or, when `samples > 0`, by P(deterred) (blue above 1/2, red below), with the value
/// written in the cell when the table is small enough to read.
///
/// # Errors
/// [`Error::Io`] when the file cannot be written.
pub fn deterrence_heatmap(
    path: &Path,
    ids: &[String],
    pairs: &[Cell],
    samples: usize,
) -> Result<()> {
    let n = ids.len().max(1);
    let side = (60 + 36 * n as u32).clamp(360, 1600);
    let root = SVGBackend::new(path, (side + 120, side + 60)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| draw_error(path, e))?;
    // The shown value, and a signed shade (negative: deterred) on a symmetric scale.
    let by_p = samples > 0;
    let shown = |c: &Cell| {
        if by_p {
            c.p_deterred.unwrap_or(f64::NAN)
        } else {
            c.eu
        }
    };
    let shade = |c: &Cell| if by_p { 0.5 - shown(c) } else { c.eu };
    let scale = if by_p {
        0.5
    } else {
        pairs
            .iter()
            .map(|p| p.eu.abs())
            .filter(|x| x.is_finite())
            .fold(0.0f64, f64::max)
            .max(1e-12)
    };
    let caption = if by_p {
        format!(
            "deterrence: P(aggressor (row) deterred from target (column)), {samples} samples; blue deterred"
        )
    } else {
        "deterrence: EU of aggressor (row) against target (column); blue deterred".to_string()
    };
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(0f64..n as f64, 0f64..n as f64)
        .map_err(|e| draw_error(path, e))?;
    let label = |v: &f64| {
        let i = v.floor() as usize;
        if (v - v.floor() - 0.5).abs() < 1e-9 && i < ids.len() {
            ids[i].clone()
        } else {
            String::new()
        }
    };
    let label_y = |v: &f64| {
        let i = v.floor() as usize;
        if (v - v.floor() - 0.5).abs() < 1e-9 && i < n && n - 1 - i < ids.len() {
            ids[n - 1 - i].clone()
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(2 * n + 1)
        .y_labels(2 * n + 1)
        .x_label_formatter(&label)
        .y_label_formatter(&label_y)
        .x_desc("target")
        .y_desc("aggressor")
        .draw()
        .map_err(|e| draw_error(path, e))?;
    let colour = |eu: f64| {
        if !eu.is_finite() {
            return RGBColor(200, 200, 200);
        }
        let t = (eu.abs() / scale).min(1.0);
        let fade = |c: u8| (255.0 - t * (255.0 - f64::from(c))) as u8;
        if eu < 0.0 {
            RGBColor(fade(33), fade(102), fade(172))
        } else {
            RGBColor(fade(178), fade(24), fade(43))
        }
    };
    // Row i from the top: aggressor i drawn at y = n - 1 - i.
    let y_of = |i: usize| (n - 1 - i) as f64;
    chart
        .draw_series(pairs.iter().map(|p| {
            let (x, y) = (p.target as f64, y_of(p.aggressor));
            Rectangle::new([(x, y), (x + 1.0, y + 1.0)], colour(shade(p)).filled())
        }))
        .map_err(|e| draw_error(path, e))?;
    if n <= 16 {
        chart
            .draw_series(pairs.iter().map(|p| {
                let (x, y) = (p.target as f64 + 0.15, y_of(p.aggressor) + 0.6);
                Text::new(format!("{:.2}", shown(p)), (x, y), ("sans-serif", 11))
            }))
            .map_err(|e| draw_error(path, e))?;
    }
    root.present().map_err(|e| draw_error(path, e))
}
