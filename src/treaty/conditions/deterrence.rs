//! (a) Deterrence: `EU_i(j) < 0` for every aggressor `i` and member target `j`.

use crate::treaty::deterrence::{Engine, PairOutcome};
use crate::treaty::report::{fmt4, Context, Verdict};
use serde_json::json;

/// Bisection steps for the lowest uniform reliability (precision 2^-20 ≈ 1e-6).
const RELIABILITY_STEPS: usize = 20;

pub(crate) fn engine(ctx: &Context) -> Engine<'_> {
    Engine {
        r: &ctx.r,
        sanction: ctx.sanction.clone(),
        resolution: ctx.opts.resolution,
    }
}

/// Every pair's outcome under the pledges' reliabilities.
pub(crate) fn pairs(ctx: &Context) -> Vec<PairOutcome> {
    engine(ctx).all_pairs_with(|j, i| ctx.r.responders(j, i))
}

pub(crate) fn pair_witness(ctx: &Context, o: &PairOutcome) -> serde_json::Value {
    let r = &ctx.r;
    json!({
        "aggressor": r.states[o.aggressor].id,
        "target": r.states[o.target].id,
        "eu": o.eu,
        "eu_bounds": [o.eu_lo, o.eu_hi],
        "win_probability": o.win_probability,
        "sanction": o.sanction,
        "helpers": o.responders.iter().map(|&(k, rho)| json!({
            "id": r.states[k].id, "reliability": rho
        })).collect::<Vec<_>>(),
    })
}

#[derive(PartialEq)]
enum Quick {
    Holds,
    Fails,
    Unknown,
}

struct Candidate {
    i: usize,
    j: usize,
    responders: Vec<usize>,
    total: f64,
}

/// Jensen (lower) and chord (upper) bounds on `E[π]` when every responder helps with
/// probability `rho`: `π` is convex and decreasing in the helper capability.
fn quick(engine: &Engine, c: &Candidate, rho: f64) -> Quick {
    let si = &engine.r.states[c.i];
    let sj = &engine.r.states[c.j];
    let a = si.capability;
    let b = a + sj.capability;
    let pi = |d: f64| a / (b + d);
    let stake = sj.value + si.loss;
    let fixed = si.loss + si.war_cost + engine.sanction[c.i];
    let lower = pi(rho * c.total) * stake - fixed;
    let upper = (pi(0.0) + (pi(c.total) - pi(0.0)) * rho) * stake - fixed;
    if lower >= 0.0 {
        Quick::Fails
    } else if upper < 0.0 {
        Quick::Holds
    } else {
        Quick::Unknown
    }
}

/// The lowest uniform reliability `ρ` (every responder helps with probability `ρ`) at which
/// every aggression is deterred; `None` when even certain help does not deter. `EU` decreases in
/// `ρ` (more help, stochastically), so bisection is exact up to 2^-20.
pub(crate) fn lowest_reliability(ctx: &Context) -> Option<f64> {
    let eng = engine(ctx);
    let r = &ctx.r;
    let mut cands = Vec::new();
    for &j in &r.members {
        for i in 0..r.n() {
            if i == j {
                continue;
            }
            let responders: Vec<usize> = r.responders(j, i).into_iter().map(|(k, _)| k).collect();
            if eng.eu_with_helpers(i, j, &responders) >= 0.0 {
                return None;
            }
            if eng.eu_with_helpers(i, j, &[]) >= 0.0 {
                let total = responders.iter().map(|&k| r.states[k].capability).sum();
                cands.push(Candidate {
                    i,
                    j,
                    responders,
                    total,
                });
            }
        }
    }
    if cands.is_empty() {
        return Some(0.0);
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..RELIABILITY_STEPS {
        let mid = 0.5 * (lo + hi);
        let status: Vec<Quick> = cands.iter().map(|c| quick(&eng, c, mid)).collect();
        let mut fails = status.contains(&Quick::Fails);
        let mut held = vec![false; cands.len()];
        if !fails {
            for (x, c) in cands.iter().enumerate() {
                if status[x] != Quick::Unknown {
                    continue;
                }
                let resp = c.responders.iter().map(|&k| (k, mid)).collect();
                if eng
                    .pair_fresh(c.i, c.j, resp, ctx.opts.resolution)
                    .deterred()
                {
                    held[x] = true;
                } else {
                    fails = true;
                    break;
                }
            }
        }
        if fails {
            lo = mid;
            let keep: Vec<bool> = status
                .iter()
                .zip(&held)
                .map(|(s, &h)| *s != Quick::Holds && !h)
                .collect();
            let mut k = keep.iter();
            cands.retain(|_| *k.next().unwrap_or(&true));
        } else {
            hi = mid;
        }
    }
    Some(hi)
}

pub(crate) fn verdict(ctx: &Context) -> Verdict {
    let all = pairs(ctx);
    let failing = all.iter().filter(|o| !o.deterred()).count();
    let worst = all.iter().max_by(|a, b| a.eu.total_cmp(&b.eu)).cloned();
    let max_err = all
        .iter()
        .map(|o| (o.eu_hi - o.eu).max(o.eu - o.eu_lo))
        .fold(0.0, f64::max);
    let threshold = lowest_reliability(ctx);
    let thr_text = match threshold {
        Some(t) => format!(
            "lowest uniform reliability that deters every attack: {}",
            fmt4(t)
        ),
        None => "no reliability deters every attack (even certain help fails)".to_string(),
    };
    match worst {
        None => Verdict {
            id: "deterrence",
            holds: true,
            margin: f64::INFINITY,
            witness: None,
            detail: "no attack scenario (a single state)".into(),
        },
        Some(w) => {
            let mut witness = pair_witness(ctx, &w);
            witness["lowest_uniform_reliability"] = json!(threshold);
            witness["failing_pairs"] = json!(failing);
            witness["pairs"] = json!(all.len());
            witness["discretisation_error"] = json!(max_err);
            Verdict {
                id: "deterrence",
                holds: failing == 0,
                margin: -w.eu,
                witness: Some(witness),
                detail: format!(
                    "{failing} of {} attacks pay; worst: {} attacking {} has EU {} (win \
                     probability {}; discretisation error <= {:.2e}); {thr_text}",
                    all.len(),
                    ctx.r.states[w.aggressor].id,
                    ctx.r.states[w.target].id,
                    fmt4(w.eu),
                    fmt4(w.win_probability),
                    max_err
                ),
            }
        }
    }
}
