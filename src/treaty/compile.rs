//! Compilation of a treaty into the library's ordinary games, so that every solver applies:
//! the response game after an attack ([`response_game`], a [`NormalForm`]), the alliance's
//! coalitional game ([`AllianceGame`], a [`CoalitionalGame`] oracle), the decision rule
//! ([`decision_game`], a [`WeightedVoting`]) and each dispute's bargaining problem
//! ([`bargaining`]).

use super::model::{DecisionRule, Resolved};
use crate::error::{Error, Result};
use crate::game::{Coalition, CoalitionalGame, NormalForm, WeightedVoting};
use ndarray::{ArrayD, IxDyn};
use serde::Serialize;

/// Largest response game built as a dense [`NormalForm`] (2^12 profiles per player).
pub const MAX_RESPONSE_PLAYERS: usize = 12;

/// Action index of "help" in the response game.
pub const HELP: usize = 0;
/// Action index of "abstain" in the response game.
pub const ABSTAIN: usize = 1;

/// The response game after `i` attacks `j`, without building a tensor.
///
/// Players: the responders `R(j, i)`; actions help / abstain. With `H` the helpers,
/// responder `k` gets
///
/// `u_k(H) = (1 − π(H))·V_j − κ_k·[k ∈ H]`,  `π(H) = cap_i / (cap_i + cap_j + Σ_{h∈H} cap_h)`:
///
/// the target's survival is a public good every responder values at the protected value `V_j`
/// (its security stake in the target), and helping costs the helper its war cost. Reliability
/// does not enter: here the responders *choose*. It is an exact potential game (potential
/// `(1 − π(H))·V_j − Σ_{h∈H} κ_h`), so improving moves reach a pure equilibrium.
#[derive(Debug, Clone)]
pub struct ResponseGame {
    /// Aggressor index.
    pub aggressor: usize,
    /// Target index.
    pub target: usize,
    /// Responder state indices (the players, in order).
    pub responders: Vec<usize>,
    cap_a: f64,
    cap_t: f64,
    value: f64,
    caps: Vec<f64>,
    costs: Vec<f64>,
}

impl ResponseGame {
    /// The game for `aggressor` attacking `target`.
    pub fn new(r: &Resolved, aggressor: usize, target: usize) -> Self {
        let responders: Vec<usize> = r
            .responders(target, aggressor)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        ResponseGame {
            aggressor,
            target,
            cap_a: r.states[aggressor].capability,
            cap_t: r.states[target].capability,
            value: r.states[target].value,
            caps: responders.iter().map(|&k| r.states[k].capability).collect(),
            costs: responders.iter().map(|&k| r.states[k].war_cost).collect(),
            responders,
        }
    }

    /// Aggressor's win probability when the flagged responders help.
    pub fn win_probability(&self, helps: &[bool]) -> f64 {
        let d = self.helper_capability(helps);
        self.cap_a / (self.cap_a + self.cap_t + d)
    }

    /// Payoff of player `p` (index into `responders`) at a profile of help flags.
    pub fn payoff(&self, p: usize, helps: &[bool]) -> f64 {
        (1.0 - self.win_probability(helps)) * self.value
            - if helps[p] { self.costs[p] } else { 0.0 }
    }

    fn helper_capability(&self, helps: &[bool]) -> f64 {
        self.caps
            .iter()
            .zip(helps)
            .filter(|(_, &h)| h)
            .map(|(c, _)| c)
            .sum()
    }

    fn gain_at(&self, p: usize, helping: bool, d: f64) -> f64 {
        let pi = |x: f64| self.cap_a / (self.cap_a + self.cap_t + x.max(0.0));
        if helping {
            // Abstaining saves the cost and loses the contribution.
            (pi(d) - pi(d - self.caps[p])) * self.value + self.costs[p]
        } else {
            (pi(d) - pi(d + self.caps[p])) * self.value - self.costs[p]
        }
    }

    /// Gain of player `p` from switching its action at `helps` (positive: it wants to deviate).
    pub fn deviation_gain(&self, p: usize, helps: &[bool]) -> f64 {
        self.gain_at(p, helps[p], self.helper_capability(helps))
    }

