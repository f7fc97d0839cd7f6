#!/usr/bin/env python3
"""Independent first-order estimate of three covenant conditions for the bundled models.

Usage: python3 tools/expected_verdicts.py [FILE.toml ...]   (default: every models/*.toml
except TEMPLATE.toml)

This script shares nothing with the Rust engine: it re-implements, from DESIGN.md §5 alone,
  (a) deterrence: EU_i(j) = E_H[pi(H) V_j - (1 - pi(H)) L_i] - kappa_i - s_i < 0 for every
      aggressor i (member or not) and member target j, where H is each responder k in R(j,i)
      independently with probability rho_k and pi(H) = cap_i / (cap_i + cap_j + sum_H cap_k);
      E_H[pi] is exact by subset enumeration up to 18 responders, else a DP over the total
      helper capability discretised in 2000 steps (error in pi below 1e-3);
  (c) equal rules, in its three parts: obligations symmetric under permutations of members,
      equal power of members in the decision rule, no member able to veto action against
      itself;
  (g) liveness: for every aggressor, the body minus the aggressor (minus both parties when
      parties_abstain) still contains a winning coalition.
It is meant to give the lead the numbers to pin in tests, and to cross-check the engine: where
the two disagree, one of them is wrong. Responders: pledgers of every `defense` obligation
whose protects contains j, whose against contains i and whose conditions hold for j, minus i
and j; a state in several such obligations counts once, with its highest reliability.
Qualified majority is read as yes >= threshold * (number of voters).
"""

from __future__ import annotations

import itertools
import pathlib
import sys
import tomllib
from collections import Counter


def load(path):
    with open(path, "rb") as f:
        return tomllib.load(f)


