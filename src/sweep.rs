//! Parameter sweeps over treaty models: a grid of edits to the model's TOML document, one
//! treaty check per grid point, one [`Row`] per point and condition (and per deterrence pair
//! when asked).
//!
//! The sweep works on the TOML document, not on the treaty types: each grid point is a copy of
//! the parsed file with some values replaced by a dotted path ([`set_path`]), handed to the
//! treaty loader and checked. The coupling to the treaty layer is confined to [`check_point`]
//! and [`report_rows`].
//!
//! Paths: `defaults.reliability` names a key of a table; inside an array of tables a segment
//! selects the element whose `id` (or `year`, for snapshots) equals it
//! (`snapshots.1949.capability.USA`, `procedures.council.quota`), or the element at that index
//! when it is a number and no element has that id or year (`obligations.0.reliability`).
//!
//! # Example
//! ```
//! use covenant::sweep::{Axis, Grid, SweepOptions, sweep_text};
//! use covenant::treaty::{CheckOptions, ConditionId};
//! use std::path::Path;
//! let model = r#"
//! [treaty]
//! name = "Pact"
//! kind = "collective_defense"
//! [defaults]
//! reliability = 0.75
//! [[states]]
//! id = "A"
//! [[states]]
//! id = "B"
//! [[states]]
//! id = "Z"
//! [[obligations]]
//! kind = "defense"
//! [[snapshots]]
//! year = 2000
//! members = ["A", "B"]
//! [snapshots.capability]
//! A = 0.3
//! B = 0.3
//! Z = 0.2
//! "#;
//! let grid = Grid::new(vec![Axis::parse("defaults.reliability=0:1:0.5").unwrap()]).unwrap();
//! let opts = SweepOptions {
//!     check: CheckOptions {
//!         conditions: vec![ConditionId::Deterrence],
//!         ..CheckOptions::default()
//!     },
//! };
//! let rows = sweep_text(model, Path::new("pact.toml"), &grid, 0..grid.len(), &opts).unwrap();
//! assert_eq!(rows.len(), 6); // three points, deterrence for two scopes each
//! assert_eq!(rows[4].parameters[0], 1.0.into());
//! ```

use crate::error::{Error, Result};
use crate::treaty::{self, CheckOptions, ConditionId, Report};
use rayon::prelude::*;
use serde::Serialize;
use std::ops::Range;
use std::path::Path;
use toml::{Table, Value};

/// Largest number of points a grid may have (each point is one full treaty check).
pub const MAX_GRID_POINTS: usize = 10_000_000;

/// One swept parameter: a dotted path into the model and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Dotted path, e.g. `states.USA.capability`.
    pub path: String,
    /// The values, in sweep order.
    pub values: Vec<Value>,
}

impl Axis {
    /// Parses `PATH=START:STOP:STEP` (inclusive of `STOP`, up to rounding) or
    /// `PATH=V1,V2,…` (numbers, `true`/`false`, or bare words taken as strings).
    ///
    /// A range whose three numbers are all integers gives integer values (for fields such as
    /// `decision.quota`); otherwise floats, rounded to the decimals written in `START` and
    /// `STEP` so that `0:1:0.1` gives `0.3` and not `0.30000000000000004`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a missing `=`, an empty path or value, a step that is not
    /// positive and finite, `STOP < START`, or more than [`MAX_GRID_POINTS`] values.
    ///
    /// # Example
    /// ```
    /// use covenant::sweep::Axis;
    /// let a = Axis::parse("defaults.reliability=0.5:1:0.25").unwrap();
    /// assert_eq!(a.values, vec![0.5.into(), 0.75.into(), 1.0.into()]);
    /// let q = Axis::parse("decision.quota=2,3").unwrap();
    /// assert_eq!(q.values, vec![2.into(), 3.into()]);
    /// ```
    pub fn parse(spec: &str) -> Result<Axis> {
        let (path, values) = spec.split_once('=').ok_or_else(|| {
            Error::invalid_argument(format!(
                "sweep parameter `{spec}`: expected PATH=START:STOP:STEP or PATH=V1,V2,..."
            ))
        })?;
        let path = path.trim();
        check_path(path)?;
        let values = values.trim();
        if values.is_empty() {
            return Err(Error::invalid_argument(format!(
                "sweep parameter `{path}`: no values"
            )));
        }
        let parts: Vec<&str> = values.split(':').map(str::trim).collect();
        let values = if parts.len() == 3 && !values.contains(',') {
            range_values(path, parts[0], parts[1], parts[2])?
        } else if parts.len() > 1 && !values.contains(',') {
            return Err(Error::invalid_argument(format!(
                "sweep parameter `{path}={values}`: a range is START:STOP:STEP (three numbers)"
            )));
        } else {
            values
                .split(',')
                .map(|v| scalar_value(path, v.trim()))
                .collect::<Result<Vec<_>>>()?
        };
        Axis::new(path, values)
    }

