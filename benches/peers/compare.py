#!/usr/bin/env python3
"""Time the same game instances in the peers (Gambit, Nashpy, QuantEcon, scipy, coopgame-py)
and in covenant's criterion benches, check that covenant's answers agree with the peers', and
write benches/peers/RESULTS.md.

    python3 benches/peers/compare.py --venv /work/venv-peers [--quick]

The driver itself needs only the standard library. Each peer call runs in a subprocess of the
venv's python (``--venv DIR`` or ``--python EXE`` or env ``COVENANT_PEERS_PYTHON``), with a
wall-clock timeout; a peer that is not installed is reported as "not installed" and skipped.
Covenant's times come from ``cargo bench --bench <file> -- <regex>`` and criterion's
``target/criterion/<group>/<id>/new/estimates.json`` (median); a bench or id that does not
exist yet shows "n/a". Agreement uses the ``covenant`` CLI (release build, or env ``COVENANT_BIN``) when it
has the command, else "n/a".
"""
import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGREE_TOL = 1e-6
# Nashpy's Lemke-Howson cycles on many of these games (a hang, not slowness): cap it lower.
PEER_TIMEOUT = {("nashpy", "lemke_howson"): 20.0}

# --------------------------------------------------------------------------------------------
# What is compared. Each row: (bench file, criterion group, id, instance file or None for a
# game covenant's bench generates itself, [(peer, method), ...], agreement kind or None).
NONCOOP_LH = ["bimatrix_10x10_0", "bimatrix_20x20_0", "bimatrix_50x50_0", "bimatrix_100x100_0",
              "bimatrix_100x100_1", "zerosum_300x300_0"]
NONCOOP_ENUM = ["bimatrix_5x5_0", "bimatrix_10x10_0", "bimatrix_10x10_1", "bimatrix_10x10_2"]
# Full runs only: lrsnash takes minutes here (give it --timeout 300), Gambit's enummixed longer.
NONCOOP_ENUM_LARGE = ["bimatrix_20x20_0", "bimatrix_20x20_1"]
ZERO_SUM = ["zerosum_10x10_0", "zerosum_100x100_0", "zerosum_300x300_0"]
PURE = ["bimatrix_100x100_0", "bimatrix_100x100_1"]
COOP_NS = ["n10", "n12", "n14", "n16"]
# Full runs only: generated here (the peers' generator, seeded) into <target>/peers/coop/, where
# benches/coop.rs reads them too.
COOP_LARGE_NS = [18, 20, 22]
COOP_LARGE_KINDS = ["convex", "random"]
COOP_KINDS = ["convex", "random", "superadditive", "synergy"]


def instances(quick):
    lh = NONCOOP_LH[:3] if quick else NONCOOP_LH
    en = NONCOOP_ENUM[:2] if quick else NONCOOP_ENUM
    zs = ZERO_SUM[:2] if quick else ZERO_SUM
    ns = COOP_NS[:2] if quick else COOP_NS
    kinds = COOP_KINDS[:2] if quick else COOP_KINDS
    rows = []
    for g in lh:
        rows.append(("bimatrix", "lemke_howson", g, f"noncoop/{g}.json",
                     [("gambit", "lcp1_dbl"), ("quantecon", "lemke_howson"),
                      ("nashpy", "lemke_howson")], "one_eq"))
    for g in en:
        peers = [("gambit", "enummixed_dbl"), ("quantecon", "vertex_enumeration"),
                 ("lrsnash", "enumerate_gmp")]
        if g.startswith("bimatrix_5x5"):  # Nashpy's vertex enumeration takes > 60 s at 10x10
            peers.append(("nashpy", "vertex_enumeration"))
        rows.append(("bimatrix", "enumerate", g, f"noncoop/{g}.json", peers, "all_eq"))
    for g in ([] if quick else NONCOOP_ENUM_LARGE):
        rows.append(("bimatrix", "enumerate", g, f"noncoop/{g}.json",
                     [("lrsnash", "enumerate_gmp"), ("quantecon", "vertex_enumeration")],
                     "all_eq"))
    for g in zs:
        peers = [("scipy", "linprog_highs"), ("nashpy", "linear_program")]
        if not quick:
            peers.append(("gambit", "lp_dbl"))
        rows.append(("noncoop", "zero_sum", g, f"noncoop/{g}.json", peers, "value"))
    rows.append(("noncoop", "zero_sum", "random_300x300", None, [], None))
    for g in PURE:
        rows.append(("noncoop", "pure", g, f"noncoop/{g}.json",
                     [("gambit", "enumpure"), ("quantecon", "pure_nash_brute")], "pure_eq"))
    for n in ns:
        for k in kinds:
            g = f"{k}_{n}"
            rows.append(("coop", "nucleolus", g, f"coop/{g}.json",
                         [("coopgame", "nucleolus")], "nucleolus"))
    for n in ([] if quick else COOP_LARGE_NS):
        for k in COOP_LARGE_KINDS:
            g = f"{k}_n{n}"
            rows.append(("coop", "nucleolus", g, f"gen:coop/{g}.json",
                         [("coopgame", "nucleolus")], "nucleolus"))
    for n in ns:
        g = f"convex_{n}"
        rows.append(("coop", "shapley", g, f"coop/{g}.json", [("coopgame", "shapley")], None))
        rows.append(("coop", "least_core", g, f"coop/{g}.json",
                     [("coopgame", "least_core")], None))
    for group in ("banzhaf_power", "shapley_shubik"):
        rows.append(("power", group, "un_security_council", "models:coop/un_security_council.json",
                     [("coopgame", "power_" + group)], None))
        rows.append(("power", group, "wvg_200_w1000", None, [], None))
    rows.append(("power", "banzhaf_power", "imf_like_190", None, [], None))
    return rows


