//! A small treaty built in code and its deterrence check.
//!
//! Three members pledge mutual defence (reliability 0.75) against a stronger outsider.
//! Run with `cargo run --example deterrence`.

use covenant::treaty::{check, ConditionId, ObligationKind, StateSet, TreatyBuilder};

fn main() -> covenant::Result<()> {
    let treaty = TreatyBuilder::new("Three-power defence pact")
        .state("AAA", 0.30)
        .state("BBB", 0.10)
        .state("CCC", 0.05)
        .non_member("ZZZ", 0.40)
        .obligation(
            ObligationKind::Defense,
            StateSet::Members,
            StateSet::Members,
            StateSet::All,
        )
        .sanctions(0.05, StateSet::All)
        .build()?;
    let report = check(
        &treaty,
        &[ConditionId::Deterrence, ConditionId::Credibility],
    )?;
    print!("{}", report.to_table());
    println!(
        "{}",
        serde_json::to_string_pretty(&report).expect("a report is plain data")
    );
    Ok(())
}
