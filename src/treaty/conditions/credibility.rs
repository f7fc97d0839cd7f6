//! (d) Credibility: the pledge profile (every responder helps) is a Nash equilibrium of the
//! response game, checked by each responder's unilateral deviation directly (no tensor);
//! whether abandonment (nobody helps) is also one; deterrence re-checked with the responses of
//! an equilibrium reached from the pledges.

use crate::error::Result;
use crate::treaty::compile::ResponseGame;
use crate::treaty::conditions::deterrence::engine;
use crate::treaty::report::{fmt4, Context, Verdict};
use serde_json::json;

/// Per attack scenario: the response game's key facts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ResponseSummary {
    /// Aggressor id.
    pub aggressor: String,
    /// Target id.
    pub target: String,
    /// Number of pledged responders.
    pub responders: usize,
    /// Largest gain of a responder from abandoning the pledge (≤ 0: pledges are an equilibrium;
    /// negative: every responder strictly prefers to help). 0 without responders.
    pub pledge_regret: f64,
    /// The responder with that gain.
    pub defector: Option<String>,
    /// Is "nobody helps" also an equilibrium (the volunteer's dilemma)?
    pub abandonment_is_equilibrium: bool,
    /// Ids of the helpers in the equilibrium reached by improving moves from the pledges.
    pub equilibrium_helpers: Vec<String>,
    /// Aggressor's EU when exactly the equilibrium helpers fight.
    pub equilibrium_eu: f64,
}

pub(crate) fn summaries(ctx: &Context) -> Result<Vec<ResponseSummary>> {
    let r = &ctx.r;
    let eng = engine(ctx);
    let mut out = Vec::new();
    for &j in &r.members {
        for i in 0..r.n() {
            if i == j {
                continue;
            }
            let g = ResponseGame::new(r, i, j);
            let m = g.responders.len();
            let all = vec![true; m];
            let (regret, who) = g.max_gain(&all);
            let none = vec![false; m];
            let (aband_regret, _) = g.regret(&none);
            let eq = g.equilibrium_from(&all)?;
            let helpers: Vec<usize> = g
                .responders
                .iter()
                .zip(&eq)
                .filter(|(_, &h)| h)
                .map(|(&k, _)| k)
                .collect();
            out.push(ResponseSummary {
                aggressor: r.states[i].id.clone(),
                target: r.states[j].id.clone(),
                responders: m,
                pledge_regret: if m == 0 { 0.0 } else { regret },
                defector: who
                    .filter(|_| regret > 0.0)
                    .map(|p| r.states[g.responders[p]].id.clone()),
                abandonment_is_equilibrium: aband_regret <= crate::Tolerance::DEFAULT.abs,
                equilibrium_eu: eng.eu_with_helpers(i, j, &helpers),
                equilibrium_helpers: r.ids(helpers),
            });
        }
    }
    Ok(out)
}

pub(crate) fn verdict(ctx: &Context) -> Result<Verdict> {
    let s = summaries(ctx)?;
    let tol = crate::Tolerance::DEFAULT;
    let with_resp: Vec<&ResponseSummary> = s.iter().filter(|x| x.responders > 0).collect();
    let not_eq = with_resp
        .iter()
        .filter(|x| x.pledge_regret > tol.abs)
        .count();
    let aband = with_resp
        .iter()
        .filter(|x| x.abandonment_is_equilibrium)
        .count();
    let eq_fail = s.iter().filter(|x| x.equilibrium_eu >= 0.0).count();
    let worst = with_resp
        .iter()
        .max_by(|a, b| a.pledge_regret.total_cmp(&b.pledge_regret))
        .copied();
    let worst_eq = s
        .iter()
        .max_by(|a, b| a.equilibrium_eu.total_cmp(&b.equilibrium_eu));
    let Some(w) = worst else {
        return Ok(Verdict {
            id: "credibility",
            holds: false,
            margin: f64::NEG_INFINITY,
            witness: None,
            detail: "no state is pledged to help anybody: there is nothing to be credible".into(),
        });
    };
    let eq_text = match worst_eq {
        Some(e) => format!(
            "with equilibrium responses {eq_fail} attacks pay (worst {} on {}: EU {})",
            e.aggressor,
            e.target,
            fmt4(e.equilibrium_eu)
        ),
        None => String::new(),
    };
    Ok(Verdict {
        id: "credibility",
        holds: not_eq == 0,
        margin: -w.pledge_regret,
        witness: Some(json!({
            "aggressor": w.aggressor,
            "target": w.target,
            "defector": w.defector,
            "gain_from_abandoning": w.pledge_regret,
            "abandonment_is_equilibrium": w.abandonment_is_equilibrium,
            "scenarios_where_abandonment_is_equilibrium": aband,
            "equilibrium_helpers": w.equilibrium_helpers,
            "equilibrium_deterrence_failures": eq_fail,
            "worst_equilibrium_scenario": worst_eq.map(|e| json!({
                "aggressor": e.aggressor, "target": e.target, "eu": e.equilibrium_eu,
                "helpers": e.equilibrium_helpers,
            })),
        })),
        detail: format!(
            "pledges are an equilibrium in {} of {} attack scenarios (worst: {} gains {} by \
             abandoning {} against {}); nobody-helps is also an equilibrium in {aband}; {eq_text}",
            with_resp.len() - not_eq,
            with_resp.len(),
            w.defector.as_deref().unwrap_or("-"),
            fmt4(w.pledge_regret.max(0.0)),
            w.target,
            w.aggressor
        ),
    })
}
