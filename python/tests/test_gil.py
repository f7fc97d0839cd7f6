"""The GIL is released during solves: with a switch interval so long that the interpreter never
hands the GIL over by itself, another thread still runs while a solve is in progress. If a
binding held the GIL, the main thread could only run once the worker had finished, and would
count nothing. No clocks: the check counts turns, not time."""

import json
import sys
import threading
import time

import numpy as np
import pytest

import covenant as cv


def turns_taken_while(solve, calls=10):
    done = threading.Event()
    started = threading.Event()

    def worker():
        started.set()
        for _ in range(calls):
            solve()
        done.set()

    old = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        t = threading.Thread(target=worker)
        t.start()
        started.wait()
        turns = 0
        while not done.is_set():
            turns += 1
            time.sleep(0)  # releases the GIL so the worker can come back from each solve
        t.join()
    finally:
        sys.setswitchinterval(old)
    return turns




def test_enumeration_releases_the_gil(data):
    g = json.loads((data / "bimatrix_10x10_1.json").read_text())
    A, B = np.array(g["A"], dtype=float), np.array(g["B"], dtype=float)
    assert turns_taken_while(lambda: cv.nash(A, B, method="enumerate")) > 0


def test_treaty_check_and_sweep_release_the_gil(models):
    # NATO 1949 (13 states in the snapshot): long enough for the other thread to be scheduled
    # even on a loaded machine.
    t = cv.Treaty.load(models / "nato.toml")
    assert turns_taken_while(lambda: t.check(["deterrence", "credibility"], year=1949)) > 0
    grid = {"defaults.reliability": [0.25, 0.5, 0.75, 1.0]}
    assert turns_taken_while(lambda: cv.sweep(t, grid, conditions=["deterrence"], year=1949), calls=2) > 0


def test_prenucleolus_releases_the_gil():
    # A random 10-player game (~25 ms a prenucleolus); fixed values, so the run is reproducible.
    rng = np.random.default_rng(1)
    v = np.concatenate([[0.0], rng.random(2**10 - 1) * 10])
    g = cv.TuGame(v)
    assert turns_taken_while(g.prenucleolus) > 0