    /// Max deviation gain over players (≤ 0 at a pure Nash equilibrium, negative when every
    /// player strictly prefers its action) and the player; `(−∞, None)` without players.
    /// O(m): the helper capability is summed once.
    pub fn max_gain(&self, helps: &[bool]) -> (f64, Option<usize>) {
        let d = self.helper_capability(helps);
        (0..self.responders.len())
            .map(|p| (self.gain_at(p, helps[p], d), Some(p)))
            .fold(
                (f64::NEG_INFINITY, None),
                |acc, x| if x.0 > acc.0 { x } else { acc },
            )
    }

    /// Regret of a pure profile: `max(0, max_gain)` and the player who gains most.
    pub fn regret(&self, helps: &[bool]) -> (f64, Option<usize>) {
        let (g, p) = self.max_gain(helps);
        (g.max(0.0), p.filter(|_| g > 0.0))
    }

    /// A pure equilibrium reached by improving moves from `start`: sweeps over the players in
    /// order, each switching when that strictly gains (an exact potential game, so every
    /// improving path is finite); the helper capability is updated incrementally, O(m) per
    /// sweep.
    ///
    /// # Errors
    /// [`Error::IterationLimit`] after `4·m + 4` sweeps (not reached in exact arithmetic).
    pub fn equilibrium_from(&self, start: &[bool]) -> Result<Vec<bool>> {
        let m = self.responders.len();
        let mut h = start.to_vec();
        let mut d = self.helper_capability(&h);
        let eps = crate::Tolerance::DEFAULT.threshold(self.value);
        let limit = 4 * m + 4;
        for _ in 0..limit {
            let mut moved = false;
            for (p, hp) in h.iter_mut().enumerate() {
                if self.gain_at(p, *hp, d) > eps {
                    d += if *hp { -self.caps[p] } else { self.caps[p] };
                    *hp = !*hp;
                    moved = true;
                }
            }
            if !moved {
                return Ok(h);
            }
            // Re-sum to keep rounding from accumulating.
            d = self.helper_capability(&h);
        }
        Err(Error::IterationLimit {
            algorithm: "response-game improving moves",
            limit,
        })
    }

    /// The game as a dense [`NormalForm`] (action 0 = help, 1 = abstain).
    ///
    /// # Errors
    /// [`Error::TooLarge`] for more than [`MAX_RESPONSE_PLAYERS`] responders;
    /// [`Error::InvalidGame`] when there are no responders.
    pub fn to_normal_form(&self, r: &Resolved) -> Result<NormalForm> {
        let m = self.responders.len();
        if m > MAX_RESPONSE_PLAYERS {
            return Err(Error::TooLarge(format!(
                "the response game of {} attacking {} has {m} players (2^{m} profiles); the \
                 dense limit is {MAX_RESPONSE_PLAYERS} (the conditions check deviations \
                 directly and need no tensor)",
                r.states[self.aggressor].id, r.states[self.target].id
            )));
        }
        if m == 0 {
            return Err(Error::invalid_game(format!(
                "nobody is pledged to help {} against {}",
                r.states[self.target].id, r.states[self.aggressor].id
            )));
        }
        let shape = vec![2usize; m];
        let mut tensors: Vec<ArrayD<f64>> = (0..m).map(|_| ArrayD::zeros(IxDyn(&shape))).collect();
        for mask in 0..1usize << m {
            let idx: Vec<usize> = (0..m).map(|p| mask >> p & 1).collect();
            let helps: Vec<bool> = idx.iter().map(|&a| a == HELP).collect();
            for (p, t) in tensors.iter_mut().enumerate() {
                t[IxDyn(&idx)] = self.payoff(p, &helps);
            }
        }
        NormalForm::with_names(
            r.ids(self.responders.iter().copied()),
            vec![vec!["help".to_string(), "abstain".to_string()]; m],
            tensors,
        )
        .map(|g| {
            g.with_title(format!(
                "response to {} attacking {}",
                r.states[self.aggressor].id, r.states[self.target].id
            ))
        })
    }
}

/// The response game as a [`NormalForm`] (see [`ResponseGame`] for the payoffs).
///
/// # Errors
/// As [`ResponseGame::to_normal_form`].
pub fn response_game(r: &Resolved, aggressor: usize, target: usize) -> Result<NormalForm> {
    ResponseGame::new(r, aggressor, target).to_normal_form(r)
}

/// The decision rule as a simple game over the body.
#[derive(Debug, Clone)]
pub struct DecisionGame {
    /// The voting game; player `p` is state `body[p]`.
    pub voting: WeightedVoting,
    /// State index of each voter.
    pub body: Vec<usize>,
}

