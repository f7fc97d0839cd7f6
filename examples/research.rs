//! The 20-line research program of issue 10: a game from arrays, every extreme equilibrium with
//! its exact rationals and certificate, a correlated equilibrium, and a voting game's power —
//! counted exactly, and as the Shapley value of the same game seen as any coalitional game —
//! with nothing imported but covenant. Exact results share one shape: the floats, and `exact`,
//! the same numbers as rationals when they were computed exactly. Run with
//! `cargo run --example research`.

use covenant::coop::{banzhaf_power, shapley, shapley_shubik};
use covenant::game::{Bimatrix, WeightedVoting};
use covenant::noncoop::{correlated_equilibrium, enumerate_extreme, CeKind, CeObjective};
use covenant::BigRational;

fn main() -> covenant::Result<()> {
    let show = |x: &[BigRational]| {
        x.iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    // Chicken: D = 0, C = 1 (Aumann 1974's correlated-equilibrium example).
    let g = Bimatrix::from_rows(&[[0.0, 7.0], [2.0, 6.0]], &[[0.0, 2.0], [7.0, 6.0]])?;
    for e in enumerate_extreme(&g)?.equilibria {
        let exact = e.exact.expect("vertex enumeration is exact");
        let (x, y) = (show(&exact[0]), show(&exact[1]));
        println!(
            "x ({x}) y ({y})  payoffs {:?}  regret {:e}",
            e.payoffs, e.regret
        );
    }
    let ce = correlated_equilibrium(
        &g.to_normal_form(),
        CeKind::Correlated,
        CeObjective::Welfare,
    )?;
    println!(
        "best correlated welfare {:.4} (regret {:e})",
        ce.objective, ce.regret
    );
    // UN Security Council 1965-: 5 vetoes of weight 7 and 10 members of weight 1, quota 39.
    let un = WeightedVoting::new([vec![7; 5], vec![1; 10]].concat(), 39)?;
    let (ss, bz) = (shapley_shubik(&un)?, banzhaf_power(&un)?);
    for (name, index) in [
        ("Shapley-Shubik", &ss),
        ("Banzhaf (normalised)", &bz.normalized),
    ] {
        let exact = index.exact.as_deref().expect("power is counted exactly");
        println!(
            "{name} of a permanent member: {} = {:.5}",
            exact[0], index.values[0]
        );
    }
    // The same game as a coalitional game: its Shapley value is the Shapley-Shubik index.
    println!(
        "Shapley value of a permanent member: {:.5}",
        shapley(&un)?[0]
    );
    Ok(())
}
