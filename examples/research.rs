//! The 20-line research program of issue 10: a game from arrays, every extreme equilibrium with
//! its exact rationals and certificate, a correlated equilibrium, and a voting game's exact
//! power, with nothing imported but covenant. Run with `cargo run --example research`.

use covenant::coop::{banzhaf_power, shapley_shubik};
use covenant::game::{Bimatrix, WeightedVoting};
use covenant::noncoop::{correlated_equilibrium, enumerate_extreme, CeKind, CeObjective};
use covenant::BigRational;

fn main() -> covenant::Result<()> {
    // Chicken: D = 0, C = 1 (Aumann 1974's correlated-equilibrium example).
    let g = Bimatrix::from_rows(&[[0.0, 7.0], [2.0, 6.0]], &[[0.0, 2.0], [7.0, 6.0]])?;
    let all = enumerate_extreme(&g)?;
    for e in &all.equilibria {
        let exact: &Vec<Vec<BigRational>> = e.exact.as_ref().expect("enumeration is exact");
        let show = |s: &Vec<BigRational>| s.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        println!(
            "x {:?} y {:?}  payoffs {:?}  regret {:e}",
            show(&exact[0]),
            show(&exact[1]),
            e.payoffs,
            e.regret
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
    println!(
        "Shapley-Shubik of a permanent member: {}",
        shapley_shubik(&un)?.exact[0]
    );
    println!(
        "Banzhaf (normalised) of a permanent member: {}",
        banzhaf_power(&un)?.normalized[0]
    );
    Ok(())
}
