//! (b) Participation and stability: every member is better off inside (its own share of the
//! treaty's value is at least its stand-alone value 0), and the treaty's natural allocation
//! (each member's own security gain minus its own expected burden) is in the core of the
//! alliance game ([`crate::treaty::AllianceGame`]).

use crate::error::Result;
use crate::game::{Coalition, CoalitionalGame};
use crate::treaty::compile::AllianceGame;
use crate::treaty::report::{fmt4, Context, Verdict};
use serde::Serialize;
use serde_json::json;

/// Largest alliance whose least core and nucleolus are computed (each separation scans 2^m
/// coalitions of an oracle game).
pub const MAX_NUCLEOLUS_MEMBERS: usize = 12;

/// Largest alliance whose core membership is decided by enumerating every coalition.
pub const MAX_EXACT_CORE_MEMBERS: usize = 16;

/// How core membership of the natural allocation turned out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoreStatus {
    /// Every coalition checked: no coalition can do better alone.
    InCore,
    /// A blocking coalition was found (the witness).
    Blocked,
    /// Too many members to enumerate; greedy search found no blocking coalition.
    NoBlockingFound,
    /// More than 64 members: coalitions were not searched.
    NotSearched,
}

/// The result of the core check: status, the largest excess found `v(S) − x(S)` and its
/// coalition (player indices).
pub(crate) struct CoreCheck {
    pub status: CoreStatus,
    pub max_excess: f64,
    pub coalition: Vec<usize>,
}

fn excess(g: &AllianceGame, x: &[f64], s: Coalition) -> f64 {
    g.value(s) - s.members().map(|p| x[p]).sum::<f64>()
}

/// Checks `x` against every coalition (m ≤ [`MAX_EXACT_CORE_MEMBERS`]) or by greedy search
/// from the empty and the grand coalition (m ≤ 64).
pub(crate) fn core_check(g: &AllianceGame, x: &[f64]) -> CoreCheck {
    let m = g.members.len();
    let tol = crate::Tolerance::REPORT;
    let scale = x.iter().map(|v| v.abs()).fold(1.0, f64::max);
    let (mut best, mut best_s) = (f64::NEG_INFINITY, Coalition::EMPTY);
    let grand = Coalition::grand(m);
    if m <= MAX_EXACT_CORE_MEMBERS {
        for mask in 1..grand.0 {
            let e = excess(g, x, Coalition(mask));
            if e > best {
                best = e;
                best_s = Coalition(mask);
            }
        }
    } else if m <= 64 {
        // Greedy ascent from the empty coalition (add) and from the grand one (remove).
        for start in [Coalition::EMPTY, grand] {
            let mut s = start;
            let mut cur = if s.is_empty() {
                f64::NEG_INFINITY
            } else {
                excess(g, x, s)
            };
            loop {
                let mut step: Option<(f64, Coalition)> = None;
                for p in 0..m {
                    let t = if s.contains(p) {
                        s.without(p)
                    } else {
                        s.with(p)
                    };
                    if t.is_empty() || t == grand {
                        continue;
                    }
                    let e = excess(g, x, t);
                    if step.map_or(true, |(b, _)| e > b) {
                        step = Some((e, t));
                    }
                }
                match step {
                    Some((e, t)) if e > cur + tol.threshold(scale) => {
                        cur = e;
                        s = t;
                        if cur > best {
                            best = cur;
                            best_s = s;
                        }
                    }
                    _ => break,
                }
            }
        }
    } else {
        return CoreCheck {
            status: CoreStatus::NotSearched,
            max_excess: f64::NAN,
            coalition: Vec::new(),
        };
    }
    let blocked = best > tol.threshold(scale);
    CoreCheck {
        status: if blocked {
            CoreStatus::Blocked
        } else if m <= MAX_EXACT_CORE_MEMBERS {
            CoreStatus::InCore
        } else {
            CoreStatus::NoBlockingFound
        },
        max_excess: best,
        coalition: best_s.members().collect(),
    }
}

