//! Whether a treaty organ can act against an aggressor, and who can stop it.
//!
//! In the scenario checked, the aggressor votes no (unless the procedure makes parties abstain:
//! UN Charter Art. 27(3) for Ch. VI, League Art. 15(6)–(7)), its patrons in the body vote no,
//! and every other body member votes yes. The procedure can act when that vote carries and the
//! procedure it requires (if any) can act too.

use super::system::{RuleR, System};
use serde::Serialize;

/// Why a coalition can block action against an aggressor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// The aggressor itself (a veto, or its "no" under unanimity or consensus).
    Aggressor,
    /// A third party protecting the aggressor (a patron in the body).
    Protector,
    /// A veto holder that is neither.
    VetoHolder,
    /// Any single member, under unanimity or consensus.
    LoneMember,
    /// A group of third parties large enough to deny the quota.
    Group,
}

/// A minimal blocking coalition, classified.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockingCoalition {
    /// Its kind.
    pub kind: BlockKind,
    /// Its members (ids) when they are particular states; empty for "any one" / "any group".
    pub members: Vec<String>,
    /// How many states it takes.
    pub size: usize,
}

struct Vote {
    voting: Vec<usize>,
    no: Vec<usize>,
}

fn vote(sys: &System, p: usize, aggressor: usize) -> Vote {
    let pr = &sys.procedures[p];
    let voting: Vec<usize> = pr
        .body
        .iter()
        .copied()
        .filter(|&k| !(pr.parties_abstain && k == aggressor))
        .collect();
    let no = voting
        .iter()
        .copied()
        .filter(|&k| k == aggressor || sys.patrons[aggressor].contains(&k))
        .collect();
    Vote { voting, no }
}

/// Votes (or weight) needed to carry a decision of procedure `p` with `voting` body positions.
pub(crate) fn needed(sys: &System, p: usize, voting: &[usize]) -> u64 {
    let pr = &sys.procedures[p];
    match &pr.rule {
        RuleR::Unanimity | RuleR::Consensus => voting.len() as u64,
        RuleR::Majority { threshold, quota } => match (quota, threshold) {
            (Some(q), _) => *q,
            (None, Some(t)) => ((t * voting.len() as f64) - 1e-9).ceil().max(1.0) as u64,
            (None, None) => voting.len() as u64 / 2 + 1,
        },
        RuleR::Weighted { quota, .. } => *quota,
    }
}

fn weight(sys: &System, p: usize, k: usize) -> u64 {
    let pr = &sys.procedures[p];
    match &pr.rule {
        RuleR::Weighted { weights, .. } => pr
            .body
            .iter()
            .position(|&b| b == k)
            .map_or(0, |pos| weights[pos]),
        _ => 1,
    }
}

fn carries(sys: &System, p: usize, aggressor: usize, v: &Vote) -> bool {
    let pr = &sys.procedures[p];
    if v.voting.is_empty() {
        return false;
    }
    if v.no.iter().any(|k| pr.veto.contains(k)) {
        return false;
    }
    if pr.parties_abstain && pr.abstention_is_veto && pr.veto.contains(&aggressor) {
        return false;
    }
    match pr.rule {
        RuleR::Unanimity | RuleR::Consensus => v.no.is_empty(),
        _ => {
            let yes: u64 = v
                .voting
                .iter()
                .filter(|k| !v.no.contains(k))
                .map(|&k| weight(sys, p, k))
                .sum();
            yes >= needed(sys, p, &v.voting)
        }
    }
}

/// Whether procedure `p` (index into [`System::procedures`]) can act against `aggressor`.
pub fn can_act(sys: &System, p: usize, aggressor: usize) -> bool {
    can_act_depth(sys, p, aggressor, 0)
}

fn can_act_depth(sys: &System, p: usize, aggressor: usize, depth: usize) -> bool {
    if depth > sys.procedures.len() {
        return false; // a cycle of `requires`: nothing can act
    }
    let v = vote(sys, p, aggressor);
    if !carries(sys, p, aggressor, &v) {
        return false;
    }
    match sys.procedures[p].requires {
        None => true,
        Some(None) => false,
        Some(Some(q)) => can_act_depth(sys, q, aggressor, depth + 1),
    }
}

/// Whether a trigger (as resolved in [`super::system::ObligationR::trigger`]) can act.
pub fn trigger_can_act(sys: &System, trigger: Option<Option<usize>>, aggressor: usize) -> bool {
    match trigger {
        None => true,
        Some(None) => false,
        Some(Some(p)) => can_act(sys, p, aggressor),
    }
}

/// The minimal blocking coalitions of procedure `p` against `aggressor`, classified.
pub fn blocking_coalitions(sys: &System, p: usize, aggressor: usize) -> Vec<BlockingCoalition> {
    let pr = &sys.procedures[p];
    let v = vote(sys, p, aggressor);
    let mut out = Vec::new();
    let one = |kind, k: usize| BlockingCoalition {
        kind,
        members: vec![sys.ids[k].clone()],
        size: 1,
    };
    let unanimous = matches!(pr.rule, RuleR::Unanimity | RuleR::Consensus);
    let need = needed(sys, p, &v.voting);
    let total: u64 = v.voting.iter().map(|&k| weight(sys, p, k)).sum();
    let alone_blocks = |k: usize| {
        pr.veto.contains(&k) || unanimous || total.saturating_sub(weight(sys, p, k)) < need
    };
    let votes_and_blocks = v.voting.contains(&aggressor) && alone_blocks(aggressor);
    let abstention_blocks =
        pr.parties_abstain && pr.abstention_is_veto && pr.veto.contains(&aggressor);
    if votes_and_blocks || abstention_blocks {
        out.push(one(BlockKind::Aggressor, aggressor));
    }
    for &k in &sys.patrons[aggressor] {
        if v.voting.contains(&k) && alone_blocks(k) {
            out.push(one(BlockKind::Protector, k));
        }
    }
    let third: Vec<usize> = v
        .voting
        .iter()
        .copied()
        .filter(|k| *k != aggressor && !sys.patrons[aggressor].contains(k))
        .collect();
    for &k in &third {
        if pr.veto.contains(&k) {
            out.push(one(BlockKind::VetoHolder, k));
        }
    }
    if unanimous {
        if !third.is_empty() {
            out.push(BlockingCoalition {
                kind: BlockKind::LoneMember,
                members: Vec::new(),
                size: 1,
            });
        }
    } else if let Some(size) = smallest_group(sys, p, &v, &third, need) {
        if size > 1 || !third.iter().any(|k| pr.veto.contains(k)) {
            out.push(BlockingCoalition {
                kind: BlockKind::Group,
                members: Vec::new(),
                size,
            });
        }
    }
    out
}

/// The fewest third parties (heaviest first) whose "no" denies the quota, given the votes
/// already against.
fn smallest_group(sys: &System, p: usize, v: &Vote, third: &[usize], need: u64) -> Option<usize> {
    let mut yes: u64 = v
        .voting
        .iter()
        .filter(|k| !v.no.contains(k))
        .map(|&k| weight(sys, p, k))
        .sum();
    if yes < need {
        return None; // already blocked without any third party
    }
    let mut w: Vec<u64> = third.iter().map(|&k| weight(sys, p, k)).collect();
    w.sort_unstable_by(|a, b| b.cmp(a));
    for (n, x) in w.iter().enumerate() {
        yes = yes.saturating_sub(*x);
        if yes < need {
            return Some(n + 1);
        }
    }
    None
}
