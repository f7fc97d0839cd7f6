//! (e) Burden sharing: can the members divide the defence burden so that every in-scope threat
//! within reach is deterred, and who carries how much?
//!
//! **LP.** Members commit capability `y_k ∈ [0, capacity_k]`; a commitment projects to target
//! `j` like capability does (`y_k · c_k→j / c_k`) and is honoured with reliability `ρ_k`. In mean
//! field, threat `(i, j)` is deterred when `π < π*_ij = (L_i + κ_i + s_i) / (V_j + L_i)`, i.e.
//!
//! `Σ_k ρ_k (c_k→j / c_k) y_k ≥ a_ij (1/π* − 1) − t_j`   (over `j`'s gated pledgers `k ≠ i`).
//!
//! Minimise the largest share of capacity committed, `s = max_k y_k / capacity_k`; the burden
//! can be shared iff `s* ≤ 1`. Rows are generated lazily (the most violated threat per round).
//! Only in-scope threats count (a hegemon's attacks on its own allies are beyond reach and are
//! not a burden the others must carry).
//!
//! **Observed Olson–Zeckhauser test** (Olson & Zeckhauser 1966): where the snapshot gives
//! military spending and GDP for at least four members, Spearman's ρ of size (GDP) against
//! burden (milex / GDP), with a two-sided p-value; the exploitation hypothesis predicts ρ > 0.

use super::analysis::{Analysis, Scenario};
use super::model::Scope;
use super::report::*;
use super::system::System;
use crate::error::Result;
use crate::lp::{LinearProgram, LpStatus, Relation, Sense};

const MAX_ROUNDS: usize = 100;

fn need(sys: &System, s: &Scenario) -> f64 {
    let (i, j) = (s.aggressor, s.target);
    let pi_star = (sys.loss[i] + sys.war_cost[i] + s.sanction) / (sys.value[j] + sys.loss[i]);
    if pi_star >= 1.0 {
        return f64::NEG_INFINITY; // deterred whatever happens
    }
    sys.proj(i, j) * (1.0 / pi_star - 1.0) - sys.proj(j, j)
}

