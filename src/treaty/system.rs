//! One year of a treaty, resolved into indices: the states present, their parameters, the
//! projected capability and stake tables, and the clauses in force.

use super::model::{
    Capacity, Gradient, ObligationCondition, ObligationKind, Power, ReliabilityProfile, Snapshot,
    StateSet, Treaty, Trigger, VotingRule,
};
use crate::error::{Error, Result};
use std::collections::HashMap;

/// Earth's mean radius in statute miles (the unit of Bueno de Mesquita's gradient).
const EARTH_RADIUS_MILES: f64 = 3958.8;

/// A procedure in force, resolved.
#[derive(Debug, Clone)]
pub struct ProcedureR {
    /// Id.
    pub id: String,
    /// Body members (state indices).
    pub body: Vec<usize>,
    /// Rule.
    pub rule: RuleR,
    /// Veto holders present in the body.
    pub veto: Vec<usize>,
    /// Does a veto holder's abstention block?
    pub abstention_is_veto: bool,
    /// Must parties abstain?
    pub parties_abstain: bool,
    /// What it can decide.
    pub triggers: Vec<Power>,
    /// Index of a procedure that must act first (in [`System::procedures`]); `Some(None)` when
    /// the required procedure is not in force this year (so this one can never act).
    pub requires: Option<Option<usize>>,
    /// Article.
    pub article: Option<String>,
}

/// A voting rule over a resolved body.
#[derive(Debug, Clone)]
pub enum RuleR {
    /// Every body member votes yes.
    Unanimity,
    /// Nobody objects.
    Consensus,
    /// At least `quota` yes votes, or `threshold` of the voting body.
    Majority {
        /// Share.
        threshold: Option<f64>,
        /// Votes.
        quota: Option<u64>,
    },
    /// Weighted votes (`weights[k]` for body position `k`).
    Weighted {
        /// Quota.
        quota: u64,
        /// Weight per body position.
        weights: Vec<u64>,
    },
}

/// An obligation in force, resolved.
#[derive(Debug, Clone)]
pub struct ObligationR {
    /// Kind.
    pub kind: ObligationKind,
    /// Article.
    pub article: Option<String>,
    /// `None`: individual; `Some(Some(p))`: procedure `p`; `Some(None)`: a procedure not in
    /// force this year.
    pub trigger: Option<Option<usize>>,
    /// Armed?
    pub armed: bool,
    /// Pledger flags.
    pub pledgers: Vec<bool>,
    /// Protected flags.
    pub protects: Vec<bool>,
    /// Against flags.
    pub against: Vec<bool>,
    /// Region condition.
    pub region: Option<String>,
    /// Reliability override.
    pub reliability: Option<f64>,
}

/// Sanctions in force, resolved.
#[derive(Debug, Clone)]
pub struct SanctionR {
    /// Cost on the aggressor.
    pub cost: f64,
    /// Trigger as in [`ObligationR::trigger`].
    pub trigger: Option<Option<usize>>,
    /// Whom they can hit.
    pub against: Vec<bool>,
    /// Cost on defectors.
    pub on_defectors: f64,
    /// Article.
    pub article: Option<String>,
}

/// One year of a treaty, resolved into indices (states in snapshot order).
#[derive(Debug, Clone)]
pub struct System<'t> {
    /// The model.
    pub treaty: &'t Treaty,
    /// The snapshot.
    pub snapshot: &'t Snapshot,
    /// Ids.
    pub ids: Vec<String>,
    /// Names.
    pub names: Vec<String>,
    /// Member flags.
    pub member: Vec<bool>,
    /// Member indices, in snapshot member order.
    pub members: Vec<usize>,
    /// Capability.
    pub cap: Vec<f64>,
    /// `V`.
    pub value: Vec<f64>,
    /// `L`.
    pub loss: Vec<f64>,
    /// `κ`.
    pub war_cost: Vec<f64>,
    /// Base reliability `ρ`.
    pub reliability: Vec<f64>,
    /// Audience cost (0 for non-democracies).
    pub audience: Vec<f64>,
    /// Burden capacity.
    pub capacity: Vec<f64>,
    /// Democracy flags.
    pub democracy: Vec<bool>,
    /// Major-power flags.
    pub major: Vec<bool>,
    /// Regions.
    pub region: Vec<Option<String>>,
    /// Patrons (protectors in the organs) of each state.
    pub patrons: Vec<Vec<usize>>,
    /// Military expenditure.
    pub milex: Vec<Option<f64>>,
    /// GDP.
    pub gdp: Vec<Option<f64>>,
    /// Procedures in force.
    pub procedures: Vec<ProcedureR>,
    /// Obligations in force.
    pub obligations: Vec<ObligationR>,
    /// Sanctions in force.
    pub sanctions: Vec<SanctionR>,
    proj: Vec<f64>,
    stake: Vec<f64>,
    index: HashMap<String, usize>,
}

