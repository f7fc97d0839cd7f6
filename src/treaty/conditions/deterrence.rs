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

struct Candidate {
    i: usize,
    j: usize,
    responders: Vec<usize>,
    /// Per-pair threshold bounds from Jensen (lower) and the chord (upper).
    lower: f64,
    upper: f64,
}

/// Bounds on the lowest reliability `r` deterring one pair when every responder helps with
/// probability `r`: `π` is convex and decreasing in the helper capability `D` (total `C` when
/// all help), so `π(rC) ≤ E[π(D)] ≤ π(0) + r·(π(C) − π(0))` (Jensen; the chord). Aggression is
/// deterred when `E[π] < π* = (L_i + κ_i + s_i)/(V_j + L_i)`, so the pair's threshold lies
/// between the `r` where the Jensen bound reaches `π*` and the `r` where the chord does.
fn threshold_bounds(eng: &Engine, i: usize, j: usize, total: f64) -> (f64, f64) {
    let (si, sj) = (&eng.r.states[i], &eng.r.states[j]);
    let a = si.capability;
    let b = a + sj.capability;
    let pi_star = (si.loss + si.war_cost + eng.sanction[i]) / (sj.value + si.loss);
    let (p0, pc) = (a / b, a / (b + total));
    // π(rC) = π*  ⇔  r = (a/π* − b)/C.
    let lower = if pi_star <= 0.0 {
        1.0
    } else {
        (a / pi_star - b) / total
    };
    let upper = if p0 > pc {
        (p0 - pi_star) / (p0 - pc)
    } else {
        1.0
    };
    (lower.clamp(0.0, 1.0), upper.clamp(0.0, 1.0))
}

/// The lowest uniform reliability `ρ` (every responder helps with probability `ρ`) at which
/// every aggression is deterred; `None` when even certain help does not deter. `EU` decreases in
/// `ρ` (more help, stochastically), so the answer is the largest per-pair threshold; pairs are
/// bounded in closed form first ([`threshold_bounds`]) and only those that can still be the
/// largest are bisected with the DP (to 2^-20).
pub(crate) fn lowest_reliability(ctx: &Context) -> Option<f64> {
    let eng = engine(ctx);
    let r = &ctx.r;
    let mut cands = Vec::new();
    let mut best = 0.0f64;
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
                let (lower, upper) = threshold_bounds(&eng, i, j, total);
                best = best.max(lower);
                cands.push(Candidate {
                    i,
                    j,
                    responders,
                    lower,
                    upper,
                });
            }
        }
    }
    let deterred_at = |c: &Candidate, rho: f64| {
        let resp = c.responders.iter().map(|&k| (k, rho)).collect();
        eng.pair_fresh(c.i, c.j, resp, ctx.opts.resolution)
            .deterred()
    };
    // `answer` is a lower bound on the result. Each round evaluates, at `answer`, every pair
    // that could still need more (one shared DP per target), bisects the failing pair with the
    // largest upper bound, and raises `answer` to its threshold.
    let mut answer = best;
    let mut open: Vec<usize> = (0..cands.len()).collect();
    let mut done = vec![false; cands.len()];
    loop {
        // Each round settles at least one pair for good, so the loop ends.
        open.retain(|&x| cands[x].upper > answer && !done[x]);
        if open.is_empty() {
            break;
        }
        let mut targets: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut order = open.clone();
        order.sort_by_key(|&x| (cands[x].j, cands[x].i));
        for &x in &order {
            let c = &cands[x];
            match targets.last_mut() {
                Some((j, v)) if *j == c.j => v.push(c.i),
                _ => targets.push((c.j, vec![c.i])),
            }
        }
        let rho = answer;
        let outcomes = eng.pairs_for(&targets, |j, i| {
            r.responders(j, i)
                .into_iter()
                .map(|(k, _)| (k, rho))
                .collect()
        });
        open = order
            .iter()
            .zip(&outcomes)
            .filter(|(_, o)| !o.deterred())
            .map(|(&x, _)| x)
            .collect();
        let Some(&worst) = open
            .iter()
            .max_by(|&&a, &&b| cands[a].upper.total_cmp(&cands[b].upper))
        else {
            break;
        };
        done[worst] = true;
        let c = &cands[worst];
        let (mut lo, mut hi) = (answer.max(c.lower), c.upper.max(answer));
        if deterred_at(c, lo) {
            hi = lo;
        }
        for _ in 0..RELIABILITY_STEPS {
            if hi - lo <= f64::EPSILON {
                break;
            }
            let mid = 0.5 * (lo + hi);
            if deterred_at(c, mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        answer = answer.max(hi);
    }
    Some(answer)
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