# --------------------------------------------------------------------------------------------
# Peer side: this function runs inside the venv's python (``--peer-worker``).
def peer_callable(peer, method, game):
    """Returns (fn, post): fn() solves; post(result) -> JSON-able answer."""
    if "A" in game:
        A, B = game["A"], game["B"]
    if peer == "gambit":
        import pygambit as gbt
        # The .nfg twin of the JSON game: read_nfg exists in pygambit 16 and 17 alike (17
        # moved from_arrays to StrategicGame).
        g = gbt.read_nfg(os.path.splitext(game["_path"])[0] + ".nfg")
        fns = {
            "lcp1_dbl": lambda: gbt.nash.lcp_solve(g, rational=False, stop_after=1),
            "enummixed_dbl": lambda: gbt.nash.enummixed_solve(g, rational=False),
            "enumpure": lambda: gbt.nash.enumpure_solve(g),
            "lp_dbl": lambda: gbt.nash.lp_solve(g, rational=False),
        }

        def probs(e, p):
            if hasattr(p, "strategies"):            # pygambit 16: players are objects
                return [float(e[s]) for s in p.strategies]
            m = e[p]                                # pygambit 17: label -> probability
            return [float(v) for _, v in (m.items() if hasattr(m, "items") else m)]

        def post(res):
            return [[probs(e, p) for p in g.players] for e in res.equilibria]
        return fns[method], post
    if peer == "nashpy":
        import warnings
        import numpy as np
        import nashpy as nash
        warnings.simplefilter("ignore")
        G = nash.Game(np.array(A, dtype=float), np.array(B, dtype=float))
        fns = {
            "lemke_howson": lambda: [G.lemke_howson(initial_dropped_label=0)],
            "vertex_enumeration": lambda: list(G.vertex_enumeration()),
            "linear_program": lambda: [G.linear_program()],
        }
        return fns[method], lambda res: [[list(map(float, x)), list(map(float, y))]
                                         for x, y in res]
    if peer == "quantecon":
        import numpy as np
        import quantecon.game_theory as gt
        Af, Bf = np.array(A, dtype=float), np.array(B, dtype=float)
        g = gt.NormalFormGame((gt.Player(Af), gt.Player(Bf.T)))
        fns = {
            "lemke_howson": lambda: [gt.lemke_howson(g, init_pivot=0)],
            "vertex_enumeration": lambda: gt.vertex_enumeration(g),
            "pure_nash_brute": lambda: gt.pure_nash_brute(g),
        }
        fns[method]()  # numba JIT compilation, not timed

        def post(res):
            if method == "pure_nash_brute":
                m, n = Af.shape
                return [[[1.0 if k == i else 0.0 for k in range(m)],
                         [1.0 if k == j else 0.0 for k in range(n)]] for i, j in res]
            return [[list(map(float, x)), list(map(float, y))] for x, y in res]
        return fns[method], post
    if peer == "scipy":
        import numpy as np
        from scipy.optimize import linprog
        Af = np.array(A, dtype=float)
        m, n = Af.shape

        def solve():  # max v  s.t.  A^T x >= v 1, sum x = 1, x >= 0
            c = np.zeros(m + 1)
            c[-1] = -1.0
            return linprog(c, A_ub=np.hstack([-Af.T, np.ones((n, 1))]), b_ub=np.zeros(n),
                           A_eq=np.hstack([np.ones((1, m)), np.zeros((1, 1))]), b_eq=[1.0],
                           bounds=[(0, None)] * m + [(None, None)], method="highs")
        return solve, lambda res: [[list(map(float, res.x[:m])),
                                    list(map(float, -res.ineqlin.marginals))]]
    if peer == "lrsnash":
        return lrsnash_callable(A, B)
    if peer == "coopgame":
        import coopgame as cg
        if method.startswith("power_"):
            w, q = game["weights"], game["quota"]
            n = len(w)
            v = [1.0 if sum(w[i] for i in range(n) if m >> i & 1) >= q else 0.0
                 for m in range(1, 1 << n)]
            g = cg.Game(v)
            # Shapley of a simple game = Shapley-Shubik index; raw Banzhaf of it = swings/2^(n-1).
            fn = {"power_shapley_shubik": lambda: cg.shapley(g),
                  "power_banzhaf_power": lambda: cg.banzhaf(g)}[method]
            return fn, lambda res: [float(x) for x in res]
        g = cg.Game([float(x) for x in game["v"][1:]])
        fns = {
            "nucleolus": lambda: cg.nucleolus(g)["allocation"],
            "shapley": lambda: cg.shapley(g),
            "least_core": lambda: cg.least_core(g, "preimputation")["epsilon"],
        }
        return fns[method], lambda res: res if isinstance(res, float) else [float(x) for x in res]
    if peer == "covenant":
        # covenant's own Python API (python/, issue 13): the same solvers behind PyO3.
        import numpy as np
        import covenant as cv
        eqs = lambda res: [[list(map(float, s)) for s in e.strategies] for e in res]
        if "A" in game:
            Af, Bf = np.array(A, dtype=float), np.array(B, dtype=float)
            fns = {
                "lemke_howson": (lambda: cv.nash(Af, Bf, method="lemke-howson"), eqs),
                "enumerate": (lambda: cv.nash(Af, Bf, method="enumerate"), eqs),
                "pure": (lambda: cv.nash(Af, Bf, method="pure"), eqs),
                "zero_sum": (lambda: cv.zero_sum(Af),
                             lambda z: [[list(map(float, z.row)), list(map(float, z.col))]]),
            }
            return fns[method]
        if "weights" in game:
            index = {"shapley_shubik": "shapley-shubik", "banzhaf_power": "banzhaf"}[method]
            return (lambda: cv.power(game["quota"], game["weights"], index=index),
                    lambda r: [float(x) for x in r.values])
        g = cv.TuGame([float(x) for x in game["v"]])
        fns = {
            "nucleolus": lambda: g.nucleolus(),
            "shapley": lambda: g.shapley(),
            "least_core": lambda: g.least_core("preimputations")[0],
        }
        return fns[method], lambda res: res if isinstance(res, float) else [float(x) for x in res]
    raise ValueError(f"unknown peer {peer}")


