//! The seven collective-security conditions, each per scope (formulas and sources in
//! `docs/treaty-conditions.md`).

use super::alliance::AllianceGame;
use super::analysis::{Analysis, Scenario};
use super::model::{Award, ObligationKind, Power, Scope};
use super::procedures::{blocking_coalitions, can_act, needed, BlockKind};
use super::report::*;
use super::system::{RuleR, System};
use super::war::win_probability;
use crate::coop::{least_core, nucleolus, Domain};
use crate::error::Result;
use crate::game::{Coalition, CoalitionalGame, TuGame, WeightedVoting};

/// Largest alliance tabulated densely (2^16 coalition values).
const DENSE_ALLIANCE: usize = 16;
use crate::lp::{LinearProgram, LpStatus, Relation, Sense};

fn scenario_ref(sys: &System, s: &Scenario) -> ScenarioRef {
    ScenarioRef {
        aggressor: sys.ids[s.aggressor].clone(),
        target: sys.ids[s.target].clone(),
        eu: s.eu.eu,
        eu_without: s.eu_without,
    }
}

fn names(sys: &System, ks: impl IntoIterator<Item = usize>) -> Vec<String> {
    ks.into_iter().map(|k| sys.ids[k].clone()).collect()
}

fn in_scope<'a>(a: &'a Analysis, scope: Scope) -> impl Iterator<Item = &'a Scenario> + 'a {
    a.scenarios.iter().filter(move |s| s.scope == scope)
}

fn no_aggressor(sys: &System, scope: Scope) -> String {
    format!(
        "no {} aggressor in the {} snapshot: nothing to check",
        match scope {
            Scope::External => "non-member",
            Scope::Internal => "member",
        },
        sys.year()
    )
}

/// (a) Deterrence: every in-scope attack within the system's reach has `EU < 0` with the
/// equilibrium helpers fighting at their reliability.
pub fn deterrence(sys: &System, a: &Analysis, scope: Scope) -> Condition {
    let c = Condition::new(
        ConditionId::Deterrence,
        scope.into(),
        sys.treaty.kind.promises(scope),
    );
    let all: Vec<&Scenario> = in_scope(a, scope).collect();
    if all.is_empty() {
        return c.unknown(no_aggressor(sys, scope));
    }
    let reach: Vec<&Scenario> = all.iter().copied().filter(|s| !s.beyond_reach()).collect();
    let beyond = all.len() - reach.len();
    if reach.is_empty() {
        return c.unknown(format!(
            "all {} {scope} attacks are beyond the system's reach (preponderant aggressors)",
            all.len()
        ));
    }
    let failing = reach.iter().filter(|s| !s.eu.deterred()).count();
    let worst = reach
        .iter()
        .copied()
        .max_by(|x, y| {
            x.eu.eu
                .total_cmp(&y.eu.eu)
                .then(y.aggressor.cmp(&x.aggressor))
        })
        .expect("non-empty");
    let mean_effect = reach.iter().map(|s| s.effect()).sum::<f64>() / reach.len() as f64;
    let excluded = if beyond > 0 {
        format!("; {beyond} attacks by preponderant states excluded")
    } else {
        String::new()
    };
    let holds = failing == 0;
    let detail = if holds {
        format!(
            "all {} {scope} attacks deterred; closest {} against {} (EU {:.3}); mean treaty \
             effect {:.3}{excluded}",
            reach.len(),
            sys.ids[worst.aggressor],
            sys.ids[worst.target],
            worst.eu.eu,
            mean_effect
        )
    } else {
        format!(
            "{failing} of {} {scope} attacks pay, worst {} against {} (EU {:+.3}, {} of {} \
             pledged help){excluded}",
            reach.len(),
            sys.ids[worst.aggressor],
            sys.ids[worst.target],
            worst.eu.eu,
            worst.helpers.len(),
            worst.pledged.len()
        )
    };
    let mut c = c.decided(holds, -worst.eu.eu, detail);
    if !holds {
        c.witness = Some(Witness::Deterrence(DeterrenceWitness {
            scenario: scenario_ref(sys, worst),
            pledged: worst.pledged.len(),
            helpers: names(sys, worst.helpers.iter().copied()),
            enforcement_can_act: worst.enforcement_can_act,
            failing,
        }));
    }
    c
}

