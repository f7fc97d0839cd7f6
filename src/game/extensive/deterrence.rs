//! Deterrence trees of the international-relations literature, built from parameters.
//!
//! - [`deterrence_tree`]: the two-step deterrence game with a defender whose resolve is private
//!   (Hard with probability `p_hard`, Soft otherwise). With `p_hard` 0 or 1 it is the complete
//!   information two-step game with or without a credible threat.
//! - [`extended_deterrence_tree`]: challenger, protégé and a patron whose resolve is private,
//!   the tree the treaty layer compiles a pledge to.
//!
//! Probabilities and payoffs are given as `f64` and stored exactly (every finite float is a
//! rational), so the exact solvers see exactly the numbers given.

use super::tree::{rational_from_f64, GameTree, TreeSpec};
use crate::error::{Error, Result};
use num_rational::BigRational;
use num_traits::One;
use serde::Serialize;

fn exact(what: &str, x: f64) -> Result<BigRational> {
    rational_from_f64(x)
        .ok_or_else(|| Error::invalid_argument(format!("{what} is {x}; it must be finite")))
}

fn probability(p: f64) -> Result<BigRational> {
    if !(0.0..=1.0).contains(&p) {
        return Err(Error::invalid_argument(format!(
            "P(Hard) is {p}; a probability must lie in [0, 1]"
        )));
    }
    exact("P(Hard)", p)
}

/// Payoffs of the incomplete-information two-step deterrence game ([`deterrence_tree`]).
///
/// Outcomes: status quo (SQ, no challenge), the challenger wins (W, the defender concedes) and
/// conflict (DD, the defender resists).
#[derive(Debug, Clone, PartialEq)]
pub struct Deterrence {
    /// Probability that the defender is Hard.
    pub p_hard: f64,
    /// Challenger's payoffs `[SQ, W, DD]`.
    pub challenger: [f64; 3],
    /// A Hard defender's payoffs `[SQ, W, DD]` (Hard: DD preferred to W, a credible threat).
    pub defender_hard: [f64; 3],
    /// A Soft defender's payoffs `[SQ, W, DD]` (Soft: W preferred to DD).
    pub defender_soft: [f64; 3],
}

impl Default for Deterrence {
    /// Ordinal payoffs in the pattern of Zagare & Kilgour (2000): the challenger ranks
    /// W (1) > SQ (0) > DD (−2); both defenders rank SQ first; Hard ranks DD (−1/2) above W
    /// (−1), Soft ranks W (−1) above DD (−2). The deterrence threshold is 1/3.
    fn default() -> Self {
        Deterrence {
            p_hard: 0.5,
            challenger: [0.0, 1.0, -2.0],
            defender_hard: [0.0, -1.0, -0.5],
            defender_soft: [0.0, -1.0, -2.0],
        }
    }
}

/// The two-step deterrence game with a Hard or Soft defender.
///
/// Nature draws the defender's type (Hard with probability `p_hard`); the challenger, not
/// knowing it, challenges or not; a challenged defender, knowing its type, concedes or
/// resists. Zagare & Kilgour, *Perfect Deterrence* (Cambridge UP, 2000): deterrence holds
/// (the challenger does not challenge in a perfect Bayesian equilibrium) iff
/// `p_hard > (u_Ch(W) − u_Ch(SQ)) / (u_Ch(W) − u_Ch(DD))` when Hard resists and Soft concedes.
///
/// # Errors
/// [`Error::InvalidArgument`] for a probability outside `[0, 1]` or a non-finite payoff.
///
/// # Example
/// ```
/// use covenant::game::extensive::deterrence::{deterrence_tree, Deterrence};
/// let t = deterrence_tree(&Deterrence::default())?;
/// assert_eq!(t.num_players(), 2);
/// assert!(!t.is_perfect_information()); // the challenger does not see the type
/// # Ok::<(), covenant::Error>(())
/// ```
pub fn deterrence_tree(d: &Deterrence) -> Result<GameTree> {
    let p = probability(d.p_hard)?;
    let leaf = |name: &str, ch: f64, def: f64| -> Result<TreeSpec> {
        Ok(TreeSpec::outcome(
            name,
            vec![
                exact("challenger payoff", ch)?,
                exact("defender payoff", def)?,
            ],
        ))
    };
    let branch = |ty: &str, def: &[f64; 3]| -> Result<TreeSpec> {
        Ok(TreeSpec::decision(
            0,
            "Challenger",
            vec![
                ("Not challenge", leaf("SQ", d.challenger[0], def[0])?),
                (
                    "Challenge",
                    TreeSpec::decision(
                        1,
                        &format!("Defender {ty}"),
                        vec![
                            ("Concede", leaf("W", d.challenger[1], def[1])?),
                            ("Resist", leaf("DD", d.challenger[2], def[2])?),
                        ],
                    ),
                ),
            ],
        ))
    };
    let root = TreeSpec::chance(vec![
        ("Hard", p.clone(), branch("Hard", &d.defender_hard)?),
        (
            "Soft",
            BigRational::one() - p,
            branch("Soft", &d.defender_soft)?,
        ),
    ]);
    Ok(
        GameTree::new(vec!["Challenger".into(), "Defender".into()], root)?
            .with_title("Deterrence with a Hard or Soft defender"),
    )
}

/// One player's payoffs over the four outcomes of the extended-deterrence game.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OutcomePayoffs {
    /// No challenge.
    pub status_quo: f64,
    /// The protégé concedes to the challenger.
    pub concession: f64,
    /// The protégé resists and the patron abandons it (the challenger fights the protégé alone).
    pub abandonment: f64,
    /// The protégé resists and the patron defends it (war with the patron).
    pub defence: f64,
}

