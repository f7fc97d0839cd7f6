//! (e) Burden-sharing feasibility: an LP finds contributions `c_k` (capability each pledged
//! state commits) that meet every threat within each state's capacity.
//!
//! Threat `(i, j)` is met when the expected committed capability of its responders exceeds the
//! need: `Σ_{k∈R(j,i)} ρ_k·c_k ≥ need_ij = cap_i/π*_ij − cap_i − cap_j`, where
//! `π* = (L_i + κ_i + s_i)/(V_j + L_i)` is the win probability below which aggression does not
//! pay (certainty-equivalent war model: helpers at expected capability). The LP minimises the
//! largest share of capacity used, `t`, with `c_k ≤ t·capacity_k`; it holds iff `t* ≤ 1`
//! (margin `1 − t*`). A second LP fixes `t*` and minimises total contribution, and the
//! resulting burden shares are compared with capability shares of the larger and smaller half
//! of the members: Olson & Zeckhauser, "An Economic Theory of Alliances", REStat 1966 (the
//! large carry a disproportionate share).

use crate::error::{Error, Result};
use crate::lp::{LinearProgram, LpStatus, Relation, Sense};
use crate::treaty::report::{fmt4, Context, Verdict};
use serde_json::json;

/// Above this many threats the threats of each target are aggregated into one sufficient row
/// (common responders, largest need); the verdict then says it is not conclusive if it fails.
const MAX_ROWS: usize = 20_000;

struct Threat {
    i: usize,
    j: usize,
    need: f64,
    responders: Vec<(usize, f64)>,
}

fn threats(ctx: &Context) -> (Vec<Threat>, Option<Threat>) {
    let r = &ctx.r;
    let mut out = Vec::new();
    for &j in &r.members {
        for i in 0..r.n() {
            if i == j {
                continue;
            }
            let (si, sj) = (&r.states[i], &r.states[j]);
            let fixed = si.loss + si.war_cost + ctx.sanction[i];
            let stake = sj.value + si.loss;
            let need = if stake <= 0.0 {
                if fixed > 0.0 {
                    continue;
                }
                f64::INFINITY
            } else if fixed <= 0.0 {
                f64::INFINITY
            } else {
                let pi_star = fixed / stake;
                si.capability / pi_star - si.capability - sj.capability
            };
            if need < 0.0 {
                continue;
            }
            let responders: Vec<(usize, f64)> = r
                .responders(j, i)
                .into_iter()
                .filter(|&(k, rho)| rho > 0.0 && r.states[k].capacity > 0.0)
                .collect();
            let t = Threat {
                i,
                j,
                need,
                responders,
            };
            if t.responders.is_empty() || !need.is_finite() {
                return (out, Some(t));
            }
            out.push(t);
        }
    }
    (out, None)
}

/// Aggregates the threats against each target into one sufficient row: only responders common
/// to all of them (at their lowest reliability) and the largest need.
fn aggregate(ts: Vec<Threat>) -> Vec<Threat> {
    let mut by_target: std::collections::BTreeMap<usize, Threat> = Default::default();
    for t in ts {
        match by_target.get_mut(&t.j) {
            None => {
                by_target.insert(t.j, t);
            }
            Some(a) => {
                a.need = a.need.max(t.need);
                a.responders.retain_mut(|(k, rho)| {
                    match t.responders.iter().find(|(k2, _)| k2 == k) {
                        Some(&(_, r2)) => {
                            *rho = rho.min(r2);
                            true
                        }
                        None => false,
                    }
                });
                if t.need >= a.need {
                    a.i = t.i;
                }
            }
        }
    }
    by_target.into_values().collect()
}

