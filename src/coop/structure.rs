//! Coalition structures: the welfare-maximising partition and the core of a structure.

use crate::coop::nucleolus::CoalitionSet;
use crate::error::{Error, Result};
use crate::game::tu::{Coalition, CoalitionalGame, TuGame};
use crate::lp::{LinearProgram, LpStatus, Relation, Sense, Var};
use crate::tolerance::Tolerance;

/// A partition of the players with its total value.
#[derive(Debug, Clone, PartialEq)]
pub struct CoalitionStructure {
    /// The parts, disjoint and covering all players, ordered by their lowest member.
    pub parts: Vec<Coalition>,
    /// `Σ_k v(S_k)`.
    pub value: f64,
}

/// The core of a coalition structure (Aumann & Drèze 1974): allocations with `x(S_k) = v(S_k)`
/// for each part and `x(T) ≥ v(T)` for every coalition `T`.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureCore {
    /// Whether such an allocation exists (`epsilon ≤ 0` within [`Tolerance::LP`]).
    pub nonempty: bool,
    /// A point of the structure's core, when non-empty.
    pub allocation: Option<Vec<f64>>,
    /// When empty: a coalition with positive excess `v(T) − x(T)` at the allocation that
    /// minimises the largest excess (its excess is `epsilon`).
    pub blocking: Option<(Coalition, f64)>,
    /// `min_x max_T (v(T) − x(T))` over the allocations with `x(S_k) = v(S_k)`, `T` ranging
    /// over all coalitions other than the parts (the grand coalition included when it is not a
    /// part); `f64::NEG_INFINITY` when there is no such `T` (one player).
    pub epsilon: f64,
}

/// A welfare-maximising structure and its core.
#[derive(Debug, Clone, PartialEq)]
pub struct StableStructure {
    /// A partition maximising `Σ v(S_k)`.
    pub structure: CoalitionStructure,
    /// The core of that structure. If it is empty, the core of every structure is empty
    /// (a non-empty structure core forces its structure to be optimal, Aumann–Drèze 1974, and
    /// all optimal structures share the core of the superadditive cover).
    pub core: StructureCore,
}

/// Most players for the exact `O(3^n)` structure DP (3^18 ≈ 3.9·10^8 steps).
pub const MAX_STRUCTURE_PLAYERS: usize = 18;

/// The partition of the players maximising `Σ v(S_k)` (coalition-structure generation).
///
/// Exact dynamic programming over subsets (Yeh 1986; Rahwan & Jennings 2008):
/// `f(S) = max_{T ⊆ S, min(S) ∈ T} v(T) + f(S \ T)`, anchoring the part that holds the
/// lowest member of `S` so that each partition is generated once.
///
/// # Errors
/// [`Error::TooLarge`] beyond [`MAX_STRUCTURE_PLAYERS`] players.
///
/// # Complexity
/// `O(3^n)` time, `O(2^n)` memory.
///
/// # Example
/// ```
/// use covenant::coop::optimal_coalition_structure;
/// use covenant::game::TuGame;
/// let v = vec![0., 30., 40., 50., 25., 60., 55., 90., 45., 80., 70., 120., 80., 100., 115., 140.];
/// let cs = optimal_coalition_structure(&TuGame::new(4, v).unwrap()).unwrap();
/// assert_eq!(cs.value, 150.0);
/// ```
pub fn optimal_coalition_structure(g: &TuGame) -> Result<CoalitionStructure> {
    let n = g.num_players();
    if n > MAX_STRUCTURE_PLAYERS {
        return Err(Error::TooLarge(format!(
            "the exact coalition-structure DP takes 3^{n} steps for {n} players; the limit is \
             {MAX_STRUCTURE_PLAYERS}"
        )));
    }
    let v = g.values();
    let size = 1usize << n;
    let mut best = vec![0.0f64; size];
    // The part holding the lowest member of S in an optimal partition of S.
    let mut choice = vec![0u32; size];
    for s in 1..size {
        let low = s & s.wrapping_neg();
        let rest = s ^ low;
        // T = low ∪ sub for every sub ⊆ rest, enumerated downwards from rest.
        let mut sub = rest;
        let mut top = f64::NEG_INFINITY;
        let mut arg = 0usize;
        loop {
            let t = low | sub;
            let val = v[t] + best[s ^ t];
            if val > top {
                top = val;
                arg = t;
            }
            if sub == 0 {
                break;
            }
            sub = (sub - 1) & rest;
        }
        best[s] = top;
        choice[s] = arg as u32;
    }
    let mut parts = Vec::new();
    let mut s = size - 1;
    while s != 0 {
        let t = choice[s] as usize;
        parts.push(Coalition(t as u64));
        s ^= t;
    }
    Ok(CoalitionStructure {
        parts,
        value: best[size - 1],
    })
}

/// Cap on LP solves of the structure-core constraint generation.
const MAX_STRUCTURE_SOLVES: usize = 100_000;

