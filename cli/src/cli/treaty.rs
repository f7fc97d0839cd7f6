//! `covenant check` and `covenant solve`: treaty models.

use super::output::{num, outln, print_json, Format, Table};
use super::progress::Progress;
use clap::{Args, ValueEnum};
use covenant::treaty::{self, CheckOptions, Condition, ConditionId, Report, Scope, Witness};
use covenant::Result;
use std::path::PathBuf;

fn parse_condition(s: &str) -> std::result::Result<ConditionId, String> {
    ConditionId::parse(s)
}

/// Scope filter of `covenant check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    /// Non-member aggressors.
    External,
    /// Member aggressors.
    Internal,
    /// Both.
    All,
}

/// Arguments of `covenant check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The treaty model (TOML; see models/TEMPLATE.toml).
    pub model: PathBuf,
    /// Snapshot year (default: the latest in the model).
    #[arg(long)]
    pub year: Option<i32>,
    /// Aggressor scope.
    #[arg(long, value_enum, default_value_t = ScopeArg::All)]
    pub scope: ScopeArg,
    /// Comma-separated condition ids (default: all): deterrence, participation, equal_rules,
    /// credibility, burden_sharing, peaceful_settlement, liveness.
    #[arg(long, value_delimiter = ',', value_parser = parse_condition)]
    pub condition: Vec<ConditionId>,
    /// Monte Carlo samples under the model's [prior] (P(holds), P(deterred)).
    #[arg(long, default_value_t = 0)]
    pub samples: usize,
    /// Seed of the Monte Carlo draws.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// List every attack scenario (aggressor, member target).
    #[arg(long)]
    pub pairs: bool,
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
    let mut conditions = args.condition.clone();
    conditions.sort();
    conditions.dedup();
    let opts = CheckOptions {
        year: args.year,
        scope: match args.scope {
            ScopeArg::External => Some(Scope::External),
            ScopeArg::Internal => Some(Scope::Internal),
            ScopeArg::All => None,
        },
        conditions,
        pairs: args.pairs,
        samples: args.samples,
        seed: args.seed,
    };
    let mut progress = Progress::new("checking the treaty (point, then Monte Carlo samples)");
    let mut report_progress = |done: usize, total: usize| progress.update(done, total);
    let report = treaty::check_with_progress(&t, &opts, Some(&mut report_progress))?;
    progress.finish();
    if let Some(path) = &args.plot {
        heatmap(path, &t, args.year, &opts)?;
    }
    match args.format {
        Format::Json => print_json(&report),
        Format::Table => {
            print_report(&report);
            Ok(())
        }
    }
}

/// The deterrence heatmap of the year's scenarios (the pair table is computed if the report
/// did not ask for it), coloured by P(deterred) when the check has samples, else by EU.
fn heatmap(
    path: &std::path::Path,
    t: &treaty::Treaty,
    year: Option<i32>,
    opts: &CheckOptions,
) -> Result<()> {
    let with_pairs = CheckOptions {
        year,
        conditions: vec![ConditionId::Deterrence],
        pairs: true,
        scope: opts.scope,
        // With samples the cells are coloured by P(deterred): the same draws as the report's.
        samples: opts.samples,
        seed: opts.seed,
    };
    let r = treaty::check(t, &with_pairs)?;
    let pairs = r.pairs.unwrap_or_default();
    let mut ids: Vec<String> = Vec::new();
    for p in &pairs {
        for id in [&p.aggressor, &p.target] {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
    }
    let pos = |id: &String| ids.iter().position(|x| x == id).unwrap_or(0);
    let cells: Vec<super::plot::Cell> = pairs
        .iter()
        .map(|p| super::plot::Cell {
            aggressor: pos(&p.aggressor),
            target: pos(&p.target),
            eu: p.eu,
            p_deterred: p.p_deterred,
        })
        .collect();
    super::plot::deterrence_heatmap(path, &ids, &cells, r.samples)
}

fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(width.saturating_sub(3)).collect();
        out.push_str("...");
        out
    }
}