    /// An axis from explicit values.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an empty path or segment, or no values.
    pub fn new(path: impl Into<String>, values: Vec<Value>) -> Result<Axis> {
        let path = path.into();
        check_path(&path)?;
        if values.is_empty() {
            return Err(Error::invalid_argument(format!(
                "sweep parameter `{path}`: no values"
            )));
        }
        Ok(Axis { path, values })
    }
}

fn check_path(path: &str) -> Result<()> {
    if path.is_empty() || path.split('.').any(|s| s.trim().is_empty()) {
        return Err(Error::invalid_argument(format!(
            "sweep parameter path `{path}`: expected dotted keys such as defaults.reliability"
        )));
    }
    Ok(())
}

fn scalar_value(path: &str, v: &str) -> Result<Value> {
    if v.is_empty() {
        return Err(Error::invalid_argument(format!(
            "sweep parameter `{path}`: empty value in the list"
        )));
    }
    if let Ok(i) = v.parse::<i64>() {
        return Ok(Value::Integer(i));
    }
    if let Ok(x) = v.parse::<f64>() {
        if !x.is_finite() {
            return Err(Error::invalid_argument(format!(
                "sweep parameter `{path}`: value `{v}` is not finite"
            )));
        }
        return Ok(Value::Float(x));
    }
    Ok(match v {
        "true" => Value::Boolean(true),
        "false" => Value::Boolean(false),
        _ => Value::String(v.trim_matches('"').to_string()),
    })
}

fn decimals(s: &str) -> i32 {
    let mantissa = s.split(['e', 'E']).next().unwrap_or(s);
    mantissa.split_once('.').map_or(0, |(_, f)| f.len() as i32)
}

fn range_values(path: &str, start: &str, stop: &str, step: &str) -> Result<Vec<Value>> {
    let bad = |what: &str| {
        Error::invalid_argument(format!(
            "sweep parameter `{path}={start}:{stop}:{step}`: {what}"
        ))
    };
    if let (Ok(a), Ok(b), Ok(s)) = (
        start.parse::<i64>(),
        stop.parse::<i64>(),
        step.parse::<i64>(),
    ) {
        if s <= 0 {
            return Err(bad("the step must be positive"));
        }
        if b < a {
            return Err(bad("STOP is below START"));
        }
        let n = ((b - a) / s) as u64 + 1;
        if n > MAX_GRID_POINTS as u64 {
            return Err(bad(&format!("more than {MAX_GRID_POINTS} values")));
        }
        return Ok((0..n as i64).map(|k| Value::Integer(a + k * s)).collect());
    }
    let num = |s: &str| -> Result<f64> {
        s.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| bad(&format!("`{s}` is not a finite number")))
    };
    let (a, b, s) = (num(start)?, num(stop)?, num(step)?);
    if s <= 0.0 {
        return Err(bad("the step must be positive"));
    }
    if b < a {
        return Err(bad("STOP is below START"));
    }
    // A relative slack so that 0:1:0.1 includes 1 despite 0.1 not being representable.
    let count = ((b - a) / s * (1.0 + 1e-12) + 1e-9).floor();
    if count + 1.0 > MAX_GRID_POINTS as f64 {
        return Err(bad(&format!("more than {MAX_GRID_POINTS} values")));
    }
    let scale = 10f64.powi(decimals(start).max(decimals(step)).min(15));
    Ok((0..=count as usize)
        .map(|k| {
            let x = a + k as f64 * s;
            Value::Float((x * scale).round() / scale)
        })
        .collect())
}