/// Credibility figures over the scenarios of a scope (or all scenarios).
pub fn credibility_summary<'a>(scen: impl Iterator<Item = &'a Scenario>) -> CredibilitySummary {
    let mut s = CredibilitySummary {
        r_star: 0.0,
        pledges_equilibrium: 0,
        abandonment_equilibrium: 0,
        scenarios: 0,
        predicted_reliability: None,
    };
    let mut rel = 0.0;
    for x in scen.filter(|x| !x.pledged.is_empty()) {
        s.scenarios += 1;
        s.r_star = s.r_star.max(x.r_star);
        s.pledges_equilibrium += usize::from(x.pledges_equilibrium);
        s.abandonment_equilibrium += usize::from(x.abandonment_equilibrium);
        rel += x.helpers.len() as f64 / x.pledged.len() as f64;
    }
    if s.scenarios > 0 {
        s.predicted_reliability = Some(rel / s.scenarios as f64);
    }
    s
}

/// (d) Credibility: wherever the promise (every pledge honoured at its reliability) deters,
/// the equilibrium help deters too.
pub fn credibility(sys: &System, a: &Analysis, scope: Scope) -> Condition {
    let mut c = Condition::new(
        ConditionId::Credibility,
        scope.into(),
        sys.treaty.kind.promises(scope),
    );
    let summary = credibility_summary(in_scope(a, scope));
    let relevant: Vec<&Scenario> = in_scope(a, scope)
        .filter(|s| !s.beyond_reach() && !s.pledged.is_empty() && s.eu_promise.deterred())
        .collect();
    let rel = summary
        .predicted_reliability
        .map_or("n/a".to_string(), |r| format!("{r:.2}"));
    c.figures = Some(Figures::Credibility(summary.clone()));
    if relevant.is_empty() {
        return c.unknown(format!(
            "the promise deters no {scope} attack, so there is no deterrent to be credible \
             (predicted reliability {rel}, R* {:.3})",
            summary.r_star
        ));
    }
    let failing: Vec<&&Scenario> = relevant.iter().filter(|s| !s.eu.deterred()).collect();
    let worst = relevant
        .iter()
        .copied()
        .max_by(|x, y| x.eu.eu.total_cmp(&y.eu.eu))
        .expect("non-empty");
    let holds = failing.is_empty();
    let detail = if holds {
        format!(
            "equilibrium help keeps all {} promised deterrents; predicted reliability {rel}; \
             R* {:.3}; abandonment an equilibrium in {} of {}",
            relevant.len(),
            summary.r_star,
            summary.abandonment_equilibrium,
            summary.scenarios
        )
    } else {
        format!(
            "{} of {} promised deterrents fail in equilibrium, worst {} against {} ({} of {} \
             pledgers help); R* {:.3}",
            failing.len(),
            relevant.len(),
            sys.ids[worst.aggressor],
            sys.ids[worst.target],
            worst.helpers.len(),
            worst.pledged.len(),
            summary.r_star
        )
    };
    c = c.decided(holds, -worst.eu.eu, detail);
    if !holds {
        let mut defectors: Vec<usize> = worst
            .pledged
            .iter()
            .map(|p| p.0)
            .filter(|k| worst.helpers.binary_search(k).is_err())
            .collect();
        defectors.sort_by(|&x, &y| {
            sys.proj(y, worst.target)
                .total_cmp(&sys.proj(x, worst.target))
                .then(x.cmp(&y))
        });
        defectors.truncate(10);
        c.witness = Some(Witness::Credibility(CredibilityWitness {
            scenario: scenario_ref(sys, worst),
            eu_promise: worst.eu_promise.eu,
            pledged: worst.pledged.len(),
            helpers: names(sys, worst.helpers.iter().copied()),
            defectors: names(sys, defectors),
        }));
    }
    c
}