/// The core of the coalition structure `parts` (Aumann & Drèze 1974), by constraint
/// generation: `min ε` s.t. `x(S_k) = v(S_k)`, `x(T) + ε ≥ v(T)` for the coalitions `T` that
/// are not parts, adding the most violated ones through
/// [`CoalitionalGame::most_excess_coalitions`].
///
/// # Errors
/// [`Error::InvalidArgument`] when `parts` is not a partition of the players (empty part,
/// overlap, a player missing or out of range); [`Error::TooLarge`] from the default separation
/// beyond 30 players; [`Error::Numerical`] if an LP misbehaves.
///
/// # Example
/// ```
/// use covenant::coop::structure_core;
/// use covenant::game::{Coalition, TuGame};
/// // v = 1 for pairs of a 3-player majority game, 0 for singletons, 1 for N:
/// // {0,1} + {2} is blocked by {1,2} or {0,2}.
/// let g = TuGame::from_fn(3, |s| if s.len() >= 2 { 1.0 } else { 0.0 }).unwrap();
/// let sc = structure_core(&g, &[Coalition(0b011), Coalition(0b100)]).unwrap();
/// assert!(!sc.nonempty && sc.blocking.is_some());
/// ```
pub fn structure_core<G: CoalitionalGame + ?Sized>(
    g: &G,
    parts: &[Coalition],
) -> Result<StructureCore> {
    let n = g.num_players();
    if n > 64 {
        return Err(Error::TooLarge(format!(
            "{n} players: coalitions are 64-bit masks"
        )));
    }
    let grand = Coalition::grand(n);
    let mut covered = 0u64;
    for (k, p) in parts.iter().enumerate() {
        if p.is_empty() || !p.is_subset_of(grand) {
            return Err(Error::invalid_argument(format!(
                "part {k} ({:?}) is empty or names a player outside 0..{n}",
                p.members().collect::<Vec<_>>()
            )));
        }
        if covered & p.0 != 0 {
            return Err(Error::invalid_argument(format!(
                "part {k} ({:?}) overlaps an earlier part",
                p.members().collect::<Vec<_>>()
            )));
        }
        covered |= p.0;
    }
    if covered != grand.0 {
        return Err(Error::invalid_argument(format!(
            "the parts miss players {:?}",
            Coalition(grand.0 & !covered).members().collect::<Vec<_>>()
        )));
    }
    let part_values: Vec<f64> = parts.iter().map(|&p| g.value(p)).collect();
    if let Some(v) = part_values.iter().find(|v| !v.is_finite()) {
        return Err(Error::invalid_game(format!("a part has value {v}")));
    }
    let grand_is_part = parts.len() == 1;
    let v_grand = g.value(grand);
    if n == 1 {
        return Ok(StructureCore {
            nonempty: true,
            allocation: Some(vec![v_grand]),
            blocking: None,
            epsilon: f64::NEG_INFINITY,
        });
    }
    let mut is_part = CoalitionSet::new(n);
    for &p in parts {
        is_part.insert(p);
    }
    let mut in_work = CoalitionSet::new(n);
    let mut work: Vec<Coalition> = Vec::new();
    let mut scale = part_values
        .iter()
        .fold(v_grand.abs(), |m, v| m.max(v.abs()));
    for i in 0..n {
        for s in [Coalition::singleton(i), grand.without(i)] {
            if !is_part.contains(s) && in_work.insert(s) {
                scale = scale.max(g.value(s).abs());
                work.push(s);
            }
        }
    }
    let tol = Tolerance::LP.threshold(scale);
    for _ in 0..MAX_STRUCTURE_SOLVES {
        let mut lp = LinearProgram::new(Sense::Minimize);
        let xs: Vec<Var> = lp.add_variables(n, f64::NEG_INFINITY, f64::INFINITY, 0.0);
        let eps = lp.add_variable(f64::NEG_INFINITY, f64::INFINITY, 1.0);
        let terms = |s: Coalition| s.members().map(|i| (xs[i], 1.0)).collect::<Vec<_>>();
        for (&p, &v) in parts.iter().zip(&part_values) {
            lp.add_constraint(terms(p), Relation::Eq, v);
        }
        if !grand_is_part {
            let mut row = terms(grand);
            row.push((eps, 1.0));
            lp.add_constraint(row, Relation::Ge, v_grand);
        }
        for &s in &work {
            let mut row = terms(s);
            row.push((eps, 1.0));
            lp.add_constraint(row, Relation::Ge, g.value(s));
        }
        let sol = lp.solve()?;
        if sol.status != LpStatus::Optimal {
            return Err(Error::Numerical {
                context: "structure core LP",
                message: format!("an LP that must have an optimum is {:?}", sol.status),
            });
        }
        let x: Vec<f64> = xs.iter().map(|&v| sol.value(v)).collect();
        let e = sol.value(eps);
        let skip = |s: Coalition| is_part.contains(s);
        let top = g.most_excess_coalitions(&x, &skip, n)?;
        let mut added = false;
        for &(s, ex) in &top {
            if ex > e + tol && in_work.insert(s) {
                work.push(s);
                added = true;
            }
        }
        if added {
            continue;
        }
        let nonempty = e <= tol;
        let blocking = if nonempty {
            None
        } else {
            let grand_excess = v_grand - x.iter().sum::<f64>();
            let best = top.first().copied();
            Some(match best {
                Some((s, ex)) if grand_is_part || ex >= grand_excess => (s, ex),
                _ => (grand, grand_excess),
            })
        };
        return Ok(StructureCore {
            nonempty,
            allocation: nonempty.then_some(x),
            blocking,
            epsilon: e,
        });
    }
    Err(Error::IterationLimit {
        algorithm: "structure core constraint generation",
        limit: MAX_STRUCTURE_SOLVES,
    })
}

/// The welfare-maximising structure ([`optimal_coalition_structure`]) and its core
/// ([`structure_core`]): a stable way for the players to organise, or the coalition that
/// blocks every way.
///
/// # Errors
/// As [`optimal_coalition_structure`] and [`structure_core`].
pub fn stable_structure(g: &TuGame) -> Result<StableStructure> {
    let structure = optimal_coalition_structure(g)?;
    let core = structure_core(g, &structure.parts)?;
    Ok(StableStructure { structure, core })
}
