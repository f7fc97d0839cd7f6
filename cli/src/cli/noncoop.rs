//! `covenant nash | correlated | dominance | stackelberg`.

use super::output::{num, outln, print_json, vec_num, Format, Table};
use super::progress::Progress;
use clap::{Args, ValueEnum};
use covenant::game::{Bimatrix, NormalForm};
use covenant::noncoop::{self, CeKind, CeObjective, Equilibrium};
use covenant::{Error, Result};
use serde::Serialize;
use std::path::PathBuf;

/// Equilibrium method of `covenant nash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// All pure-strategy equilibria (any number of players).
    Pure,
    /// Lemke–Howson from one starting label (two players).
    LemkeHowson,
    /// Lemke–Howson from every label, following the LH graph (two players).
    LemkeHowsonAll,
    /// All extreme equilibria, exact (two players).
    Enumerate,
    /// Value and optimal strategies of a zero-sum or constant-sum game (two players).
    ZeroSum,
    /// Game trees: every pure subgame-perfect equilibrium by backward induction (perfect
    /// information).
    Spe,
    /// Game trees: value and optimal behaviour strategies of a two-player zero-sum tree
    /// (sequence-form LP).
    SequenceLp,
    /// Game trees: Lemke's algorithm on the sequence-form LCP (two players; `--runs` covering
    /// vectors).
    SequenceLcp,
    /// Game trees: pure equilibria of the agent form.
    AgentForm,
}

impl Method {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Method::Pure => "pure",
            Method::LemkeHowson => "lemke-howson",
            Method::LemkeHowsonAll => "lemke-howson-all",
            Method::Enumerate => "enumerate",
            Method::ZeroSum => "zero-sum",
            Method::Spe => "spe",
            Method::SequenceLp => "sequence-lp",
            Method::SequenceLcp => "sequence-lcp",
            Method::AgentForm => "agent-form",
        }
    }
}

/// Arguments of `covenant nash`.
#[derive(Debug, Args)]
pub struct NashArgs {
    /// The game: Gambit .nfg (payoff or outcome dialect), a Gambit .efg game tree, or JSON
    /// (a normal-form game or a tree).
    pub file: PathBuf,
    /// Method; default: `enumerate` for two-player games, `pure` otherwise. For trees: `spe`
    /// with perfect information, else `sequence-lcp` for two players, else `pure` (all pure
    /// subgame-perfect equilibria by enumeration).
    #[arg(long, value_enum)]
    pub method: Option<Method>,
    /// `sequence-lcp`: number of covering vectors to run (ones, then seeded random ones).
    #[arg(long, default_value_t = 1)]
    pub runs: usize,
    /// `sequence-lcp`: seed of the random covering vectors.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Starting label for `lemke-howson` (0 ≤ K < m+n, default 0; the row player's strategies
    /// first). Only with `--method lemke-howson`.
    #[arg(long)]
    pub label: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Serialize)]
pub(crate) struct EquilibriumJson {
    strategies: Vec<Vec<f64>>,
    payoffs: Vec<f64>,
    regret: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    exact: Option<Vec<Vec<String>>>,
}

impl EquilibriumJson {
    /// The JSON of a profile given by its parts (game trees: one vector per information set).
    pub(crate) fn new(
        strategies: Vec<Vec<f64>>,
        payoffs: Vec<f64>,
        regret: f64,
        exact: Option<Vec<Vec<String>>>,
    ) -> Self {
        EquilibriumJson {
            strategies,
            payoffs,
            regret,
            exact,
        }
    }
}

impl From<&Equilibrium> for EquilibriumJson {
    fn from(e: &Equilibrium) -> Self {
        EquilibriumJson {
            strategies: e.strategies.clone(),
            payoffs: e.payoffs.clone(),
            regret: e.regret,
            exact: e.exact.as_ref().map(|x| {
                x.iter()
                    .map(|s| s.iter().map(|r| r.to_string()).collect())
                    .collect()
            }),
        }
    }
}

#[derive(Serialize)]
struct NashJson {
    method: &'static str,
    complete: bool,
    /// Whether every payoff in the file is exactly its binary64 value: only then is an
    /// `exact` profile exact for the game as written (otherwise for the rounded game).
    exact_input: bool,
    equilibria: Vec<EquilibriumJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    components: Option<Vec<Vec<usize>>>,
}

fn two_player(g: &NormalForm, method: Method) -> Result<Bimatrix> {
    Bimatrix::try_from(g).map_err(|_| {
        Error::invalid_argument(format!(
            "method `{}` needs a two-player game; this one has {} players (use --method pure)",
            method.name(),
            g.num_players()
        ))
    })
}

