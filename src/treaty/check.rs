//! `check`: every condition of a treaty year, per scope, optionally under a parameter prior
//! (Monte Carlo).

use super::analysis::{analyse, analyse_with, Analysis};
use super::burden::burden_sharing;
use super::conditions::*;
use super::model::{Scope, Treaty};
use super::report::*;
use super::system::System;
use crate::error::{Error, Result};
use crate::progress::ProgressFn;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Beta, Distribution, StandardNormal};
use rayon::prelude::*;

/// Most Monte Carlo samples one check may ask for.
pub const MAX_SAMPLES: usize = 1_000_000;

/// Options of [`check`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckOptions {
    /// Snapshot year (`None`: the latest).
    pub year: Option<i32>,
    /// Only this scope (`None`: both).
    pub scope: Option<Scope>,
    /// Only these conditions (empty: all).
    pub conditions: Vec<ConditionId>,
    /// Include the scenario table.
    pub pairs: bool,
    /// Monte Carlo samples under the model's prior (0: none).
    pub samples: usize,
    /// Seed of the Monte Carlo draws.
    pub seed: u64,
}

impl CheckOptions {
    fn wants(&self, id: ConditionId) -> bool {
        self.conditions.is_empty() || self.conditions.contains(&id)
    }

    fn scopes(&self) -> Vec<Scope> {
        match self.scope {
            Some(s) => vec![s],
            None => Scope::BOTH.to_vec(),
        }
    }
}

/// Checks the collective-security conditions of one treaty year.
///
/// # Arguments
/// * `treaty` — the model.
/// * `opts` — year, scope, conditions, pair table, Monte Carlo samples and seed.
///
/// # Returns
/// A [`Report`]: per condition and scope a verdict (`holds`, `fails`, `unknown`), a margin, a
/// one-sentence detail and a typed witness; the preponderant states; the predicted reliability;
/// with `pairs`, every scenario; with `samples`, P(holds) and P(deterred).
///
/// # Errors
/// An invalid model, a year without a snapshot, more than [`MAX_SAMPLES`] samples, or a solver
/// size limit.
///
/// # Complexity
/// `O(n · m · (P + K·log K))` for `n` states, `m` members, `P` procedures and `K` pledgers per
/// scenario, plus one DP of `O(|H*| · 256)` per scenario; each Monte Carlo sample repeats the
/// scenario analysis.
///
/// # Example
/// ```
/// use covenant::treaty::{check, parse_treaty, CheckOptions, ConditionId, ConditionScope, Verdict};
/// let model = r#"
/// [treaty]
/// name = "Pact"
/// kind = "collective_defense"
/// [[states]]
/// id = "AAA"
/// [[states]]
/// id = "BBB"
/// [[states]]
/// id = "ZZZ"
/// [[obligations]]
/// kind = "defense"
/// [[snapshots]]
/// year = 2000
/// members = ["AAA", "BBB"]
/// [snapshots.capability]
/// AAA = 0.3
/// BBB = 0.2
/// ZZZ = 0.4
/// "#;
/// let treaty = parse_treaty(model, "pact.toml".as_ref())?;
/// let report = check(&treaty, &CheckOptions::default())?;
/// let d = report.condition(ConditionId::Deterrence, ConditionScope::External).unwrap();
/// // ZZZ (0.4) against AAA (0.3) helped by BBB (0.2): π ≈ 0.4/0.85 < 0.55, deterred.
/// assert_eq!(d.verdict, Verdict::Holds);
/// # Ok::<(), covenant::Error>(())
/// ```
pub fn check(treaty: &Treaty, opts: &CheckOptions) -> Result<Report> {
    check_with_progress(treaty, opts, None)
}

