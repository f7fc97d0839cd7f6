//! The bundled treaty snapshots against the historical record. Each case names its source;
//! where the engine and the record disagree the case is kept, `#[ignore]`d, with the reason.

use covenant::treaty::{
    check, load_treaty, CheckOptions, ConditionId, ConditionScope, Report, Verdict,
};
use std::path::Path;

fn report(model: &str, year: i32) -> Report {
    let p = format!("{}/models/{model}", env!("CARGO_MANIFEST_DIR"));
    let t = load_treaty(Path::new(&p)).expect("bundled model parses");
    check(
        &t,
        &CheckOptions {
            year: Some(year),
            pairs: true,
            ..CheckOptions::default()
        },
    )
    .expect("bundled model checks")
}

fn pair<'a>(r: &'a Report, a: &str, t: &str) -> &'a covenant::treaty::PairRow {
    r.pairs
        .as_ref()
        .expect("pairs")
        .iter()
        .find(|p| p.aggressor == a && p.target == t)
        .unwrap_or_else(|| panic!("no scenario {a} -> {t}"))
}

/// NATO 1949: no Soviet attack on a member during the Cold War (e.g. Gaddis 2005, "The Cold
/// War"); Art. 5 deterrence against the USSR is the case the alliance was built for, and the
/// United States was the one member no coalition of the others could stop (Snyder 1997,
/// "Alliance Politics", ch. 2).
#[test]
fn nato_1949_deters_every_soviet_attack_and_the_us_is_preponderant() {
    let r = report("nato.toml", 1949);
    assert_eq!(
        r.verdict(ConditionId::Deterrence, ConditionScope::External),
        Some(Verdict::Holds)
    );
    for m in &r.members {
        assert!(pair(&r, "SUN", m).deterred, "SUN -> {m}");
    }
    assert!(r.preponderant.contains(&"USA".to_string()));
    // Art. 5 is individual ("such action as it deems necessary"): nothing can block it.
    assert_eq!(
        r.verdict(ConditionId::Liveness, ConditionScope::External),
        Some(Verdict::Holds)
    );
}

/// UN 2022: Russia invaded Ukraine on 24 February 2022; the Security Council draft
/// S/2022/155 failed on 25 February 2022 by Russia's veto (11-1-3).
#[test]
fn un_2022_russia_against_ukraine_is_not_deterred_and_no_enforcement_can_act() {
    let r = report("un_charter.toml", 2022);
    let p = pair(&r, "RUS", "UKR");
    assert!(!p.deterred);
    assert!(!p.enforcement_can_act);
    assert!(!p
        .procedures_can_act
        .contains(&"security_council".to_string()));
    // The veto makes the P5 judges in their own cause (Charter Art. 27(3)).
    assert_eq!(
        r.verdict(ConditionId::EqualRules, ConditionScope::All),
        Some(Verdict::Fails)
    );
    assert_eq!(
        r.verdict(ConditionId::Liveness, ConditionScope::Internal),
        Some(Verdict::Fails)
    );
}

/// UN 1990: Iraq invaded Kuwait on 2 August 1990 (not deterred); the Council acted the same
/// day (Res. 660) and authorised force on 29 November 1990 (Res. 678).
#[test]
fn un_1990_iraq_against_kuwait_is_not_deterred_but_the_council_can_act() {
    let r = report("un_charter.toml", 1990);
    let p = pair(&r, "IRQ", "KWT");
    assert!(!p.deterred);
    assert!(p.enforcement_can_act);
}

/// League 1935: Italy invaded Ethiopia on 3 October 1935; the Assembly's Co-ordination
/// Committee organised Art. 16 sanctions from 18 November 1935 (Walters 1952, "A History of
/// the League of Nations", chs. 53-55), but nobody fought for Ethiopia.
#[test]
fn league_1935_italy_against_ethiopia_is_not_deterred_although_sanctions_flow() {
    let r = report("league_covenant.toml", 1935);
    let p = pair(&r, "ITA", "ETH");
    assert!(!p.deterred);
    assert!(p.equilibrium_helpers.is_empty());
    // Art. 16(1) sanctions are decentralised (1921 resolutions) and so could be applied.
    assert!(
        p.eu < p.eu_without,
        "sanctions lower Italy's expected utility"
    );
}