/// Runs `covenant nash`.
pub fn nash(args: &NashArgs) -> Result<()> {
    if covenant::io::is_tree_file(&args.file)? {
        return super::extensive::nash_tree(args);
    }
    let file = covenant::io::read_game_file(&args.file)?;
    let (exact_input, rounded) = (file.exact_input(), file.rounded_payoffs());
    let g = file.into_game();
    let method = args.method.unwrap_or(if g.num_players() == 2 {
        Method::Enumerate
    } else {
        Method::Pure
    });
    if args.label.is_some() && method != Method::LemkeHowson {
        return Err(Error::invalid_argument(format!(
            "--label applies only to --method lemke-howson (the method is `{}`)",
            method.name()
        )));
    }
    let (equilibria, complete, components) = match method {
        Method::Pure => (noncoop::pure_equilibria(&g), true, None),
        Method::LemkeHowson => {
            let b = two_player(&g, method)?;
            (
                vec![noncoop::lemke_howson(&b, args.label.unwrap_or(0))?],
                false,
                None,
            )
        }
        Method::LemkeHowsonAll => {
            let b = two_player(&g, method)?;
            let mut progress = Progress::new("following Lemke-Howson paths");
            let mut report = |done: usize, total: usize| progress.update(done, total);
            let all = noncoop::lemke_howson_all_with_progress(
                &b,
                &noncoop::LemkeHowsonOptions::default(),
                Some(&mut report),
            );
            progress.finish();
            (all?, false, None)
        }
        Method::Enumerate => {
            let b = two_player(&g, method)?;
            let mut progress = Progress::new("enumerating vertices");
            let mut report = |done: usize, total: usize| progress.update(done, total);
            let e = noncoop::enumerate_extreme_with(
                &b,
                &noncoop::EnumerateOptions::default(),
                Some(&mut report),
            )?;
            progress.finish();
            (e.equilibria, e.complete, Some(e.components))
        }
        Method::ZeroSum => {
            let b = two_player(&g, method)?;
            let z = noncoop::solve_zero_sum(&b)?;
            let eq = Equilibrium::certify(&g, vec![z.row.clone(), z.col.clone()])?;
            (vec![eq], false, None)
        }
        Method::Spe | Method::SequenceLp | Method::SequenceLcp | Method::AgentForm => {
            return Err(Error::invalid_argument(format!(
                "method `{}` needs a game tree (.efg or a JSON tree)",
                method.name()
            )))
        }
    };
    match args.format {
        Format::Json => print_json(&NashJson {
            method: method.name(),
            complete,
            exact_input,
            equilibria: equilibria.iter().map(EquilibriumJson::from).collect(),
            components,
        }),
        Format::Table => {
            outln!(
                "{} equilibri{} ({}{})",
                equilibria.len(),
                if equilibria.len() == 1 { "um" } else { "a" },
                method.name(),
                if complete { ", complete" } else { "" }
            );
            // Regret relative to the payoff range, so that it reads the same at every scale.
            let (lo, hi) = g
                .payoff_tensors()
                .iter()
                .flat_map(|t| t.iter())
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
                    (l.min(v), h.max(v))
                });
            let range = if hi > lo { hi - lo } else { 1.0 };
            let component_of = |k: usize| {
                components
                    .as_ref()
                    .and_then(|cs| cs.iter().position(|c| c.contains(&k)))
            };
            let mut header: Vec<String> = vec!["#".to_string()];
            if components.is_some() {
                header.push("component".to_string());
            }
            header.extend(g.players().iter().map(|p| p.to_string()));
            header.extend(["payoffs".to_string(), "regret/range".to_string()]);
            let width = (STRATEGY_COLUMNS / g.num_players()).max(12);
            let mut t = Table::new(header);
            for (k, e) in equilibria.iter().enumerate() {
                let mut row = vec![k.to_string()];
                if let Some(c) = component_of(k) {
                    row.push(c.to_string());
                }
                for (p, probs) in e.strategies.iter().enumerate() {
                    let exact = e.exact.as_ref().map(|x| &x[p]);
                    row.push(support(&g.strategies()[p], probs, exact, width));
                }
                row.push(vec_num(&e.payoffs));
                row.push(format!("{:.1e}", e.regret / range));
                t.row(row);
            }
            t.print();
            if !exact_input && equilibria.iter().any(|e| e.exact.is_some()) {
                outln!(
                    "note: {rounded} payoffs in the file are not binary64 numbers (e.g. 0.3, \
                     1/3); the exact profiles are exact for the payoffs rounded to binary64"
                );
            }
            Ok(())
        }
    }
}

