//! (g) Liveness: the decision rule can act against any aggressor.

use crate::treaty::report::{Context, Verdict};
use serde_json::json;

pub(crate) fn verdict(ctx: &Context) -> Verdict {
    let r = &ctx.r;
    let worst = ctx
        .actions
        .iter()
        .min_by(|a, b| a.margin.total_cmp(&b.margin));
    let blocked: Vec<&str> = ctx
        .actions
        .iter()
        .filter(|a| !a.can_act)
        .map(|a| r.states[a.aggressor].id.as_str())
        .collect();
    let Some(w) = worst else {
        return Verdict {
            id: "liveness",
            holds: true,
            margin: f64::INFINITY,
            witness: None,
            detail: "no states".into(),
        };
    };
    let id = &r.states[w.aggressor].id;
    let reason = if w.vetoes {
        format!("{id} holds a veto and votes against action on itself")
    } else if w.can_act {
        format!(
            "tightest: acting against {id} leaves a weight slack of {:.4}",
            w.margin
        )
    } else if w.abstained {
        format!("with {id} abstaining, the others cannot reach the quota")
    } else {
        format!("without {id}'s vote the quota cannot be reached")
    };
    Verdict {
        id: "liveness",
        holds: blocked.is_empty(),
        margin: w.margin,
        witness: Some(json!({
            "aggressor": id,
            "can_act": w.can_act,
            "vetoes": w.vetoes,
            "abstained": w.abstained,
            "blocked_aggressors": blocked,
        })),
        detail: if blocked.is_empty() {
            format!("the body can act against every aggressor; {reason}")
        } else {
            format!(
                "the body cannot act against {} of {} states ({}); {reason}",
                blocked.len(),
                r.n(),
                blocked
                    .iter()
                    .take(8)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
    }
}