fn print_report(r: &Report) {
    outln!(
        "{} ({}, {}; {} members{})",
        r.treaty,
        r.year,
        r.kind.as_str(),
        r.members.len(),
        r.data_year
            .filter(|d| *d != r.year)
            .map_or(String::new(), |d| format!(", capabilities of {d}"))
    );
    if !r.preponderant.is_empty() {
        outln!(
            "beyond the system's reach (preponderant): {}",
            clip(&r.preponderant.join(", "), 77)
        );
    }
    if let Some(p) = r.predicted_reliability {
        outln!("predicted reliability |H*|/|pledged|: {p:.2} (Leeds et al. 2000: about 0.75)");
    }
    let sampled = r.samples > 0;
    let mut head = vec!["condition", "scope", "verdict", "margin"];
    if sampled {
        head.push("P(holds)");
    }
    head.push("reason");
    let mut rows: Vec<Vec<String>> = Vec::new();
    for c in &r.conditions {
        let verdict = match (c.verdict, c.judged) {
            (v, true) => v.as_str().to_uppercase(),
            (v, false) => format!("({v})"),
        };
        let mut row = vec![
            c.id.to_string(),
            c.scope.as_str().to_string(),
            verdict,
            num(c.margin),
        ];
        if sampled {
            row.push(c.probability.map_or("-".into(), |p| format!("{p:.2}")));
        }
        row.push(c.detail.clone());
        rows.push(row);
    }
    // The reason takes what the other columns (and their two-space gaps) leave of 120.
    let used: usize = (0..head.len() - 1)
        .map(|k| {
            rows.iter()
                .map(|row| row[k].chars().count())
                .chain([head[k].len()])
                .max()
                .unwrap_or(0)
                + 2
        })
        .sum();
    let reason = 120usize.saturating_sub(used).max(24);
    let mut table = Table::new(head);
    for mut row in rows {
        if let Some(last) = row.last_mut() {
            *last = clip(last, reason);
        }
        table.row(row);
    }
    table.print();
    outln!("(a verdict in parentheses is for a scope the treaty's kind does not promise)");
    for c in r.conditions.iter().filter(|c| c.witness.is_some()) {
        outln!("{}", clip(&witness_prose(c), 120));
    }
    if let Some(pairs) = &r.pairs {
        let mut t = Table::new([
            "aggressor",
            "target",
            "scope",
            "EU",
            "EU w/o",
            "deterred",
            "helpers",
        ]);
        for p in pairs {
            t.row([
                p.aggressor.clone(),
                p.target.clone(),
                p.scope.as_str().to_string(),
                num(p.eu),
                num(p.eu_without),
                match p.p_deterred {
                    Some(q) => format!("{q:.2}"),
                    None => if p.deterred { "yes" } else { "no" }.to_string(),
                },
                format!("{}/{}", p.equilibrium_helpers.len(), p.pledged.len()),
            ]);
        }
        t.print();
    }
}

fn witness_prose(c: &Condition) -> String {
    let head = format!("{} ({}): ", c.id, c.scope.as_str());
    let body = match &c.witness {
        Some(Witness::Deterrence(w)) => format!(
            "{} attacking {} expects {:+.3} ({:+.3} without the treaty); {} of {} pledged \
             helpers fight in equilibrium; enforcement {}",
            w.scenario.aggressor,
            w.scenario.target,
            w.scenario.eu,
            w.scenario.eu_without,
            w.helpers.len(),
            w.pledged,
            if w.enforcement_can_act {
                "can act"
            } else {
                "cannot act"
            }
        ),
        Some(Witness::Credibility(w)) => format!(
            "against {} attacking {}, the promise would give EU {:+.3} but equilibrium help \
             gives {:+.3}; defectors: {}",
            w.scenario.aggressor,
            w.scenario.target,
            w.eu_promise,
            w.scenario.eu,
            w.defectors.join(", ")
        ),
        Some(Witness::Participation(w)) => {
            if w.blocking_coalition.is_empty() {
                format!("better off outside: {}", w.better_outside.join(", "))
            } else {
                format!("blocking coalition: {}", w.blocking_coalition.join(", "))
            }
        }
        Some(Witness::EqualRules(w)) => {
            let mut parts: Vec<String> = w
                .judges_in_own_cause
                .iter()
                .map(|(p, v)| {
                    format!(
                        "in `{p}` {} can block action against themselves",
                        v.join(", ")
                    )
                })
                .collect();
            if !w.non_reciprocal.is_empty() {
                parts.push(format!("non-reciprocal: {}", w.non_reciprocal.join(", ")));
            }
            parts.join("; ")
        }
        Some(Witness::BurdenSharing(w)) => format!(
            "binding threat {} against {}{}",
            w.binding_threat.0,
            w.binding_threat.1,
            if w.unmet > 0 {
                format!("; {} threats cannot be met at all", w.unmet)
            } else {
                String::new()
            }
        ),
        Some(Witness::PeacefulSettlement(w)) => format!(
            "{} vs {}: outcome {:.2} against range [{:.2}, {:.2}] (p {:.2}); risk-return war \
             probability {:.2}",
            w.dispute.0, w.dispute.1, w.outcome, w.range.0, w.range.1, w.p, w.war_probability
        ),
        Some(Witness::Liveness(w)) => {
            let blocks: Vec<String> = w
                .blocked_by
                .iter()
                .map(|(p, b)| {
                    let who: Vec<String> = b
                        .iter()
                        .map(|x| {
                            if x.members.is_empty() {
                                format!("{:?} of {}", x.kind, x.size)
                            } else {
                                format!("{:?} {}", x.kind, x.members.join("+"))
                            }
                        })
                        .collect();
                    format!("`{p}`: {}", who.join(", "))
                })
                .collect();
            format!(
                "nothing can act against {} ({}); blocked aggressors: {}",
                w.aggressor,
                blocks.join("; "),
                w.blocked_aggressors.join(", ")
            )
        }
        None => String::new(),
    };
    head + &body
}