/// (g) Liveness: against every in-scope aggressor some response can be set in motion (an
/// individually triggered pledge, or a procedure that can act and triggers help or sanctions).
pub fn liveness(sys: &System, a: &Analysis, scope: Scope) -> Condition {
    let c = Condition::new(
        ConditionId::Liveness,
        scope.into(),
        sys.treaty.kind.promises(scope),
    );
    let aggressors: Vec<usize> = (0..sys.n()).filter(|&i| sys.scope_of(i) == scope).collect();
    if aggressors.is_empty() {
        return c.unknown(no_aggressor(sys, scope));
    }
    let acting: Vec<usize> = (0..sys.procedures.len())
        .filter(|&p| {
            sys.procedures[p]
                .triggers
                .iter()
                .any(|t| matches!(t, Power::Enforcement | Power::Sanctions))
        })
        .collect();
    let mut blocked = Vec::new();
    let mut robustness = f64::INFINITY;
    for &i in &aggressors {
        let responded = a
            .scenarios
            .iter()
            .filter(|s| s.aggressor == i)
            .any(|s| !s.pledged.is_empty() || s.sanction > 0.0);
        if !responded {
            blocked.push(i);
            continue;
        }
        let individual = a.scenarios.iter().filter(|s| s.aggressor == i).any(|s| {
            sys.obligations.iter().any(|o| {
                o.trigger.is_none()
                    && o.kind == ObligationKind::Defense
                    && o.armed
                    && o.against[i]
                    && o.protects[s.target]
            })
        });
        let r = if individual {
            1.0
        } else {
            acting
                .iter()
                .filter(|&&p| a.can_act[i][p])
                .map(|&p| {
                    let body = sys.procedures[p].body.len().max(1) as f64;
                    blocking_coalitions(sys, p, i)
                        .iter()
                        .map(|b| b.size as f64)
                        .fold(body, f64::min)
                        / body
                })
                .fold(0.0, f64::max)
        };
        robustness = robustness.min(r);
    }
    if blocked.is_empty() {
        return c.decided(
            true,
            robustness.min(1.0),
            format!(
                "a response can be set in motion against all {} {scope} aggressors; the \
                 smallest blocking coalition is {:.0}% of its body",
                aggressors.len(),
                100.0 * robustness.min(1.0)
            ),
        );
    }
    blocked.sort_by(|&x, &y| sys.cap[y].total_cmp(&sys.cap[x]).then(x.cmp(&y)));
    let i = blocked[0];
    let blocked_by: Vec<(String, Vec<super::procedures::BlockingCoalition>)> = acting
        .iter()
        .map(|&p| (sys.procedures[p].id.clone(), blocking_coalitions(sys, p, i)))
        .collect();
    let how = blocked_by
        .iter()
        .flat_map(|(_, b)| b.iter())
        .find(|b| matches!(b.kind, BlockKind::Aggressor | BlockKind::Protector))
        .map_or("no pledge or procedure covers it".to_string(), |b| {
            let who = match b.kind {
                BlockKind::Aggressor => "itself",
                _ => "a protector",
            };
            format!("blocked by {who} ({})", b.members.join(", "))
        });
    let mut c = c.decided(
        false,
        -(blocked.len() as f64) / aggressors.len() as f64,
        format!(
            "nothing can act against {} of {} {scope} aggressors, first {} ({how})",
            blocked.len(),
            aggressors.len(),
            sys.ids[i]
        ),
    );
    c.witness = Some(Witness::Liveness(LivenessWitness {
        aggressor: sys.ids[i].clone(),
        blocked_by,
        blocked_aggressors: names(sys, blocked.iter().copied()),
    }));
    c
}

