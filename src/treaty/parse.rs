//! TOML treaty models (format 2, `models/TEMPLATE.toml`) into [`Treaty`] values, with errors
//! that name the file, line and field.

use super::model::{
    bad, model_error, Award, Capacity, Defaults, Dispute, Gradient, HelpCorrelation, Invalid,
    Obligation, ObligationCondition, ObligationKind, Power, Prior, Procedure, ReliabilityProfile,
    Sanction, Settlement, Snapshot, StakeRule, State, StateOverrides, StateSet, Treaty, TreatyKind,
    Trigger, Validity, VotingRule, WarModel,
};
use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use toml::Spanned;

/// Largest model file read (bytes): the UN model with 193 states and three snapshots is
/// about 100 KB.
pub const MAX_MODEL_BYTES: u64 = 16 << 20;

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    treaty: S<RawHeader>,
    defaults: Option<S<RawDefaults>>,
    war: Option<S<RawWar>>,
    stakes: Option<S<RawStakes>>,
    reliability: Option<S<RawReliability>>,
    #[serde(default)]
    states: Vec<S<RawState>>,
    #[serde(default)]
    procedures: Vec<S<RawProcedure>>,
    #[serde(default)]
    obligations: Vec<S<RawObligation>>,
    #[serde(default)]
    sanctions: Vec<S<RawSanction>>,
    settlement: Option<S<RawSettlement>>,
    #[serde(default)]
    disputes: Vec<S<RawDispute>>,
    #[serde(default)]
    snapshots: Vec<S<RawSnapshot>>,
    prior: Option<S<RawPrior>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: S<String>,
    kind: S<String>,
    source: Option<String>,
    signed: Option<S<i64>>,
    quid_pro_quo: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum RawCapacity {
    Number(f64),
    Word(String),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    reliability: Option<S<f64>>,
    value: Option<S<f64>>,
    loss: Option<S<f64>>,
    war_cost: Option<S<f64>>,
    audience_cost: Option<S<f64>>,
    reputation: Option<S<f64>>,
    capacity: Option<S<RawCapacity>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWar {
    gradient: Option<S<String>>,
    miles_per_day: Option<S<f64>>,
    help: Option<S<String>>,
    common_shock: Option<S<f64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStakes {
    #[serde(rename = "self")]
    own: Option<S<f64>>,
    same_region: Option<S<f64>>,
    presence: Option<S<f64>>,
    other: Option<S<f64>>,
    #[serde(default)]
    declared: Vec<S<RawDeclaredStake>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeclaredStake {
    from: S<String>,
    to: S<String>,
    stake: S<f64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawReliability {
    profile: Option<S<String>>,
    democracy: Option<S<f64>>,
    major_to_minor: Option<S<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawState {
    id: S<String>,
    name: Option<String>,
    lat: Option<S<f64>>,
    lon: Option<S<f64>>,
    region: Option<String>,
    #[serde(default)]
    presence: Option<S<Vec<String>>>,
    value: Option<S<f64>>,
    loss: Option<S<f64>>,
    war_cost: Option<S<f64>>,
    reliability: Option<S<f64>>,
    audience_cost: Option<S<f64>>,
    capacity: Option<S<RawCapacity>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawSet {
    Word(String),
    Ids(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProcedure {
    id: S<String>,
    body: Option<S<RawSet>>,
    rule: S<String>,
    threshold: Option<S<f64>>,
    quota: Option<S<i64>>,
    weights: Option<S<BTreeMap<String, i64>>>,
    veto: Option<S<Vec<String>>>,
    abstention_is_veto: Option<bool>,
    parties_abstain: Option<bool>,
    triggers: Option<S<Vec<String>>>,
    requires: Option<S<String>>,
    article: Option<String>,
    since: Option<S<i64>>,
    until: Option<S<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObligation {
    kind: S<String>,
    article: Option<String>,
    trigger: Option<S<String>>,
    armed: Option<bool>,
    pledgers: Option<S<RawSet>>,
    protects: Option<S<RawSet>>,
    against: Option<S<RawSet>>,
    conditions: Option<S<Vec<String>>>,
    reliability: Option<S<f64>>,
    since: Option<S<i64>>,
    until: Option<S<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSanction {
    cost: S<f64>,
    trigger: Option<S<String>>,
    against: Option<S<RawSet>>,
    on_defectors: Option<S<f64>>,
    article: Option<String>,
    since: Option<S<i64>>,
    until: Option<S<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSettlement {
    procedure: Option<S<String>>,
    binding: Option<bool>,
    award: Option<S<String>>,
    cost_uncertainty: Option<S<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDispute {
    a: S<String>,
    b: S<String>,
    status_quo: Option<S<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSnapshot {
    year: S<i64>,
    data_year: Option<S<i64>>,
    source: Option<String>,
    members: S<Vec<String>>,
    #[serde(default)]
    democracies: Vec<String>,
    #[serde(default)]
    major_powers: Vec<String>,
    #[serde(default)]
    patrons: BTreeMap<String, Vec<String>>,
    capability: S<toml::Table>,
    #[serde(default)]
    milex: BTreeMap<String, f64>,
    #[serde(default)]
    gdp: BTreeMap<String, f64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPrior {
    reliability_beta: Option<S<[f64; 2]>>,
    capability_sigma: Option<S<f64>>,
    stake_range: Option<S<[f64; 2]>>,
    war_cost_range: Option<S<[f64; 2]>>,
}

/// Line numbers of field paths, filled while converting.
struct Lines<'a> {
    text: &'a str,
    map: HashMap<String, usize>,
}

impl Lines<'_> {
    fn line_of(&self, offset: usize) -> usize {
        line_of(self.text, offset)
    }

    fn put<T>(&mut self, field: impl Into<String>, s: &Spanned<T>) {
        let line = self.line_of(s.span().start);
        self.map.insert(field.into(), line);
    }

    /// Line of `field`, else of its closest recorded parent (`a[1].b` → `a[1]` → `a`), else
    /// of the first line that mentions its last key.
    fn get(&self, field: &str) -> usize {
        let mut f = field;
        loop {
            if let Some(&l) = self.map.get(f) {
                return l;
            }
            match f.rfind(['.', '[']) {
                Some(p) => f = &f[..p],
                None => break,
            }
        }
        let key = field.rsplit(['.', '[']).next().unwrap_or(field);
        let key = key.trim_end_matches(']');
        self.text
            .lines()
            .position(|l| l.trim_start().starts_with(key) || l.contains(&format!("[{key}]")))
            .map_or(1, |p| p + 1)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The field path at a byte offset of a TOML text, from the table headers and keys before it
/// (for serde errors, which carry a span but no path).
fn field_at(text: &str, offset: usize) -> String {
    let upto = &text[..offset.min(text.len())];
    let mut table = String::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for line in upto.lines() {
        let t = line.trim();
        if let Some(h) = t.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
            let h = h.trim().to_string();
            let c = counts.entry(h.clone()).or_insert(0);
            table = format!("{h}[{c}]");
            *c += 1;
        } else if let Some(h) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
            let h = h.trim();
            // A sub-table of the last array element: `[snapshots.capability]`.
            table = match h.split_once('.') {
                Some((parent, rest)) if counts.contains_key(parent) => {
                    format!("{parent}[{}].{rest}", counts[parent] - 1)
                }
                _ => h.to_string(),
            };
        }
    }
    let current = text[upto.rfind('\n').map_or(0, |p| p + 1)..]
        .lines()
        .next()
        .unwrap_or("");
    let key = current
        .split_once('=')
        .map(|(k, _)| k.trim().to_string())
        .filter(|k| !k.is_empty() && !k.starts_with('['));
    match (table.is_empty(), key) {
        (true, Some(k)) => k,
        (false, Some(k)) => format!("{table}.{k}"),
        (_, None) => table,
    }
}

/// Parses a treaty model from TOML text (`file` is used in error messages only).
///
/// # Errors
/// [`Error::Parse`] (file, line, column) for TOML syntax errors (a duplicate key names the
/// key); [`Error::Model`] (file, line, field) for a missing, mistyped or unknown field, an
/// unknown kind, rule or trigger, an unknown state or procedure id, a number out of range
/// (capabilities must be positive, probabilities in `[0, 1]`, magnitudes at most
/// [`super::model::MAX_MAGNITUDE`]), a duplicate id, or a snapshot without members.
pub fn parse_treaty(text: &str, file: &Path) -> Result<Treaty> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Err(e) = text.parse::<toml::Table>() {
        let off = e.span().map_or(0, |s| s.start).min(text.len());
        let line = line_of(text, off);
        let col = off - text[..off].rfind('\n').map_or(0, |p| p + 1) + 1;
        return Err(Error::Parse {
            file: file.to_path_buf(),
            line,
            column: col,
            message: e.message().trim().to_string(),
        });
    }
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let off = e.span().map_or(0, |s| s.start);
        let field = field_at(text, off);
        let lines = Lines {
            text,
            map: HashMap::new(),
        };
        Error::Model {
            file: file.to_path_buf(),
            line: if e.span().is_some() {
                lines.line_of(off)
            } else {
                lines.get(&field)
            },
            field,
            message: e.message().trim().to_string(),
        }
    })?;
    let mut lines = Lines {
        text,
        map: HashMap::new(),
    };
    let treaty = convert(raw, &mut lines).map_err(|e| {
        let l = lines.get(&e.field);
        model_error(file, l, e)
    })?;
    treaty.validate().map_err(|e| {
        let l = lines.get(&e.field);
        model_error(file, l, e)
    })?;
    Ok(treaty)
}

/// Parses a treaty model from an already parsed TOML table (a sweep edits the table and
/// re-parses it). Errors name fields but no lines.
///
/// # Errors
/// As [`parse_treaty`].
pub fn treaty_from_table(table: &toml::Table, file: &Path) -> Result<Treaty> {
    let text = toml::to_string(table).map_err(|e| Error::Model {
        file: file.to_path_buf(),
        line: 1,
        field: String::new(),
        message: e.to_string(),
    })?;
    parse_treaty(&text, file)
}

/// Reads and parses a treaty model file (at most [`MAX_MODEL_BYTES`]).
///
/// # Errors
/// [`Error::Io`] when the file cannot be read, [`Error::TooLarge`] above the size limit;
/// otherwise as [`parse_treaty`].
pub fn load_treaty(path: &Path) -> Result<Treaty> {
    let text = crate::io::read_input_limited(path, MAX_MODEL_BYTES)?;
    parse_treaty(&text, path)
}

fn set_of(raw: &RawSet) -> std::result::Result<StateSet, String> {
    match raw {
        RawSet::Word(w) => StateSet::from_word(w),
        RawSet::Ids(v) => Ok(StateSet::Ids(v.clone())),
    }
}

fn capacity_of(raw: &RawCapacity, field: &str) -> std::result::Result<Capacity, Invalid> {
    match raw {
        RawCapacity::Number(x) => Ok(Capacity::Fixed(*x)),
        RawCapacity::Word(w) if w == "capability" => Ok(Capacity::Capability),
        RawCapacity::Word(w) => Err(bad(
            field,
            format!("capacity must be \"capability\" or a number, got `{w}`"),
        )),
    }
}

fn year(lines: &mut Lines, field: String, y: &S<i64>) -> std::result::Result<i32, Invalid> {
    lines.put(field.clone(), y);
    let v = *y.get_ref();
    if !(-10_000..=10_000).contains(&v) {
        return Err(bad(field, format!("year {v} is out of range")));
    }
    Ok(v as i32)
}

fn validity(
    lines: &mut Lines,
    f: &dyn Fn(&str) -> String,
    since: &Option<S<i64>>,
    until: &Option<S<i64>>,
) -> std::result::Result<Validity, Invalid> {
    let since = since
        .as_ref()
        .map(|y| year(lines, f("since"), y))
        .transpose()?;
    let until = until
        .as_ref()
        .map(|y| year(lines, f("until"), y))
        .transpose()?;
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            return Err(bad(f("until"), format!("until {u} is before since {s}")));
        }
    }
    Ok(Validity { since, until })
}

fn number(lines: &mut Lines, field: String, x: &Option<S<f64>>, default: f64) -> f64 {
    match x {
        Some(s) => {
            lines.put(field, s);
            *s.get_ref()
        }
        None => default,
    }
}

fn convert(raw: RawFile, lines: &mut Lines) -> std::result::Result<Treaty, Invalid> {
    lines.put("treaty", &raw.treaty);
    let header = raw.treaty.into_inner();
    lines.put("treaty.name", &header.name);
    lines.put("treaty.kind", &header.kind);
    let kind = match header.kind.get_ref().as_str() {
        "collective_defense" | "collective_defence" => TreatyKind::CollectiveDefense,
        "collective_security" => TreatyKind::CollectiveSecurity,
        "hybrid" => TreatyKind::Hybrid,
        other => {
            return Err(bad(
                "treaty.kind",
                format!(
                    "unknown kind `{other}`: expected collective_defense, collective_security \
                     or hybrid"
                ),
            ))
        }
    };
    let signed = header
        .signed
        .as_ref()
        .map(|y| year(lines, "treaty.signed".into(), y))
        .transpose()?;

    let defaults = convert_defaults(raw.defaults, lines)?;
    let war = convert_war(raw.war, lines)?;
    let stakes = convert_stakes(raw.stakes, lines);
    let reliability = convert_reliability(raw.reliability, lines)?;

    let mut states = Vec::with_capacity(raw.states.len());
    for (k, s) in raw.states.into_iter().enumerate() {
        states.push(convert_state(k, s, lines)?);
    }
    let mut procedures = Vec::with_capacity(raw.procedures.len());
    for (k, p) in raw.procedures.into_iter().enumerate() {
        procedures.push(convert_procedure(k, p, lines)?);
    }
    let mut obligations = Vec::with_capacity(raw.obligations.len());
    for (k, o) in raw.obligations.into_iter().enumerate() {
        obligations.push(convert_obligation(k, o, lines)?);
    }
    let mut sanctions = Vec::with_capacity(raw.sanctions.len());
    for (k, s) in raw.sanctions.into_iter().enumerate() {
        let f = |x: &str| format!("sanctions[{k}].{x}");
        lines.put(format!("sanctions[{k}]"), &s);
        let s = s.into_inner();
        lines.put(f("cost"), &s.cost);
        let trigger = trigger_of(lines, f("trigger"), &s.trigger)?;
        sanctions.push(Sanction {
            cost: *s.cost.get_ref(),
            trigger,
            against: set_field(lines, f("against"), s.against, StateSet::All)?,
            on_defectors: number(lines, f("on_defectors"), &s.on_defectors, 0.0),
            article: s.article,
            validity: validity(lines, &f, &s.since, &s.until)?,
        });
    }
    let settlement = match raw.settlement {
        None => Settlement::default(),
        Some(s) => {
            lines.put("settlement", &s);
            let s = s.into_inner();
            let award = match &s.award {
                None => super::model::Award::StatusQuo,
                Some(a) => {
                    lines.put("settlement.award", a);
                    match a.get_ref().as_str() {
                        "status_quo" => Award::StatusQuo,
                        "equal" => Award::Equal,
                        "capability" => Award::Capability,
                        other => {
                            return Err(bad(
                                "settlement.award",
                                format!(
                                    "unknown award `{other}`: expected status_quo, equal or \
                                     capability"
                                ),
                            ))
                        }
                    }
                }
            };
            let procedure = s.procedure.map(|p| {
                lines.put("settlement.procedure", &p);
                p.into_inner()
            });
            Settlement {
                procedure,
                binding: s.binding.unwrap_or(false),
                award,
                cost_uncertainty: number(
                    lines,
                    "settlement.cost_uncertainty".into(),
                    &s.cost_uncertainty,
                    2.0,
                ),
            }
        }
    };
    let mut disputes = Vec::new();
    for (k, d) in raw.disputes.into_iter().enumerate() {
        lines.put(format!("disputes[{k}]"), &d);
        let d = d.into_inner();
        lines.put(format!("disputes[{k}].a"), &d.a);
        lines.put(format!("disputes[{k}].b"), &d.b);
        let status_quo = d.status_quo.map(|q| {
            lines.put(format!("disputes[{k}].status_quo"), &q);
            q.into_inner()
        });
        disputes.push(Dispute {
            a: d.a.into_inner(),
            b: d.b.into_inner(),
            status_quo,
        });
    }
    let mut snapshots = Vec::new();
    for (k, s) in raw.snapshots.into_iter().enumerate() {
        snapshots.push(convert_snapshot(k, s, lines)?);
    }
    let prior = match raw.prior {
        None => Prior::default(),
        Some(p) => {
            lines.put("prior", &p);
            let p = p.into_inner();
            let pair = |lines: &mut Lines, f: &str, x: Option<S<[f64; 2]>>| {
                x.map(|s| {
                    lines.put(f.to_string(), &s);
                    let [a, b] = s.into_inner();
                    (a, b)
                })
            };
            Prior {
                reliability_beta: pair(lines, "prior.reliability_beta", p.reliability_beta),
                capability_sigma: number(
                    lines,
                    "prior.capability_sigma".into(),
                    &p.capability_sigma,
                    0.0,
                ),
                stake_range: pair(lines, "prior.stake_range", p.stake_range),
                war_cost_range: pair(lines, "prior.war_cost_range", p.war_cost_range),
            }
        }
    };
    Ok(Treaty {
        name: header.name.into_inner(),
        kind,
        source: header.source,
        signed,
        quid_pro_quo: header.quid_pro_quo,
        defaults,
        war,
        stakes,
        reliability,
        states,
        procedures,
        obligations,
        sanctions,
        settlement,
        disputes,
        snapshots,
        prior,
    })
}

fn convert_defaults(
    raw: Option<S<RawDefaults>>,
    lines: &mut Lines,
) -> std::result::Result<Defaults, Invalid> {
    let d = match raw {
        Some(d) => {
            lines.put("defaults", &d);
            d.into_inner()
        }
        None => RawDefaults::default(),
    };
    let base = Defaults::default();
    let capacity = match &d.capacity {
        Some(c) => {
            lines.put("defaults.capacity", c);
            capacity_of(c.get_ref(), "defaults.capacity")?
        }
        None => base.capacity,
    };
    Ok(Defaults {
        reliability: number(
            lines,
            "defaults.reliability".into(),
            &d.reliability,
            base.reliability,
        ),
        value: number(lines, "defaults.value".into(), &d.value, base.value),
        loss: number(lines, "defaults.loss".into(), &d.loss, base.loss),
        war_cost: number(
            lines,
            "defaults.war_cost".into(),
            &d.war_cost,
            base.war_cost,
        ),
        audience_cost: number(
            lines,
            "defaults.audience_cost".into(),
            &d.audience_cost,
            base.audience_cost,
        ),
        reputation: number(
            lines,
            "defaults.reputation".into(),
            &d.reputation,
            base.reputation,
        ),
        capacity,
    })
}

fn convert_war(
    raw: Option<S<RawWar>>,
    lines: &mut Lines,
) -> std::result::Result<WarModel, Invalid> {
    let w = match raw {
        Some(w) => {
            lines.put("war", &w);
            w.into_inner()
        }
        None => RawWar::default(),
    };
    let mpd = number(lines, "war.miles_per_day".into(), &w.miles_per_day, 250.0);
    let gradient = match &w.gradient {
        None => Gradient::None,
        Some(g) => {
            lines.put("war.gradient", g);
            match g.get_ref().as_str() {
                "none" => Gradient::None,
                "bdm" => Gradient::Bdm { miles_per_day: mpd },
                other => {
                    return Err(bad(
                        "war.gradient",
                        format!("unknown gradient `{other}`: expected \"none\" or \"bdm\""),
                    ))
                }
            }
        }
    };
    let lambda = number(lines, "war.common_shock".into(), &w.common_shock, 0.0);
    let help = match &w.help {
        None => HelpCorrelation::Independent,
        Some(h) => {
            lines.put("war.help", h);
            match h.get_ref().as_str() {
                "independent" => HelpCorrelation::Independent,
                "common_shock" => HelpCorrelation::CommonShock(lambda),
                other => {
                    return Err(bad(
                        "war.help",
                        format!(
                            "unknown help model `{other}`: expected \"independent\" or \
                             \"common_shock\""
                        ),
                    ))
                }
            }
        }
    };
    Ok(WarModel { gradient, help })
}

fn convert_stakes(raw: Option<S<RawStakes>>, lines: &mut Lines) -> StakeRule {
    let s = match raw {
        Some(s) => {
            lines.put("stakes", &s);
            s.into_inner()
        }
        None => RawStakes::default(),
    };
    let base = StakeRule::default();
    let mut declared = Vec::new();
    for (k, d) in s.declared.into_iter().enumerate() {
        lines.put(format!("stakes.declared[{k}]"), &d);
        let d = d.into_inner();
        lines.put(format!("stakes.declared[{k}].stake"), &d.stake);
        declared.push((d.from.into_inner(), d.to.into_inner(), d.stake.into_inner()));
    }
    StakeRule {
        own: number(lines, "stakes.self".into(), &s.own, base.own),
        same_region: number(
            lines,
            "stakes.same_region".into(),
            &s.same_region,
            base.same_region,
        ),
        presence: number(lines, "stakes.presence".into(), &s.presence, base.presence),
        other: number(lines, "stakes.other".into(), &s.other, base.other),
        declared,
    }
}

fn convert_reliability(
    raw: Option<S<RawReliability>>,
    lines: &mut Lines,
) -> std::result::Result<ReliabilityProfile, Invalid> {
    let r = match raw {
        Some(r) => {
            lines.put("reliability", &r);
            r.into_inner()
        }
        None => RawReliability::default(),
    };
    let democracy = number(lines, "reliability.democracy".into(), &r.democracy, 0.10);
    let major = number(
        lines,
        "reliability.major_to_minor".into(),
        &r.major_to_minor,
        -0.10,
    );
    for (f, x) in [
        ("reliability.democracy", democracy),
        ("reliability.major_to_minor", major),
    ] {
        if !(-1.0..=1.0).contains(&x) {
            return Err(bad(f, format!("must be in [-1, 1], got {x}")));
        }
    }
    match &r.profile {
        None => Ok(ReliabilityProfile::Uniform),
        Some(p) => {
            lines.put("reliability.profile", p);
            match p.get_ref().as_str() {
                "uniform" => Ok(ReliabilityProfile::Uniform),
                "leeds2003" => Ok(ReliabilityProfile::Leeds2003 {
                    democracy,
                    major_to_minor: major,
                }),
                other => Err(bad(
                    "reliability.profile",
                    format!("unknown profile `{other}`: expected \"uniform\" or \"leeds2003\""),
                )),
            }
        }
    }
}

fn convert_state(
    k: usize,
    s: S<RawState>,
    lines: &mut Lines,
) -> std::result::Result<State, Invalid> {
    let f = |x: &str| format!("states[{k}].{x}");
    lines.put(format!("states[{k}]"), &s);
    let s = s.into_inner();
    lines.put(f("id"), &s.id);
    let opt = |lines: &mut Lines, name: &str, x: &Option<S<f64>>| {
        x.as_ref().map(|v| {
            lines.put(f(name), v);
            *v.get_ref()
        })
    };
    let capacity = match &s.capacity {
        Some(c) => {
            lines.put(f("capacity"), c);
            Some(capacity_of(c.get_ref(), &f("capacity"))?)
        }
        None => None,
    };
    let presence = match s.presence {
        Some(p) => {
            lines.put(f("presence"), &p);
            p.into_inner()
        }
        None => Vec::new(),
    };
    let id = s.id.into_inner();
    Ok(State {
        name: s.name.unwrap_or_else(|| id.clone()),
        lat: opt(lines, "lat", &s.lat),
        lon: opt(lines, "lon", &s.lon),
        region: s.region,
        presence,
        overrides: StateOverrides {
            value: opt(lines, "value", &s.value),
            loss: opt(lines, "loss", &s.loss),
            war_cost: opt(lines, "war_cost", &s.war_cost),
            reliability: opt(lines, "reliability", &s.reliability),
            audience_cost: opt(lines, "audience_cost", &s.audience_cost),
            capacity,
        },
        id,
    })
}

fn set_field(
    lines: &mut Lines,
    field: String,
    raw: Option<S<RawSet>>,
    default: StateSet,
) -> std::result::Result<StateSet, Invalid> {
    match raw {
        None => Ok(default),
        Some(r) => {
            lines.put(field.clone(), &r);
            set_of(r.get_ref()).map_err(|m| bad(field, m))
        }
    }
}

fn trigger_of(
    lines: &mut Lines,
    field: String,
    raw: &Option<S<String>>,
) -> std::result::Result<Trigger, Invalid> {
    match raw {
        None => Ok(Trigger::Individual),
        Some(t) => {
            lines.put(field.clone(), t);
            Trigger::from_word(t.get_ref()).map_err(|m| bad(field, m))
        }
    }
}

fn count(lines: &mut Lines, field: String, x: &S<i64>) -> std::result::Result<u64, Invalid> {
    lines.put(field.clone(), x);
    u64::try_from(*x.get_ref())
        .map_err(|_| bad(field, format!("must be a count >= 0, got {}", x.get_ref())))
}

fn convert_procedure(
    k: usize,
    p: S<RawProcedure>,
    lines: &mut Lines,
) -> std::result::Result<Procedure, Invalid> {
    let f = |x: &str| format!("procedures[{k}].{x}");
    lines.put(format!("procedures[{k}]"), &p);
    let p = p.into_inner();
    lines.put(f("id"), &p.id);
    lines.put(f("rule"), &p.rule);
    let quota = p
        .quota
        .as_ref()
        .map(|q| count(lines, f("quota"), q))
        .transpose()?;
    let threshold = p.threshold.as_ref().map(|t| {
        lines.put(f("threshold"), t);
        *t.get_ref()
    });
    let rule = match p.rule.get_ref().as_str() {
        "unanimity" => VotingRule::Unanimity,
        "consensus" => VotingRule::Consensus,
        "qualified_majority" | "majority" => VotingRule::QualifiedMajority { threshold, quota },
        "weighted" => {
            let quota = quota.ok_or_else(|| bad(f("quota"), "a weighted rule needs a quota"))?;
            let mut weights = BTreeMap::new();
            if let Some(w) = &p.weights {
                lines.put(f("weights"), w);
                for (id, x) in w.get_ref() {
                    let x = u64::try_from(*x).map_err(|_| {
                        bad(
                            f("weights"),
                            format!("weight of `{id}` must be >= 0, got {x}"),
                        )
                    })?;
                    weights.insert(id.clone(), x);
                }
            }
            VotingRule::Weighted { quota, weights }
        }
        other => {
            return Err(bad(
                f("rule"),
                format!(
                    "unknown rule `{other}`: expected unanimity, consensus, qualified_majority \
                     or weighted"
                ),
            ))
        }
    };
    let mut triggers = Vec::new();
    if let Some(t) = &p.triggers {
        lines.put(f("triggers"), t);
        for w in t.get_ref() {
            triggers.push(Power::from_word(w).map_err(|m| bad(f("triggers"), m))?);
        }
    }
    let veto = match &p.veto {
        Some(v) => {
            lines.put(f("veto"), v);
            v.get_ref().clone()
        }
        None => Vec::new(),
    };
    let requires = p.requires.map(|r| {
        lines.put(f("requires"), &r);
        r.into_inner()
    });
    Ok(Procedure {
        id: p.id.get_ref().clone(),
        body: set_field(lines, f("body"), p.body, StateSet::Members)?,
        rule,
        veto,
        abstention_is_veto: p.abstention_is_veto.unwrap_or(false),
        parties_abstain: p.parties_abstain.unwrap_or(false),
        triggers,
        requires,
        article: p.article,
        validity: validity(lines, &f, &p.since, &p.until)?,
    })
}

fn convert_obligation(
    k: usize,
    o: S<RawObligation>,
    lines: &mut Lines,
) -> std::result::Result<Obligation, Invalid> {
    let f = |x: &str| format!("obligations[{k}].{x}");
    lines.put(format!("obligations[{k}]"), &o);
    let o = o.into_inner();
    lines.put(f("kind"), &o.kind);
    let kind = ObligationKind::from_word(o.kind.get_ref()).map_err(|m| bad(f("kind"), m))?;
    let mut conditions = Vec::new();
    if let Some(c) = &o.conditions {
        lines.put(f("conditions"), c);
        for w in c.get_ref() {
            conditions
                .push(ObligationCondition::from_word(w).map_err(|m| bad(f("conditions"), m))?);
        }
    }
    let reliability = o.reliability.as_ref().map(|r| {
        lines.put(f("reliability"), r);
        *r.get_ref()
    });
    Ok(Obligation {
        kind,
        article: o.article,
        trigger: trigger_of(lines, f("trigger"), &o.trigger)?,
        armed: o.armed.unwrap_or(true),
        pledgers: set_field(lines, f("pledgers"), o.pledgers, StateSet::Members)?,
        protects: set_field(lines, f("protects"), o.protects, StateSet::Members)?,
        against: set_field(lines, f("against"), o.against, StateSet::All)?,
        conditions,
        reliability,
        validity: validity(lines, &f, &o.since, &o.until)?,
    })
}

fn convert_snapshot(
    k: usize,
    s: S<RawSnapshot>,
    lines: &mut Lines,
) -> std::result::Result<Snapshot, Invalid> {
    let f = |x: &str| format!("snapshots[{k}].{x}");
    lines.put(format!("snapshots[{k}]"), &s);
    let s = s.into_inner();
    let y = year(lines, f("year"), &s.year)?;
    let data_year = s
        .data_year
        .as_ref()
        .map(|d| year(lines, f("data_year"), d))
        .transpose()?;
    lines.put(f("members"), &s.members);
    lines.put(f("capability"), &s.capability);
    let mut capability = Vec::with_capacity(s.capability.get_ref().len());
    // toml::Table keeps keys sorted; order the states by their position in the file.
    let text = lines.text;
    let span = s.capability.span();
    // The span of a `[snapshots.capability]` table may cover only its header: search from
    // there to the end (the first match after this snapshot's header is this snapshot's key).
    let section = &text[span.start.min(text.len())..];
    let mut entries: Vec<(usize, String, f64)> = Vec::new();
    for (id, v) in s.capability.get_ref() {
        let x = match v {
            toml::Value::Float(x) => *x,
            toml::Value::Integer(i) => *i as f64,
            other => {
                return Err(bad(
                    format!("{}.{id}", f("capability")),
                    format!("must be a number, got {}", other.type_str()),
                ))
            }
        };
        let pos = find_key(section, id).unwrap_or(usize::MAX);
        entries.push((pos, id.clone(), x));
    }
    entries.sort_by_key(|e| e.0);
    for (pos, id, x) in entries {
        if pos != usize::MAX {
            lines.map.insert(
                format!("{}.{id}", f("capability")),
                line_of(text, span.start + pos),
            );
        }
        capability.push((id, x));
    }
    Ok(Snapshot {
        year: y,
        data_year,
        source: s.source,
        members: s.members.into_inner(),
        democracies: s.democracies,
        major_powers: s.major_powers,
        patrons: s.patrons,
        capability,
        milex: s.milex,
        gdp: s.gdp,
    })
}

/// Byte offset of `key = ` at the start of a line (or after `{`/`,` in an inline table).
fn find_key(section: &str, key: &str) -> Option<usize> {
    let b = section.as_bytes();
    let mut from = 0;
    while let Some(p) = section[from..].find(key) {
        let at = from + p;
        let before_ok = at == 0 || matches!(b[at - 1], b'\n' | b' ' | b'\t' | b'{' | b',' | b'"');
        let rest = section[at + key.len()..].trim_start_matches(['"', ' ', '\t']);
        if before_ok && rest.starts_with('=') {
            return Some(at);
        }
        from = at + key.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_at_names_array_tables_sub_tables_and_keys() {
        let t = "[treaty]\nname = 1\n[[states]]\nid = \"A\"\n[[states]]\nid = 2\n\
                 [[snapshots]]\nyear = 1\n[snapshots.capability]\nA = x\n";
        assert_eq!(field_at(t, t.find("name").unwrap()), "treaty.name");
        assert_eq!(field_at(t, t.find("id = 2").unwrap()), "states[1].id");
        assert_eq!(
            field_at(t, t.find("A = x").unwrap()),
            "snapshots[0].capability.A"
        );
    }

    #[test]
    fn find_key_skips_prefixes_of_other_keys() {
        let s = "[snapshots.capability]\nUSAX = 1\nUSA = 2\n";
        assert_eq!(find_key(s, "USA"), Some(s.find("USA =").unwrap()));
    }
}