impl OutcomePayoffs {
    fn as_array(&self) -> [f64; 4] {
        [
            self.status_quo,
            self.concession,
            self.abandonment,
            self.defence,
        ]
    }
}

/// Parameters of [`extended_deterrence_tree`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtendedDeterrence {
    /// Probability that the patron is Hard (will defend the protégé): in a treaty, the pledge's
    /// reliability.
    pub p_hard: f64,
    /// The challenger's payoffs.
    pub challenger: OutcomePayoffs,
    /// The protégé's payoffs.
    pub protege: OutcomePayoffs,
    /// A Hard patron's payoffs (defence preferred to abandonment, e.g. because reneging is
    /// costly).
    pub patron_hard: OutcomePayoffs,
    /// A Soft patron's payoffs (abandonment preferred to defence).
    pub patron_soft: OutcomePayoffs,
}

impl Default for ExtendedDeterrence {
    /// Illustrative payoffs with the orderings of Zagare & Kilgour's tripartite crisis game:
    /// the challenger prefers concession > abandonment > status quo > defence; the protégé
    /// status quo > defence > concession > abandonment; a Hard patron defence > abandonment,
    /// a Soft patron the reverse. `p_hard = 1/2`.
    fn default() -> Self {
        ExtendedDeterrence {
            p_hard: 0.5,
            challenger: OutcomePayoffs {
                status_quo: 0.0,
                concession: 2.0,
                abandonment: 1.0,
                defence: -2.0,
            },
            protege: OutcomePayoffs {
                status_quo: 0.0,
                concession: -1.0,
                abandonment: -3.0,
                defence: -0.5,
            },
            patron_hard: OutcomePayoffs {
                status_quo: 0.0,
                concession: -0.5,
                abandonment: -2.0,
                defence: -1.0,
            },
            patron_soft: OutcomePayoffs {
                status_quo: 0.0,
                concession: -0.5,
                abandonment: -1.0,
                defence: -2.0,
            },
        }
    }
}

/// The extended-deterrence tree: a challenger, a protégé and a patron with private resolve.
///
/// Nature draws the patron's type (Hard with probability `p_hard`). The challenger, not knowing
/// it, challenges the protégé or not; the protégé, not knowing it either, concedes or resists;
/// the patron, knowing its type, defends the protégé or abandons it. The structure simplifies
/// the tripartite crisis game of Zagare & Kilgour, "Alignment patterns, crisis bargaining, and
/// extended deterrence", *International Studies Quarterly* 47 (2003) 587–615, and Huth,
/// *Extended Deterrence and the Prevention of War* (Yale UP, 1988).
///
/// # Arguments
/// * `d` — the probability and the four outcome payoffs of each player (players in the tree:
///   0 challenger, 1 protégé, 2 patron).
///
/// # Returns
/// A three-player tree with information sets `Challenger`, `Protégé` (each with two nodes, one
/// per type) and `Patron Hard`, `Patron Soft`.
///
/// # Errors
/// [`Error::InvalidArgument`] for `p_hard` outside `[0, 1]` or a non-finite payoff.
///
/// # Example
/// ```
/// use covenant::game::extensive::{extended_deterrence_tree, ExtendedDeterrence};
/// let t = extended_deterrence_tree(&ExtendedDeterrence { p_hard: 0.8, ..Default::default() })?;
/// assert_eq!(t.players(), &["Challenger", "Protégé", "Patron"]);
/// t.check_perfect_recall()?;
/// # Ok::<(), covenant::Error>(())
/// ```
pub fn extended_deterrence_tree(d: &ExtendedDeterrence) -> Result<GameTree> {
    let p = probability(d.p_hard)?;
    let names = ["SQ", "Concession", "Abandonment", "Defence"];
    let ch = d.challenger.as_array();
    let pr = d.protege.as_array();
    let leaf = |k: usize, patron: &[f64; 4]| -> Result<TreeSpec> {
        Ok(TreeSpec::outcome(
            names[k],
            vec![
                exact("challenger payoff", ch[k])?,
                exact("protégé payoff", pr[k])?,
                exact("patron payoff", patron[k])?,
            ],
        ))
    };
    let branch = |ty: &str, patron: &OutcomePayoffs| -> Result<TreeSpec> {
        let pa = patron.as_array();
        Ok(TreeSpec::decision(
            0,
            "Challenger",
            vec![
                ("Not challenge", leaf(0, &pa)?),
                (
                    "Challenge",
                    TreeSpec::decision(
                        1,
                        "Protégé",
                        vec![
                            ("Concede", leaf(1, &pa)?),
                            (
                                "Resist",
                                TreeSpec::decision(
                                    2,
                                    &format!("Patron {ty}"),
                                    vec![("Abandon", leaf(2, &pa)?), ("Defend", leaf(3, &pa)?)],
                                ),
                            ),
                        ],
                    ),
                ),
            ],
        ))
    };
    let root = TreeSpec::chance(vec![
        ("Hard", p.clone(), branch("Hard", &d.patron_hard)?),
        (
            "Soft",
            BigRational::one() - p,
            branch("Soft", &d.patron_soft)?,
        ),
    ]);
    Ok(GameTree::new(
        vec!["Challenger".into(), "Protégé".into(), "Patron".into()],
        root,
    )?
    .with_title("Extended deterrence with a patron of private resolve"))
}