/// (f) Peaceful settlement: a binding settlement procedure that can act awards inside every
/// in-scope dispute's bargaining range `[p − c_a, p + c_b]`, `p` alliance-adjusted.
pub fn peaceful_settlement(sys: &System, a: &Analysis, scope: Scope) -> Condition {
    let c = Condition::new(
        ConditionId::PeacefulSettlement,
        scope.into(),
        sys.treaty.kind.promises(scope),
    );
    let st = &sys.treaty.settlement;
    let proc_idx = st
        .procedure
        .as_ref()
        .and_then(|id| sys.procedures.iter().position(|p| &p.id == id));
    let disputes = disputes(sys, a, scope);
    if disputes.is_empty() {
        return c.unknown(no_aggressor(sys, scope));
    }
    let mut worst: Option<(f64, SettlementWitness)> = None;
    let mut max_war: f64 = 0.0;
    let mut blocked = 0usize;
    for d in &disputes {
        let (p, range) = (d.p, (d.p - d.c_a, d.p + d.c_b));
        let cbar = st.cost_uncertainty * d.c_b;
        let war = if cbar > d.c_a {
            0.5 * (1.0 - d.c_a / cbar)
        } else {
            0.0
        };
        max_war = max_war.max(war);
        let acts = proc_idx.is_some_and(|pi| can_act(sys, pi, d.a));
        if !acts {
            blocked += 1;
        }
        let outcome = match st.award {
            Award::StatusQuo => d.status_quo,
            Award::Equal => 0.5,
            Award::Capability => sys.cap[d.a] / (sys.cap[d.a] + sys.cap[d.b]),
        };
        let slack = (outcome - range.0).min(range.1 - outcome);
        if worst.as_ref().is_none_or(|w| slack < w.0) {
            worst = Some((
                slack,
                SettlementWitness {
                    dispute: (sys.ids[d.a].clone(), sys.ids[d.b].clone()),
                    p,
                    range,
                    outcome,
                    war_probability: war,
                },
            ));
        }
    }
    let (slack, w) = worst.expect("non-empty");
    let Some(pi) = proc_idx else {
        let mut c = c.decided(
            false,
            -max_war.max(f64::MIN_POSITIVE),
            format!(
                "no settlement procedure: under private information war comes with probability \
                 up to {max_war:.2} (Fearon risk-return)"
            ),
        );
        c.witness = Some(Witness::PeacefulSettlement(w));
        return c;
    };
    let pid = &sys.procedures[pi].id;
    if !st.binding || blocked > 0 {
        let why = if !st.binding {
            format!("`{pid}` does not bind the parties")
        } else {
            format!(
                "`{pid}` cannot act in {blocked} of {} disputes",
                disputes.len()
            )
        };
        let mut c = c.decided(
            false,
            -max_war.max(f64::MIN_POSITIVE),
            format!("{why}: war risk up to {max_war:.2} under private information"),
        );
        c.witness = Some(Witness::PeacefulSettlement(w));
        return c;
    }
    let holds = slack >= 0.0;
    let mut c = c.decided(
        holds,
        slack,
        if holds {
            format!(
                "`{pid}` binds and awards inside all {} bargaining ranges",
                disputes.len()
            )
        } else {
            format!(
                "`{pid}` awards {:.2} to {} against {}, outside [{:.2}, {:.2}]",
                w.outcome, w.dispute.0, w.dispute.1, w.range.0, w.range.1
            )
        },
    );
    if !holds {
        c.witness = Some(Witness::PeacefulSettlement(w));
    }
    c
}

struct DisputeR {
    a: usize,
    b: usize,
    p: f64,
    c_a: f64,
    c_b: f64,
    status_quo: f64,
}