def lrsnash_callable(A, B):
    """lrsnash (lrslib, GMP exact arithmetic) on the game written in its input format; the time
    includes starting the process (about a millisecond)."""
    import tempfile
    from fractions import Fraction
    m, n = len(A), len(A[0])

    def num(x):
        f = Fraction(x)  # exact: every float is a dyadic rational
        return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"
    text = f"{m} {n}\n\n" + "\n".join(" ".join(num(x) for x in r) for r in A) + "\n\n" + \
        "\n".join(" ".join(num(x) for x in r) for r in B) + "\n"
    fd, path = tempfile.mkstemp(suffix=".lrsnash")
    with os.fdopen(fd, "w") as f:
        f.write(text)

    def solve():
        return subprocess.run(["lrsnash", path], capture_output=True, text=True,
                              check=True).stdout

    def post(out):
        # Blank-line separated blocks of "2 y... payoff" and "1 x... payoff" lines: every x of
        # a block forms an extreme equilibrium with every y of it (a bipartite clique).
        eqs, xs, ys = [], [], []
        for line in out.splitlines() + [""]:
            parts = line.split()
            if not parts:
                eqs += [[x, y] for y in ys for x in xs]
                xs, ys = [], []
                continue
            if parts[0] not in ("1", "2"):
                continue
            vals = [float(Fraction(t)) for t in parts[1:]]
            if parts[0] == "2":
                ys.append(vals[:n])
            else:
                xs.append(vals[:m])
        return eqs
    return solve, post


