//! Shapley–Shubik and Banzhaf power in the UN Security Council (Charter Art. 27(3)): five
//! permanent members with a veto and ten elected members; nine votes including the five
//! concurring permanent members decide, i.e. the weighted game [39; 7×5, 1×10].
//!
//! Run with `cargo run --example security_council_power`.

use covenant::coop::{banzhaf_power, shapley_shubik};
use covenant::game::WeightedVoting;

fn main() -> covenant::Result<()> {
    let mut weights = vec![7u64; 5];
    weights.extend([1u64; 10]);
    let mut names: Vec<String> = ["CHN", "FRA", "RUS", "GBR", "USA"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    names.extend((1..=10).map(|k| format!("E{k}")));
    let council = WeightedVoting::new(weights, 39)?.with_players(names.clone())?;
    let ss = shapley_shubik(&council)?;
    let bz = banzhaf_power(&council)?;
    let bzn = bz.normalized.values;
    let ss_exact = ss.exact.as_ref().expect("counted exactly");
    println!("{:<6} {:>22} {:>10}", "member", "Shapley–Shubik", "Banzhaf");
    for (k, name) in names.iter().enumerate() {
        println!(
            "{name:<6} {:>12} = {:.5} {:>10.5}",
            ss_exact[k].to_string(),
            ss.values[k],
            bzn[k]
        );
    }
    let p5: f64 = ss.values[..5].iter().sum();
    println!(
        "the five permanent members hold {:.1}% of the Shapley–Shubik power",
        100.0 * p5
    );
    Ok(())
}