/// Arguments of `covenant solve`.
#[derive(Debug, Args)]
pub struct SolveArgs {
    /// The treaty model (TOML).
    pub model: PathBuf,
    /// Snapshot year (default: the latest).
    #[arg(long)]
    pub year: Option<i32>,
    /// Only this pair's extended-deterrence tree, as AGGRESSOR:TARGET (state ids).
    #[arg(long, value_name = "AGG:TGT", value_parser = parse_pair)]
    pub pair: Option<(String, String)>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn parse_pair(s: &str) -> std::result::Result<(String, String), String> {
    match s.split_once(':') {
        Some((a, t)) if !a.is_empty() && !t.is_empty() && !t.contains(':') => {
            Ok((a.to_string(), t.to_string()))
        }
        _ => Err(format!(
            "`{s}` is not AGGRESSOR:TARGET (two state ids joined by a colon)"
        )),
    }
}

fn print_deterrence_trees(s: &treaty::Solutions, pair: bool) {
    if s.deterrence_trees.is_empty() {
        outln!(
            "extended-deterrence trees: {}",
            if pair {
                "the pair has no pledged helper, so no patron"
            } else {
                "no scenario has a pledged helper"
            }
        );
        return;
    }
    outln!(
        "extended-deterrence trees (patron = the strongest equilibrium helper, P(Hard) = its \
         reliability; the other helpers fight at theirs):"
    );
    let mut t = Table::new([
        "aggressor",
        "target",
        "scope",
        "patron",
        "P(Hard)",
        "threshold",
        "tree",
        "formula",
        "treaty",
        "equilibrium path",
    ]);
    let verdict = |d: bool| if d { "deterred" } else { "not deterred" }.to_string();
    for d in &s.deterrence_trees {
        t.row([
            d.aggressor.clone(),
            d.target.clone(),
            d.scope.to_string(),
            d.patron.clone(),
            num(d.p_hard),
            d.threshold.map_or("-".into(), num),
            verdict(d.deterred),
            match (d.formula_deterred, d.formula_applies) {
                (Some(f), true) => verdict(f),
                (Some(f), false) => format!("{} (n/a)", verdict(f)),
                (None, _) => "-".into(),
            },
            verdict(d.treaty_deterred),
            d.path.join(" > "),
        ]);
    }
    t.print();
    outln!(
        "(formula: deterred iff P(Hard) > threshold; n/a where the solved tree breaks its \
         assumptions: the protégé concedes, or a Soft patron fights, a Hard one abandons)"
    );
}

/// Runs `covenant solve`.
pub fn solve(args: &SolveArgs) -> Result<()> {
    let t = treaty::load_treaty(&args.model)?;
    let pair = args.pair.as_ref().map(|(a, t)| (a.as_str(), t.as_str()));
    let s = treaty::solve_with(&t, args.year, pair)?;
    match args.format {
        Format::Json => print_json(&s),
        Format::Table => {
            outln!(
                "{} ({}): {} attack scenarios",
                s.treaty,
                s.year,
                s.scenarios
            );
            for r in &s.responses {
                outln!(
                    "response game, worst {} scenario {} -> {}: {} of {} pledgers help; regret \
                     {} ({}); R* {}",
                    r.scope,
                    r.aggressor,
                    r.target,
                    r.helpers.len(),
                    r.responders.len(),
                    num(r.regret),
                    if r.certified {
                        "checked by verify"
                    } else {
                        "deviation check"
                    },
                    num(r.r_star)
                );
            }
            for a in &s.alliance {
                outln!(
                    "alliance game ({}): v(M) = {}, least-core e = {}, nucleolus passes \
                     Kohlberg: {}",
                    a.scope,
                    num(a.value),
                    num(a.epsilon),
                    a.kohlberg
                );
                let mut shares = Table::new(["member", "nucleolus", "natural share"]);
                for m in &a.shares {
                    shares.row([
                        m.id.clone(),
                        m.nucleolus.map_or("-".into(), num),
                        num(m.natural),
                    ]);
                }
                shares.print();
            }
            for p in &s.power {
                outln!(
                    "voting power in `{}` (Gini {:.3}, max/min {}):",
                    p.procedure,
                    p.gini,
                    num(p.max_min)
                );
                let mut power = Table::new(["voter", "Shapley-Shubik", "Banzhaf (normalised)"]);
                for v in p.power.iter().take(20) {
                    power.row([v.id.clone(), num(v.shapley_shubik), num(v.banzhaf)]);
                }
                power.print();
                if p.power.len() > 20 {
                    outln!("... {} more voters (see --format json)", p.power.len() - 20);
                }
            }
            print_deterrence_trees(&s, pair.is_some());
            Ok(())
        }
    }
}
