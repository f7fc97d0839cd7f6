//! Pure-strategy Nash equilibria of n-player games.

use super::Equilibrium;
use crate::game::NormalForm;
use crate::tolerance::Tolerance;

/// All pure-strategy Nash equilibria of `g`, in profile order (row-major: the last player's
/// action varies fastest, as [`NormalForm::profiles`]).
///
/// A profile is an equilibrium when every player's action attains, up to
/// [`Tolerance::DEFAULT`] (relative to the payoff), the maximum of that player's payoff along
/// its own axis with the other actions fixed. One pass per player computes these best-response
/// maxima; the profiles that are best responses for everybody are then certified with
/// [`Equilibrium::certify`] (independent regret check).
///
/// A one-player game's equilibria are its maximising actions.
///
/// # Arguments
/// - `g`: any normal-form game.
///
/// # Returns
/// The equilibria as degenerate mixed profiles, each with payoffs and regret (0 up to the
/// tolerance). Empty when there is none (e.g. matching pennies).
///
/// # Complexity
/// `O(n·N)` for the search over the `N` profiles of an `n`-player game, plus the certificate,
/// `O(n²·N)` per equilibrium found.
///
/// # Example
/// ```
/// use covenant::game::NormalForm;
/// use covenant::noncoop::pure_equilibria;
///
/// // Prisoner's dilemma: (Defect, Defect) is the only equilibrium.
/// let g = NormalForm::from_matrices(
///     &[vec![3.0, 0.0], vec![5.0, 1.0]],
///     &[vec![3.0, 5.0], vec![0.0, 1.0]],
/// ).unwrap();
/// let eqs = pure_equilibria(&g);
/// assert_eq!(eqs.len(), 1);
/// assert_eq!(eqs[0].strategies, vec![vec![0.0, 1.0], vec![0.0, 1.0]]);
/// ```
pub fn pure_equilibria(g: &NormalForm) -> Vec<Equilibrium> {
    let shape = g.shape().to_vec();
    let total = g.num_profiles();
    let mut candidate = vec![true; total];
    for (p, tensor) in g.payoff_tensors().iter().enumerate() {
        let data = tensor.as_standard_layout();
        let data = data
            .as_slice()
            .expect("a standard-layout array is contiguous");
        // Row-major: the action of player p moves the flat index by `stride`; a block of
        // `stride * k` consecutive profiles holds every action of p for `stride` lanes.
        let k = shape[p];
        let stride: usize = shape[p + 1..].iter().product();
        let block = stride * k;
        let mut best = vec![f64::NEG_INFINITY; total / k];
        for (f, &u) in data.iter().enumerate() {
            let lane = (f / block) * stride + f % stride;
            if u > best[lane] {
                best[lane] = u;
            }
        }
        for (f, &u) in data.iter().enumerate() {
            let lane = (f / block) * stride + f % stride;
            if candidate[f] && u < best[lane] - Tolerance::DEFAULT.threshold(best[lane]) {
                candidate[f] = false;
            }
        }
    }
    let mut out = Vec::new();
    for (mut f, _) in candidate.iter().enumerate().filter(|(_, &c)| c) {
        let mut strategies: Vec<Vec<f64>> = shape.iter().map(|&k| vec![0.0; k]).collect();
        for (d, &k) in shape.iter().enumerate().rev() {
            strategies[d][f % k] = 1.0;
            f /= k;
        }
        out.push(
            Equilibrium::certify(g, strategies)
                .expect("a pure profile of the game's own shape is a valid profile"),
        );
    }
    out
}

/// The pure profile (one action per player) of a degenerate mixed profile, if it is one.
pub fn pure_profile(strategies: &[Vec<f64>]) -> Option<Vec<usize>> {
    strategies
        .iter()
        .map(|x| {
            let ones: Vec<usize> = x
                .iter()
                .enumerate()
                .filter(|(_, &p)| p > 0.5)
                .map(|(i, _)| i)
                .collect();
            (ones.len() == 1 && x.iter().filter(|&&p| p != 0.0).count() == 1).then(|| ones[0])
        })
        .collect()
}