/// [`check`], reporting progress as `(units done, total)`: the point check is one unit, each
/// Monte Carlo sample one more. The callback runs on the calling thread, between batches of
/// samples that run in parallel.
///
/// # Errors
/// As [`check`].
pub fn check_with_progress(
    treaty: &Treaty,
    opts: &CheckOptions,
    mut progress: Option<ProgressFn<'_>>,
) -> Result<Report> {
    if opts.samples > MAX_SAMPLES {
        return Err(Error::TooLarge(format!(
            "{} Monte Carlo samples asked; the limit is {MAX_SAMPLES}",
            opts.samples
        )));
    }
    let sys = System::new(treaty, opts.year)?;
    let a = analyse(&sys);
    let mut conditions = evaluate(&sys, &a, opts, true)?;
    let total = 1 + opts.samples;
    if let Some(p) = progress.as_mut() {
        p(1, total);
    }
    let mut p_deterred = None;
    if opts.samples > 0 {
        let mc = monte_carlo(&sys, opts, progress)?;
        for c in &mut conditions {
            c.probability = mc.p_holds(c.id, c.scope);
        }
        p_deterred = Some(mc.p_deterred);
    }
    let mut preponderant: Vec<usize> = a
        .scenarios
        .iter()
        .filter(|s| s.beyond_reach())
        .map(|s| s.aggressor)
        .collect();
    preponderant.sort_by(|&x, &y| sys.cap[y].total_cmp(&sys.cap[x]).then(x.cmp(&y)));
    preponderant.dedup();
    let summary = credibility_summary(a.scenarios.iter());
    let scopes = opts.scopes();
    let pairs = opts.pairs.then(|| {
        let mut rows = pair_rows(&sys, &a, p_deterred.as_deref());
        rows.retain(|r| scopes.contains(&r.scope));
        rows
    });
    Ok(Report {
        treaty: treaty.name.clone(),
        year: sys.year(),
        data_year: sys.snapshot.data_year,
        kind: treaty.kind,
        members: sys.members.iter().map(|&k| sys.ids[k].clone()).collect(),
        preponderant: preponderant.iter().map(|&k| sys.ids[k].clone()).collect(),
        predicted_reliability: summary.predicted_reliability,
        samples: opts.samples,
        conditions,
        pairs,
    })
}

/// The conditions in report order (`full`: also those not recomputed per sample).
fn evaluate(sys: &System, a: &Analysis, opts: &CheckOptions, full: bool) -> Result<Vec<Condition>> {
    let mut out = Vec::new();
    for id in ConditionId::ALL {
        if !opts.wants(id) || (!full && !sampled(id)) {
            continue;
        }
        if id == ConditionId::EqualRules {
            out.push(equal_rules(sys)?);
            continue;
        }
        for scope in opts.scopes() {
            out.push(match id {
                ConditionId::Deterrence => deterrence(sys, a, scope),
                ConditionId::Credibility => credibility(sys, a, scope),
                ConditionId::Liveness => liveness(sys, a, scope),
                ConditionId::PeacefulSettlement => peaceful_settlement(sys, a, scope),
                ConditionId::Participation => participation(sys, a, scope),
                ConditionId::BurdenSharing => burden_sharing(sys, a, scope)?,
                ConditionId::EqualRules => continue,
            });
        }
    }
    Ok(out)
}

/// Conditions recomputed in every Monte Carlo sample (those that depend on the sampled
/// parameters and need no LP); the LP-based ones (participation, burden sharing) and equal
/// rules (no sampled parameter enters it) are reported without a probability.
fn sampled(id: ConditionId) -> bool {
    matches!(
        id,
        ConditionId::Deterrence
            | ConditionId::Credibility
            | ConditionId::Liveness
            | ConditionId::PeacefulSettlement
    )
}

/// One sample: the verdict per condition and scope, and deterred per scenario.
type SampleOutcome = (Vec<(ConditionId, ConditionScope, bool)>, Vec<bool>);

struct MonteCarlo {
    holds: Vec<(ConditionId, ConditionScope, usize)>,
    samples: usize,
    p_deterred: Vec<f64>,
}

impl MonteCarlo {
    fn p_holds(&self, id: ConditionId, scope: ConditionScope) -> Option<f64> {
        self.holds
            .iter()
            .find(|h| h.0 == id && h.1 == scope)
            .map(|h| h.2 as f64 / self.samples as f64)
    }
}