fn disputes(sys: &System, a: &Analysis, scope: Scope) -> Vec<DisputeR> {
    let find = |i: usize, j: usize| {
        a.scenarios
            .iter()
            .find(|s| s.aggressor == i && s.target == j)
    };
    let make = |i: usize, j: usize, sq: Option<f64>| {
        let (ai, tj) = (sys.proj(i, j), sys.proj(j, j));
        let p0 = win_probability(ai, tj, 0.0);
        let (p, sanction) = find(i, j).map_or((p0, 0.0), |s| (s.eu.win, s.sanction));
        let v = sys.value[j].max(f64::MIN_POSITIVE);
        DisputeR {
            a: i,
            b: j,
            p,
            c_a: (sys.war_cost[i] + sanction) / v,
            c_b: sys.war_cost[j] / v,
            status_quo: sq.unwrap_or(p0),
        }
    };
    if sys.treaty.disputes.is_empty() {
        in_scope(a, scope)
            .map(|s| make(s.aggressor, s.target, None))
            .collect()
    } else {
        sys.treaty
            .disputes
            .iter()
            .filter_map(|d| {
                let (i, j) = (sys.index_of(&d.a)?, sys.index_of(&d.b)?);
                let sc = if sys.member[i] && sys.member[j] {
                    Scope::Internal
                } else {
                    Scope::External
                };
                (sc == scope).then(|| make(i, j, d.status_quo))
            })
            .collect()
    }
}

/// Voting power of a procedure's body as a weighted voting game (members only in the body).
fn procedure_game(sys: &System, p: usize) -> Option<WeightedVoting> {
    let pr = &sys.procedures[p];
    let n = pr.body.len();
    if n == 0 {
        return None;
    }
    // The quota the vote-counting uses when every body member votes (one rule for both).
    let quota = needed(sys, p, &pr.body);
    let weights = match &pr.rule {
        RuleR::Weighted { weights, .. } => weights.clone(),
        _ => vec![1; n],
    };
    let veto: Vec<usize> = pr
        .veto
        .iter()
        .filter_map(|v| pr.body.iter().position(|b| b == v))
        .collect();
    WeightedVoting::new(weights, quota)
        .and_then(|g| g.with_veto(veto))
        .and_then(|g| g.with_players(names(sys, pr.body.iter().copied())))
        .ok()
}

fn gini(x: &[f64]) -> f64 {
    let n = x.len();
    let total: f64 = x.iter().sum();
    if n < 2 || total <= 0.0 {
        return 0.0;
    }
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    let weighted: f64 = s
        .iter()
        .enumerate()
        .map(|(i, v)| (2.0 * (i as f64 + 1.0) - n as f64 - 1.0) * v)
        .sum();
    weighted / (n as f64 * total)
}