def make_coop_game(kind, n):
    """The peers' generator of TU games (shared/peers/coop_peers.py, seeded numpy PCG64), for
    the kinds compared beyond the reference files' n = 16."""
    import numpy as np
    kinds = ["synergy", "superadditive", "convex", "random"]
    seed = 20240917 + 1000 * kinds.index(kind) + n
    rng = np.random.default_rng(seed)
    N = 1 << n
    masks = np.arange(N, dtype=np.int64)
    bits = ((masks[:, None] >> np.arange(n)) & 1).astype(np.int64)
    size = bits.sum(1)
    w = rng.integers(1, 21, n)
    A = bits @ w
    if kind == "convex":  # additive + non-negative pair synergies + unanimity games
        E = np.zeros(N, dtype=np.int64)
        for i in range(n):
            for j in range(i + 1, n):
                if rng.random() < 0.3:
                    E += rng.integers(1, 6) * (bits[:, i] & bits[:, j])
        U = np.zeros(N, dtype=np.int64)
        for _ in range(n):
            k = int(rng.integers(2, 5))
            P = rng.choice(n, size=min(k, n), replace=False)
            pm = int(sum(1 << int(p) for p in P))
            U += int(rng.integers(1, 21)) * ((masks & pm) == pm)
        v = A + E + U
    elif kind == "random":  # v(S) ~ U{0..10|S|}, v(N) raised to keep imputations non-empty
        v = rng.integers(0, 10 * size + 1)
        single = sum(int(v[1 << i]) for i in range(n))
        v[N - 1] = max(int(v[N - 1]), single)
    else:
        raise ValueError(kind)
    v = v.astype(np.int64)
    v[0] = 0
    return {"n": n, "v": [int(x) for x in v], "kind": kind, "seed": seed,
            "generator": "compare.py make_coop_game (numpy default_rng PCG64)"}


def peer_worker(task_json):
    task = json.loads(task_json)
    if task["peer"] == "lrsnash":
        if shutil.which("lrsnash") is None:
            print(json.dumps({"status": "not installed", "note": "apt-get install lrslib"}))
            return
    else:
        try:
            __import__({"gambit": "pygambit", "coopgame": "coopgame", "scipy": "scipy.optimize",
                        "nashpy": "nashpy", "quantecon": "quantecon",
                        "covenant": "covenant"}[task["peer"]])
        except ImportError as e:
            print(json.dumps({"status": "not installed", "note": str(e)}))
            return
    with open(task["path"]) as f:
        game = json.load(f)
    game["_path"] = task["path"]
    fn, post = peer_callable(task["peer"], task["method"], game)
    times, res, spent = [], None, 0.0
    while len(times) < task["repeats"] and (not times or spent < task["budget"]):
        t = time.perf_counter()
        res = fn()
        dt = time.perf_counter() - t
        times.append(dt)
        spent += dt
    print(json.dumps({"status": "ok", "median_s": statistics.median(times),
                      "repeats": len(times), "answer": post(res)}))


# --------------------------------------------------------------------------------------------
# Driver side.
def run_peer(python, peer, method, path, timeout, quick):
    task = {"peer": peer, "method": method, "path": path, "repeats": 3 if quick else 5,
            "budget": 5.0 if quick else 15.0}
    env = dict(os.environ)
    for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        env.setdefault(v, "1")
    try:
        p = subprocess.run([python, os.path.abspath(__file__), "--peer-worker", json.dumps(task)],
                           capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"status": f"timeout >{timeout:g}s"}
    lines = p.stdout.strip().splitlines()
    if p.returncode != 0 or not lines:
        err = (p.stderr.strip().splitlines() or ["?"])[-1][:120]
        return {"status": "error: " + err}
    return json.loads(lines[-1])


def target_dir():
    try:
        out = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"],
                             cwd=REPO, capture_output=True, text=True, check=True).stdout
        return json.loads(out)["target_directory"]
    except (subprocess.CalledProcessError, OSError, KeyError, ValueError):
        return os.path.join(REPO, "target")


def bench_files():
    path = os.path.join(REPO, "Cargo.toml")
    text = open(path).read() if os.path.exists(path) else ""
    names, in_bench = set(), False
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("["):
            in_bench = s == "[[bench]]"
        elif in_bench and s.startswith("name"):
            names.add(s.split("=", 1)[1].strip().strip('"'))
    return names


def run_covenant_benches(rows, quick, log):
    """Runs each bench file once with a regex selecting the rows' group/id pairs."""
    have = bench_files()
    by_file = {}
    for bench, group, gid, *_ in rows:
        by_file.setdefault(bench, []).append(f"{group}/{gid}")
    status = {}
    for bench, ids in by_file.items():
        if bench not in have:
            status[bench] = f"no [[bench]] {bench} in Cargo.toml"
            log(f"covenant: {status[bench]}")
            continue
        regex = "^(" + "|".join(i.replace(".", r"\.") for i in ids) + ")$"
        cmd = ["cargo", "bench", "--bench", bench, "--", "--warm-up-time", "1",
               "--measurement-time", "2" if quick else "5", "--sample-size", "10", regex]
        log("covenant: " + " ".join(cmd))
        p = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        status[bench] = "ok" if p.returncode == 0 else \
            "cargo bench failed: " + ((p.stderr.strip().splitlines() or ["?"])[-1][:100])
        if p.returncode != 0:
            log(f"covenant: {status[bench]}")
    return status