/// One draw of the prior applied to a copy of the system.
fn draw<'t>(base: &System<'t>, seed: u64, sample: usize) -> Result<System<'t>> {
    let prior = &base.treaty.prior;
    // One independent stream per sample: reproducible whatever the thread schedule.
    let mut rng = StdRng::seed_from_u64(seed ^ (sample as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut s = base.clone();
    if let Some((a, b)) = prior.reliability_beta {
        let beta = Beta::new(a, b)
            .map_err(|e| Error::InvalidArgument(format!("prior.reliability_beta: {e}")))?;
        for r in &mut s.reliability {
            *r = beta.sample(&mut rng);
        }
    }
    if prior.capability_sigma > 0.0 {
        for c in &mut s.cap {
            let z: f64 = StandardNormal.sample(&mut rng);
            *c *= (prior.capability_sigma * z).exp();
        }
        s.reproject()?;
    }
    if let Some((lo, hi)) = prior.stake_range {
        let f = if hi > lo {
            rng.random_range(lo..=hi)
        } else {
            lo
        };
        s.scale_stakes(f);
    }
    if let Some((lo, hi)) = prior.war_cost_range {
        let f = if hi > lo {
            rng.random_range(lo..=hi)
        } else {
            lo
        };
        s.war_cost.iter_mut().for_each(|k| *k *= f);
    }
    Ok(s)
}

/// Samples per parallel batch between two progress reports.
const SAMPLE_BATCH: usize = 64;

fn monte_carlo(
    sys: &System,
    opts: &CheckOptions,
    mut progress: Option<ProgressFn<'_>>,
) -> Result<MonteCarlo> {
    if sys.treaty.prior.is_empty() {
        return Err(Error::InvalidArgument(format!(
            "--samples needs a [prior] in the model ({} declares none)",
            sys.treaty.name
        )));
    }
    let one = |k: usize| -> Result<SampleOutcome> {
        let s = draw(sys, opts.seed, k)?;
        // Exact points are needed only where a binding settlement procedure compares
        // awards with the alliance-adjusted p.
        let point = opts.wants(ConditionId::PeacefulSettlement)
            && s.treaty.settlement.binding
            && s.treaty.settlement.procedure.is_some();
        let a = analyse_with(&s, point);
        let conds = evaluate(&s, &a, opts, false)?;
        Ok((
            conds
                .iter()
                .map(|c| (c.id, c.scope, c.verdict == Verdict::Holds))
                .collect(),
            a.scenarios.iter().map(|x| x.eu.deterred()).collect(),
        ))
    };
    // Each sample draws from its own seeded stream, so batching changes nothing in the result.
    let mut results: Vec<Result<SampleOutcome>> = Vec::with_capacity(opts.samples);
    let mut start = 0;
    while start < opts.samples {
        let end = (start + SAMPLE_BATCH).min(opts.samples);
        results.par_extend((start..end).into_par_iter().map(one));
        start = end;
        if let Some(p) = progress.as_mut() {
            p(1 + end, 1 + opts.samples);
        }
    }
    let mut holds: Vec<(ConditionId, ConditionScope, usize)> = Vec::new();
    let mut det: Vec<usize> = Vec::new();
    for r in results {
        let (conds, d) = r?;
        for (id, scope, h) in conds {
            match holds.iter_mut().find(|x| x.0 == id && x.1 == scope) {
                Some(x) => x.2 += usize::from(h),
                None => holds.push((id, scope, usize::from(h))),
            }
        }
        if det.is_empty() {
            det = vec![0; d.len()];
        }
        for (c, x) in det.iter_mut().zip(d) {
            *c += usize::from(x);
        }
    }
    Ok(MonteCarlo {
        holds,
        samples: opts.samples,
        p_deterred: det
            .iter()
            .map(|&c| c as f64 / opts.samples as f64)
            .collect(),
    })
}

fn pair_rows(sys: &System, a: &Analysis, p: Option<&[f64]>) -> Vec<PairRow> {
    a.scenarios
        .iter()
        .enumerate()
        .map(|(k, s)| PairRow {
            aggressor: sys.ids[s.aggressor].clone(),
            target: sys.ids[s.target].clone(),
            scope: s.scope,
            eu: s.eu.eu,
            eu_without: s.eu_without,
            effect: s.effect(),
            win_probability: s.eu.win,
            deterred: s.eu.deterred(),
            p_deterred: p.and_then(|p| p.get(k).copied()),
            beyond_reach: s.beyond_reach(),
            pledged: s.pledged.iter().map(|&(h, _)| sys.ids[h].clone()).collect(),
            equilibrium_helpers: s.helpers.iter().map(|&h| sys.ids[h].clone()).collect(),
            enforcement_can_act: s.enforcement_can_act,
            procedures_can_act: s
                .procedures_can_act
                .iter()
                .map(|&q| sys.procedures[q].id.clone())
                .collect(),
        })
        .collect()
}