/// The Cartesian product of the axes; point `k` is numbered in row-major order (the last axis
/// varies fastest), so a slice `k0..k1` of points is the same on every machine.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    axes: Vec<Axis>,
    len: usize,
}

impl Grid {
    /// A grid over the given axes (no axes: one point, the model as written).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when two axes name the same path; [`Error::TooLarge`] when the
    /// product exceeds [`MAX_GRID_POINTS`].
    pub fn new(axes: Vec<Axis>) -> Result<Grid> {
        let mut len: usize = 1;
        for (i, a) in axes.iter().enumerate() {
            if axes[..i].iter().any(|b| b.path == a.path) {
                return Err(Error::invalid_argument(format!(
                    "sweep parameter `{}` given twice",
                    a.path
                )));
            }
            len = len
                .checked_mul(a.values.len())
                .filter(|&n| n <= MAX_GRID_POINTS)
                .ok_or_else(|| {
                    Error::TooLarge(format!("the sweep grid exceeds {MAX_GRID_POINTS} points"))
                })?;
        }
        Ok(Grid { axes, len })
    }

    /// The axes, in order.
    pub fn axes(&self) -> &[Axis] {
        &self.axes
    }

    /// Number of points.
    #[allow(clippy::len_without_is_empty)] // a grid always has at least one point
    pub fn len(&self) -> usize {
        self.len
    }

    /// The parameter values of point `k` (one per axis), or `None` past the end.
    pub fn point(&self, k: usize) -> Option<Vec<Value>> {
        if k >= self.len {
            return None;
        }
        let mut rest = k;
        let mut out = vec![Value::Boolean(false); self.axes.len()];
        for (slot, a) in out.iter_mut().zip(&self.axes).rev() {
            let n = a.values.len();
            *slot = a.values[rest % n].clone();
            rest /= n;
        }
        Some(out)
    }
}

/// The points of shard `k` of `n` (1-based `k`): contiguous slices whose sizes differ by at
/// most one, together covering `0..total` exactly once.
///
/// # Errors
/// [`Error::InvalidArgument`] unless `1 ≤ k ≤ n`.
///
/// # Example
/// ```
/// use covenant::sweep::shard_range;
/// assert_eq!(shard_range(10, 1, 3).unwrap(), 0..4);
/// assert_eq!(shard_range(10, 3, 3).unwrap(), 7..10);
/// ```
pub fn shard_range(total: usize, k: usize, n: usize) -> Result<Range<usize>> {
    if n == 0 || k == 0 || k > n {
        return Err(Error::invalid_argument(format!(
            "shard {k}/{n}: expected K/N with 1 <= K <= N"
        )));
    }
    let (q, r) = (total / n, total % n);
    let start = |i: usize| i * q + i.min(r);
    Ok(start(k - 1)..start(k))
}

