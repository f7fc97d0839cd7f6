//! `covenant check` and `covenant solve`: treaty models.

use super::output::{num, outln, print_json, Format, Table};
use clap::Args;
use covenant::treaty::{self, ConditionId};
use covenant::Result;
use std::path::PathBuf;

fn parse_condition(s: &str) -> std::result::Result<ConditionId, String> {
    s.parse::<ConditionId>().map_err(|e| e.to_string())
}

/// Arguments of `covenant check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The treaty model (TOML; see models/TEMPLATE.toml).
    pub model: PathBuf,
    /// Comma-separated condition ids (default: all): deterrence, participation, equal_rules,
    /// credibility, burden_sharing, peaceful_resolution, liveness.
    #[arg(long, value_delimiter = ',', value_parser = parse_condition)]
    pub condition: Vec<ConditionId>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write the deterrence heatmap (aggressor × target, coloured by EU) as SVG.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}

/// Runs `covenant check`.
pub fn check(args: &CheckArgs) -> Result<()> {
    let t = treaty::load_treaty(&args.model)?;
    let which: Vec<ConditionId> = if args.condition.is_empty() {
        ConditionId::ALL.to_vec()
    } else {
        args.condition.clone()
    };
    let report = treaty::check(&t, &which)?;
    if let Some(path) = &args.plot {
        let pairs = treaty::deterrence_pairs(&t, treaty::CheckOptions::default())?;
        let ids: Vec<String> = t.states.iter().map(|s| s.id.clone()).collect();
        super::plot::deterrence_heatmap(path, &ids, &pairs)?;
    }
    match args.format {
        Format::Json => print_json(&report),
        Format::Table => {
            outln!("{}", report.treaty);
            let mut table = Table::new(["condition", "verdict", "margin", "detail"]);
            for v in &report.conditions {
                table.row([
                    v.id.to_string(),
                    if v.holds { "holds" } else { "FAILS" }.to_string(),
                    num(v.margin),
                    v.detail.clone(),
                ]);
            }
            table.print();
            for v in report.conditions.iter().filter(|v| !v.holds) {
                if let Some(w) = &v.witness {
                    outln!("witness for {}: {w}", v.id);
                }
            }
            Ok(())
        }
    }
}

/// Arguments of `covenant solve`.
#[derive(Debug, Args)]
pub struct SolveArgs {
    /// The treaty model (TOML).
    pub model: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `covenant solve`.
pub fn solve(args: &SolveArgs) -> Result<()> {
    let t = treaty::load_treaty(&args.model)?;
    let s = treaty::solve(&t)?;
    match args.format {
        Format::Json => print_json(&s),
        Format::Table => {
            outln!("{}", s.treaty);
            outln!(
                "response games: {} attack scenarios; pledges an equilibrium in {}, \
                 abandonment an equilibrium in {}",
                s.scenarios,
                s.pledges_are_equilibrium,
                s.abandonment_is_equilibrium
            );
            outln!("alliance value v(M) = {}", num(s.alliance_value));
            let mut shares = Table::new(["member", "nucleolus share"]);
            for m in &s.alliance_shares {
                shares.row([m.id.clone(), num(m.share)]);
            }
            shares.print();
            if !s.power.is_empty() {
                let mut power = Table::new(["voter", "Shapley–Shubik"]);
                for p in &s.power {
                    power.row([
                        p.id.clone(),
                        p.shapley_shubik.map_or_else(|| "-".into(), num),
                    ]);
                }
                power.print();
            }
            Ok(())
        }
    }
}
