#!/usr/bin/env python3
"""Validate covenant treaty models against the schema fixed in models/TEMPLATE.toml.

Usage: python3 tools/check_models.py [FILE.toml ...]
With no arguments, checks every models/*.toml (TEMPLATE.toml included: it must stay valid).
Exit status 0 when every model is valid, 1 otherwise. Python 3.11+ (stdlib tomllib only).

What is checked (each rule is the template's, nothing more):
- only the documented sections and fields (an unknown key is an error: a typo would otherwise
  be silently ignored by the engine);
- required fields: treaty.name, states[].id, states[].capability, obligations[].kind;
- ids unique; every id referenced anywhere exists (obligation pledgers/protects/against lists,
  decision body/weights/veto, disputes a/b, sanctions.against);
- capability > 0 and finite; reliabilities in [0, 1]; values/losses/war costs/sanction cost
  finite and >= 0; capacity "capability" or a number >= 0;
- kinds, rules and against values from the allowed sets; conditions are "non_provocation" or
  "region:NAME" with NAME the region of at least one state;
- decision: qualified_majority needs threshold in (0, 1]; weighted needs a quota that is > 0
  and reachable by the body's total weight; weights, veto players are voters of the body;
- settlement "status_quo" needs status_quo in [0, 1];
- at least one member; disputes name two different states.
"""

from __future__ import annotations

import math
import pathlib
import sys
import tomllib

OBLIGATION_KINDS = {"defense", "offense", "neutrality", "non_aggression", "consultation"}
DECISION_RULES = {"unanimity", "consensus", "qualified_majority", "weighted"}
SETTLEMENT_RULES = {"capability", "equal", "status_quo"}
GROUPS_AGAINST = {"any", "members", "non_members"}
GROUPS_PLEDGERS = {"members", "all"}
GROUPS_PROTECTS = {"members"}
GROUPS_BODY = {"members"}

TOP_KEYS = {"treaty", "defaults", "states", "obligations", "decision", "settlement", "disputes",
            "sanctions"}
TREATY_KEYS = {"name", "year", "source"}
DEFAULT_KEYS = {"reliability", "value", "loss", "war_cost", "capacity"}
STATE_KEYS = {"id", "name", "capability", "member", "region"} | DEFAULT_KEYS
OBLIGATION_KEYS = {"kind", "article", "pledgers", "protects", "against", "conditions",
                   "reliability"}
DECISION_KEYS = {"rule", "body", "threshold", "quota", "weights", "veto", "parties_abstain"}
SETTLEMENT_KEYS = {"rule", "status_quo"}
DISPUTE_KEYS = {"a", "b"}
SANCTION_KEYS = {"cost", "against"}