/// Weights and quota of the rule over `body` (state indices).
fn rule_weights(r: &Resolved, body: &[usize]) -> (Vec<u64>, u64) {
    let n = body.len() as u64;
    match &r.decision.rule {
        DecisionRule::Unanimity | DecisionRule::Consensus => (vec![1; body.len()], n),
        DecisionRule::QualifiedMajority { threshold } => {
            // More than threshold·n yes votes.
            let q = threshold * n as f64;
            let quota = (q + crate::Tolerance::DEFAULT.threshold(q)).floor() as u64 + 1;
            (vec![1; body.len()], quota.min(n.max(1)))
        }
        DecisionRule::Weighted { quota, weights } => (
            body.iter()
                .map(|&i| *weights.get(&r.states[i].id).unwrap_or(&1))
                .collect(),
            *quota,
        ),
    }
}

/// The decision rule as a [`WeightedVoting`] game over the decision body: unanimity and
/// consensus are quota `|body|` of unit weights, qualified majority is quota
/// `⌊threshold·|body|⌋ + 1`, weighted uses the given weights (1 when unlisted); vetoes as given.
///
/// # Errors
/// [`Error::InvalidGame`] for an unreachable quota (the validated treaty excludes it).
pub fn decision_game(r: &Resolved) -> Result<DecisionGame> {
    let (w, q) = rule_weights(r, &r.body);
    let veto: Vec<usize> = r
        .decision
        .veto
        .iter()
        .filter_map(|id| r.body.iter().position(|&b| r.states[b].id == *id))
        .collect();
    let voting = WeightedVoting::new(w, q)?
        .with_veto(veto)?
        .with_players(r.ids(r.body.iter().copied()))?;
    Ok(DecisionGame {
        voting,
        body: r.body.clone(),
    })
}

/// Whether the body can decide to act against `aggressor`, and with what slack.
#[derive(Debug, Clone, Serialize)]
pub struct ActionAgainst {
    /// Aggressor index.
    pub aggressor: usize,
    /// Can a winning coalition form without the aggressor's vote?
    pub can_act: bool,
    /// `min over rules of (W − quota) / W_total` for the weight `W` of the voters other than the
    /// aggressor (a veto held by a voting aggressor counts as a unanimity rule among the veto
    /// holders); `>= 0` iff it can act.
    pub margin: f64,
    /// Did the aggressor abstain as a party (`parties_abstain`)?
    pub abstained: bool,
    /// Does the aggressor hold a veto it can use?
    pub vetoes: bool,
}

/// Whether the decision rule can act against `aggressor`: if it is in the body it votes no,
/// or, with `parties_abstain`, it leaves the body (the rule is then applied to the others:
/// unanimity of the others, `> threshold·(|body| − 1)`, or the same quota without its weight,
/// as in UN Charter Art. 27(3)) and its veto lapses.
pub fn can_act_against(r: &Resolved, aggressor: usize) -> ActionAgainst {
    let in_body = r.body.contains(&aggressor);
    let abstained = in_body && r.decision.parties_abstain;
    let others: Vec<usize> = r.body.iter().copied().filter(|&b| b != aggressor).collect();
    let (full_w, full_q) = rule_weights(r, &r.body);
    let total: u64 = full_w.iter().sum();
    let (w, q) = if abstained {
        match &r.decision.rule {
            DecisionRule::Weighted { quota, .. } => {
                let (w, _) = rule_weights(r, &others);
                (w, *quota)
            }
            _ => rule_weights(r, &others),
        }
    } else {
        let (w, _) = rule_weights(r, &r.body);
        let w = r
            .body
            .iter()
            .zip(w)
            .filter(|(&b, _)| b != aggressor)
            .map(|(_, x)| x)
            .collect();
        (w, full_q)
    };
    let avail: u64 = w.iter().sum();
    let mut margin = if others.is_empty() && !in_body {
        // Nobody but the aggressor… cannot happen for a non-empty body.
        -1.0
    } else {
        (avail as f64 - q as f64) / total.max(1) as f64
    };
    let vetoes = in_body && !abstained && r.decision.veto.contains(&r.states[aggressor].id);
    if vetoes {
        margin = margin.min(-1.0 / r.decision.veto.len() as f64);
    }
    ActionAgainst {
        aggressor,
        can_act: margin >= 0.0,
        margin,
        abstained,
        vetoes,
    }
}