/// (c) Equal rules: obligations reciprocal (or a declared quid pro quo), and no member can
/// block action against itself in a procedure that triggers enforcement or sanctions (nemo
/// iudex in causa sua). Voting power (Shapley–Shubik and Banzhaf) with its inequality is
/// reported per procedure.
///
/// # Errors
/// From the power-index solvers (size limits).
pub fn equal_rules(sys: &System) -> Result<Condition> {
    let c = Condition::new(ConditionId::EqualRules, ConditionScope::All, true);
    let m = sys.members.len();
    // Reciprocity over armed defense obligations: protected members pledge, pledgers are
    // protected.
    let mut pledges = vec![false; sys.n()];
    let mut protected = vec![false; sys.n()];
    for o in sys
        .obligations
        .iter()
        .filter(|o| o.kind == ObligationKind::Defense)
    {
        for &k in &sys.members {
            pledges[k] |= o.pledgers[k];
            protected[k] |= o.protects[k];
        }
    }
    let mut non_reciprocal: Vec<usize> = sys
        .members
        .iter()
        .copied()
        .filter(|&k| pledges[k] != protected[k])
        .collect();
    if sys.treaty.quid_pro_quo.is_some() {
        non_reciprocal.clear();
    }
    let mut judges = Vec::new();
    let mut powers = Vec::new();
    let mut max_gini: f64 = 0.0;
    for (p, pr) in sys.procedures.iter().enumerate() {
        if let Some(g) = procedure_game(sys, p) {
            let ss = crate::coop::shapley_shubik(&g)?;
            let bz = crate::coop::banzhaf_power(&g)?;
            let bzf = bz.normalized.values;
            let mut all_members = vec![0.0; m];
            for (pos, &k) in pr.body.iter().enumerate() {
                if let Some(mi) = sys.members.iter().position(|&x| x == k) {
                    all_members[mi] = ss.values[pos];
                }
            }
            let body_ss: Vec<f64> = ss.values.clone();
            let min = body_ss.iter().copied().fold(f64::INFINITY, f64::min);
            let max = body_ss.iter().copied().fold(0.0, f64::max);
            let gi = gini(&all_members);
            max_gini = max_gini.max(gi);
            powers.push(ProcedurePower {
                procedure: pr.id.clone(),
                power: pr
                    .body
                    .iter()
                    .enumerate()
                    .map(|(pos, &k)| VoterPower {
                        id: sys.ids[k].clone(),
                        shapley_shubik: ss.values[pos],
                        banzhaf: bzf[pos],
                    })
                    .collect(),
                gini: gi,
                max_min: if min > 0.0 { max / min } else { f64::MAX },
            });
        }
        if !pr
            .triggers
            .iter()
            .any(|t| matches!(t, Power::Enforcement | Power::Sanctions))
        {
            continue;
        }
        let own: Vec<usize> = sys
            .members
            .iter()
            .copied()
            .filter(|&k| {
                pr.body.contains(&k)
                    && blocking_coalitions(sys, p, k)
                        .iter()
                        .any(|b| b.kind == BlockKind::Aggressor)
            })
            .collect();
        if !own.is_empty() {
            judges.push((pr.id.clone(), names(sys, own)));
        }
    }
    let self_judging: std::collections::BTreeSet<&String> =
        judges.iter().flat_map(|(_, v)| v.iter()).collect();
    let holds = judges.is_empty() && non_reciprocal.is_empty();
    let detail = if holds {
        format!(
            "obligations reciprocal{}; no member judges its own cause; power Gini up to {:.2}",
            if sys.treaty.quid_pro_quo.is_some() {
                " (by the declared quid pro quo)"
            } else {
                ""
            },
            max_gini
        )
    } else if !judges.is_empty() {
        let (p, v) = &judges[0];
        format!(
            "{} of {m} members can block action against themselves in `{p}` ({}{})",
            self_judging.len(),
            v.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
            if v.len() > 5 { ", ..." } else { "" }
        )
    } else {
        format!(
            "obligations not reciprocal for {} members and no quid pro quo declared",
            non_reciprocal.len()
        )
    };
    let margin = if holds {
        1.0 - max_gini
    } else {
        -((self_judging.len() + non_reciprocal.len()) as f64 / m.max(1) as f64).max(1e-9)
    };
    let mut c = c.decided(holds, margin, detail);
    c.figures = Some(Figures::EqualRules(powers));
    if !holds {
        c.witness = Some(Witness::EqualRules(EqualRulesWitness {
            judges_in_own_cause: judges,
            non_reciprocal: names(sys, non_reciprocal),
        }));
    }
    Ok(c)
}

/// The alliance game of a scope (see [`AllianceGame`]), players strongest first, with the
/// player → state map.
pub fn alliance_game(
    sys: &System,
    a: &Analysis,
    scope: Scope,
) -> Result<(AllianceGame, Vec<usize>)> {
    let mut players = sys.members.clone();
    players.sort_by(|&x, &y| sys.cap[y].total_cmp(&sys.cap[x]).then(x.cmp(&y)));
    let m = players.len();
    let pos = |k: usize| players.iter().position(|&p| p == k);
    let mut threats = vec![Vec::new(); m];
    let mut help = vec![vec![0.0; m]; m];
    let mut cost = vec![vec![0.0; m]; m];
    for s in a.scenarios.iter().filter(|s| s.scope == scope) {
        let Some(j) = pos(s.target) else { continue };
        threats[j].push((s.aggressor, sys.proj(s.aggressor, s.target)));
        for &(k, rho) in &s.pledged {
            if let Some(q) = pos(k) {
                help[j][q] = f64::max(help[j][q], rho * sys.proj(k, s.target));
                cost[j][q] = f64::max(cost[j][q], rho * sys.war_cost[k]);
            }
        }
    }
    let g = AllianceGame::new(
        names(sys, players.iter().copied()),
        players.iter().map(|&k| sys.value[k]).collect(),
        players.iter().map(|&k| sys.proj(k, k)).collect(),
        threats,
        help,
        cost,
    )?;
    Ok((g, players))
}