def criterion_median(tdir, group, gid):
    # A benchmark group writes <group>/<id>/; a plain `bench_function("group/id")` writes
    # `group_id/` (criterion replaces the slash). Accept either.
    for rel in (os.path.join(group, gid), f"{group}_{gid}"):
        path = os.path.join(tdir, "criterion", rel, "new", "estimates.json")
        try:
            with open(path) as f:
                return json.load(f)["median"]["point_estimate"] * 1e-9
        except (OSError, KeyError, ValueError):
            continue
    return None


def covenant_binary(build, log):
    if os.environ.get("COVENANT_BIN"):
        return os.environ["COVENANT_BIN"]
    exe = os.path.join(target_dir(), "release", "covenant")
    if build:
        log("covenant: cargo build --release")
        p = subprocess.run(["cargo", "build", "--release"], cwd=REPO, capture_output=True,
                           text=True)
        if p.returncode != 0:
            log("covenant: release build failed; agreement n/a")
            return None
    return exe if os.path.exists(exe) else None


def covenant_json(exe, args, timeout):
    if exe is None:
        return None
    try:
        p = subprocess.run([exe, *args, "--format", "json"], capture_output=True, text=True,
                           timeout=timeout)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if p.returncode != 0:
        return None
    try:
        return json.loads(p.stdout)
    except ValueError:
        return None


def close(u, v, tol=AGREE_TOL):
    return len(u) == len(v) and all(abs(a - b) <= tol for a, b in zip(u, v))


def flat(eq):
    return [x for s in eq for x in s]


def same_sets(ours, theirs):
    """Every equilibrium of each list is within tolerance of one in the other."""
    a, b = sorted(map(flat, ours)), sorted(map(flat, theirs))
    return len(a) == len(b) and all(any(close(x, y) for y in b) for x in a) and \
        all(any(close(y, x) for x in a) for y in b)


def exact_reference(data, gid):
    path = os.path.join(data, "noncoop", "equilibria",
                        f"{gid}__gambit_enummixed_rat.json")
    try:
        with open(path) as f:
            d = json.load(f)
    except OSError:
        return None
    return d["equilibria"]


def agreement(kind, exe, path, data, gid, peer_answers, timeout):
    """Returns a short text: covenant's answer versus the peers'."""
    if kind == "all_eq":
        out = covenant_json(exe, ["nash", path, "--method", "enumerate"], timeout)
        if out is None:
            return "n/a"
        ours = [e["strategies"] for e in out.get("equilibria", [])]
        notes = []
        ref = exact_reference(data, gid)
        if ref is not None:
            notes.append(("=" if same_sets(ours, ref) else "≠") + f" Gambit exact ({len(ref)})")
        for (peer, method), ans in peer_answers.items():
            if ans.get("status") == "ok":
                notes.append(("=" if same_sets(ours, ans["answer"]) else "≠")
                             + f" {peer} ({len(ans['answer'])})")
        return f"{len(ours)} eq; " + ", ".join(notes)
    if kind == "nucleolus":
        out = covenant_json(exe, ["coop", path, "--solution", "nucleolus"], timeout)
        if out is None or "allocation" not in out:
            return "n/a"
        notes = []
        for (peer, method), ans in peer_answers.items():
            if ans.get("status") == "ok":
                d = max(abs(a - b) for a, b in zip(out["allocation"], ans["answer"]))
                notes.append(("=" if close(out["allocation"], ans["answer"]) else "≠")
                             + f" {peer} (max diff {d:.1e})")
        return ", ".join(notes) or "no peer answer"
    return "—"


def python_agreement(kind, data, gid, py_answer, peer_answers):
    """covenant's Python-API answer against the exact reference and the peers: a short note
    for the "covenant (Python)" cell ("" when there is nothing to compare it with)."""
    if kind == "all_eq":
        ref = exact_reference(data, gid)
        if ref is not None:
            return ("=" if same_sets(py_answer, ref) else "≠") + " Gambit exact"
    if kind == "nucleolus":
        for (peer, _), ans in peer_answers.items():
            if ans.get("status") == "ok":
                return ("=" if close(py_answer, ans["answer"]) else "≠") + f" {peer}"
    if kind == "power_shapley_shubik":
        # The Shapley-Shubik index is coopgame's Shapley value of the simple game (Banzhaf
        # is normalised differently in the two, so only this one is compared).
        for (peer, _), ans in peer_answers.items():
            if ans.get("status") == "ok":
                return ("=" if close(py_answer, ans["answer"]) else "≠") + f" {peer}"
    return ""