impl<'t> System<'t> {
    /// Resolves the snapshot of `year` (the latest when `None`).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a year without a snapshot, [`Error::Model`]-like
    /// [`Error::InvalidArgument`] when the gradient needs coordinates a state lacks, and any
    /// validation error of the treaty.
    pub fn new(treaty: &'t Treaty, year: Option<i32>) -> Result<Self> {
        treaty
            .validate()
            .map_err(|e| Error::InvalidArgument(format!("field `{}`: {}", e.field, e.message)))?;
        let snapshot = treaty.snapshot(year)?;
        let y = snapshot.year;
        let by_id: HashMap<&str, usize> = treaty
            .states
            .iter()
            .enumerate()
            .map(|(k, s)| (s.id.as_str(), k))
            .collect();
        let n = snapshot.capability.len();
        let mut index = HashMap::with_capacity(n);
        let mut st = Vec::with_capacity(n);
        for (k, (id, _)) in snapshot.capability.iter().enumerate() {
            index.insert(id.clone(), k);
            st.push(&treaty.states[by_id[id.as_str()]]);
        }
        let d = &treaty.defaults;
        let member_set: std::collections::HashSet<&str> =
            snapshot.members.iter().map(String::as_str).collect();
        let member: Vec<bool> = snapshot
            .capability
            .iter()
            .map(|(id, _)| member_set.contains(id.as_str()))
            .collect();
        let members: Vec<usize> = snapshot.members.iter().map(|m| index[m]).collect();
        let cap: Vec<f64> = snapshot.capability.iter().map(|(_, c)| *c).collect();
        let flag = |list: &[String]| -> Vec<bool> {
            let mut v = vec![false; n];
            for id in list {
                if let Some(&k) = index.get(id) {
                    v[k] = true;
                }
            }
            v
        };
        let democracy = flag(&snapshot.democracies);
        let major = flag(&snapshot.major_powers);
        let o = |k: usize| &st[k].overrides;
        let capacity = (0..n)
            .map(|k| match o(k).capacity.unwrap_or(d.capacity) {
                Capacity::Capability => cap[k],
                Capacity::Fixed(c) => c,
            })
            .collect();
        let mut patrons = vec![Vec::new(); n];
        for (p, list) in &snapshot.patrons {
            if let Some(&k) = index.get(p) {
                patrons[k] = list.iter().filter_map(|q| index.get(q).copied()).collect();
            }
        }
        let per = |table: &std::collections::BTreeMap<String, f64>| -> Vec<Option<f64>> {
            (0..n)
                .map(|k| table.get(&snapshot.capability[k].0).copied())
                .collect()
        };
        let mut sys = System {
            treaty,
            snapshot,
            ids: snapshot
                .capability
                .iter()
                .map(|(id, _)| id.clone())
                .collect(),
            names: st.iter().map(|s| s.name.clone()).collect(),
            member,
            members,
            value: (0..n).map(|k| o(k).value.unwrap_or(d.value)).collect(),
            loss: (0..n).map(|k| o(k).loss.unwrap_or(d.loss)).collect(),
            war_cost: (0..n)
                .map(|k| o(k).war_cost.unwrap_or(d.war_cost))
                .collect(),
            reliability: (0..n)
                .map(|k| o(k).reliability.unwrap_or(d.reliability))
                .collect(),
            audience: (0..n)
                .map(|k| {
                    if democracy[k] {
                        o(k).audience_cost.unwrap_or(d.audience_cost)
                    } else {
                        0.0
                    }
                })
                .collect(),
            capacity,
            democracy,
            major,
            region: st.iter().map(|s| s.region.clone()).collect(),
            patrons,
            milex: per(&snapshot.milex),
            gdp: per(&snapshot.gdp),
            procedures: Vec::new(),
            obligations: Vec::new(),
            sanctions: Vec::new(),
            proj: Vec::new(),
            stake: Vec::new(),
            index,
            cap,
        };
        sys.resolve_clauses(y);
        sys.proj = sys.projection(&st)?;
        sys.stake = sys.stakes(&st);
        Ok(sys)
    }

