//! `covenant sweep`: a treaty check over a grid of model parameters.

use super::output::{outln, print_json};
use clap::{Args, ValueEnum};
use covenant::sweep::{self, Axis, Grid, Row, SweepOptions};
use covenant::treaty::CheckOptions;
use covenant::treaty::ConditionId;
use covenant::Result;
use std::path::PathBuf;

fn parse_condition(s: &str) -> std::result::Result<ConditionId, String> {
    s.parse::<ConditionId>().map_err(|e| e.to_string())
}

fn parse_axis(s: &str) -> std::result::Result<Axis, String> {
    Axis::parse(s).map_err(|e| e.to_string())
}

/// A `K/N` shard of the grid.
#[derive(Debug, Clone, Copy)]
pub struct Shard {
    k: usize,
    n: usize,
}

fn parse_shard(s: &str) -> std::result::Result<Shard, String> {
    let bad = || format!("shard `{s}`: expected K/N with 1 <= K <= N, e.g. 3/10");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let k: usize = k.trim().parse().map_err(|_| bad())?;
    let n: usize = n.trim().parse().map_err(|_| bad())?;
    if k == 0 || k > n {
        return Err(bad());
    }
    Ok(Shard { k, n })
}

/// Output format of `covenant sweep`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SweepFormat {
    /// Comma-separated values with a header line (default).
    #[default]
    Csv,
    /// A JSON array of row objects.
    Json,
}

/// Arguments of `covenant sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The treaty model (TOML; see models/TEMPLATE.toml).
    pub model: PathBuf,
    /// A swept parameter: PATH=START:STOP:STEP (inclusive) or PATH=V1,V2,... PATH is dotted:
    /// `defaults.reliability`, `states.USA.capability` (array elements by id), `decision.quota`.
    /// Repeat for a multi-dimensional grid (the last one varies fastest).
    #[arg(long = "set", value_name = "PATH=VALUES", value_parser = parse_axis)]
    pub set: Vec<Axis>,
    /// Comma-separated condition ids (default: all).
    #[arg(long, value_delimiter = ',', value_parser = parse_condition)]
    pub condition: Vec<ConditionId>,
    /// Add one row per (aggressor, target) deterrence pair.
    #[arg(long)]
    pub pairs: bool,
    /// Snapshot year (default: the latest in the model).
    #[arg(long)]
    pub year: Option<i32>,
    /// Monte Carlo samples under the model's [prior] at every point: adds `probability`
    /// (P(holds)) to condition rows, `p_deterred` to pair rows, and the point's `seed`.
    #[arg(long, default_value_t = 0)]
    pub samples: usize,
    /// Seed of the sweep's Monte Carlo draws; each point draws from a seed derived from this
    /// one and its point number, so shards give the same rows as one run.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Run only slice K of N of the grid (1-based), e.g. `--shard $SLURM_ARRAY_TASK_ID/100`.
    /// The slices of 1/N..N/N together are the whole grid, each point once.
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SweepFormat::Csv)]
    pub format: SweepFormat,
    /// Also write a verdict/margin chart against the first swept parameter as SVG.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}

/// Runs `covenant sweep`.
pub fn sweep(args: &SweepArgs) -> Result<()> {
    let grid = Grid::new(args.set.clone())?;
    let range = match args.shard {
        Some(s) => sweep::shard_range(grid.len(), s.k, s.n)?,
        None => 0..grid.len(),
    };
    let opts = SweepOptions {
        check: CheckOptions {
            year: args.year,
            conditions: args.condition.clone(),
            pairs: args.pairs,
            samples: args.samples,
            seed: args.seed,
            ..CheckOptions::default()
        },
    };
    let cols = Columns {
        pairs: args.pairs,
        sampled: args.samples > 0,
    };
    let rows = sweep::sweep_file(&args.model, &grid, range, &opts)?;
    if let Some(path) = &args.plot {
        super::plot::sweep_chart(path, &grid, &rows)?;
    }
    match args.format {
        SweepFormat::Csv => {
            outln!("{}", csv_line(&header(&grid, cols)));
            for r in &rows {
                outln!("{}", csv_line(&record(r, cols)));
            }
            Ok(())
        }
        SweepFormat::Json => {
            let objs: Vec<serde_json::Map<String, serde_json::Value>> =
                rows.iter().map(|r| json_record(&grid, r, cols)).collect();
            print_json(&objs)
        }
    }
}

/// Which optional columns a sweep's output has.
#[derive(Debug, Clone, Copy)]
struct Columns {
    /// `aggressor`, `target`, `win_probability` (and `p_deterred` when sampled).
    pairs: bool,
    /// `probability` and `seed`.
    sampled: bool,
}

fn header(grid: &Grid, cols: Columns) -> Vec<String> {
    let mut h = vec!["point".to_string()];
    h.extend(grid.axes().iter().map(|a| a.path.clone()));
    h.extend(["condition", "scope", "verdict", "margin"].map(String::from));
    if cols.sampled {
        h.push("probability".into());
    }
    if cols.pairs {
        h.extend(["aggressor", "target", "win_probability"].map(String::from));
        if cols.sampled {
            h.push("p_deterred".into());
        }
    }
    if cols.sampled {
        h.push("seed".into());
    }
    h
}

fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn opt_text<T: ToString>(x: Option<T>) -> String {
    x.map_or_else(String::new, |x| x.to_string())
}

fn record(r: &Row, cols: Columns) -> Vec<String> {
    let mut c = vec![r.point.to_string()];
    c.extend(r.parameters.iter().map(value_text));
    c.extend([
        r.condition.clone(),
        r.scope.clone(),
        r.verdict.clone(),
        r.margin.to_string(),
    ]);
    if cols.sampled {
        c.push(opt_text(r.probability));
    }
    if cols.pairs {
        c.push(r.aggressor.clone().unwrap_or_default());
        c.push(r.target.clone().unwrap_or_default());
        c.push(opt_text(r.win_probability));
        if cols.sampled {
            c.push(opt_text(r.p_deterred));
        }
    }
    if cols.sampled {
        c.push(opt_text(r.seed));
    }
    c
}

fn json_record(grid: &Grid, r: &Row, cols: Columns) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::{json, Value};
    let mut m = serde_json::Map::new();
    m.insert("point".into(), json!(r.point));
    for (a, v) in grid.axes().iter().zip(&r.parameters) {
        let jv = serde_json::to_value(v).unwrap_or(Value::Null);
        m.insert(a.path.clone(), jv);
    }
    m.insert("condition".into(), json!(r.condition));
    m.insert("scope".into(), json!(r.scope));
    m.insert("verdict".into(), json!(r.verdict));
    // JSON has no NaN/inf: a non-finite margin is written as null.
    m.insert(
        "margin".into(),
        if r.margin.is_finite() {
            json!(r.margin)
        } else {
            Value::Null
        },
    );
    if cols.sampled {
        m.insert("probability".into(), json!(r.probability));
    }
    if cols.pairs {
        m.insert("aggressor".into(), json!(r.aggressor));
        m.insert("target".into(), json!(r.target));
        m.insert("win_probability".into(), json!(r.win_probability));
        if cols.sampled {
            m.insert("p_deterred".into(), json!(r.p_deterred));
        }
    }
    if cols.sampled {
        m.insert("seed".into(), json!(r.seed));
    }
    m
}

/// RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled.
fn csv_line(cells: &[String]) -> String {
    cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}