def fmt_time(s):
    if s is None:
        return "n/a"
    if s < 1e-3:
        return f"{s * 1e6:.1f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


def find_data(arg):
    c = arg or os.path.join(REPO, "tests", "data")
    if os.path.isdir(os.path.join(c, "noncoop")) and os.path.isdir(os.path.join(c, "coop")):
        return os.path.abspath(c)
    sys.exit(f"cannot find the reference data (noncoop/ and coop/) in {c}: pass --data DIR")


# --------------------------------------------------------------------------------------------
# Extensive form: Gambit's sequence-form solvers (use_strategic=False) against covenant's
# benches/extensive.rs on the same trees. Run alone with `--extensive` (it does not rerun the
# normal-form and coalitional rows above) and written to RESULTS_extensive.md.
EXTENSIVE_TREES = [
    # (covenant criterion id, tree file relative to the repo or "kuhn:N", gambit method)
    ("extensive/sequence_lp/kuhn_poker", "models/games/kuhn_poker.efg", "lp_solve"),
    ("extensive/sequence_lp/kuhn_poker_13", "kuhn:13", "lp_solve"),
    ("extensive/sequence_lp/kuhn_poker_52", "kuhn:52", "lp_solve"),
    ("extensive/sequence_lcp/kuhn_poker", "models/games/kuhn_poker.efg", "lcp_solve"),
    ("extensive/sequence_lcp/kuhn_poker_13", "kuhn:13", "lcp_solve"),
    ("extensive/sequence_lcp/deterrence_incomplete_information",
     "models/games/deterrence_incomplete_information.efg", "lcp_solve"),
    ("extensive/sequence_lcp/deterrence_credible",
     "models/games/deterrence_credible.efg", "lcp_solve"),
    ("extensive/sequence_lcp/deterrence_not_credible",
     "models/games/deterrence_not_credible.efg", "lcp_solve"),
    ("extensive/sequence_lcp/escalation_ladder",
     "models/games/escalation_ladder.efg", "lcp_solve"),
]


def kuhn_efg(n):
    """Kuhn poker with an n-card deck as a Gambit .efg text: the tree of kuhn(n) in
    benches/extensive.rs."""
    out = [f'EFG 2 R "Kuhn poker, {n} cards" {{ "1" "2" }}', '""', ""]
    deals = [(a, b) for a in range(n) for b in range(n) if a != b]
    out.append('c "" 1 "" { ' + " ".join(f'"{a}_{b}" 1/{len(deals)}' for a, b in deals)
               + " } 0")
    sets, outcome = {}, [0]

    def p(player, key, actions):
        k = (player, key)
        if k in sets:
            out.append(f'p "" {player} {sets[k]} 0')
        else:
            sets[k] = 1 + sum(1 for q, _ in sets if q == player)
            acts = " ".join(f'"{x}"' for x in actions)
            out.append(f'p "" {player} {sets[k]} "{key}" {{ {acts} }} 0')

    def t(u):
        outcome[0] += 1
        out.append(f't "" {outcome[0]} "" {{ {u}, {-u} }}')

    for a, b in deals:
        w = 1 if a > b else -1
        p(1, f"1:{a}", ["Check", "Bet"])
        p(2, f"2:{b}c", ["Check", "Bet"])
        t(w)
        p(1, f"1:{a}cb", ["Fold", "Call"])
        t(-1)
        t(2 * w)
        p(2, f"2:{b}b", ["Fold", "Call"])
        t(1)
        t(2 * w)
    return "\n".join(out) + "\n"


def efg_worker(task_json):
    task = json.loads(task_json)
    try:
        import pygambit as gbt
    except ImportError as e:
        print(json.dumps({"status": "not installed", "note": str(e)}))
        return
    game = gbt.read_efg(task["path"])
    solve = getattr(gbt.nash, task["method"])
    times, res, spent = [], None, 0.0
    while len(times) < task["repeats"] and (not times or spent < task["budget"]):
        t = time.perf_counter()
        res = solve(game, use_strategic=False, rational=False)
        dt = time.perf_counter() - t
        times.append(dt)
        spent += dt
    eq = res.equilibrium if hasattr(res, "equilibrium") else res.equilibria[0]
    pay = eq.payoffs() if callable(eq.payoffs) else eq.payoffs
    print(json.dumps({"status": "ok", "median_s": statistics.median(times),
                      "repeats": len(times), "payoffs": [float(v) for v in dict(pay).values()]}))