    /// Number of states present.
    pub fn n(&self) -> usize {
        self.ids.len()
    }

    /// Index of a state id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The year checked.
    pub fn year(&self) -> i32 {
        self.snapshot.year
    }

    /// `c_k→j`: `k`'s capability projected to `j`.
    #[inline]
    pub fn proj(&self, k: usize, j: usize) -> f64 {
        self.proj[k * self.n() + j]
    }

    /// `W_kj`: responder `k`'s stake in `j`'s survival.
    #[inline]
    pub fn stake(&self, k: usize, j: usize) -> f64 {
        self.stake[k * self.n() + j]
    }

    /// Scales every stake (Monte Carlo draws).
    pub(crate) fn scale_stakes(&mut self, f: f64) {
        self.stake.iter_mut().for_each(|w| *w *= f);
    }

    /// Rebuilds the projection table after capabilities changed (Monte Carlo draws).
    pub(crate) fn reproject(&mut self) -> Result<()> {
        let by_id: HashMap<&str, usize> = self
            .treaty
            .states
            .iter()
            .enumerate()
            .map(|(k, s)| (s.id.as_str(), k))
            .collect();
        let st: Vec<_> = self
            .ids
            .iter()
            .map(|id| &self.treaty.states[by_id[id.as_str()]])
            .collect();
        self.proj = self.projection(&st)?;
        Ok(())
    }

    fn projection(&self, st: &[&super::model::State]) -> Result<Vec<f64>> {
        let n = self.n();
        let mut proj = vec![0.0; n * n];
        match self.treaty.war.gradient {
            Gradient::None => {
                for k in 0..n {
                    proj[k * n..(k + 1) * n].fill(self.cap[k]);
                }
            }
            Gradient::Bdm { miles_per_day } => {
                let mut coords = Vec::with_capacity(n);
                for s in st {
                    match (s.lat, s.lon) {
                        (Some(a), Some(b)) => coords.push((a.to_radians(), b.to_radians())),
                        _ => {
                            return Err(Error::InvalidArgument(format!(
                                "war.gradient = \"bdm\" needs the coordinates (lat, lon) of \
                                 every state; `{}` has none",
                                s.id
                            )))
                        }
                    }
                }
                let offset = 10.0 - std::f64::consts::E;
                for k in 0..n {
                    for j in 0..n {
                        let miles = great_circle(coords[k], coords[j]) * EARTH_RADIUS_MILES;
                        let exponent = (miles / miles_per_day + offset).log10();
                        proj[k * n + j] = self.cap[k].powf(exponent);
                    }
                }
            }
        }
        Ok(proj)
    }

    fn stakes(&self, st: &[&super::model::State]) -> Vec<f64> {
        let n = self.n();
        let rule = &self.treaty.stakes;
        let mut w = vec![0.0; n * n];
        for k in 0..n {
            for j in 0..n {
                let share = if k == j {
                    rule.own
                } else if st[k].presence.iter().any(|p| p == &self.ids[j]) {
                    rule.presence
                } else if self.region[k].is_some() && self.region[k] == self.region[j] {
                    rule.same_region
                } else {
                    rule.other
                };
                w[k * n + j] = share * self.value[j];
            }
        }
        for (from, to, x) in &rule.declared {
            if let (Some(k), Some(j)) = (self.index_of(from), self.index_of(to)) {
                w[k * n + j] = *x;
            }
        }
        w
    }

    fn flags(&self, set: &StateSet) -> Vec<bool> {
        (0..self.n())
            .map(|k| set.contains(&self.ids[k], self.member[k]))
            .collect()
    }

