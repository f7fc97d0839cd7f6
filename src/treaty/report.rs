//! The report: one [`Verdict`] per collective-security condition.

use super::compile::{can_act_against, ActionAgainst};
use super::conditions;
use super::deterrence::DEFAULT_RESOLUTION;
use super::model::{Resolved, Treaty};
use crate::error::{Error, Result};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// The collective-security conditions (DESIGN.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionId {
    /// (a) every aggression against a member has negative expected value.
    Deterrence,
    /// (b) members are better off inside; the treaty is in the core of its coalitional game.
    Participation,
    /// (c) symmetric obligations, equal power, no veto over action against oneself.
    EqualRules,
    /// (d) pledged help is an equilibrium of the response game.
    Credibility,
    /// (e) contributions within capacity meet every threat.
    BurdenSharing,
    /// (f) every dispute has a bargaining range containing the settlement.
    PeacefulResolution,
    /// (g) the decision rule can act against any aggressor.
    Liveness,
}

impl ConditionId {
    /// All conditions, in report order.
    pub const ALL: [ConditionId; 7] = [
        ConditionId::Deterrence,
        ConditionId::Participation,
        ConditionId::EqualRules,
        ConditionId::Credibility,
        ConditionId::BurdenSharing,
        ConditionId::PeacefulResolution,
        ConditionId::Liveness,
    ];

    /// The stable id used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ConditionId::Deterrence => "deterrence",
            ConditionId::Participation => "participation",
            ConditionId::EqualRules => "equal_rules",
            ConditionId::Credibility => "credibility",
            ConditionId::BurdenSharing => "burden_sharing",
            ConditionId::PeacefulResolution => "peaceful_resolution",
            ConditionId::Liveness => "liveness",
        }
    }
}

impl fmt::Display for ConditionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ConditionId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        ConditionId::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                Error::invalid_argument(format!(
                    "unknown condition `{s}`: expected one of {}",
                    ConditionId::ALL.map(ConditionId::as_str).join(", ")
                ))
            })
    }
}

/// Whether one condition holds, by how much, and why not.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// The condition id (`deterrence`, …).
    pub id: &'static str,
    /// Does it hold?
    pub holds: bool,
    /// How much slack (≥ 0 when it holds, < 0 when it fails; each condition documents its unit).
    pub margin: f64,
    /// The worst case: a counterexample when it fails, the tightest case when it holds.
    pub witness: Option<serde_json::Value>,
    /// One-paragraph explanation with the numbers.
    pub detail: String,
}

/// The result of [`check`].
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The treaty's name.
    pub treaty: String,
    /// One verdict per requested condition, in the order asked.
    pub conditions: Vec<Verdict>,
}

impl Report {
    /// The verdict of a condition, if it was checked.
    pub fn verdict(&self, id: ConditionId) -> Option<&Verdict> {
        self.conditions.iter().find(|v| v.id == id.as_str())
    }

    /// A plain-text table (condition, holds, margin, detail).
    pub fn to_table(&self) -> String {
        let mut s = format!("{}\n", self.treaty);
        s.push_str(&format!(
            "{:<20} {:<6} {:>12}  {}\n",
            "condition", "holds", "margin", "detail"
        ));
        for v in &self.conditions {
            s.push_str(&format!(
                "{:<20} {:<6} {:>12.6}  {}\n",
                v.id,
                if v.holds { "yes" } else { "NO" },
                v.margin,
                v.detail
            ));
        }
        s
    }
}

/// Options of [`check_with`].
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// Capability units the model's total capability is divided into for the deterrence DP
    /// (default [`DEFAULT_RESOLUTION`]); finer is slower and tighter.
    pub resolution: usize,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            resolution: DEFAULT_RESOLUTION,
        }
    }
}

/// What every condition shares: the resolved treaty, who the body can act against, and the
/// sanction each aggressor faces.
pub(crate) struct Context {
    pub r: Resolved,
    pub actions: Vec<ActionAgainst>,
    /// Sanction cost per aggressor: the treaty's cost when it targets the state and the
    /// decision rule can act against it (a state that can block the decision is not sanctioned).
    pub sanction: Vec<f64>,
    pub opts: CheckOptions,
}

impl Context {
    pub fn new(t: &Treaty, opts: CheckOptions) -> Result<Self> {
        if opts.resolution == 0 {
            return Err(Error::invalid_argument("the resolution must be at least 1"));
        }
        let r = t.resolve()?;
        let actions: Vec<ActionAgainst> = (0..r.n()).map(|i| can_act_against(&r, i)).collect();
        let sanction = (0..r.n())
            .map(|i| {
                if r.sanctioned[i] && actions[i].can_act {
                    r.sanction_cost
                } else {
                    0.0
                }
            })
            .collect();
        Ok(Context {
            r,
            actions,
            sanction,
            opts,
        })
    }
}

/// Checks the requested conditions (all of them when `which` is empty).
///
/// # Errors
/// [`Error::Model`] for an invalid treaty; [`Error::Lp`]/[`Error::Numerical`] when an LP
/// backend fails.
///
/// # Example
/// ```
/// use covenant::treaty::{check, ConditionId, ObligationKind, StateSet, TreatyBuilder};
/// let t = TreatyBuilder::new("Pact")
///     .state("A", 0.3)
///     .state("B", 0.3)
///     .non_member("Z", 0.2)
///     .obligation(ObligationKind::Defense, StateSet::Members, StateSet::Members, StateSet::All)
///     .build()
///     .unwrap();
/// let r = check(&t, &[ConditionId::Deterrence]).unwrap();
/// assert!(r.conditions[0].holds);
/// ```
pub fn check(treaty: &Treaty, which: &[ConditionId]) -> Result<Report> {
    check_with(treaty, which, CheckOptions::default())
}

/// [`check`] with options.
///
/// # Errors
/// As [`check`].
pub fn check_with(treaty: &Treaty, which: &[ConditionId], opts: CheckOptions) -> Result<Report> {
    let ctx = Context::new(treaty, opts)?;
    let which: &[ConditionId] = if which.is_empty() {
        &ConditionId::ALL
    } else {
        which
    };
    let mut out = Vec::with_capacity(which.len());
    for &c in which {
        out.push(match c {
            ConditionId::Deterrence => conditions::deterrence::verdict(&ctx),
            ConditionId::Participation => conditions::participation::verdict(&ctx)?,
            ConditionId::EqualRules => conditions::equal_rules::verdict(&ctx)?,
            ConditionId::Credibility => conditions::credibility::verdict(&ctx)?,
            ConditionId::BurdenSharing => conditions::burden_sharing::verdict(&ctx)?,
            ConditionId::PeacefulResolution => conditions::peaceful_resolution::verdict(&ctx),
            ConditionId::Liveness => conditions::liveness::verdict(&ctx),
        });
    }
    Ok(Report {
        treaty: treaty.name.clone(),
        conditions: out,
    })
}

/// Rounds for display in details.
pub(crate) fn fmt4(x: f64) -> String {
    format!("{x:.4}")
}