def compare_extensive(python, out_path, timeout, run_benches, log):
    """Times Gambit's lcp_solve / lp_solve (use_strategic=False) and covenant's
    benches/extensive.rs on the same trees and writes a table to out_path."""
    import tempfile
    tmp = tempfile.mkdtemp(prefix="covenant-efg-")
    if run_benches:
        regex = "^(" + "|".join(r[0] for r in EXTENSIVE_TREES) + ")$"
        cmd = ["cargo", "bench", "--bench", "extensive", "--", "--warm-up-time", "1",
               "--measurement-time", "3", regex]
        log("covenant: " + " ".join(cmd))
        subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    tdir = target_dir()
    lines = ["# covenant versus Gambit on game trees", "",
             f"Generated by `benches/peers/compare.py --extensive` on "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load "
             f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores. Gambit: pygambit's "
             "`nash.lcp_solve` / `nash.lp_solve` with `use_strategic=False, rational=False`, "
             "median of repeated calls in one process after reading the file; covenant: "
             "criterion median of `benches/extensive.rs` (same tree, solve only).", "",
             "| instance | covenant | gambit | gambit payoffs |", "|---|---|---|---|"]
    for cid, rel, method in EXTENSIVE_TREES:
        if rel.startswith("kuhn:"):
            path = os.path.join(tmp, f"kuhn_{rel[5:]}.efg")
            with open(path, "w") as f:
                f.write(kuhn_efg(int(rel[5:])))
        else:
            path = os.path.join(REPO, rel)
        task = {"path": path, "method": method, "repeats": 7, "budget": 20.0}
        try:
            p = subprocess.run([python, os.path.abspath(__file__), "--efg-worker",
                                json.dumps(task)], capture_output=True, text=True,
                               timeout=timeout)
            res = json.loads(p.stdout.strip().splitlines()[-1]) if p.stdout.strip() else \
                {"status": "error: " + (p.stderr.strip().splitlines() or ["?"])[-1][:100]}
        except subprocess.TimeoutExpired:
            res = {"status": f"timeout >{timeout:g}s"}
        # bench_function("a/b/c") writes criterion/a_b_c/.
        group, gid = cid.rsplit("/", 1)
        ours = criterion_median(tdir, group, gid) or \
            criterion_median(tdir, cid.replace("/", "_"), "")
        theirs = fmt_time(res["median_s"]) if res.get("status") == "ok" else res.get("status")
        pay = ", ".join(f"{v:.6g}" for v in res.get("payoffs", []))
        lines.append(f"| {cid} | {fmt_time(ours)} | {method}: {theirs} | {pay} |")
        log(lines[-1])
    lines.append("")
    with open(out_path, "w") as f:
        f.write("\n".join(lines))
    log(f"wrote {out_path}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--venv", help="virtualenv holding the peers (uses VENV/bin/python)")
    ap.add_argument("--python", help="python executable of the peers (overrides --venv)")
    ap.add_argument("--quick", action="store_true", help="fewer, smaller instances")
    ap.add_argument("--data", help="the reference data folder (default: tests/data)")
    ap.add_argument("--out", default=os.path.join(REPO, "benches", "peers", "RESULTS.md"))
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per peer call")
    ap.add_argument("--no-covenant", action="store_true", help="skip cargo bench and the CLI")
    ap.add_argument("--no-peers", action="store_true", help="skip the peers")
    ap.add_argument("--no-build", action="store_true",
                    help="use an existing target/release/covenant instead of building it")
    ap.add_argument("--only", help="regex over group/id: run only matching rows")
    ap.add_argument("--covenant-python",
                    help="python with covenant's package installed (`pip install ./python`) for "
                         "the Python-API column (default: the peers' python; `none` to skip)")
    ap.add_argument("--extensive", action="store_true",
                    help="only the game-tree comparison (Gambit lcp_solve/lp_solve against "
                         "benches/extensive.rs), written to RESULTS_extensive.md")
    args = ap.parse_args()

    python = args.python or os.environ.get("COVENANT_PEERS_PYTHON")
    if not python and args.venv:
        python = os.path.join(args.venv, "bin", "python")
    if args.no_peers and not args.covenant_python:
        python = None
    if not args.no_peers and (not python or not shutil.which(python)):
        sys.exit("no peers python: pass --venv DIR, --python EXE or set COVENANT_PEERS_PYTHON "
                 "(or --no-peers)")
    if args.extensive:
        compare_extensive(python, os.path.join(REPO, "benches", "peers", "RESULTS_extensive.md"),
                          args.timeout, not args.no_covenant,
                          lambda m: print(m, file=sys.stderr, flush=True))
        return
    data = find_data(args.data)
    rows = instances(args.quick)
    if args.only:
        import re
        rx = re.compile(args.only)
        rows = [r for r in rows if rx.search(f"{r[1]}/{r[2]}")]

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    def resolve(rel):
        if rel is None:
            return None
        if rel.startswith("models:"):
            return os.path.join(REPO, "models", rel[len("models:"):])
        if rel.startswith("gen:"):
            return os.path.join(target_dir(), "peers", rel[len("gen:"):])
        return os.path.join(data, rel)

    for _, _, gid, rel, _, _ in rows:
        if rel and rel.startswith("gen:") and not os.path.exists(resolve(rel)):
            if not python:
                sys.exit(f"{gid} must be generated with numpy: pass --venv DIR or --python EXE")
            kind, n = gid.rsplit("_n", 1)
            os.makedirs(os.path.dirname(resolve(rel)), exist_ok=True)
            log(f"generating {resolve(rel)}")
            subprocess.run([python, os.path.abspath(__file__), "--gen-coop", kind, n,
                            resolve(rel)], check=True)

    peer_results = {}
    if not args.no_peers:
        for bench, group, gid, rel, peers, _ in rows:
            for peer, method in peers:
                t = time.perf_counter()
                limit = min(args.timeout, PEER_TIMEOUT.get((peer, method), args.timeout))
                r = run_peer(python, peer, method, resolve(rel), limit, args.quick)
                peer_results[(group, gid, peer, method)] = r
                log(f"peer {group}/{gid} {peer}:{method}: {r.get('status')} "
                    f"{fmt_time(r.get('median_s'))} (wall {time.perf_counter() - t:.1f}s)")

    cov_python = args.covenant_python or python
    py_results = {}
    if cov_python and cov_python != "none":
        for bench, group, gid, rel, peers, _ in rows:
            if rel is None:
                continue
            t = time.perf_counter()
            r = run_peer(cov_python, "covenant", group, resolve(rel), args.timeout, args.quick)
            py_results[(group, gid)] = r
            log(f"covenant python {group}/{gid}: {r.get('status')} "
                f"{fmt_time(r.get('median_s'))} (wall {time.perf_counter() - t:.1f}s)")

    bench_status, exe = {}, None
    tdir = target_dir()
    if not args.no_covenant:
        bench_status = run_covenant_benches(rows, args.quick, log)
        exe = covenant_binary(not args.no_build, log)

    lines = ["# covenant versus the peers", "",
             f"Generated by `benches/peers/compare.py {' '.join(sys.argv[1:])}` on "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Times are medians "
             "(peers: repeated calls in a fresh process, import and JIT excluded; covenant: "
             "criterion median). Agreement: covenant's CLI answer against the peers' "
             f"(tolerance {AGREE_TOL:g}); `=` agrees, `≠` differs, n/a = not available.", ""]
    if bench_status:
        lines.append("Covenant benches: " + ", ".join(f"`{b}`: {s}" for b, s in
                                                      sorted(bench_status.items())))
        lines.append("")
    lines += ["| group | instance | covenant | covenant (Python) | peers | agreement |",
              "|---|---|---|---|---|---|"]
    for bench, group, gid, rel, peers, kind in rows:
        ours = None if args.no_covenant else criterion_median(tdir, group, gid)
        cells, answers = [], {}
        for peer, method in peers:
            r = peer_results.get((group, gid, peer, method), {"status": "skipped"})
            answers[(peer, method)] = r
            if r.get("status") == "ok":
                extra = ""
                if kind in ("all_eq", "pure_eq"):
                    extra = f", {len(r['answer'])} eq"
                cells.append(f"{peer} {method}: {fmt_time(r['median_s'])}{extra}")
            else:
                cells.append(f"{peer} {method}: {r.get('status')}")
        agree = "—"
        if kind and not args.no_covenant and rel is not None:
            agree = agreement(kind, exe, resolve(rel), data, gid, answers, args.timeout)
        pr = py_results.get((group, gid))
        py_cell = "—" if pr is None else (fmt_time(pr["median_s"]) if pr.get("status") == "ok"
                                           else pr.get("status"))
        if pr is not None and pr.get("status") == "ok":
            pkind = "power_shapley_shubik" if group == "shapley_shubik" else kind
            note = python_agreement(pkind, data, gid, pr["answer"], answers)
            if note:
                py_cell += f" ({note})"
        lines.append(f"| {group} | {gid} | {fmt_time(ours)} | {py_cell} "
                     f"| {'<br>'.join(cells) or '—'} | {agree} |")
    lines.append("")
    with open(args.out, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))
    log(f"wrote {args.out}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--peer-worker":
        peer_worker(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "--gen-coop":
        with open(sys.argv[4], "w") as f:
            json.dump(make_coop_game(sys.argv[2], int(sys.argv[3])), f)
    elif len(sys.argv) > 2 and sys.argv[1] == "--efg-worker":
        efg_worker(sys.argv[2])
    else:
        main()