/// The alliance's coalitional game over the members (player `p` = state `members[p]`).
///
/// `v(S) = Σ_{j∈S} V_j·(π̄_j(∅) − π̄_j(S)) − B(S)`, where `π̄_j(S)` is the worst-case
/// probability of losing member `j` when only `S` defends it: the largest win probability
/// `cap_i / (cap_i + cap_j + Σ_{k∈S∩R(j,i)} ρ_k·cap_k)` over aggressors `i ∉ S` (members outside
/// `S` and non-members), helpers counted at expected capability; and `B(S)` is the expected war
/// cost of honouring `S`'s pledges when one member, uniformly at random among the `m` members,
/// is attacked by its worst aggressor: `(1/m)·Σ_{j∈S} Σ_{k∈S∩R(j,i*_j)} ρ_k κ_k`.
/// So `v({j}) = 0`: alone, a member has no allies and no burden.
#[derive(Debug, Clone)]
pub struct AllianceGame {
    /// Member state indices (the players).
    pub members: Vec<usize>,
    n_states: usize,
    caps: Vec<f64>,
    values: Vec<f64>,
    costs: Vec<f64>,
    /// `rho[(p · n + i) · m + q]`: reliability with which member `q` helps member `p` against
    /// state `i` (0 when not pledged).
    rho: Vec<f64>,
    member_flag: Vec<Option<usize>>,
}

/// Most members of an [`AllianceGame`] (its table of pledged reliabilities has
/// `members² · states` entries).
pub const MAX_ALLIANCE_MEMBERS: usize = 256;

impl AllianceGame {
    /// Builds the oracle.
    ///
    /// # Errors
    /// [`Error::TooLarge`] above [`MAX_ALLIANCE_MEMBERS`] members.
    pub fn new(r: &Resolved) -> Result<Self> {
        let m = r.members.len();
        if m > MAX_ALLIANCE_MEMBERS {
            return Err(Error::TooLarge(format!(
                "the alliance game has {m} members; the limit is {MAX_ALLIANCE_MEMBERS} (its \
                 reliability table has members² · states entries)"
            )));
        }
        let n = r.n();
        let mut member_flag = vec![None; n];
        for (p, &j) in r.members.iter().enumerate() {
            member_flag[j] = Some(p);
        }
        let mut rho = vec![0.0; m * n * m];
        for (p, &j) in r.members.iter().enumerate() {
            for i in 0..n {
                if i == j {
                    continue;
                }
                for (k, rk) in r.responders(j, i) {
                    if let Some(q) = member_flag[k] {
                        rho[(p * n + i) * m + q] = rk;
                    }
                }
            }
        }
        Ok(AllianceGame {
            members: r.members.clone(),
            n_states: n,
            caps: r.states.iter().map(|s| s.capability).collect(),
            values: r.states.iter().map(|s| s.value).collect(),
            costs: r.states.iter().map(|s| s.war_cost).collect(),
            rho,
            member_flag,
        })
    }

    /// `(π̄_j(S), worst aggressor)` for member player `p`; `s` lists the players of `S`.
    fn worst(&self, p: usize, s: &[usize], in_s: &[bool]) -> (f64, Option<usize>) {
        let m = self.members.len();
        let j = self.members[p];
        let n = self.n_states;
        let mut best = (0.0, None);
        for i in 0..n {
            if i == j || self.member_flag[i].is_some_and(|q| in_s[q]) {
                continue;
            }
            let row = &self.rho[(p * n + i) * m..(p * n + i + 1) * m];
            let d: f64 = s
                .iter()
                .filter(|&&q| q != p)
                .map(|&q| row[q] * self.caps[self.members[q]])
                .sum();
            let pi = self.caps[i] / (self.caps[i] + self.caps[j] + d);
            if pi > best.0 {
                best = (pi, Some(i));
            }
        }
        best
    }

    /// Member player `p`'s own share of `v(S)`: its security gain minus its own expected
    /// burden (these shares sum to `v(S)`; at the grand coalition they are the treaty's
    /// natural allocation).
    pub fn own_shares(&self, s: Coalition) -> Vec<f64> {
        let m = self.members.len();
        let in_s: Vec<bool> = (0..m).map(|q| q < 64 && s.contains(q)).collect();
        self.own_shares_of(&in_s)
    }