/// (e) Burden sharing for one scope.
///
/// # Errors
/// From the LP backend.
pub fn burden_sharing(sys: &System, a: &Analysis, scope: Scope) -> Result<Condition> {
    let c = Condition::new(
        ConditionId::BurdenSharing,
        scope.into(),
        sys.treaty.kind.promises(scope),
    );
    let threats: Vec<&Scenario> = a
        .scenarios
        .iter()
        .filter(|s| s.scope == scope && !s.beyond_reach())
        .filter(|s| need(sys, s) > 0.0)
        .collect();
    let oz = olson_zeckhauser(sys);
    let members = &sys.members;
    let m = members.len();
    let pos = |k: usize| members.iter().position(|&x| x == k);
    let summary = |share: Option<f64>, y: &[f64]| BurdenSummary {
        max_capacity_share: share,
        contributions: members
            .iter()
            .zip(y)
            .map(|(&k, &v)| (sys.ids[k].clone(), v))
            .collect(),
        olson_zeckhauser: oz,
    };
    if threats.is_empty() {
        let mut c = c.decided(
            true,
            1.0,
            format!("no {scope} threat within reach needs any help to be deterred"),
        );
        c.figures = Some(Figures::BurdenSharing(summary(Some(0.0), &vec![0.0; m])));
        return Ok(c);
    }
    // Threats no gated pledger can meet at full capacity.
    let coef = |s: &Scenario| -> Vec<(usize, f64)> {
        s.pledged
            .iter()
            .filter_map(|&(k, rho)| {
                let q = pos(k)?;
                (sys.cap[k] > 0.0).then(|| (q, rho * sys.proj(k, s.target) / sys.cap[k]))
            })
            .collect()
    };
    let max_help = |s: &Scenario| -> f64 {
        coef(s)
            .iter()
            .map(|&(q, f)| f * sys.capacity[members[q]])
            .sum()
    };
    let unmet: Vec<&&Scenario> = threats
        .iter()
        .filter(|s| max_help(s) < need(sys, s))
        .collect();
    if let Some(first) = unmet.first() {
        let mut c = c.decided(
            false,
            -(unmet.len() as f64) / threats.len() as f64,
            format!(
                "{} of {} {scope} threats cannot be deterred even with every pledger's full \
                 capacity, first {} against {}",
                unmet.len(),
                threats.len(),
                sys.ids[first.aggressor],
                sys.ids[first.target]
            ),
        );
        c.witness = Some(Witness::BurdenSharing(BurdenWitness {
            binding_threat: (
                sys.ids[first.aggressor].clone(),
                sys.ids[first.target].clone(),
            ),
            unmet: unmet.len(),
        }));
        c.figures = Some(Figures::BurdenSharing(summary(None, &vec![0.0; m])));
        return Ok(c);
    }
    // Constraint generation: start with the largest need per target.
    let mut rows: Vec<usize> = Vec::new();
    for &j in members {
        if let Some((idx, _)) = threats
            .iter()
            .enumerate()
            .filter(|(_, s)| s.target == j)
            .max_by(|x, y| need(sys, x.1).total_cmp(&need(sys, y.1)))
        {
            rows.push(idx);
        }
    }
    let mut y = vec![0.0; m];
    let mut share = 0.0;
    let mut binding = rows[0];
    for _ in 0..MAX_ROUNDS {
        let mut lp = LinearProgram::new(Sense::Minimize);
        let s_var = lp.add_variable(0.0, f64::INFINITY, 1.0);
        let vars: Vec<_> = members
            .iter()
            .map(|&k| lp.add_variable(0.0, sys.capacity[k], 0.0))
            .collect();
        for (q, &k) in members.iter().enumerate() {
            // y_k − s · capacity_k ≤ 0
            lp.add_constraint(
                vec![(vars[q], 1.0), (s_var, -sys.capacity[k])],
                Relation::Le,
                0.0,
            );
        }
        for &r in &rows {
            let terms: Vec<(crate::lp::Var, f64)> = coef(threats[r])
                .into_iter()
                .map(|(q, f)| (vars[q], f))
                .collect();
            lp.add_constraint(terms, Relation::Ge, need(sys, threats[r]));
        }
        let sol = lp.solve()?;
        if sol.status != LpStatus::Optimal {
            break;
        }
        share = sol.value(s_var);
        y = vars.iter().map(|&v| sol.value(v)).collect();
        // Most violated threat.
        let viol = threats
            .iter()
            .enumerate()
            .map(|(idx, s)| {
                let got: f64 = coef(s).iter().map(|&(q, f)| f * y[q]).sum();
                (idx, need(sys, s) - got)
            })
            .max_by(|x, y| x.1.total_cmp(&y.1));
        match viol {
            Some((idx, v)) if v > 1e-9 * (1.0 + need(sys, threats[idx]).abs()) => {
                if rows.contains(&idx) {
                    break;
                }
                rows.push(idx);
            }
            _ => break,
        }
    }
    // The binding threat: the tightest row at the optimum.
    let mut tight = f64::INFINITY;
    for &r in &rows {
        let got: f64 = coef(threats[r]).iter().map(|&(q, f)| f * y[q]).sum();
        let slack = got - need(sys, threats[r]);
        if slack < tight {
            tight = slack;
            binding = r;
        }
    }
    let holds = share <= 1.0 + 1e-9;
    let b = threats[binding];
    let mut c = c.decided(
        holds,
        1.0 - share,
        format!(
            "deterring all {} {scope} threats within reach takes {:.0}% of every member's \
             capacity (binding: {} against {}){}",
            threats.len(),
            100.0 * share,
            sys.ids[b.aggressor],
            sys.ids[b.target],
            oz.map_or(String::new(), |t| format!(
                "; Olson-Zeckhauser rho {:+.2} (p {:.3})",
                t.rho, t.p_value
            ))
        ),
    );
    if !holds {
        c.witness = Some(Witness::BurdenSharing(BurdenWitness {
            binding_threat: (sys.ids[b.aggressor].clone(), sys.ids[b.target].clone()),
            unmet: 0,
        }));
    }
    c.figures = Some(Figures::BurdenSharing(summary(Some(share), &y)));
    Ok(c)
}