class Checker:
    def __init__(self, path: pathlib.Path):
        self.path = path
        self.errors: list[str] = []

    def err(self, where: str, msg: str) -> None:
        self.errors.append(f"{self.path}: {where}: {msg}")

    # -- small typed accessors ---------------------------------------------------------------
    def keys(self, where: str, table: dict, allowed: set[str]) -> None:
        for k in table:
            if k not in allowed:
                self.err(where, f"unknown field `{k}` (allowed: {', '.join(sorted(allowed))})")

    def number(self, where: str, v, *, lo=None, hi=None, lo_open=False) -> float | None:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.err(where, f"expected a number, got {v!r}")
            return None
        x = float(v)
        if not math.isfinite(x):
            self.err(where, f"must be finite, got {v!r}")
            return None
        if lo is not None and (x <= lo if lo_open else x < lo):
            self.err(where, f"must be {'>' if lo_open else '>='} {lo}, got {v!r}")
        if hi is not None and x > hi:
            self.err(where, f"must be <= {hi}, got {v!r}")
        return x

    def string(self, where: str, v) -> str | None:
        if not isinstance(v, str):
            self.err(where, f"expected a string, got {v!r}")
            return None
        return v

    def id_set(self, where: str, v, groups: set[str], ids: set[str]) -> None:
        """A group name from `groups` or a non-empty list of existing, distinct ids."""
        if isinstance(v, str):
            if v not in groups:
                self.err(where, f"`{v}` is not one of {sorted(groups)} (a list of ids must be "
                         "written as a list)")
            return
        if not isinstance(v, list) or not v:
            self.err(where, f"expected one of {sorted(groups)} or a non-empty list of ids, "
                     f"got {v!r}")
            return
        seen = set()
        for x in v:
            if not isinstance(x, str):
                self.err(where, f"id {x!r} is not a string")
            elif x not in ids:
                self.err(where, f"unknown state id `{x}`")
            elif x in seen:
                self.err(where, f"id `{x}` listed twice")
            seen.add(x)

    def state_fields(self, where: str, t: dict) -> None:
        if "reliability" in t:
            self.number(f"{where}.reliability", t["reliability"], lo=0.0, hi=1.0)
        for f in ("value", "loss", "war_cost"):
            if f in t:
                self.number(f"{where}.{f}", t[f], lo=0.0)
        if "capacity" in t:
            c = t["capacity"]
            if isinstance(c, str):
                if c != "capability":
                    self.err(f"{where}.capacity", f"must be \"capability\" or a number, got {c!r}")
            else:
                self.number(f"{where}.capacity", c, lo=0.0)

    # -- the model ---------------------------------------------------------------------------
    def check(self, doc: dict) -> None:
        self.keys("top level", doc, TOP_KEYS)

        treaty = doc.get("treaty")
        if not isinstance(treaty, dict):
            self.err("[treaty]", "missing (required)")
        else:
            self.keys("[treaty]", treaty, TREATY_KEYS)
            if "name" not in treaty:
                self.err("[treaty].name", "missing (required)")
            else:
                self.string("[treaty].name", treaty["name"])
            if "year" in treaty and (isinstance(treaty["year"], bool)
                                     or not isinstance(treaty["year"], int)):
                self.err("[treaty].year", f"expected an integer year, got {treaty['year']!r}")
            if "source" in treaty:
                self.string("[treaty].source", treaty["source"])

        defaults = doc.get("defaults", {})
        if not isinstance(defaults, dict):
            self.err("[defaults]", "must be a table")
        else:
            self.keys("[defaults]", defaults, DEFAULT_KEYS)
            self.state_fields("[defaults]", defaults)

        states = doc.get("states")
        ids: list[str] = []
        members: set[str] = set()
        regions: set[str] = set()
        if not isinstance(states, list) or not states:
            self.err("[[states]]", "at least one state is required")
            states = []
        for k, s in enumerate(states):
            where = f"states[{k}]"
            if not isinstance(s, dict):
                self.err(where, "must be a table")
                continue
            sid = s.get("id")
            if sid is None:
                self.err(where, "id missing (required)")
            elif self.string(f"{where}.id", sid) is not None:
                where = f"states[{k}] ({sid})"
                if not sid:
                    self.err(where, "id is empty")
                ids.append(sid)
            self.keys(where, s, STATE_KEYS)
            if "name" in s:
                self.string(f"{where}.name", s["name"])
            if "capability" not in s:
                self.err(f"{where}.capability", "missing (required)")
            else:
                self.number(f"{where}.capability", s["capability"], lo=0.0, lo_open=True)
            member = s.get("member", True)
            if not isinstance(member, bool):
                self.err(f"{where}.member", f"expected true or false, got {member!r}")
            elif member and isinstance(sid, str):
                members.add(sid)
            if "region" in s and self.string(f"{where}.region", s["region"]) is not None:
                regions.add(s["region"])
            self.state_fields(where, s)
        idset = set(ids)
        for sid in sorted(idset):
            if ids.count(sid) > 1:
                self.err("[[states]]", f"id `{sid}` used {ids.count(sid)} times")
        if states and not members:
            self.err("[[states]]", "no member states (member = true)")

        obligations = doc.get("obligations", [])
        if not isinstance(obligations, list):
            self.err("[[obligations]]", "must be an array of tables")
            obligations = []
        for k, o in enumerate(obligations):
            where = f"obligations[{k}]"
            if not isinstance(o, dict):
                self.err(where, "must be a table")
                continue
            if "article" in o and isinstance(o["article"], str):
                where = f"obligations[{k}] ({o['article']})"
            self.keys(where, o, OBLIGATION_KEYS)
            kind = o.get("kind")
            if kind is None:
                self.err(f"{where}.kind", "missing (required)")
            elif kind not in OBLIGATION_KINDS:
                self.err(f"{where}.kind", f"`{kind}` not in {sorted(OBLIGATION_KINDS)}")
            if "article" in o:
                self.string(f"{where}.article", o["article"])
            if "pledgers" in o:
                self.id_set(f"{where}.pledgers", o["pledgers"], GROUPS_PLEDGERS, idset)
            if "protects" in o:
                self.id_set(f"{where}.protects", o["protects"], GROUPS_PROTECTS, idset)
            if "against" in o:
                self.id_set(f"{where}.against", o["against"], GROUPS_AGAINST, idset)
            conds = o.get("conditions", [])
            if not isinstance(conds, list):
                self.err(f"{where}.conditions", f"expected a list, got {conds!r}")
                conds = []
            for c in conds:
                if c == "non_provocation":
                    continue
                if isinstance(c, str) and c.startswith("region:"):
                    name = c[len("region:"):]
                    if not name:
                        self.err(f"{where}.conditions", "empty region name in `region:`")
                    elif name not in regions:
                        self.err(f"{where}.conditions",
                                 f"region `{name}` is the region of no state "
                                 f"(regions used: {sorted(regions) or 'none'})")
                    continue
                self.err(f"{where}.conditions",
                         f"{c!r} is neither \"non_provocation\" nor \"region:NAME\"")
            if "reliability" in o:
                self.number(f"{where}.reliability", o["reliability"], lo=0.0, hi=1.0)

        decision = doc.get("decision")
        if decision is not None:
            self.check_decision(decision, idset, members)

        settlement = doc.get("settlement")
        if settlement is not None:
            if not isinstance(settlement, dict):
                self.err("[settlement]", "must be a table")
            else:
                self.keys("[settlement]", settlement, SETTLEMENT_KEYS)
                rule = settlement.get("rule", "capability")
                if rule not in SETTLEMENT_RULES:
                    self.err("[settlement].rule", f"`{rule}` not in {sorted(SETTLEMENT_RULES)}")
                if rule == "status_quo" and "status_quo" not in settlement:
                    self.err("[settlement].status_quo", "required with rule = \"status_quo\"")
                if "status_quo" in settlement:
                    self.number("[settlement].status_quo", settlement["status_quo"],
                                lo=0.0, hi=1.0)

        disputes = doc.get("disputes", [])
        if not isinstance(disputes, list):
            self.err("[[disputes]]", "must be an array of tables")
            disputes = []
        for k, d in enumerate(disputes):
            where = f"disputes[{k}]"
            if not isinstance(d, dict):
                self.err(where, "must be a table")
                continue
            self.keys(where, d, DISPUTE_KEYS)
            for f in ("a", "b"):
                if f not in d:
                    self.err(f"{where}.{f}", "missing (required)")
                elif d[f] not in idset:
                    self.err(f"{where}.{f}", f"unknown state id {d[f]!r}")
            if d.get("a") is not None and d.get("a") == d.get("b"):
                self.err(where, "a dispute needs two different states")

        sanctions = doc.get("sanctions")
        if sanctions is not None:
            if not isinstance(sanctions, dict):
                self.err("[sanctions]", "must be a table")
            else:
                self.keys("[sanctions]", sanctions, SANCTION_KEYS)
                if "cost" in sanctions:
                    self.number("[sanctions].cost", sanctions["cost"], lo=0.0)
                if "against" in sanctions:
                    self.id_set("[sanctions].against", sanctions["against"], GROUPS_AGAINST,
                                idset)

    def check_decision(self, d, idset: set[str], members: set[str]) -> None:
        if not isinstance(d, dict):
            self.err("[decision]", "must be a table")
            return
        self.keys("[decision]", d, DECISION_KEYS)
        rule = d.get("rule", "consensus")
        if rule not in DECISION_RULES:
            self.err("[decision].rule", f"`{rule}` not in {sorted(DECISION_RULES)}")
        body = d.get("body", "members")
        self.id_set("[decision].body", body, GROUPS_BODY, idset)
        voters = members if body == "members" else set(body) if isinstance(body, list) else set()
        if rule == "qualified_majority":
            if "threshold" not in d:
                self.err("[decision].threshold", "required with rule = \"qualified_majority\"")
        if "threshold" in d:
            self.number("[decision].threshold", d["threshold"], lo=0.0, hi=1.0, lo_open=True)
        weights = d.get("weights", {})
        if not isinstance(weights, dict):
            self.err("[decision].weights", f"expected a table id = weight, got {weights!r}")
            weights = {}
        for vid, w in weights.items():
            if vid not in idset:
                self.err("[decision].weights", f"unknown state id `{vid}`")
            elif vid not in voters:
                self.err("[decision].weights", f"`{vid}` is not in the decision body")
            self.number(f"[decision].weights.{vid}", w, lo=0.0)
        if rule == "weighted":
            if "quota" not in d:
                self.err("[decision].quota", "required with rule = \"weighted\"")
            else:
                q = self.number("[decision].quota", d["quota"], lo=0.0, lo_open=True)
                total = sum(float(weights.get(v, 1)) for v in voters
                            if not isinstance(weights.get(v, 1), bool)
                            and isinstance(weights.get(v, 1), (int, float)))
                if q is not None and q > total:
                    self.err("[decision].quota",
                             f"quota {q} exceeds the body's total weight {total}: "
                             "no decision is ever possible")
        elif "quota" in d:
            self.number("[decision].quota", d["quota"], lo=0.0, lo_open=True)
        veto = d.get("veto", [])
        if not isinstance(veto, list):
            self.err("[decision].veto", f"expected a list of ids, got {veto!r}")
            veto = []
        for v in veto:
            if v not in idset:
                self.err("[decision].veto", f"unknown state id {v!r}")
            elif v not in voters:
                self.err("[decision].veto", f"`{v}` has a veto but is not in the decision body")
        if "parties_abstain" in d and not isinstance(d["parties_abstain"], bool):
            self.err("[decision].parties_abstain",
                     f"expected true or false, got {d['parties_abstain']!r}")