/// Columns of a `nash` table row left for the players' strategies: 120 less the index,
/// component, payoffs and regret columns.
const STRATEGY_COLUMNS: usize = 120 - 56;

/// A mixed strategy as its support, `name prob` per strategy played with positive probability
/// (exact rationals when computed), or just the name of a pure strategy; at most `width`
/// characters, ending in `+k more` when strategies are left out.
fn support(
    names: &[String],
    probs: &[f64],
    exact: Option<&Vec<covenant::BigRational>>,
    width: usize,
) -> String {
    let played: Vec<usize> = (0..probs.len()).filter(|&i| probs[i] > 0.0).collect();
    if let [only] = played.as_slice() {
        if probs[*only] >= 1.0 - 1e-12 {
            return names[*only].chars().take(width).collect();
        }
    }
    let items: Vec<String> = played
        .iter()
        .map(|&i| {
            let p = exact.map_or_else(|| num(probs[i]), |x| x[i].to_string());
            format!("{} {p}", names[i])
        })
        .collect();
    let mut out = String::new();
    for (k, it) in items.iter().enumerate() {
        let sep = if k == 0 { "" } else { ", " };
        let more = if k + 1 < items.len() {
            format!(", +{} more", items.len() - k - 1)
        } else {
            String::new()
        };
        let len = out.chars().count() + sep.len() + it.chars().count() + more.len();
        if len > width {
            out.push_str(&format!("{sep}+{} more", items.len() - k));
            break;
        }
        out.push_str(sep);
        out.push_str(it);
    }
    out
}

/// Objective of `covenant correlated`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectiveArg {
    /// Maximise the sum of payoffs.
    Welfare,
    /// Maximise player K's payoff.
    Max(usize),
    /// Minimise player K's payoff.
    Min(usize),
}

fn parse_objective(s: &str) -> std::result::Result<ObjectiveArg, String> {
    let player = |k: &str| {
        k.parse::<usize>()
            .map_err(|_| format!("`{k}` is not a player index (0-based)"))
    };
    match s.split_once(':') {
        None if s == "welfare" => Ok(ObjectiveArg::Welfare),
        Some(("max", k)) => Ok(ObjectiveArg::Max(player(k)?)),
        Some(("min", k)) => Ok(ObjectiveArg::Min(player(k)?)),
        _ => Err(format!(
            "`{s}`: expected welfare, max:K or min:K (K a 0-based player index)"
        )),
    }
}

/// Arguments of `covenant correlated`.
#[derive(Debug, Args)]
pub struct CorrelatedArgs {
    /// The game (.nfg or .json), any number of players.
    pub file: PathBuf,
    /// Coarse correlated equilibrium instead of correlated.
    #[arg(long)]
    pub coarse: bool,
    /// Linear objective: welfare, max:K or min:K.
    #[arg(long, value_parser = parse_objective, default_value = "welfare")]
    pub objective: ObjectiveArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Serialize)]
struct ProfileProbability {
    profile: Vec<usize>,
    probability: f64,
}

#[derive(Serialize)]
struct CorrelatedJson {
    kind: &'static str,
    distribution: Vec<ProfileProbability>,
    payoffs: Vec<f64>,
    objective: f64,
    regret: f64,
}

/// Runs `covenant correlated`.
pub fn correlated(args: &CorrelatedArgs) -> Result<()> {
    let g = covenant::io::read_game(&args.file)?;
    let kind = if args.coarse {
        CeKind::Coarse
    } else {
        CeKind::Correlated
    };
    let objective = match args.objective {
        ObjectiveArg::Welfare => CeObjective::Welfare,
        ObjectiveArg::Max(k) => CeObjective::MaxPlayer(k),
        ObjectiveArg::Min(k) => CeObjective::MinPlayer(k),
    };
    let mut progress = Progress::new("building and solving the CE linear program");
    let mut report = |done: usize, total: usize| progress.update(done, total);
    let ce = noncoop::correlated_equilibrium_with_progress(&g, kind, objective, Some(&mut report));
    progress.finish();
    let ce = ce?;
    let kind_name = if args.coarse { "coarse" } else { "correlated" };
    match args.format {
        Format::Json => print_json(&CorrelatedJson {
            kind: kind_name,
            distribution: ce
                .distribution
                .iter()
                .map(|(p, pr)| ProfileProbability {
                    profile: p.clone(),
                    probability: *pr,
                })
                .collect(),
            payoffs: ce.payoffs.clone(),
            objective: ce.objective,
            regret: ce.regret,
        }),
        Format::Table => {
            outln!(
                "{kind_name} equilibrium: objective {}, payoffs {}, regret {:.1e}",
                num(ce.objective),
                vec_num(&ce.payoffs),
                ce.regret
            );
            let mut t = Table::new(["profile", "probability"]);
            for (p, pr) in &ce.distribution {
                let names: Vec<&str> = p
                    .iter()
                    .enumerate()
                    .map(|(q, &a)| g.strategies()[q][a].as_str())
                    .collect();
                t.row([format!("({})", names.join(", ")), num(*pr)]);
            }
            t.print();
            Ok(())
        }
    }
}