/// Replaces the value at a dotted `path` of a TOML document (see the module docs for paths).
/// The last key may be new (e.g. `defaults.war_cost` where the file relies on the default);
/// every table or array on the way must exist.
///
/// # Errors
/// [`Error::InvalidArgument`] naming the path and the segment that does not exist.
///
/// # Example
/// ```
/// use covenant::sweep::set_path;
/// let mut t: toml::Table = "[[states]]\nid = \"USA\"\ncapability = 0.27".parse().unwrap();
/// set_path(&mut t, "states.USA.capability", 0.3.into()).unwrap();
/// assert_eq!(t["states"][0]["capability"].as_float(), Some(0.3));
/// ```
pub fn set_path(doc: &mut Table, path: &str, value: Value) -> Result<()> {
    check_path(path)?;
    let segs: Vec<&str> = path.split('.').map(str::trim).collect();
    let missing = |upto: usize, what: &str| {
        Error::invalid_argument(format!(
            "sweep parameter `{path}`: the model has no {what} `{}`",
            segs[..=upto].join(".")
        ))
    };
    let (last, parents) = segs.split_last().expect("a checked path has a segment");
    let mut table = doc;
    for (i, seg) in parents.iter().enumerate() {
        let entry = table.get_mut(*seg).ok_or_else(|| missing(i, "table"))?;
        table = match entry {
            Value::Table(t) => t,
            Value::Array(items) => {
                // The next segment selects an element of the array of tables.
                let sel = segs.get(i + 1).copied().unwrap_or_default();
                let idx = items
                    .iter()
                    .position(|it| {
                        it.get("id").and_then(Value::as_str) == Some(sel)
                            || it
                                .get("year")
                                .and_then(Value::as_integer)
                                .map(|y| y.to_string())
                                == Some(sel.to_string())
                    })
                    .or_else(|| sel.parse::<usize>().ok().filter(|&k| k < items.len()))
                    .ok_or_else(|| missing(i + 1, "element"))?;
                if i + 1 == parents.len() {
                    // `states.USA` alone would replace a whole table: not a parameter.
                    return Err(Error::invalid_argument(format!(
                        "sweep parameter `{path}` names a whole element; add its field, e.g. `{path}.capability`"
                    )));
                }
                match &mut items[idx] {
                    Value::Table(t) => {
                        // Skip the selector segment on the next iteration.
                        return set_path_from(t, &segs, i + 2, path, value);
                    }
                    _ => return Err(missing(i + 1, "table")),
                }
            }
            _ => return Err(missing(i, "table")),
        };
    }
    table.insert((*last).to_string(), value);
    Ok(())
}

fn set_path_from(
    t: &mut Table,
    segs: &[&str],
    from: usize,
    path: &str,
    value: Value,
) -> Result<()> {
    let rest = segs[from..].join(".");
    set_path(t, &rest, value).map_err(|e| match e {
        Error::InvalidArgument(m) => {
            Error::InvalidArgument(m.replacen(&format!("`{rest}`"), &format!("`{path}`"), 1))
        }
        other => other,
    })
}

/// What a sweep checks and reports: the treaty check's options (year, scope, conditions;
/// `pairs` adds one row per attack scenario; `samples` runs the Monte Carlo check under the
/// model's prior at every point).
///
/// With `samples > 0`, `check.seed` is the sweep's seed: point `k` draws its samples from
/// [`point_seed`]`(seed, k)`, so a point's rows depend only on the seed and the point, never on
/// which shard or worker ran it.
#[derive(Debug, Clone, Default)]
pub struct SweepOptions {
    /// Options of the treaty check at every point (the seed is re-derived per point).
    pub check: CheckOptions,
}

/// The Monte Carlo seed of grid point `k` in a sweep seeded with `seed`.
///
/// Each point needs its own stream (the same seed everywhere would give every point the same
/// draws, correlating neighbouring points' estimates), and the stream must be a function of
/// `(seed, k)` alone so that shards and Dask chunks reproduce a single run. Two rounds of the
/// SplitMix64 finaliser (Steele, Lea & Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014) decorrelate consecutive `k`; the treaty check then derives one
/// stream per sample from this seed.
///
/// `covenant check --samples N --seed point_seed(seed, k)` on the model edited to point `k`
/// gives the same probabilities as the sweep's row (the rows carry this seed).
///
/// # Example
/// ```
/// use covenant::sweep::point_seed;
/// assert_eq!(point_seed(7, 3), point_seed(7, 3));
/// assert_ne!(point_seed(7, 3), point_seed(7, 4));
/// assert_ne!(point_seed(7, 3), point_seed(8, 3));
/// ```
pub fn point_seed(seed: u64, k: usize) -> u64 {
    fn mix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    mix(seed ^ mix(k as u64))
}

