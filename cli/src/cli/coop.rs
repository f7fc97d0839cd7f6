//! `covenant coop` and `covenant power`.

use super::output::{num, outln, print_json, vec_num, Format, Table};
use super::progress::Progress;
use clap::{Args, ValueEnum};
use covenant::coop::{self, Domain};
use covenant::game::{Coalition, CoalitionalGame, TuGame, WeightedVoting};
use covenant::io::CoopInput;
use covenant::{Error, Result};
use serde::Serialize;
use std::path::PathBuf;

/// Solution concept of `covenant coop`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Solution {
    /// Core non-emptiness (Bondareva–Shapley) and a core point.
    Core,
    /// Least core over imputations: ε and a point.
    LeastCore,
    /// Nucleolus (over imputations).
    Nucleolus,
    /// Prenucleolus (over preimputations).
    Prenucleolus,
    /// Shapley value (exact).
    Shapley,
    /// Raw Banzhaf value (exact).
    Banzhaf,
    /// Welfare-maximising coalition structure and its core.
    Structure,
}

impl Solution {
    fn name(self) -> &'static str {
        match self {
            Solution::Core => "core",
            Solution::LeastCore => "least-core",
            Solution::Nucleolus => "nucleolus",
            Solution::Prenucleolus => "prenucleolus",
            Solution::Shapley => "shapley",
            Solution::Banzhaf => "banzhaf",
            Solution::Structure => "structure",
        }
    }
}

/// Arguments of `covenant coop`.
#[derive(Debug, Args)]
pub struct CoopArgs {
    /// A TU game `{"n", "v"}` or a weighted voting game `{"quota", "weights"}` (JSON).
    pub file: PathBuf,
    /// The solution concept.
    #[arg(long, value_enum)]
    pub solution: Solution,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Serialize, Default)]
struct CoopJson {
    solution: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    players: Option<Vec<String>>,
    allocation: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    epsilon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    core_nonempty: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    structure: Option<Vec<Vec<usize>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    blocking_coalition: Option<Vec<usize>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    excess_levels: Option<Vec<f64>>,
    /// What the numbers are normalised to, where that is a choice (`banzhaf`).
    #[serde(skip_serializing_if = "Option::is_none")]
    normalization: Option<&'static str>,
}

/// The normalisation `coop --solution banzhaf` prints.
const RAW_BANZHAF: &str =
    "raw: marginal contributions averaged over the 2^(n-1) coalitions of the others (need not sum to v(N))";
/// The normalisation `power --index banzhaf` prints.
const NORMALIZED_BANZHAF: &str =
    "normalised: each player's swings divided by all players' swings (sums to 1)";

fn members(c: Coalition) -> Vec<usize> {
    c.members().collect()
}

fn tu_of(input: CoopInput) -> Result<TuGame> {
    match input {
        CoopInput::Tu(g) => Ok(g),
        CoopInput::Voting(w) => {
            let names = w.players().to_vec();
            TuGame::from_game(&w)?.with_players(names)
        }
    }
}