/// Spearman's ρ of GDP against milex/GDP over members with both, when at least four have.
pub fn olson_zeckhauser(sys: &System) -> Option<RankTest> {
    let pairs: Vec<(f64, f64)> = sys
        .members
        .iter()
        .filter_map(|&k| {
            let (m, g) = (sys.milex[k]?, sys.gdp[k]?);
            (g > 0.0).then_some((g, m / g))
        })
        .collect();
    spearman(&pairs)
}

fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation (average ranks for ties) with a two-sided p-value from the
/// t approximation `t = ρ √((n − 2)/(1 − ρ²))`, `n − 2` degrees of freedom.
pub fn spearman(pairs: &[(f64, f64)]) -> Option<RankTest> {
    let n = pairs.len();
    if n < 4 {
        return None;
    }
    let rx = ranks(&pairs.iter().map(|p| p.0).collect::<Vec<_>>());
    let ry = ranks(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
    let mean = (n as f64 + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for k in 0..n {
        let (dx, dy) = (rx[k] - mean, ry[k] - mean);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    let rho = sxy / (sxx * syy).sqrt();
    let df = n as f64 - 2.0;
    let p_value = if rho.abs() >= 1.0 {
        0.0
    } else {
        let t = rho * (df / (1.0 - rho * rho)).sqrt();
        // Two-sided: P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2).
        regularized_beta(df / (df + t * t), df / 2.0, 0.5)
    };
    Some(RankTest { rho, p_value, n })
}

fn ln_gamma(x: f64) -> f64 {
    // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return std::f64::consts::PI.ln()
            - (std::f64::consts::PI * x).sin().ln()
            - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The regularized incomplete beta function `I_x(a, b)` by its continued fraction (modified
/// Lentz; Press et al., Numerical Recipes, §6.4).
fn regularized_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x > (a + 1.0) / (a + b + 2.0) {
        return 1.0 - regularized_beta(1.0 - x, b, a);
    }
    let tiny = 1e-300;
    let (mut c, mut d) = (1.0, 1.0 - (a + b) * x / (a + 1.0));
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut f = d;
    for m in 1..300 {
        let m = m as f64;
        let num = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = if d.abs() < tiny { 1.0 / tiny } else { 1.0 / d };
        c = if c.abs() < tiny { tiny } else { c };
        f *= d * c;
        let num = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = if d.abs() < tiny { 1.0 / tiny } else { 1.0 / d };
        c = if c.abs() < tiny { tiny } else { c };
        let delta = d * c;
        f *= delta;
        if (delta - 1.0).abs() < 1e-15 {
            break;
        }
    }
    front * f / a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_of_a_monotone_sample_is_one_with_a_small_p_value() {
        let p: Vec<(f64, f64)> = (1..=10).map(|i| (i as f64, (i * i) as f64)).collect();
        let t = spearman(&p).unwrap();
        assert!((t.rho - 1.0).abs() < 1e-12);
        assert_eq!(t.p_value, 0.0);
    }

    #[test]
    fn t_distribution_p_value_matches_tables() {
        // t = 2.228 with 10 degrees of freedom is the two-sided 5% point.
        let p = regularized_beta(10.0 / (10.0 + 2.228 * 2.228), 5.0, 0.5);
        assert!((p - 0.05).abs() < 2e-4, "{p}");
        // t = 1.0, df = 1 (Cauchy): P(|T| > 1) = 1/2.
        let p = regularized_beta(0.5, 0.5, 0.5);
        assert!((p - 0.5).abs() < 1e-9, "{p}");
    }

    #[test]
    fn ties_get_average_ranks() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
    }
}