/// Arguments of `covenant dominance`.
#[derive(Debug, Args)]
pub struct DominanceArgs {
    /// The game (.nfg or .json).
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Serialize)]
struct EliminationJson {
    round: usize,
    player: usize,
    strategy: usize,
    dominated_by: Vec<(usize, f64)>,
    margin: f64,
}

#[derive(Serialize)]
struct DominanceJson {
    kept: Vec<Vec<usize>>,
    trace: Vec<EliminationJson>,
}

/// Runs `covenant dominance`.
pub fn dominance(args: &DominanceArgs) -> Result<()> {
    let g = covenant::io::read_game(&args.file)?;
    let d = noncoop::iterated_strict_dominance(&g)?;
    match args.format {
        Format::Json => print_json(&DominanceJson {
            kept: d.kept.clone(),
            trace: d
                .trace
                .iter()
                .map(|e| EliminationJson {
                    round: e.round,
                    player: e.player,
                    strategy: e.strategy,
                    dominated_by: e.dominated_by.clone(),
                    margin: e.margin,
                })
                .collect(),
        }),
        Format::Table => {
            outln!(
                "{} strateg{} eliminated; the reduced game is {}",
                d.trace.len(),
                if d.trace.len() == 1 { "y" } else { "ies" },
                d.kept
                    .iter()
                    .map(|k| k.len().to_string())
                    .collect::<Vec<_>>()
                    .join("x")
            );
            let mut t = Table::new(["round", "player", "strategy", "dominated by", "margin"]);
            for e in &d.trace {
                let by: Vec<String> = e
                    .dominated_by
                    .iter()
                    .map(|(s, p)| format!("{}:{}", g.strategies()[e.player][*s], num(*p)))
                    .collect();
                t.row([
                    e.round.to_string(),
                    g.players()[e.player].clone(),
                    g.strategies()[e.player][e.strategy].clone(),
                    by.join(" "),
                    num(e.margin),
                ]);
            }
            t.print();
            for (p, kept) in d.kept.iter().enumerate() {
                let names: Vec<&str> = kept
                    .iter()
                    .map(|&s| g.strategies()[p][s].as_str())
                    .collect();
                outln!("player {} keeps {}", g.players()[p], names.join(", "));
            }
            Ok(())
        }
    }
}

/// Arguments of `covenant stackelberg`.
#[derive(Debug, Args)]
pub struct StackelbergArgs {
    /// The two-player game (.nfg or .json).
    pub file: PathBuf,
    /// The leader: 0 (row player, default) or 1 (column player).
    #[arg(long, default_value_t = 0)]
    pub leader: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Serialize)]
struct StackelbergJson {
    leader: usize,
    leader_strategy: Vec<f64>,
    follower_action: usize,
    leader_payoff: f64,
    follower_payoff: f64,
    follower_regret: f64,
}

/// Runs `covenant stackelberg`.
pub fn stackelberg(args: &StackelbergArgs) -> Result<()> {
    let g = covenant::io::read_game(&args.file)?;
    let b = Bimatrix::try_from(&g)?;
    let s = noncoop::stackelberg(&b, args.leader)?;
    match args.format {
        Format::Json => print_json(&StackelbergJson {
            leader: s.leader,
            leader_strategy: s.leader_strategy.clone(),
            follower_action: s.follower_action,
            leader_payoff: s.leader_payoff,
            follower_payoff: s.follower_payoff,
            follower_regret: s.follower_regret,
        }),
        Format::Table => {
            let follower = 1 - s.leader;
            outln!(
                "leader {} commits to {}",
                g.players()[s.leader],
                vec_num(&s.leader_strategy)
            );
            outln!(
                "follower {} responds with {}",
                g.players()[follower],
                g.strategies()[follower][s.follower_action]
            );
            outln!(
                "payoffs: leader {}, follower {} (follower regret {:.1e})",
                num(s.leader_payoff),
                num(s.follower_payoff),
                s.follower_regret
            );
            Ok(())
        }
    }
}