/// One line of a sweep's output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Grid point number (row-major over the axes).
    pub point: usize,
    /// The swept values at this point, one per axis in axis order.
    pub parameters: Vec<Value>,
    /// Condition id (`deterrence`, …); `deterrence` on pair rows too.
    pub condition: String,
    /// What the row covers: `all` for a condition over the whole treaty, `pair` for a
    /// deterrence pair row.
    pub scope: String,
    /// `holds` or `fails`.
    pub verdict: String,
    /// The condition's margin (≥ 0 when it holds); on a pair row `-EU` of the aggression.
    pub margin: f64,
    /// Aggressor id (pair rows only).
    pub aggressor: Option<String>,
    /// Target id (pair rows only).
    pub target: Option<String>,
    /// The aggressor's win probability (pair rows only).
    pub win_probability: Option<f64>,
    /// P(holds) under the model's prior, on condition rows of a sweep with samples (`None` on
    /// pair rows, without samples, and for conditions not sampled: participation, burden
    /// sharing, equal rules).
    pub probability: Option<f64>,
    /// P(deterred) under the prior, on pair rows of a sweep with samples.
    pub p_deterred: Option<f64>,
    /// The Monte Carlo seed this point used ([`point_seed`]), in a sweep with samples.
    pub seed: Option<u64>,
}

/// The treaty-layer adapter: turns one check's report into rows (one per condition and scope,
/// then one per attack scenario when the report has its pair table).
///
/// # Arguments
/// * `point`, `parameters` — the grid point the report belongs to.
/// * `report` — the check's report.
///
/// # Returns
/// Condition rows in report order, then pair rows (condition `deterrence`, scope `pair`,
/// margin `−EU`); with samples in the report, `probability` / `p_deterred` and `seed` filled.
pub fn report_rows(
    point: usize,
    parameters: &[Value],
    report: &Report,
    seed: Option<u64>,
) -> Vec<Row> {
    let seed = seed.filter(|_| report.samples > 0);
    let mut rows: Vec<Row> = report
        .conditions
        .iter()
        .map(|c| Row {
            point,
            parameters: parameters.to_vec(),
            condition: c.id.to_string(),
            scope: c.scope.as_str().to_string(),
            verdict: c.verdict.as_str().to_string(),
            margin: c.margin,
            aggressor: None,
            target: None,
            win_probability: None,
            probability: c.probability,
            p_deterred: None,
            seed,
        })
        .collect();
    for p in report.pairs.iter().flatten() {
        rows.push(Row {
            point,
            parameters: parameters.to_vec(),
            condition: ConditionId::Deterrence.to_string(),
            scope: "pair".to_string(),
            verdict: if p.deterred { "holds" } else { "fails" }.to_string(),
            margin: -p.eu,
            aggressor: Some(p.aggressor.clone()),
            target: Some(p.target.clone()),
            win_probability: Some(p.win_probability),
            probability: None,
            p_deterred: p.p_deterred,
            seed,
        });
    }
    rows
}

