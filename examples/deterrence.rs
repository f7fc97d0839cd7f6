//! A small treaty written inline, checked per scope, with its pair table.
//!
//! Three members pledge mutual defence against a stronger outsider. Run with
//! `cargo run --example deterrence`.

use covenant::treaty::{check, parse_treaty, CheckOptions, ConditionScope, Verdict};

const MODEL: &str = r#"
[treaty]
name = "Three-power defence pact"
kind = "collective_defense"

[[states]]
id = "AAA"
[[states]]
id = "BBB"
[[states]]
id = "CCC"
[[states]]
id = "ZZZ"

[[obligations]]
kind = "defense"
article = "Art. 1"

[[snapshots]]
year = 2000
members = ["AAA", "BBB", "CCC"]
[snapshots.capability]
AAA = 0.30
BBB = 0.10
CCC = 0.05
ZZZ = 0.40
"#;

fn main() -> covenant::Result<()> {
    let treaty = parse_treaty(MODEL, "pact.toml".as_ref())?;
    let report = check(
        &treaty,
        &CheckOptions {
            pairs: true,
            ..CheckOptions::default()
        },
    )?;
    for c in &report.conditions {
        let judged = if c.judged { "" } else { " (not promised)" };
        println!(
            "{:<20} {:<9} {:<7} {:+.3}  {}{judged}",
            c.id.as_str(),
            c.scope.as_str(),
            c.verdict.as_str(),
            c.margin,
            c.detail
        );
    }
    for p in report.pairs.iter().flatten() {
        println!(
            "{} -> {}: EU {:+.3} (without the treaty {:+.3}), helpers {:?}",
            p.aggressor, p.target, p.eu, p.eu_without, p.equilibrium_helpers
        );
    }
    let external = report
        .condition(
            covenant::treaty::ConditionId::Deterrence,
            ConditionScope::External,
        )
        .map(|c| c.verdict);
    assert_eq!(external, Some(Verdict::Holds));
    Ok(())
}
