"""Timings for the closing note of issue 13 (run from the repository root, package installed):

1. calling overhead: the 10x10 reference game's full enumeration through cv.nash, against the
   criterion figure of `cargo bench --bench bimatrix -- enumerate/bimatrix_10x10_1` taken in the
   same session (the Rust number is passed on the command line);
2. a 1,000-point sweep of NATO 1949 in-process (rayon, all cores) and on a 2-worker LocalCluster.

    python python/bench/timing.py [RUST_10x10_MILLISECONDS]
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import covenant as cv
from covenant import _covenant

HERE = Path(__file__).resolve().parent
# participation builds the 2^13 alliance game (~4 s a point): left out of the 1,000 points.
CONDITIONS = ["deterrence", "equal_rules", "credibility", "burden_sharing", "peaceful_settlement", "liveness"]


def per_call(f, repeat=7, number=50):
    """Median over `repeat` batches of the mean time of one call, in microseconds."""
    f()
    batches = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            f()
        batches.append((time.perf_counter() - t0) / number * 1e6)
    return statistics.median(batches)


def main():
    print("load average:", os.getloadavg())
    g = json.loads((HERE.parent / "tests" / "data" / "bimatrix_10x10_1.json").read_text())
    A, B = np.array(g["A"], dtype=float), np.array(g["B"], dtype=float)
    full = per_call(lambda: cv.nash(A, B, method="enumerate"))
    native = per_call(lambda: _covenant.nash((A, B), "enumerate", 0))
    print(f"10x10 enumerate via cv.nash: {full:.1f} us/call; native call alone: {native:.1f} us/call")
    if len(sys.argv) > 1:
        rust = float(sys.argv[1]) * 1e3
        print(f"Rust in-process (criterion): {rust:.1f} us -> ratio {full / rust:.3f}")

    grid = {"defaults.reliability": np.round(np.arange(1, 1001) / 1000, 3)}
    model = "models/nato.toml"
    t0 = time.perf_counter()
    local = cv.sweep(model, grid, conditions=CONDITIONS, year=1949)
    t_local = time.perf_counter() - t0
    print(f"1,000-point NATO 1949 sweep in-process: {t_local:.2f} s ({len(local)} rows)")

    from dask.distributed import Client, LocalCluster

    t0 = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster, Client(cluster) as client:
        t_start = time.perf_counter() - t0
        t0 = time.perf_counter()
        remote = cv.sweep(model, grid, conditions=CONDITIONS, year=1949, client=client)
        t_remote = time.perf_counter() - t0
    print(f"same sweep on a 2-worker LocalCluster: {t_remote:.2f} s (+ {t_start:.2f} s cluster start)")
    print("identical rows:", local.equals(remote))
    print("load average:", os.getloadavg())


if __name__ == "__main__":
    main()