/// League 1931: Japan's Kwantung Army seized Manchuria from 18 September 1931; on 24 October
/// 1931 Japan's lone vote blocked the Council's resolution under Art. 11 (13-1).
#[test]
fn league_1931_council_cannot_act_against_japan() {
    let r = report("league_covenant.toml", 1931);
    let p = pair(&r, "JPN", "CHN");
    assert!(!p.procedures_can_act.contains(&"council_art11".to_string()));
    assert!(p.equilibrium_helpers.is_empty());
}

/// League 1931: Japan was not deterred. covenant rates the attack deterred even without the
/// treaty (EU without < 0): CINC credits China with its population and iron production, far
/// above its 1931 military reach in Manchuria, and the model knows only total conquest, not
/// Japan's limited aim. Kept as a known disagreement (data and war model, not the treaty).
#[test]
#[ignore = "CINC overstates China in 1931 and the war model has no limited aims"]
fn league_1931_japan_against_china_is_not_deterred() {
    let r = report("league_covenant.toml", 1931);
    assert!(!pair(&r, "JPN", "CHN").deterred);
}

/// The Security Council of 1954-65 (11 members, 7 votes, P5 veto): Shapley & Shubik (1954,
/// APSR 48(3)) give each permanent member 76/385 and each elected member 1/462.
#[test]
fn un_1956_security_council_power_is_shapley_shubik_1954() {
    let r = report("un_charter.toml", 1956);
    let c = r
        .condition(ConditionId::EqualRules, ConditionScope::All)
        .expect("equal rules");
    let Some(covenant::treaty::Figures::EqualRules(powers)) = &c.figures else {
        panic!("power figures")
    };
    let sc = powers
        .iter()
        .find(|p| p.procedure == "security_council")
        .expect("security council");
    assert_eq!(sc.power.len(), 11);
    for v in &sc.power {
        let expect = if ["USA", "GBR", "FRA", "SUN", "TWN"].contains(&v.id.as_str()) {
            76.0 / 385.0
        } else {
            1.0 / 462.0
        };
        assert!(
            (v.shapley_shubik - expect).abs() < 1e-12,
            "{}: {}",
            v.id,
            v.shapley_shubik
        );
    }
}

/// CSTO 2022: Azerbaijan attacked Armenian territory on 13-14 September 2022; Armenia's Art. 4
/// request was answered with a fact-finding mission only (Yerevan summit, 23 November 2022:
/// Pashinyan refused to sign the declaration). Not deterred.
#[test]
#[ignore = "the model lets every CSTO member help Armenia in equilibrium: the Collective \
            Security Council is coded to act against a non-member, and stakes do not yet \
            capture Russia's ties to Azerbaijan"]
fn csto_2022_azerbaijan_against_armenia_is_not_deterred() {
    let r = report("csto.toml", 2022);
    assert!(!pair(&r, "AZE", "ARM").deterred);
}

/// NATO: no party has ever left the Treaty (Art. 13 allows withdrawal on one year's notice
/// after twenty years; it has never been used — France left only the integrated military
/// command, 1966–2009, and Greece 1974–80, both staying parties; NATO, "Member countries").
/// The alliance game must then have a non-empty core with a transfer that keeps every member
/// in, at 12 members (dense) and at 32 (constraint generation on the separation oracle), and
/// the least core and nucleolus must be computed, not `unknown`.
#[test]
fn nato_participation_holds_with_12_and_with_32_members() {
    for year in [1949, 2024] {
        let r = report("nato.toml", year);
        let c = r
            .condition(ConditionId::Participation, ConditionScope::External)
            .expect("participation is checked");
        assert_eq!(c.verdict, Verdict::Holds, "{year}: {}", c.detail);
        let Some(covenant::treaty::Figures::Participation(p)) = &c.figures else {
            panic!("{year}: participation figures missing");
        };
        assert!(p.epsilon <= 0.0, "{year}: least-core e {}", p.epsilon);
        assert_eq!(p.members.len(), r.members.len());
        assert!(
            p.members.iter().all(|m| m.nucleolus.is_some()),
            "{year}: the nucleolus is computed for every member"
        );
    }
}
