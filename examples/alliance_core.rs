//! The core, least core and nucleolus of an alliance's coalitional game.
//!
//! Five members pledge mutual defence against a strong outsider; `v(S)` is the security the
//! coalition `S` gives its members by itself minus its expected burdens
//! ([`covenant::treaty::AllianceGame`]). Run with `cargo run --example alliance_core`.

use covenant::coop::{core_check, least_core, nucleolus, Domain};
use covenant::game::{CoalitionalGame, TuGame};
use covenant::treaty::{AllianceGame, ObligationKind, StateSet, TreatyBuilder};

fn main() -> covenant::Result<()> {
    let treaty = TreatyBuilder::new("Five-member alliance")
        .state("AAA", 0.30)
        .state("BBB", 0.15)
        .state("CCC", 0.10)
        .state("DDD", 0.05)
        .state("EEE", 0.02)
        .non_member("ZZZ", 0.45)
        .obligation(
            ObligationKind::Defense,
            StateSet::Members,
            StateSet::Members,
            StateSet::All,
        )
        .build()?;
    let r = treaty.resolve()?;
    let game = AllianceGame::new(&r)?;
    let ids = r.ids(game.members.iter().copied());
    let dense = TuGame::from_game(&game)?;
    println!("v(N) = {:.4}", dense.grand_value());

    let natural = game.own_shares(covenant::game::Coalition::grand(game.num_players()));
    let c = core_check(&game, &natural)?;
    println!(
        "natural allocation (own gain − own burden), in core: {}",
        c.in_core
    );
    for (id, x) in ids.iter().zip(&natural) {
        println!("  {id}: {x:.4}");
    }
    if let Some((s, e)) = c.most_violated {
        let members: Vec<&str> = s.members().map(|p| ids[p].as_str()).collect();
        println!("  largest excess {e:.4} by {{{}}}", members.join(", "));
    }

    let lc = least_core(&game, Domain::Imputations)?;
    println!(
        "least core ε = {:.4} (core non-empty iff ε ≤ 0)",
        lc.epsilon
    );

    let nu = nucleolus(&game)?;
    println!(
        "nucleolus (fair share of the alliance's value), Kohlberg check: {}",
        nu.kohlberg
    );
    for (id, x) in ids.iter().zip(&nu.allocation) {
        println!("  {id}: {x:.4}");
    }
    Ok(())
}
