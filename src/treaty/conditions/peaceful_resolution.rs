//! (f) Peaceful resolution: every dispute dyad has a non-empty bargaining range (Fearon 1995)
//! and the settlement rule's split lies inside it.

use crate::treaty::compile::bargaining;
use crate::treaty::report::{fmt4, Context, Verdict};
use serde_json::json;

/// Signed distance of the settlement from the edge of the range (negative outside; for an
/// empty range, minus the gap).
fn slack(b: &crate::treaty::compile::Bargaining) -> f64 {
    match b.range {
        Some((lo, hi)) => (b.settlement - lo).min(hi - b.settlement),
        None => {
            let lo = (b.p - b.cost_a).max(0.0);
            let hi = (b.p + b.cost_b).min(1.0);
            hi - lo
        }
    }
}

pub(crate) fn verdict(ctx: &Context) -> Verdict {
    let r = &ctx.r;
    let mut worst: Option<(f64, crate::treaty::compile::Bargaining)> = None;
    let mut failing = 0usize;
    for &(a, b) in &r.disputes {
        let bg = bargaining(r, a, b);
        let s = slack(&bg);
        if s < 0.0 {
            failing += 1;
        }
        if worst.as_ref().map_or(true, |(w, _)| s < *w) {
            worst = Some((s, bg));
        }
    }
    match worst {
        None => Verdict {
            id: "peaceful_resolution",
            holds: true,
            margin: f64::INFINITY,
            witness: None,
            detail: "no dispute dyads".into(),
        },
        Some((s, bg)) => Verdict {
            id: "peaceful_resolution",
            holds: failing == 0,
            margin: s,
            detail: format!(
                "{failing} of {} dyads settle outside the bargaining range; tightest: {}–{} \
                 range {} settlement {} (Nash {})",
                r.disputes.len(),
                bg.a,
                bg.b,
                bg.range.map_or("empty".to_string(), |(l, h)| format!(
                    "[{}, {}]",
                    fmt4(l),
                    fmt4(h)
                )),
                fmt4(bg.settlement),
                bg.nash.map_or("-".to_string(), fmt4),
            ),
            witness: Some(json!(bg)),
        },
    }
}
