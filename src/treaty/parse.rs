//! TOML treaty models (schema: `models/TEMPLATE.toml`) into [`Treaty`] values, with errors that
//! name the file, line and field.

use super::model::{
    model_error, Decision, DecisionRule, Dispute, Invalid, Obligation, ObligationCondition,
    ObligationKind, Sanctions, Settlement, State, StateSet, Treaty, DEFAULT_RELIABILITY,
};
use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    treaty: Spanned<RawHeader>,
    #[serde(default)]
    defaults: Option<Spanned<RawDefaults>>,
    #[serde(default)]
    states: Vec<Spanned<RawState>>,
    #[serde(default)]
    obligations: Vec<Spanned<RawObligation>>,
    #[serde(default)]
    decision: Option<Spanned<RawDecision>>,
    #[serde(default)]
    settlement: Option<Spanned<RawSettlement>>,
    #[serde(default)]
    disputes: Option<Vec<Spanned<RawDispute>>>,
    #[serde(default)]
    sanctions: Option<Spanned<RawSanctions>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: Spanned<String>,
    year: Option<i64>,
    source: Option<String>,
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
    reliability: Option<Spanned<f64>>,
    value: Option<Spanned<f64>>,
    loss: Option<Spanned<f64>>,
    war_cost: Option<Spanned<f64>>,
    capacity: Option<Spanned<RawCapacity>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawState {
    id: Spanned<String>,
    name: Option<String>,
    capability: Spanned<f64>,
    member: Option<bool>,
    region: Option<String>,
    value: Option<Spanned<f64>>,
    loss: Option<Spanned<f64>>,
    war_cost: Option<Spanned<f64>>,
    reliability: Option<Spanned<f64>>,
    capacity: Option<Spanned<RawCapacity>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawSet {
    Word(String),
    Ids(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObligation {
    kind: Spanned<String>,
    article: Option<String>,
    pledgers: Option<Spanned<RawSet>>,
    protects: Option<Spanned<RawSet>>,
    against: Option<Spanned<RawSet>>,
    #[serde(default)]
    conditions: Option<Spanned<Vec<String>>>,
    reliability: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecision {
    rule: Option<Spanned<String>>,
    body: Option<Spanned<RawSet>>,
    threshold: Option<Spanned<f64>>,
    quota: Option<Spanned<i64>>,
    weights: Option<Spanned<BTreeMap<String, i64>>>,
    veto: Option<Spanned<Vec<String>>>,
    parties_abstain: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettlement {
    rule: Option<Spanned<String>>,
    status_quo: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDispute {
    a: Spanned<String>,
    b: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSanctions {
    cost: Option<Spanned<f64>>,
    against: Option<Spanned<RawSet>>,
}

/// Line numbers of field paths, filled while converting.
struct Lines<'a> {
    text: &'a str,
    map: HashMap<String, usize>,
}

impl<'a> Lines<'a> {
    fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    fn put<T>(&mut self, field: impl Into<String>, s: &Spanned<T>) {
        let line = self.line_of(s.span().start);
        self.map.insert(field.into(), line);
    }

    /// Line of `field`, else of its closest recorded parent (`a[1].b` → `a[1]` → `a`).
    fn get(&self, field: &str) -> usize {
        let mut f = field;
        loop {
            if let Some(&l) = self.map.get(f) {
                return l;
            }
            match f.rfind(['.', '[']) {
                Some(p) => f = &f[..p],
                None => return 0,
            }
        }
    }
}

fn set_of(raw: &RawSet) -> std::result::Result<StateSet, String> {
    match raw {
        RawSet::Word(w) => StateSet::from_word(w),
        RawSet::Ids(v) => Ok(StateSet::Ids(v.clone())),
    }
}

fn bad(field: impl Into<String>, message: impl Into<String>) -> Invalid {
    Invalid {
        field: field.into(),
        message: message.into(),
    }
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
            table = h.trim().to_string();
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
/// [`Error::Parse`] (file, line, column) for TOML syntax errors; [`Error::Model`] (file, line,
/// field) for a missing or mistyped field, an unknown field, kind or rule, an unknown state id,
/// a capability ≤ 0, a reliability outside `[0, 1]`, a duplicate id, or an obligation that
/// binds nobody.
pub fn parse_treaty(text: &str, file: &Path) -> Result<Treaty> {
    // Syntax first, so that syntax errors get a column and a Parse error.
    if let Err(e) = text.parse::<toml::Table>() {
        let off = e.span().map_or(0, |s| s.start).min(text.len());
        let line = text.as_bytes()[..off]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
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
        let lines = Lines {
            text,
            map: HashMap::new(),
        };
        Error::Model {
            file: file.to_path_buf(),
            line: if e.span().is_some() {
                lines.line_of(off)
            } else {
                0
            },
            field: field_at(text, off),
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
    treaty.check().map_err(|e| {
        let l = lines.get(&e.field);
        model_error(file, l, e)
    })?;
    Ok(treaty)
}

/// Reads and parses a treaty model file.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; otherwise as [`parse_treaty`].
pub fn load_treaty(path: &Path) -> Result<Treaty> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_treaty(&text, path)
}

fn capacity_of(
    raw: &RawCapacity,
    capability: f64,
    field: &str,
) -> std::result::Result<f64, Invalid> {
    match raw {
        RawCapacity::Number(x) => Ok(*x),
        RawCapacity::Word(w) if w == "capability" => Ok(capability),
        RawCapacity::Word(w) => Err(bad(
            field,
            format!("capacity must be \"capability\" or a number, got `{w}`"),
        )),
    }
}

fn convert(raw: RawFile, lines: &mut Lines) -> std::result::Result<Treaty, Invalid> {
    lines.put("treaty", &raw.treaty);
    let header = raw.treaty.into_inner();
    lines.put("treaty.name", &header.name);

    let defaults = match raw.defaults {
        Some(d) => {
            lines.put("defaults", &d);
            d.into_inner()
        }
        None => RawDefaults::default(),
    };
    let dflt = |o: &Option<Spanned<f64>>, x: f64| o.as_ref().map_or(x, |s| *s.get_ref());
    let d_rel = dflt(&defaults.reliability, DEFAULT_RELIABILITY);
    if let Some(r) = &defaults.reliability {
        lines.put("defaults.reliability", r);
        if !(0.0..=1.0).contains(&d_rel) {
            return Err(bad(
                "defaults.reliability",
                format!("reliability must be in [0, 1], got {d_rel}"),
            ));
        }
    }
    let d_value = dflt(&defaults.value, 1.0);
    let d_loss = dflt(&defaults.loss, 1.0);
    let d_cost = dflt(&defaults.war_cost, 0.1);
    if let Some(c) = &defaults.capacity {
        lines.put("defaults.capacity", c);
        // Validate the word now; the value depends on each state's capability.
        capacity_of(c.get_ref(), 1.0, "defaults.capacity")?;
    }

    let mut states = Vec::new();
    for (k, s) in raw.states.into_iter().enumerate() {
        let f = |x: &str| format!("states[{k}].{x}");
        lines.put(format!("states[{k}]"), &s);
        let s = s.into_inner();
        lines.put(f("id"), &s.id);
        lines.put(f("capability"), &s.capability);
        for (name, v) in [
            ("value", &s.value),
            ("loss", &s.loss),
            ("war_cost", &s.war_cost),
            ("reliability", &s.reliability),
        ] {
            if let Some(v) = v {
                lines.put(f(name), v);
            }
        }
        let capability = *s.capability.get_ref();
        let capacity = match (&s.capacity, &defaults.capacity) {
            (Some(c), _) => {
                lines.put(f("capacity"), c);
                capacity_of(c.get_ref(), capability, &f("capacity"))?
            }
            (None, Some(c)) => capacity_of(c.get_ref(), capability, "defaults.capacity")?,
            (None, None) => capability,
        };
        let id = s.id.into_inner();
        states.push(State {
            name: s.name.unwrap_or_else(|| id.clone()),
            id,
            capability,
            value: dflt(&s.value, d_value),
            loss: dflt(&s.loss, d_loss),
            war_cost: dflt(&s.war_cost, d_cost),
            reliability: dflt(&s.reliability, d_rel),
            member: s.member.unwrap_or(true),
            region: s.region,
            capacity,
        });
    }

    let mut obligations = Vec::new();
    for (k, o) in raw.obligations.into_iter().enumerate() {
        let f = |x: &str| format!("obligations[{k}].{x}");
        lines.put(format!("obligations[{k}]"), &o);
        let o = o.into_inner();
        lines.put(f("kind"), &o.kind);
        let kind = ObligationKind::from_word(o.kind.get_ref()).map_err(|m| bad(f("kind"), m))?;
        let mut set = |name: &str, raw: Option<Spanned<RawSet>>, default: StateSet| match raw {
            None => Ok(default),
            Some(r) => {
                lines.put(f(name), &r);
                set_of(r.get_ref()).map_err(|m| bad(f(name), m))
            }
        };
        let pledgers = set("pledgers", o.pledgers, StateSet::Members)?;
        let protects = set("protects", o.protects, StateSet::Members)?;
        let against = set("against", o.against, StateSet::All)?;
        let mut conditions = Vec::new();
        if let Some(c) = o.conditions {
            lines.put(f("conditions"), &c);
            for s in c.into_inner() {
                conditions
                    .push(ObligationCondition::try_from(s).map_err(|m| bad(f("conditions"), m))?);
            }
        }
        if let Some(r) = &o.reliability {
            lines.put(f("reliability"), r);
        }
        obligations.push(Obligation {
            kind,
            article: o.article,
            pledgers,
            protects,
            against,
            conditions,
            reliability: o.reliability.map(Spanned::into_inner),
        });
    }

    let decision = match raw.decision {
        None => Decision::default(),
        Some(d) => {
            lines.put("decision", &d);
            let d = d.into_inner();
            let body = match d.body {
                None => StateSet::Members,
                Some(b) => {
                    lines.put("decision.body", &b);
                    set_of(b.get_ref()).map_err(|m| bad("decision.body", m))?
                }
            };
            let veto = match d.veto {
                None => Vec::new(),
                Some(v) => {
                    lines.put("decision.veto", &v);
                    v.into_inner()
                }
            };
            if let Some(t) = &d.threshold {
                lines.put("decision.threshold", t);
            }
            if let Some(q) = &d.quota {
                lines.put("decision.quota", q);
            }
            if let Some(w) = &d.weights {
                lines.put("decision.weights", w);
            }
            let rule_word = match &d.rule {
                Some(r) => {
                    lines.put("decision.rule", r);
                    r.get_ref().as_str()
                }
                None => "consensus",
            };
            let rule = match rule_word {
                "unanimity" => DecisionRule::Unanimity,
                "consensus" => DecisionRule::Consensus,
                "qualified_majority" => DecisionRule::QualifiedMajority {
                    threshold: d.threshold.as_ref().map_or(0.5, |t| *t.get_ref()),
                },
                "weighted" => {
                    let quota = d.quota.as_ref().ok_or_else(|| {
                        bad("decision.quota", "rule = \"weighted\" needs a quota")
                    })?;
                    let q = *quota.get_ref();
                    if q < 1 {
                        return Err(bad(
                            "decision.quota",
                            format!("quota must be >= 1, got {q}"),
                        ));
                    }
                    let mut weights = BTreeMap::new();
                    if let Some(w) = &d.weights {
                        for (id, &x) in w.get_ref() {
                            if x < 0 {
                                return Err(bad(
                                    "decision.weights",
                                    format!("weight of `{id}` must be >= 0, got {x}"),
                                ));
                            }
                            weights.insert(id.clone(), x as u64);
                        }
                    }
                    DecisionRule::Weighted {
                        quota: q as u64,
                        weights,
                    }
                }
                other => {
                    return Err(bad(
                        "decision.rule",
                        format!(
                            "unknown decision rule `{other}`: expected unanimity, consensus, \
                             qualified_majority or weighted"
                        ),
                    ))
                }
            };
            Decision {
                rule,
                body,
                veto,
                parties_abstain: d.parties_abstain.unwrap_or(false),
            }
        }
    };

    let settlement = match raw.settlement {
        None => Settlement::default(),
        Some(s) => {
            lines.put("settlement", &s);
            let s = s.into_inner();
            if let Some(q) = &s.status_quo {
                lines.put("settlement.status_quo", q);
            }
            let word = match &s.rule {
                Some(r) => {
                    lines.put("settlement.rule", r);
                    r.get_ref().as_str()
                }
                None => "capability",
            };
            match word {
                "capability" => Settlement::Capability,
                "equal" => Settlement::Equal,
                "status_quo" => Settlement::StatusQuo {
                    status_quo: *s
                        .status_quo
                        .as_ref()
                        .ok_or_else(|| {
                            bad(
                                "settlement.status_quo",
                                "rule = \"status_quo\" needs status_quo",
                            )
                        })?
                        .get_ref(),
                },
                other => {
                    return Err(bad(
                        "settlement.rule",
                        format!(
                            "unknown settlement rule `{other}`: expected capability, equal or \
                             status_quo"
                        ),
                    ))
                }
            }
        }
    };

    let disputes = raw.disputes.map(|ds| {
        ds.into_iter()
            .enumerate()
            .map(|(k, d)| {
                lines.put(format!("disputes[{k}]"), &d);
                let d = d.into_inner();
                lines.put(format!("disputes[{k}].a"), &d.a);
                lines.put(format!("disputes[{k}].b"), &d.b);
                Dispute {
                    a: d.a.into_inner(),
                    b: d.b.into_inner(),
                }
            })
            .collect()
    });

    let sanctions = match raw.sanctions {
        None => Sanctions::default(),
        Some(s) => {
            lines.put("sanctions", &s);
            let s = s.into_inner();
            if let Some(c) = &s.cost {
                lines.put("sanctions.cost", c);
            }
            let against = match s.against {
                None => StateSet::All,
                Some(a) => {
                    lines.put("sanctions.against", &a);
                    set_of(a.get_ref()).map_err(|m| bad("sanctions.against", m))?
                }
            };
            Sanctions {
                cost: s.cost.map_or(0.0, Spanned::into_inner),
                against,
            }
        }
    };

    Ok(Treaty {
        name: header.name.into_inner(),
        year: header.year,
        source: header.source,
        states,
        obligations,
        decision,
        settlement,
        disputes,
        sanctions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_at_names_array_tables_and_keys() {
        let t = "[treaty]\nname = \"x\"\n[[states]]\nid = \"A\"\n[[states]]\nid = \"B\"\ncapability = -1\n";
        let off = t.find("capability").unwrap();
        assert_eq!(field_at(t, off), "states[1].capability");
        assert_eq!(field_at(t, t.find("name").unwrap()), "treaty.name");
    }
}