/// Checks one grid point of a model.
///
/// # Arguments
/// * `base` — the model's TOML document as written.
/// * `origin` — its file name, for error messages.
/// * `grid`, `k` — the grid and the point.
/// * `opts` — the check's options; with samples, the point draws from
///   [`point_seed`]`(opts.check.seed, k)`.
///
/// # Errors
/// [`Error::InvalidArgument`] for a point past the grid or a path the model lacks; the treaty
/// loader's [`Error::Model`] when the edited model is invalid (its message names the point and
/// its values; the line is 0 because the edited document is not the file); errors of the check.
pub fn check_point(
    base: &Table,
    origin: &Path,
    grid: &Grid,
    k: usize,
    opts: &SweepOptions,
) -> Result<Vec<Row>> {
    let params = grid.point(k).ok_or_else(|| {
        Error::invalid_argument(format!("sweep point {k} is past the grid's {}", grid.len()))
    })?;
    let mut doc = base.clone();
    for (a, v) in grid.axes().iter().zip(&params) {
        set_path(&mut doc, &a.path, v.clone())?;
    }
    let text = toml::to_string(&doc).map_err(|e| Error::Numerical {
        context: "sweep",
        message: format!("the edited model could not be written as TOML: {e}"),
    })?;
    let at = || {
        grid.axes()
            .iter()
            .zip(&params)
            .map(|(a, v)| format!("{} = {v}", a.path))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let t = treaty::parse_treaty(&text, origin).map_err(|e| match e {
        Error::Model {
            file,
            field,
            message,
            ..
        } => Error::Model {
            file,
            line: 0,
            field,
            message: format!("{message} (at sweep point {k}: {})", at()),
        },
        Error::Parse { file, message, .. } => Error::Model {
            file,
            line: 0,
            field: String::new(),
            message: format!("{message} (at sweep point {k}: {})", at()),
        },
        other => other,
    })?;
    let seed = point_seed(opts.check.seed, k);
    let check = CheckOptions {
        seed,
        ..opts.check.clone()
    };
    let report = treaty::check(&t, &check)?;
    Ok(report_rows(k, &params, &report, Some(seed)))
}

/// Runs the points `range` of a grid over a model given as TOML text, in parallel on rayon's
/// global pool; rows come back in point order.
///
/// # Errors
/// [`Error::Parse`]/[`Error::Model`] (with the file's own lines) when the model as written is
/// invalid; [`Error::InvalidArgument`] when the range is past the grid or an axis names a path
/// the model lacks; otherwise the first failing point's error as in [`check_point`] (with
/// samples: [`Error::InvalidArgument`] when the model has no `[prior]`, [`Error::TooLarge`]
/// past the treaty check's sample limit).
///
/// # Complexity
/// `range.len()` treaty checks, spread over the pool's threads; with `samples`, each point's
/// check also repeats the scenario analysis once per sample.
pub fn sweep_text(
    text: &str,
    origin: &Path,
    grid: &Grid,
    range: Range<usize>,
    opts: &SweepOptions,
) -> Result<Vec<Row>> {
    // The unedited model first, so that errors in the file itself carry their line.
    treaty::parse_treaty(text, origin)?;
    let base: Table = text.parse().map_err(|e: toml::de::Error| Error::Parse {
        file: origin.to_path_buf(),
        line: 0,
        column: 0,
        message: e.message().to_string(),
    })?;
    if range.end > grid.len() || range.start > range.end {
        return Err(Error::invalid_argument(format!(
            "sweep points {}..{} outside the grid's {}",
            range.start,
            range.end,
            grid.len()
        )));
    }
    // Every path must exist in the model before any work is done.
    let mut probe = base.clone();
    for a in grid.axes() {
        set_path(&mut probe, &a.path, a.values[0].clone())?;
    }
    let chunks: Vec<Vec<Row>> = range
        .into_par_iter()
        .map(|k| check_point(&base, origin, grid, k, opts))
        .collect::<Result<_>>()?;
    Ok(chunks.into_iter().flatten().collect())
}

/// [`sweep_text`] on a model file.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; otherwise as [`sweep_text`].
pub fn sweep_file(
    path: &Path,
    grid: &Grid,
    range: Range<usize>,
    opts: &SweepOptions,
) -> Result<Vec<Row>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    sweep_text(&text, path, grid, range, opts)
}