/// Runs `covenant coop`.
pub fn coop(args: &CoopArgs) -> Result<()> {
    let g = tu_of(covenant::io::read_coop(&args.file)?)?;
    let n = g.num_players();
    let names: Vec<String> = g
        .players()
        .map(<[String]>::to_vec)
        .unwrap_or_else(|| (0..n).map(|i| i.to_string()).collect());
    let mut out = CoopJson {
        solution: args.solution.name(),
        players: g.players().map(<[String]>::to_vec),
        ..CoopJson::default()
    };
    match args.solution {
        Solution::Core => {
            let status = coop::core_nonempty(&g)?;
            let lc = coop::least_core(&g, Domain::Preimputations)?;
            out.core_nonempty = Some(status.nonempty);
            out.allocation = status.point;
            out.epsilon = Some(lc.epsilon);
        }
        Solution::LeastCore => {
            let lc = coop::least_core(&g, Domain::Imputations)?;
            out.allocation = Some(lc.allocation);
            out.epsilon = Some(lc.epsilon);
            out.core_nonempty = Some(lc.epsilon <= covenant::Tolerance::LP.abs);
        }
        Solution::Nucleolus | Solution::Prenucleolus => {
            // Counted: the rank of the fixed coalitions out of n, then the certificate.
            let nu = if args.solution == Solution::Nucleolus {
                let mut bar = Progress::new("nucleolus: rank of fixed coalitions");
                let mut report = |done: usize, total: usize| bar.update(done, total);
                let r = coop::nucleolus_with_progress(&g, Some(&mut report));
                bar.finish();
                r?
            } else {
                let mut bar = Progress::new("prenucleolus: rank of fixed coalitions");
                let mut report = |done: usize, total: usize| bar.update(done, total);
                let r = coop::prenucleolus_with_progress(&g, Some(&mut report));
                bar.finish();
                r?
            };
            out.epsilon = nu.excess_levels.first().copied();
            out.excess_levels = Some(nu.excess_levels);
            out.allocation = Some(nu.allocation);
        }
        Solution::Shapley => out.allocation = Some(coop::shapley(&g)?),
        Solution::Banzhaf => {
            out.allocation = Some(coop::banzhaf(&g)?);
            out.normalization = Some(RAW_BANZHAF);
        }
        Solution::Structure => {
            let s = coop::stable_structure(&g)?;
            out.structure = Some(s.structure.parts.iter().map(|&c| members(c)).collect());
            out.core_nonempty = Some(s.core.nonempty);
            out.allocation = s.core.allocation.clone();
            out.epsilon = Some(s.core.epsilon);
            out.blocking_coalition = s.core.blocking.map(|(c, _)| members(c));
        }
    }
    match args.format {
        Format::Json => print_json(&out),
        Format::Table => {
            outln!("{} of a {n}-player game", args.solution.name());
            if let Some(how) = out.normalization {
                outln!("{how}");
            }
            if let Some(ne) = out.core_nonempty {
                outln!("core non-empty: {ne}");
            }
            if let Some(e) = out.epsilon {
                outln!("epsilon: {}", num(e));
            }
            if let Some(s) = &out.structure {
                let parts: Vec<String> = s
                    .iter()
                    .map(|p| {
                        let m: Vec<&str> = p.iter().map(|&i| names[i].as_str()).collect();
                        format!("{{{}}}", m.join(", "))
                    })
                    .collect();
                outln!("structure: {}", parts.join(" "));
            }
            if let Some(b) = &out.blocking_coalition {
                let m: Vec<&str> = b.iter().map(|&i| names[i].as_str()).collect();
                outln!("blocked by: {{{}}}", m.join(", "));
            }
            match &out.allocation {
                Some(x) => {
                    let mut t = Table::new(["player", "allocation"]);
                    for (name, v) in names.iter().zip(x) {
                        t.row([name.clone(), num(*v)]);
                    }
                    t.print();
                }
                None => outln!("no allocation"),
            }
            Ok(())
        }
    }
}

/// Power index of `covenant power`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Index {
    /// Shapley–Shubik index.
    ShapleyShubik,
    /// Normalised Banzhaf index.
    Banzhaf,
}

/// One item of a comma-separated list, spaces around it ignored (`--weights "1, 2"`).
fn trimmed<T: std::str::FromStr>(s: &str) -> std::result::Result<T, String>
where
    T::Err: std::fmt::Display,
{
    s.trim().parse().map_err(|e| format!("`{}`: {e}", s.trim()))
}

/// Arguments of `covenant power`.
#[derive(Debug, Args)]
#[command(override_usage = "covenant power [OPTIONS] <FILE>\n       \
                            covenant power [OPTIONS] --quota <QUOTA> --weights <WEIGHTS>")]