    fn resolve_clauses(&mut self, year: i32) {
        let t = self.treaty;
        let in_force: Vec<&super::model::Procedure> = t
            .procedures
            .iter()
            .filter(|p| p.validity.covers(year))
            .collect();
        let pos = |id: &str| in_force.iter().position(|p| p.id == id);
        for p in &in_force {
            let bodyf = self.flags(&p.body);
            let body: Vec<usize> = (0..self.n()).filter(|&k| bodyf[k]).collect();
            let rule = match &p.rule {
                VotingRule::Unanimity => RuleR::Unanimity,
                VotingRule::Consensus => RuleR::Consensus,
                VotingRule::QualifiedMajority { threshold, quota } => RuleR::Majority {
                    threshold: *threshold,
                    quota: *quota,
                },
                VotingRule::Weighted { quota, weights } => RuleR::Weighted {
                    quota: *quota,
                    weights: body
                        .iter()
                        .map(|&k| weights.get(&self.ids[k]).copied().unwrap_or(1))
                        .collect(),
                },
            };
            self.procedures.push(ProcedureR {
                id: p.id.clone(),
                veto: p
                    .veto
                    .iter()
                    .filter_map(|v| self.index_of(v))
                    .filter(|k| bodyf[*k])
                    .collect(),
                body,
                rule,
                abstention_is_veto: p.abstention_is_veto,
                parties_abstain: p.parties_abstain,
                triggers: p.triggers.clone(),
                requires: p.requires.as_ref().map(|r| pos(r)),
                article: p.article.clone(),
            });
        }
        let trig = |t: &Trigger| match t {
            Trigger::Individual => None,
            Trigger::Collective(id) => Some(pos(id)),
        };
        for o in t.obligations.iter().filter(|o| o.validity.covers(year)) {
            let region = o.conditions.iter().find_map(|c| match c {
                ObligationCondition::Region(r) => Some(r.clone()),
                ObligationCondition::NonProvocation => None,
            });
            self.obligations.push(ObligationR {
                kind: o.kind,
                article: o.article.clone(),
                trigger: trig(&o.trigger),
                armed: o.armed,
                pledgers: self.flags(&o.pledgers),
                protects: self.flags(&o.protects),
                against: self.flags(&o.against),
                region,
                reliability: o.reliability,
            });
        }
        for s in t.sanctions.iter().filter(|s| s.validity.covers(year)) {
            self.sanctions.push(SanctionR {
                cost: s.cost,
                trigger: trig(&s.trigger),
                against: self.flags(&s.against),
                on_defectors: s.on_defectors,
                article: s.article.clone(),
            });
        }
    }

    /// Reliability of `k` helping `j` under an obligation's override (Leeds 2003 profile
    /// applied), clamped to `[0, 1]`.
    pub fn reliability_of(&self, k: usize, j: usize, base: Option<f64>) -> f64 {
        let mut r = base.unwrap_or(self.reliability[k]);
        if let ReliabilityProfile::Leeds2003 {
            democracy,
            major_to_minor,
        } = self.treaty.reliability
        {
            if self.democracy[k] {
                r += democracy;
            }
            if self.major[k] && !self.major[j] {
                r += major_to_minor;
            }
        }
        r.clamp(0.0, 1.0)
    }

    /// The scope of an attack by `aggressor`.
    pub fn scope_of(&self, aggressor: usize) -> super::model::Scope {
        if self.member[aggressor] {
            super::model::Scope::Internal
        } else {
            super::model::Scope::External
        }
    }
}

/// Central angle between two points given in radians (haversine).
fn great_circle(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dlat, dlon) = (b.0 - a.0, b.1 - a.1);
    let h = (dlat / 2.0).sin().powi(2) + a.0.cos() * b.0.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn london_to_new_york_is_about_3460_miles() {
        let lon = (51.5074_f64.to_radians(), (-0.1278_f64).to_radians());
        let nyc = (40.7128_f64.to_radians(), (-74.0060_f64).to_radians());
        let miles = great_circle(lon, nyc) * EARTH_RADIUS_MILES;
        assert!((miles - 3461.0).abs() < 10.0, "{miles}");
    }
}