    /// [`AllianceGame::own_shares`] for a coalition given by membership flags (any number of
    /// members).
    pub fn own_shares_of(&self, in_s: &[bool]) -> Vec<f64> {
        let m = self.members.len();
        let n = self.n_states;
        let s: Vec<usize> = (0..m).filter(|&q| in_s[q]).collect();
        let mut alone_flags = vec![false; m];
        let mut x = vec![0.0; m];
        for &p in &s {
            let j = self.members[p];
            alone_flags[p] = true;
            let (alone, _) = self.worst(p, &[p], &alone_flags);
            alone_flags[p] = false;
            let (with, worst) = self.worst(p, &s, in_s);
            x[p] += self.values[j] * (alone - with);
            if let Some(i) = worst {
                let row = &self.rho[(p * n + i) * m..(p * n + i + 1) * m];
                for &q in s.iter().filter(|&&q| q != p) {
                    x[q] -= row[q] * self.costs[self.members[q]] / m as f64;
                }
            }
        }
        x
    }
}

/// As a [`CoalitionalGame`] the alliance game supports at most 64 members (bitmask
/// coalitions); larger alliances use [`AllianceGame::own_shares_of`].
impl CoalitionalGame for AllianceGame {
    fn num_players(&self) -> usize {
        self.members.len()
    }

    fn value(&self, s: Coalition) -> f64 {
        if s.is_empty() {
            return 0.0;
        }
        self.own_shares(s).iter().sum()
    }
}

/// A dispute dyad's bargaining problem (Fearon, "Rationalist Explanations for War", IO 1995).
///
/// The disputed good is worth 1 (the model's unit); `a` gets `x`, `b` gets `1 − x`. War gives
/// `a` the lottery `p − c_a` and `b` `1 − p − c_b`, with `p = cap_a / (cap_a + cap_b)` and
/// `c = κ` (war costs in the same unit). Every `x` in `[p − c_a, p + c_b]` is preferred to war by
/// both.
#[derive(Debug, Clone, Serialize)]
pub struct Bargaining {
    /// First state's id.
    pub a: String,
    /// Second state's id.
    pub b: String,
    /// `a`'s win probability.
    pub p: f64,
    /// `a`'s war cost.
    pub cost_a: f64,
    /// `b`'s war cost.
    pub cost_b: f64,
    /// The bargaining range `[p − c_a, p + c_b]` intersected with `[0, 1]`; `None` when empty.
    pub range: Option<(f64, f64)>,
    /// Nash bargaining solution with war as the disagreement point (`None` when the range is
    /// empty).
    pub nash: Option<f64>,
    /// Kalai–Smorodinsky solution with war as the disagreement point.
    pub kalai_smorodinsky: Option<f64>,
    /// The settlement rule's split.
    pub settlement: f64,
}

/// The bargaining problem of `a` and `b` under the treaty's settlement rule.
pub fn bargaining(r: &Resolved, a: usize, b: usize) -> Bargaining {
    let (sa, sb) = (&r.states[a], &r.states[b]);
    let p = sa.capability / (sa.capability + sb.capability);
    let (ca, cb) = (sa.war_cost, sb.war_cost);
    let lo = (p - ca).max(0.0);
    let hi = (p + cb).min(1.0);
    let range = (lo <= hi).then_some((lo, hi));
    // Disagreement utilities; frontier u_a + u_b = 1 on x ∈ [0, 1].
    let (da, db) = (p - ca, 1.0 - p - cb);
    let nash = range.map(|(lo, hi)| ((1.0 + da - db) / 2.0).clamp(lo, hi));
    let ks = range.map(|(lo, hi)| {
        // Ideal points: each gets the most the other accepts over disagreement.
        let ia = hi - da;
        let ib = (1.0 - lo) - db;
        if ia + ib <= 0.0 {
            lo
        } else {
            // (x − d_a)/ia = (1 − x − d_b)/ib.
            ((ia * (1.0 - db) + ib * da) / (ia + ib)).clamp(lo, hi)
        }
    });
    let settlement = match r.settlement {
        super::model::Settlement::Capability => p,
        super::model::Settlement::Equal => 0.5,
        super::model::Settlement::StatusQuo { status_quo } => status_quo,
    };
    Bargaining {
        a: sa.id.clone(),
        b: sb.id.clone(),
        p,
        cost_a: ca,
        cost_b: cb,
        range,
        nash,
        kalai_smorodinsky: ks,
        settlement,
    }
}