def check_file(path: pathlib.Path) -> list[str]:
    try:
        with path.open("rb") as f:
            doc = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        return [f"{path}: TOML syntax: {e}"]
    except OSError as e:
        return [f"{path}: cannot read: {e}"]
    c = Checker(path)
    c.check(doc)
    return c.errors


def summary(path: pathlib.Path) -> str:
    with path.open("rb") as f:
        doc = tomllib.load(f)
    states = doc.get("states", [])
    n_mem = sum(1 for s in states if s.get("member", True))
    return (f"{path}: ok ({len(states)} states, {n_mem} members, "
            f"{len(doc.get('obligations', []))} obligations, "
            f"decision {doc.get('decision', {}).get('rule', 'consensus')})")


def main(argv: list[str]) -> int:
    if argv:
        paths = [pathlib.Path(a) for a in argv]
    else:
        root = pathlib.Path(__file__).resolve().parent.parent / "models"
        paths = sorted(root.glob("*.toml"))
        if not paths:
            print(f"no models found in {root}", file=sys.stderr)
            return 1
    bad = 0
    for p in paths:
        errors = check_file(p)
        if errors:
            bad += 1
            for e in errors:
                print(e, file=sys.stderr)
        else:
            print(summary(p))
    if bad:
        print(f"{bad} of {len(paths)} model(s) invalid", file=sys.stderr)
        return 1
    print(f"all {len(paths)} model(s) valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