class Model:
    def __init__(self, doc):
        self.doc = doc
        d = {"reliability": 0.75, "value": 1.0, "loss": 1.0, "war_cost": 0.1}
        d.update({k: v for k, v in doc.get("defaults", {}).items() if k != "capacity"})
        self.states = {}
        for s in doc["states"]:
            st = dict(d)
            st.update({k: v for k, v in s.items() if k in d})
            st["cap"] = float(s["capability"])
            st["member"] = s.get("member", True)
            st["region"] = s.get("region")
            self.states[s["id"]] = st
        self.ids = list(self.states)
        self.members = [k for k in self.ids if self.states[k]["member"]]

    def group(self, v, kind):
        if isinstance(v, list):
            return set(v)
        if v == "members":
            return set(self.members)
        if v == "non_members":
            return set(self.ids) - set(self.members)
        if v in ("all", "any"):
            return set(self.ids)
        raise ValueError(f"{kind}: {v}")

    def responders(self, j, i):
        rel = {}
        for o in self.doc.get("obligations", []):
            if o["kind"] != "defense":
                continue
            if j not in self.group(o.get("protects", "members"), "protects"):
                continue
            if i not in self.group(o.get("against", "any"), "against"):
                continue
            ok = True
            for c in o.get("conditions", []):
                if c.startswith("region:") and self.states[j]["region"] != c[7:]:
                    ok = False
            if not ok:
                continue
            for k in self.group(o.get("pledgers", "members"), "pledgers"):
                if k in (i, j):
                    continue
                r = o.get("reliability", self.states[k]["reliability"])
                rel[k] = max(rel.get(k, 0.0), r)
        return rel

    def expected_pi(self, i, j, rel, scale=1.0):
        ci, cj = self.states[i]["cap"], self.states[j]["cap"]
        items = [(self.states[k]["cap"], min(1.0, r * scale)) for k, r in rel.items()]
        if len(items) <= 18:
            tot = 0.0
            for mask in itertools.product((0, 1), repeat=len(items)):
                p, h = 1.0, 0.0
                for (c, r), b in zip(items, mask):
                    p *= r if b else 1 - r
                    h += c if b else 0.0
                tot += p * ci / (ci + cj + h)
            return tot
        # distribution of the total helper capability on a grid of 2000 steps of the total:
        # rounding a sum to the grid moves pi by at most |dpi/dS| * step / 2, below 1e-3 here
        total = sum(c for c, _ in items)
        step = total / 2000
        dist = [1.0] + [0.0] * 2000
        for c, r in items:
            q = round(c / step)
            nd = [p * (1 - r) for p in dist]
            for s, p in enumerate(dist):
                if p and s + q <= 2000:
                    nd[s + q] += p * r
                elif p:
                    nd[2000] += p * r
            dist = nd
        return sum(p * ci / (ci + cj + s * step) for s, p in enumerate(dist) if p)

    def sanction(self, i):
        s = self.doc.get("sanctions", {})
        if i in self.group(s.get("against", "any"), "against"):
            return float(s.get("cost", 0.0))
        return 0.0

    def eu(self, i, j, scale=1.0):
        rel = self.responders(j, i)
        pi = self.expected_pi(i, j, rel, scale)
        si, sj = self.states[i], self.states[j]
        return pi * sj["value"] - (1 - pi) * si["loss"] - si["war_cost"] - self.sanction(i)

    def deterrence(self):
        worst = None
        worst_non = None
        aggressors, targets = self.ids, self.members
        if len(self.ids) > 40:
            # EU grows with the aggressor's capability and shrinks with the target's (a small
            # target adds little and its helpers are uncertain): for the 193-state model scan
            # the 8 strongest aggressors (and the strongest non-member) against the 12 weakest
            # and the 8 strongest members, not all 37,000 pairs.
            by_cap = sorted(self.ids, key=lambda k: -self.states[k]["cap"])
            non = [k for k in by_cap if not self.states[k]["member"]]
            aggressors = by_cap[:8] + non[:1]
            mem = sorted(self.members, key=lambda k: self.states[k]["cap"])
            targets = mem[:12] + mem[-8:]
        for i in aggressors:
            for j in targets:
                if i == j:
                    continue
                e = self.eu(i, j)
                if worst is None or e > worst[0]:
                    worst = (e, i, j)
                if not self.states[i]["member"] and (worst_non is None or e > worst_non[0]):
                    worst_non = (e, i, j)
        return worst, worst_non

    # -- decision rule ----------------------------------------------------------------------
    def voters(self):
        d = self.doc.get("decision", {})
        body = d.get("body", "members")
        return list(self.members) if body == "members" else list(body)

    def winning(self, yes, voting):
        d = self.doc.get("decision", {})
        rule = d.get("rule", "consensus")
        veto = set(d.get("veto", []))
        if any(v in voting and v not in yes for v in veto):
            return False
        if rule in ("unanimity", "consensus"):
            return set(voting) <= set(yes)
        if rule == "qualified_majority":
            return len(yes) >= d["threshold"] * len(voting) - 1e-12
        if rule == "weighted":
            w = d.get("weights", {})
            return sum(w.get(v, 1) for v in yes) >= d["quota"]
        raise ValueError(rule)

    def live_against(self, i, j=None):
        d = self.doc.get("decision", {})
        voting = self.voters()
        if d.get("parties_abstain", False):
            voting = [v for v in voting if v != i and v != j]
        yes = [v for v in voting if v != i]
        return self.winning(yes, voting)

    def liveness(self):
        fails = []
        for i in self.ids:
            targets = [j for j in self.members if j != i]
            if not all(self.live_against(i, j) for j in targets):
                fails.append(i)
        return fails

    def equal_rules(self):
        notes = []
        mem = set(self.members)
        for o in self.doc.get("obligations", []):
            pl = self.group(o.get("pledgers", "members"), "p") & mem
            pr = self.group(o.get("protects", "members"), "p")
            ag = self.group(o.get("against", "any"), "a")
            if pl != mem or not (pr >= mem):
                notes.append(f"{o.get('article', o['kind'])}: not every member pledges/is "
                             "protected")
            if (ag & mem) and (ag & mem) != mem:
                notes.append(f"{o.get('article', o['kind'])}: against names some members only")
            regs = {self.states[m]["region"] for m in mem}
            if any(c.startswith("region:") for c in o.get("conditions", [])) and len(regs) > 1:
                notes.append(f"{o.get('article', o['kind'])}: region condition splits members")
        d = self.doc.get("decision", {})
        voters = set(self.voters())
        if voters != mem:
            notes.append("decision body is not the membership")
        w = d.get("weights", {})
        if len({w.get(v, 1) for v in voters}) > 1:
            notes.append("unequal weights")
        veto = set(d.get("veto", []))
        if veto and veto != voters:
            notes.append("veto held by some voters only")
        self_veto = [i for i in self.members if not all(
            self.live_against(i, j) for j in self.members if j != i)]
        if self_veto:
            notes.append("members that can veto action against themselves: "
                         + " ".join(self_veto))
        return notes


def main(argv):
    if argv:
        paths = [pathlib.Path(a) for a in argv]
    else:
        root = pathlib.Path(__file__).resolve().parent.parent / "models"
        paths = [p for p in sorted(root.glob("*.toml")) if p.name != "TEMPLATE.toml"]
    for p in paths:
        m = Model(load(p))
        (e, i, j), non = m.deterrence()
        print(f"== {p.name}")
        print(f"  (a) deterrence, all aggressors: {'HOLDS' if e < 0 else 'FAILS'}; "
              f"worst EU = {e:+.3f} ({i} attacks {j})")
        if non:
            e2, i2, j2 = non
            print(f"      non-member aggressors only: {'HOLDS' if e2 < 0 else 'FAILS'}; "
                  f"worst EU = {e2:+.3f} ({i2} attacks {j2})")
        notes = m.equal_rules()
        print(f"  (c) equal rules: {'HOLDS' if not notes else 'FAILS'}"
              + "".join(f"\n      - {n}" for n in notes))
        fails = m.liveness()
        print(f"  (g) liveness: {'HOLDS' if not fails else 'FAILS'}"
              + (f"; cannot act against: {' '.join(fails)}" if fails else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