/// (b) Participation: the alliance game's core is non-empty (least-core ε ≤ 0), and with the
/// smallest transfer into the core every member does at least as well as free-riding outside.
pub fn participation(sys: &System, a: &Analysis, scope: Scope) -> Condition {
    let c = Condition::new(
        ConditionId::Participation,
        scope.into(),
        sys.treaty.kind.promises(scope),
    );
    if !a.scenarios.iter().any(|s| s.scope == scope) {
        return c.unknown(no_aggressor(sys, scope));
    }
    let (g, players) = match alliance_game(sys, a, scope) {
        Ok(x) => x,
        Err(e) => return c.unknown(format!("not computed: {e}")),
    };
    if players.len() < 2 {
        return c.unknown("a one-member treaty has no coalitions to compare");
    }
    // Up to 16 members the game is tabulated (2^16 values) and the library's dense solvers
    // run; beyond, the exact branch-and-bound oracle serves the constraint generation.
    let dense = if players.len() <= DENSE_ALLIANCE {
        TuGame::from_fn(players.len(), |s| g.value_of(s.0)).ok()
    } else {
        None
    };
    let game: &dyn CoalitionalGame = match &dense {
        Some(d) => d,
        None => &g,
    };
    let lc = match least_core(game, Domain::Preimputations) {
        Ok(l) => l,
        Err(e) => return c.unknown(format!("least core not computed: {e}")),
    };
    let nat = g.natural_allocation();
    let transfer = match core_transfer(game, &nat) {
        Ok(t) => t,
        Err(e) => return c.unknown(format!("transfer LP not computed: {e}")),
    };
    // The verdict does not depend on the nucleolus (it is the fair-share figure); when it
    // cannot be computed the member shares lack it and the detail says why.
    let (nuc, nuc_error) = match nucleolus(game) {
        Ok(n) => (Some(n), None),
        Err(e) => (None, Some(e)),
    };
    // Outside option: a free-riding non-member is protected only by obligations that protect
    // non-members too; its term is then its gain from the remaining members' pledges.
    let outside: Vec<f64> = players
        .iter()
        .map(|&k| outside_option(sys, a, scope, k))
        .collect();
    let mut members = Vec::new();
    let mut better_outside = Vec::new();
    let mut worst_slack = f64::INFINITY;
    for (q, &k) in players.iter().enumerate() {
        let x = nat[q] + transfer.as_ref().map_or(0.0, |t| t[q]);
        let slack = x - outside[q];
        worst_slack = worst_slack.min(slack);
        if slack < -1e-9 {
            better_outside.push(sys.ids[k].clone());
        }
        members.push(MemberShare {
            id: sys.ids[k].clone(),
            natural: nat[q],
            transfer: transfer.as_ref().map_or(0.0, |t| t[q]),
            outside: outside[q],
            nucleolus: nuc.as_ref().map(|n| n.allocation[q]),
        });
    }
    let total_transfer = transfer
        .as_ref()
        .map_or(0.0, |t| t.iter().filter(|x| **x > 0.0).sum());
    let core_ok = lc.epsilon <= 1e-9;
    let holds = core_ok && better_outside.is_empty();
    let margin = (-lc.epsilon).min(worst_slack);
    let detail = if holds {
        format!(
            "core non-empty (least-core e {:.3}); a transfer of {total_transfer:.3} puts the \
             natural shares in it and nobody gains by leaving",
            lc.epsilon
        )
    } else if !core_ok {
        format!(
            "core empty (least-core e {:+.3}): some coalition of members does better alone",
            lc.epsilon
        )
    } else {
        format!(
            "{} members do better as free-riding non-members (first {})",
            better_outside.len(),
            better_outside[0]
        )
    };
    let detail = match &nuc_error {
        Some(e) => format!("{detail} (nucleolus not computed: {e})"),
        None => detail,
    };
    let mut c = c.decided(holds, margin, detail);
    if !holds {
        let blocking = if core_ok {
            Vec::new()
        } else {
            game.most_excess_coalition(&lc.allocation, &|_| false)
                .ok()
                .flatten()
                .map(|(s, _)| {
                    (0..players.len())
                        .filter(|&q| s.0 >> q & 1 == 1)
                        .map(|q| g.players[q].clone())
                        .collect()
                })
                .unwrap_or_default()
        };
        c.witness = Some(Witness::Participation(ParticipationWitness {
            blocking_coalition: blocking,
            better_outside,
        }));
    }
    c.figures = Some(Figures::Participation(ParticipationSummary {
        epsilon: lc.epsilon,
        members,
        total_transfer,
    }));
    c
}

