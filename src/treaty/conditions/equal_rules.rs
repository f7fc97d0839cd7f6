//! (c) Equal rules: obligations symmetric under any relabelling of the members, equal
//! Shapley–Shubik power under the decision rule, and no member can veto (or block) action
//! against itself.

use crate::error::Result;
use crate::treaty::compile::decision_game;
use crate::treaty::model::ObligationKind;
use crate::treaty::report::{fmt4, Context, Verdict};
use serde_json::json;

/// Shapley–Shubik power of each body member ([`crate::coop::shapley_shubik`], exact counting),
/// or `None` when the counting tables would exceed that solver's size limit.
pub(crate) fn shapley_shubik(ctx: &Context) -> Result<Option<Vec<f64>>> {
    let g = decision_game(&ctx.r)?;
    match crate::coop::shapley_shubik(&g.voting) {
        Ok(p) => Ok(Some(p.values)),
        Err(crate::Error::TooLarge(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

pub(crate) fn verdict(ctx: &Context) -> Result<Verdict> {
    let r = &ctx.r;
    let m = &r.members;
    let tol = crate::Tolerance::REPORT;

    // 1. Symmetry: per kind, "k pledges to j" must be the same for every ordered member pair.
    let mut asym: Option<serde_json::Value> = None;
    let mut unequal = 0usize;
    let pairs = m.len() * m.len().saturating_sub(1);
    for kind in ObligationKind::ALL {
        let mut first: Option<bool> = None;
        let mut count_true = 0usize;
        let mut example: Option<(usize, usize, bool)> = None;
        for &k in m {
            for &j in m {
                if k == j {
                    continue;
                }
                let x = r.pledges(kind, k, j);
                count_true += x as usize;
                match first {
                    None => first = Some(x),
                    Some(f) if f != x && example.is_none() => example = Some((k, j, x)),
                    _ => {}
                }
            }
        }
        if let Some((k, j, x)) = example {
            let minority = count_true.min(pairs - count_true);
            unequal += minority;
            if asym.is_none() {
                // Report the pair whose pledge differs from the first pair's.
                asym = Some(json!({
                    "kind": kind,
                    "pledger": r.states[k].id,
                    "protected": r.states[j].id,
                    "pledged": x,
                    "reverse_pledged": r.pledges(kind, j, k),
                    "pledged_pairs": count_true,
                    "member_pairs": pairs,
                }));
            }
        }
    }
    let sym_margin = if pairs == 0 {
        0.0
    } else {
        -(unequal as f64) / pairs as f64
    };

    // 2. Equal power among the members (members outside the body have none).
    let g = decision_game(r)?;
    let power = shapley_shubik(ctx)?;
    let (power_margin, power_json, power_known) = match &power {
        Some(phi) => {
            let of = |s: usize| g.body.iter().position(|&b| b == s).map_or(0.0, |p| phi[p]);
            let vals: Vec<f64> = m.iter().map(|&s| of(s)).collect();
            let (lo, hi) = vals
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                    (a.min(x), b.max(x))
                });
            let spread = if vals.is_empty() { 0.0 } else { hi - lo };
            let strongest = m
                .iter()
                .zip(&vals)
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(&s, &x)| json!({"id": r.states[s].id, "shapley_shubik": x}));
            let weakest = m
                .iter()
                .zip(&vals)
                .min_by(|a, b| a.1.total_cmp(b.1))
                .map(|(&s, &x)| json!({"id": r.states[s].id, "shapley_shubik": x}));
            (
                -spread,
                json!({"strongest": strongest, "weakest": weakest, "spread": spread}),
                true,
            )
        }
        None => (0.0, json!(null), false),
    };
    let power_equal = power_known && tol.is_zero(power_margin);

    // 3. No member can block action against itself.
    let self_veto: Vec<&str> = m
        .iter()
        .filter(|&&i| !ctx.actions[i].can_act)
        .map(|&i| r.states[i].id.as_str())
        .collect();
    let action_margin = m
        .iter()
        .map(|&i| ctx.actions[i].margin)
        .fold(f64::INFINITY, f64::min)
        .min(0.0);

    let holds = asym.is_none() && power_equal && self_veto.is_empty();
    // `+ 0.0` turns a −0 into 0.
    let margin = sym_margin.min(power_margin).min(action_margin) + 0.0;
    let mut parts = Vec::new();
    parts.push(if asym.is_none() {
        "obligations are symmetric among members".to_string()
    } else {
        format!("obligations are asymmetric ({unequal} of {pairs} member pairs differ)")
    });
    parts.push(if !power_known {
        "power not computed (body too large for the counting tables)".to_string()
    } else if power_equal {
        "members have equal Shapley–Shubik power".to_string()
    } else {
        format!("Shapley–Shubik power differs by {}", fmt4(-power_margin))
    });
    parts.push(if self_veto.is_empty() {
        "no member can block action against itself".to_string()
    } else {
        format!(
            "{} member(s) can block action against themselves ({})",
            self_veto.len(),
            self_veto
                .iter()
                .take(8)
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    Ok(Verdict {
        id: "equal_rules",
        holds,
        margin,
        witness: Some(json!({
            "asymmetric_obligation": asym,
            "power": power_json,
            "members_who_can_block_action_against_themselves": self_veto,
        })),
        detail: parts.join("; "),
    })
}