pub(crate) fn verdict(ctx: &Context) -> Result<Verdict> {
    let r = &ctx.r;
    let (mut ts, impossible) = threats(ctx);
    if let Some(t) = impossible {
        return Ok(Verdict {
            id: "burden_sharing",
            holds: false,
            margin: f64::NEG_INFINITY,
            witness: Some(json!({
                "aggressor": r.states[t.i].id, "target": r.states[t.j].id, "need": t.need,
                "responders": r.ids(t.responders.iter().map(|x| x.0)),
            })),
            detail: format!(
                "no contribution can deter {} attacking {}: nobody with capacity is pledged to help",
                r.states[t.i].id, r.states[t.j].id
            ),
        });
    }
    if ts.is_empty() {
        return Ok(Verdict {
            id: "burden_sharing",
            holds: true,
            margin: 1.0,
            witness: Some(json!({"max_capacity_share": 0.0, "threats": 0})),
            detail: "no aggression needs to be offset: every attack fails without help".into(),
        });
    }
    let aggregated = ts.len() > MAX_ROWS;
    if aggregated {
        ts = aggregate(ts);
    }
    let n = r.n();
    let mut lp = LinearProgram::new(Sense::Minimize);
    let tvar = lp.add_variable(0.0, f64::INFINITY, 1.0);
    let c: Vec<_> = (0..n)
        .map(|_| lp.add_variable(0.0, f64::INFINITY, 0.0))
        .collect();
    let mut used = vec![false; n];
    for t in &ts {
        for &(k, _) in &t.responders {
            used[k] = true;
        }
    }
    for k in 0..n {
        if used[k] {
            lp.add_constraint(
                [(c[k], 1.0), (tvar, -r.states[k].capacity)],
                Relation::Le,
                0.0,
            );
        } else {
            lp.set_bounds(c[k], 0.0, 0.0);
        }
    }
    // Each target's first threat gives a base responder set with its own variable
    // `T_j = Σ_{k∈B_j} ρ_k c_k`; every threat row is `T_j` plus the (few) terms where its
    // responders differ from the base: exact, with far fewer non-zeros when the responder sets
    // differ only in the aggressor (all-against-one treaties).
    let mut base: std::collections::HashMap<usize, (crate::lp::Var, Vec<(usize, f64)>)> =
        Default::default();
    for t in &ts {
        let (tv, b) = &*base.entry(t.j).or_insert_with(|| {
            let tv = lp.add_variable(f64::NEG_INFINITY, f64::INFINITY, 0.0);
            let mut row = vec![(tv, 1.0)];
            row.extend(t.responders.iter().map(|&(k, rho)| (c[k], -rho)));
            lp.add_constraint(row, Relation::Eq, 0.0);
            (tv, t.responders.clone())
        });
        let mut coef: std::collections::BTreeMap<usize, f64> = Default::default();
        for &(k, rho) in &t.responders {
            *coef.entry(k).or_insert(0.0) += rho;
        }
        for &(k, rho) in b {
            *coef.entry(k).or_insert(0.0) -= rho;
        }
        let mut row = vec![(*tv, 1.0)];
        row.extend(
            coef.into_iter()
                .filter(|&(_, x)| x != 0.0)
                .map(|(k, x)| (c[k], x)),
        );
        lp.add_constraint(row, Relation::Ge, t.need);
    }
    let sol = lp.solve()?;
    match sol.status {
        LpStatus::Optimal => {}
        LpStatus::Infeasible => {
            // Aggregated rows can be infeasible although the exact threats are not.
            let t = &ts[0];
            return Ok(Verdict {
                id: "burden_sharing",
                holds: false,
                margin: f64::NEG_INFINITY,
                witness: Some(json!({
                    "aggressor": r.states[t.i].id, "target": r.states[t.j].id,
                    "aggregated": aggregated,
                })),
                detail: if aggregated {
                    "not proven: the aggregated (sufficient) LP is infeasible".into()
                } else {
                    "no contributions meet every threat".into()
                },
            });
        }
        LpStatus::Unbounded => {
            return Err(Error::Numerical {
                context: "burden-sharing LP",
                message: "minimising a non-negative capacity share was reported unbounded".into(),
            })
        }
    }
    let t_star = sol.value(tvar);
    // Phase 2: at that share, the least total contribution.
    let mut lp2 = lp.clone();
    lp2.set_bounds(tvar, 0.0, t_star + crate::Tolerance::LP.threshold(t_star));
    lp2.set_cost(tvar, 0.0);
    for &v in &c {
        lp2.set_cost(v, 1.0);
    }
    let sol2 = lp2.solve()?;
    let contrib: Vec<f64> = if sol2.is_optimal() {
        c.iter().map(|&v| sol2.value(v)).collect()
    } else {
        c.iter().map(|&v| sol.value(v)).collect()
    };
    // The binding threat: the smallest slack.
    let (bind, _) = ts
        .iter()
        .map(|t| {
            let got: f64 = t.responders.iter().map(|&(k, rho)| rho * contrib[k]).sum();
            (t, got - t.need)
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(t, s)| ((t.i, t.j), s))
        .unwrap_or(((0, 0), 0.0));
    // Olson–Zeckhauser: burden vs capability shares of the larger and smaller half.
    let members = &r.members;
    let total_c: f64 = members.iter().map(|&k| contrib[k]).sum();
    let total_cap: f64 = members.iter().map(|&k| r.states[k].capability).sum();
    let mut by_cap: Vec<usize> = members.clone();
    by_cap.sort_by(|&a, &b| r.states[b].capability.total_cmp(&r.states[a].capability));
    let half = by_cap.len().div_ceil(2);
    let share = |set: &[usize]| -> (f64, f64) {
        let b: f64 = set.iter().map(|&k| contrib[k]).sum();
        let a: f64 = set.iter().map(|&k| r.states[k].capability).sum();
        (if total_c > 0.0 { b / total_c } else { 0.0 }, a / total_cap)
    };
    let (large_b, large_a) = share(&by_cap[..half]);
    let (small_b, small_a) = share(&by_cap[half..]);
    let exploitation = if large_a > 0.0 {
        large_b / large_a
    } else {
        0.0
    };
    let holds = t_star <= 1.0 + crate::Tolerance::LP.threshold(1.0);
    Ok(Verdict {
        id: "burden_sharing",
        holds,
        margin: 1.0 - t_star,
        witness: Some(json!({
            "max_capacity_share": t_star,
            "binding_threat": {"aggressor": r.states[bind.0].id, "target": r.states[bind.1].id},
            "threats": ts.len(),
            "aggregated": aggregated,
            "olson_zeckhauser": {
                "large_burden_share": large_b, "large_capability_share": large_a,
                "small_burden_share": small_b, "small_capability_share": small_a,
                "exploitation_ratio": exploitation,
            },
            "contributions": members.iter().filter(|&&k| contrib[k] > 0.0).map(|&k| json!({
                "id": r.states[k].id, "contribution": contrib[k], "capacity": r.states[k].capacity,
            })).collect::<Vec<_>>(),
        })),
        detail: format!(
            "meeting {} threats needs at most {} of any state's capacity{}; the larger half of \
             the members carries {} of the burden with {} of the capability (Olson–Zeckhauser \
             ratio {})",
            ts.len(),
            fmt4(t_star),
            if aggregated {
                " (aggregated sufficient LP)"
            } else {
                ""
            },
            fmt4(large_b),
            fmt4(large_a),
            fmt4(exploitation)
        ),
    })
}