fn outside_option(sys: &System, a: &Analysis, scope: Scope, k: usize) -> f64 {
    // Pledges that protect k even as a non-member: obligations whose `protects` covers
    // non-members (collective security for all states).
    let covers_outsiders = sys.obligations.iter().any(|o| {
        o.kind == ObligationKind::Defense
            && o.armed
            && (0..sys.n()).any(|x| !sys.member[x] && o.protects[x])
    });
    if !covers_outsiders {
        return 0.0;
    }
    let mut best: f64 = 0.0;
    for s in a
        .scenarios
        .iter()
        .filter(|s| s.scope == scope && s.target == k)
    {
        let help: f64 = s.pledged.iter().map(|&(h, r)| r * sys.proj(h, k)).sum();
        let (ai, t) = (sys.proj(s.aggressor, k), sys.proj(k, k));
        best = best.max(win_probability(ai, t, 0.0) - win_probability(ai, t, help));
    }
    sys.value[k] * best
}

/// Smallest total transfer `Σ t⁺` with `x + t` in the core (`Σ t = 0`), by constraint
/// generation on the game's separation oracle; `None` when the core is empty.
fn core_transfer(g: &dyn CoalitionalGame, x: &[f64]) -> Result<Option<Vec<f64>>> {
    let m = x.len();
    let mut cuts: Vec<u64> = (0..m).map(|q| 1u64 << q).collect();
    for _ in 0..200 {
        let mut lp = LinearProgram::new(Sense::Minimize);
        let plus: Vec<_> = (0..m)
            .map(|_| lp.add_variable(0.0, f64::INFINITY, 1.0))
            .collect();
        let minus: Vec<_> = (0..m)
            .map(|_| lp.add_variable(0.0, f64::INFINITY, 0.0))
            .collect();
        let mut terms = Vec::new();
        for q in 0..m {
            terms.push((plus[q], 1.0));
            terms.push((minus[q], -1.0));
        }
        lp.add_constraint(terms, Relation::Eq, 0.0);
        for &s in &cuts {
            let mut t = Vec::new();
            let mut xs = 0.0;
            for q in (0..m).filter(|&q| s >> q & 1 == 1) {
                t.push((plus[q], 1.0));
                t.push((minus[q], -1.0));
                xs += x[q];
            }
            lp.add_constraint(t, Relation::Ge, g.value(Coalition(s)) - xs);
        }
        let sol = lp.solve()?;
        if sol.status != LpStatus::Optimal {
            return Ok(None);
        }
        let t: Vec<f64> = (0..m)
            .map(|q| sol.value(plus[q]) - sol.value(minus[q]))
            .collect();
        let y: Vec<f64> = (0..m).map(|q| x[q] + t[q]).collect();
        match g.most_excess_coalition(&y, &|_| false)? {
            Some((s, e)) if e > 1e-9 => {
                if cuts.contains(&s.0) {
                    return Ok(Some(t));
                }
                cuts.push(s.0);
            }
            _ => return Ok(Some(t)),
        }
    }
    Ok(None)
}
