//! `covenant nash` on game trees (.efg or JSON trees): behaviour strategies per information set.

use super::noncoop::{EquilibriumJson, Method, NashArgs};
use super::output::{num, outln, print_json, vec_num, Format, Table};
use covenant::extensive::{self, TreeEquilibrium};
use covenant::game::{Bimatrix, GameTree};
use covenant::noncoop;
use covenant::{Error, Result};
use serde::Serialize;

#[derive(Serialize)]
struct InfoSetJson {
    player: usize,
    label: String,
    actions: Vec<String>,
}

#[derive(Serialize)]
struct TreeNashJson {
    method: &'static str,
    complete: bool,
    /// The information sets, in the order of each equilibrium's `strategies`.
    infosets: Vec<InfoSetJson>,
    equilibria: Vec<EquilibriumJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<f64>,
}

fn default_method(t: &GameTree) -> Method {
    if t.is_perfect_information() {
        Method::Spe
    } else if t.num_players() == 2 {
        Method::SequenceLcp
    } else {
        Method::Pure
    }
}

/// Equilibria of the reduced strategic form, as behaviour profiles certified on the tree.
fn via_reduced_form(
    t: &GameTree,
    method: Method,
    args: &NashArgs,
) -> Result<(Vec<TreeEquilibrium>, bool)> {
    let r = extensive::reduced_strategic_form(t)?;
    let b = Bimatrix::try_from(&r.game).map_err(|_| {
        Error::invalid_argument(format!(
            "method `{}` needs a two-player game; this tree has {} players",
            method.name(),
            t.num_players()
        ))
    })?;
    let (eqs, complete) = match method {
        Method::Enumerate => {
            let e = noncoop::enumerate_extreme(&b)?;
            (e.equilibria, e.complete)
        }
        Method::LemkeHowson => (
            vec![noncoop::lemke_howson(&b, args.label.unwrap_or(0))?],
            false,
        ),
        Method::LemkeHowsonAll => (noncoop::lemke_howson_all(&b)?, false),
        _ => {
            let z = noncoop::solve_zero_sum(&b)?;
            (
                vec![noncoop::Equilibrium::certify(&r.game, vec![z.row, z.col])?],
                false,
            )
        }
    };
    let out = eqs
        .iter()
        .map(|e| match &e.exact {
            Some(x) => TreeEquilibrium::certify_exact(t, extensive::mixed_to_behaviour(t, &r, x)?),
            None => {
                TreeEquilibrium::certify(t, extensive::mixed_to_behaviour(t, &r, &e.strategies)?)
            }
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((out, complete))
}

/// Runs `covenant nash` on a game tree.
pub fn nash_tree(args: &NashArgs) -> Result<()> {
    let t = covenant::io::read_tree(&args.file)?;
    let method = args.method.unwrap_or_else(|| default_method(&t));
    let mut value = None;
    let (equilibria, complete) = match method {
        Method::Spe => (extensive::backward_induction(&t)?, true),
        Method::Pure => (extensive::pure_subgame_perfect(&t)?, true),
        Method::AgentForm => (extensive::agent_form_pure_equilibria(&t)?, true),
        Method::SequenceLp => {
            let z = extensive::sequence_lp(&t)?;
            value = Some(z.value);
            (vec![z.equilibrium], false)
        }
        Method::SequenceLcp => (
            extensive::sequence_lcp_many(&t, args.runs.max(1), args.seed)?,
            false,
        ),
        Method::Enumerate | Method::LemkeHowson | Method::LemkeHowsonAll | Method::ZeroSum => {
            via_reduced_form(&t, method, args)?
        }
    };
    match args.format {
        Format::Json => print_json(&TreeNashJson {
            method: method.name(),
            complete,
            infosets: t
                .infosets()
                .iter()
                .map(|s| InfoSetJson {
                    player: s.player,
                    label: s.label.clone(),
                    actions: s.actions.clone(),
                })
                .collect(),
            equilibria: equilibria
                .iter()
                .map(|e| {
                    EquilibriumJson::new(
                        e.behaviour.clone(),
                        e.payoffs.clone(),
                        e.regret,
                        e.exact.as_ref().map(|x| {
                            x.iter()
                                .map(|v| v.iter().map(ToString::to_string).collect())
                                .collect()
                        }),
                    )
                })
                .collect(),
            value,
        }),
        Format::Table => {
            outln!(
                "{} equilibri{} ({}{}) of the tree `{}`",
                equilibria.len(),
                if equilibria.len() == 1 { "um" } else { "a" },
                method.name(),
                if complete { ", complete" } else { "" },
                t.title()
            );
            if let Some(v) = value {
                outln!("value to {}: {}", t.players()[0], num(v));
            }
            let mut table = Table::new(["#", "player", "information set", "behaviour"]);
            for (k, e) in equilibria.iter().enumerate() {
                for (s, set) in t.infosets().iter().enumerate() {
                    let b = &e.behaviour[s];
                    let cell = match b.iter().position(|&p| p == 1.0) {
                        Some(a) => set.actions[a].clone(),
                        None => set
                            .actions
                            .iter()
                            .zip(b)
                            .map(|(a, &p)| format!("{a}:{}", num(p)))
                            .collect::<Vec<_>>()
                            .join(" "),
                    };
                    table.row([
                        k.to_string(),
                        t.players()[set.player].clone(),
                        set.label.clone(),
                        cell,
                    ]);
                }
            }
            table.print();
            for (k, e) in equilibria.iter().enumerate() {
                outln!(
                    "#{k}: payoffs {}, regret {:.1e}",
                    vec_num(&e.payoffs),
                    e.regret
                );
            }
            Ok(())
        }
    }
}