pub struct PowerArgs {
    /// A weighted voting game (JSON); or give --quota and --weights instead.
    #[arg(required_unless_present_all = ["quota", "weights"], conflicts_with_all = ["quota", "weights", "veto"])]
    pub file: Option<PathBuf>,
    /// The quota (total weight needed).
    #[arg(long, requires = "weights")]
    pub quota: Option<u64>,
    /// Comma-separated integer weights (spaces allowed: "1, 2, 3").
    #[arg(long, value_delimiter = ',', requires = "quota", value_parser = trimmed::<u64>)]
    pub weights: Option<Vec<u64>>,
    /// Comma-separated 0-based indices of veto players.
    #[arg(long, value_delimiter = ',', value_parser = trimmed::<usize>)]
    pub veto: Option<Vec<usize>>,
    /// The index.
    #[arg(long, value_enum, default_value_t = Index::ShapleyShubik)]
    pub index: Index,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Serialize)]
struct PowerJson {
    index: &'static str,
    players: Vec<String>,
    values: Vec<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exact: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    swings: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    normalization: Option<&'static str>,
}

/// The exact index as `p/q` strings, when it was computed exactly.
fn exact_strings(p: &coop::PowerIndex) -> Option<Vec<String>> {
    p.exact
        .as_ref()
        .map(|e| e.iter().map(ToString::to_string).collect())
}

fn voting_game(args: &PowerArgs) -> Result<WeightedVoting> {
    match (&args.file, args.quota, &args.weights) {
        (Some(f), _, _) => match covenant::io::read_coop(f)? {
            CoopInput::Voting(w) => Ok(w),
            CoopInput::Tu(_) => Err(Error::invalid_argument(format!(
                "{}: a TU game; `covenant power` needs a weighted voting game \
                 ({{\"quota\": q, \"weights\": [...]}})",
                f.display()
            ))),
        },
        (None, Some(q), Some(w)) => {
            let g = WeightedVoting::new(w.clone(), q)?;
            match &args.veto {
                Some(v) => g.with_veto(v.clone()),
                None => Ok(g),
            }
        }
        _ => Err(Error::invalid_argument(
            "give a file or both --quota and --weights",
        )),
    }
}

/// Runs `covenant power`.
pub fn power(args: &PowerArgs) -> Result<()> {
    let g = voting_game(args)?;
    let out = match args.index {
        Index::ShapleyShubik => {
            let mut bar = Progress::new("counting Shapley-Shubik pivots, modulo each prime");
            let mut report = |done: usize, total: usize| bar.update(done, total);
            let p = coop::shapley_shubik_with_progress(&g, Some(&mut report));
            bar.finish();
            let p = p?;
            PowerJson {
                index: "shapley-shubik",
                players: g.players().to_vec(),
                values: p.values.clone(),
                exact: exact_strings(&p),
                swings: None,
                normalization: None,
            }
        }
        Index::Banzhaf => {
            let mut bar = Progress::new("counting Banzhaf swings, modulo each prime");
            let mut report = |done: usize, total: usize| bar.update(done, total);
            let p = coop::banzhaf_power_with_progress(&g, Some(&mut report));
            bar.finish();
            let p = p?;
            PowerJson {
                index: "banzhaf",
                players: g.players().to_vec(),
                values: p.normalized.values.clone(),
                exact: exact_strings(&p.normalized),
                swings: Some(p.swings.iter().map(ToString::to_string).collect()),
                normalization: Some(NORMALIZED_BANZHAF),
            }
        }
    };
    match args.format {
        Format::Json => print_json(&out),
        Format::Table => {
            outln!("{} index of a {}-player voting game", out.index, g.len());
            if let Some(how) = out.normalization {
                outln!("{how}");
            }
            let mut header = vec!["player", "value", "exact"];
            if out.swings.is_some() {
                header.push("swings");
            }
            let mut t = Table::new(header);
            for (i, name) in out.players.iter().enumerate() {
                let exact = out.exact.as_ref().map_or("-".into(), |e| e[i].clone());
                let mut row = vec![name.clone(), num(out.values[i]), exact];
                if let Some(s) = &out.swings {
                    row.push(s[i].clone());
                }
                t.row(row);
            }
            t.print();
            outln!("sum {}", vec_num(&[out.values.iter().sum()]));
            Ok(())
        }
    }
}