pub(crate) fn verdict(ctx: &Context) -> Result<Verdict> {
    let r = &ctx.r;
    let g = AllianceGame::new(r)?;
    let m = g.members.len();
    let x = g.own_shares_of(&vec![true; m]);
    let (worst_p, worst_x) = x
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map(|(p, &v)| (p, v))
        .unwrap_or((0, 0.0));
    let tol = crate::Tolerance::REPORT;
    let outside: Vec<&str> = x
        .iter()
        .enumerate()
        .filter(|(_, &v)| v < -tol.abs)
        .map(|(p, _)| r.states[g.members[p]].id.as_str())
        .collect();
    let core = core_check(&g, &x);
    // Least core and nucleolus (fair burden shares) where the exact solvers are affordable.
    // v({i}) = 0, so imputations exist iff v(N) ≥ 0.
    let v_n: f64 = x.iter().sum();
    let (least_core_eps, nucleolus) = if m <= MAX_NUCLEOLUS_MEMBERS && v_n >= 0.0 {
        let lc = crate::coop::least_core(&g, crate::coop::Domain::Preimputations)?;
        let nu = crate::coop::nucleolus(&g)?;
        (Some(lc.epsilon), Some(nu.allocation))
    } else {
        (None, None)
    };
    // The welfare-maximising partition of the members and whether its core is non-empty
    // (Aumann–Drèze): which groupings of the members would be stable on their own.
    let structure = if m <= MAX_NUCLEOLUS_MEMBERS {
        let tu = crate::game::TuGame::from_game(&g)?;
        Some(crate::coop::stable_structure(&tu)?)
    } else {
        None
    };
    let holds = outside.is_empty() && core.status != CoreStatus::Blocked;
    let mut margin = worst_x;
    if core.max_excess.is_finite() {
        margin = margin.min(-core.max_excess);
    }
    let ids = |ps: &[usize]| -> Vec<String> {
        ps.iter()
            .map(|&p| r.states[g.members[p]].id.clone())
            .collect()
    };
    let core_text = match core.status {
        CoreStatus::InCore => {
            "the natural allocation is in the core (every coalition checked)".to_string()
        }
        CoreStatus::Blocked => format!(
            "coalition {{{}}} blocks: alone it gets {} more",
            ids(&core.coalition).join(", "),
            fmt4(core.max_excess)
        ),
        CoreStatus::NoBlockingFound => {
            format!("no blocking coalition found by greedy search ({m} members: core not proven)")
        }
        CoreStatus::NotSearched => format!("core not searched ({m} members > 64)"),
    };
    Ok(Verdict {
        id: "participation",
        holds,
        margin,
        witness: Some(json!({
            "worst_member": r.states[g.members[worst_p]].id,
            "worst_member_gain": worst_x,
            "better_off_outside": outside,
            "core_status": core.status,
            "max_excess": if core.max_excess.is_finite() { json!(core.max_excess) } else { json!(null) },
            "blocking_coalition": if core.status == CoreStatus::Blocked { json!(ids(&core.coalition)) } else { json!(null) },
            "least_core_epsilon": least_core_eps,
            "stable_structure": structure.as_ref().map(|st| json!({
                "parts": st.structure.parts.iter().map(|c| ids(&c.members().collect::<Vec<_>>())).collect::<Vec<_>>(),
                "value": st.structure.value,
                "core_nonempty": st.core.nonempty,
            })),
            "nucleolus": nucleolus.as_ref().map(|nu| g.members.iter().zip(nu).map(|(&s, &v)| json!({"id": r.states[s].id, "share": v})).collect::<Vec<_>>()),
            "allocation": g.members.iter().zip(&x).map(|(&s, &v)| json!({"id": r.states[s].id, "share": v})).collect::<Vec<_>>(),
        })),
        detail: format!(
            "{} of {m} members are better off outside (worst: {} gains {}); {core_text}{}",
            outside.len(),
            r.states[g.members[worst_p]].id,
            fmt4(worst_x),
            match least_core_eps {
                Some(e) if e <= tol.abs => format!(
                    "; least-core ε {}: a reallocation of the gains in the core exists (nucleolus)",
                    fmt4(e)
                ),
                Some(e) => format!("; least-core ε {}: the core is empty", fmt4(e)),
                None => String::new(),
            }
        ),
    })
}
