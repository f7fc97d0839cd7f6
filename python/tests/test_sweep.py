"""Sweeps from Python: the DataFrame, agreement with checks of the edited model, errors, and a
2-worker Dask LocalCluster giving the same rows as the in-process run."""

import pytest

import covenant as cv

pd = pytest.importorskip("pandas")

CHEAP = ["deterrence", "equal_rules", "credibility", "liveness"]


# One row per condition and scope (equal rules is unscoped), in report order.
ROWS = [
    ("deterrence", "external"),
    ("deterrence", "internal"),
    ("equal_rules", "all"),
    ("credibility", "external"),
    ("credibility", "internal"),
    ("liveness", "external"),
    ("liveness", "internal"),
]


def test_sweep_dataframe_has_one_row_per_point_condition_and_scope(models):
    df = cv.sweep(models / "anzus.toml", {"defaults.reliability": [0.25, 0.5, 1.0]}, conditions=CHEAP)
    assert list(df.columns) == ["point", "defaults.reliability", "condition", "scope", "verdict", "margin"]
    assert len(df) == 3 * len(ROWS)
    assert df["margin"].dtype == "float64"
    assert df["defaults.reliability"].dtype == "float64"
    assert df["point"].tolist() == [k for k in range(3) for _ in ROWS]
    assert list(zip(df["condition"], df["scope"])) == ROWS * 3
    assert set(df["verdict"]) <= {"holds", "fails", "unknown"}
    assert df.attrs["parameters"] == ["defaults.reliability"]
    # ANZUS 1951: external deterrence needs reliable help (the US fights for AUS and NZL).
    ext = df[(df["condition"] == "deterrence") & (df["scope"] == "external")]
    assert ext["verdict"].tolist() == ["fails", "fails", "holds"]
    assert ext["margin"].is_monotonic_increasing


def test_year_and_scope_reach_every_point(models):
    df = cv.sweep(
        models / "nato.toml", {"defaults.reliability": [0.5, 1.0]}, conditions=["deterrence"], year=1949, scope="external"
    )
    assert df["scope"].tolist() == ["external", "external"]
    want = cv.Treaty.load(models / "nato.toml").check(["deterrence"], year=1949, scope="external")
    # The model as written has reliability 0.75; at 1.0 deterrence holds with more slack.
    assert df["verdict"].tolist()[1] == "holds"
    assert df["margin"].tolist()[1] >= want.verdict("deterrence").margin
    with pytest.raises(cv.InvalidArgumentError, match="no snapshot for 1950"):
        cv.sweep(models / "nato.toml", {"defaults.reliability": [0.5]}, year=1950)


def test_sweep_rows_equal_checks_of_the_model_edited_by_hand(models):
    text = (models / "anzus.toml").read_text()
    df = cv.sweep(models / "anzus.toml", {"defaults.reliability": [0.25, 1.0]}, conditions=CHEAP)
    for k, r in enumerate(["0.25", "1.0"]):
        edited = text.replace("reliability = 0.75", f"reliability = {r}", 1)
        rep = cv.Treaty.from_toml(edited).check(CHEAP)
        rows = df[df["point"] == k]
        assert list(zip(rows["condition"], rows["scope"])) == [(v.id, v.scope) for v in rep.conditions]
        assert rows["margin"].tolist() == [v.margin for v in rep.conditions]
        assert rows["verdict"].tolist() == [v.verdict for v in rep.conditions]


def test_two_axes_make_a_product_with_the_last_fastest(models):
    t = cv.Treaty.load(models / "anzus.toml")
    grid = {"snapshots.1951.capability.USA": [0.1, 0.3], "defaults.war_cost": [0, 0.2, 0.4]}
    df = cv.sweep(t, grid, conditions=["deterrence"], scope="external")
    assert df["snapshots.1951.capability.USA"].tolist() == [0.1] * 3 + [0.3] * 3
    assert df["defaults.war_cost"].tolist() == [0, 0.2, 0.4] * 2


def test_pairs_add_one_row_per_aggressor_and_target(models):
    df = cv.sweep(models / "anzus.toml", {"defaults.reliability": [0.5]}, conditions=["deterrence"], pairs=True)
    pairs = df[df["scope"] == "pair"]
    # Aggressors are every state, targets the 3 members: 6 * 3 - 3 ordered pairs.
    assert len(pairs) == 15
    assert pairs["win_probability"].between(0, 1).all()
    assert ((pairs["margin"] > 0) == (pairs["verdict"] == "holds")).all()
    # The same scenarios, EU and win probability as the check's pair table.
    with_rel = (models / "anzus.toml").read_text().replace("reliability = 0.75", "reliability = 0.5", 1)
    rep = cv.Treaty.from_toml(with_rel).check(["deterrence"])
    # (A sweep point is the edited document written back as TOML, whose tables list their keys
    # in sorted order; the scenario order follows the order of the snapshot's states.)
    got = {(a, t): (m, w) for a, t, m, w in zip(pairs["aggressor"], pairs["target"], pairs["margin"], pairs["win_probability"])}
    want = {(p["aggressor"], p["target"]): (-p["eu"], p["win_probability"]) for p in rep.pairs}
    assert got.keys() == want.keys()
    for k, (m, w) in want.items():
        assert got[k] == (pytest.approx(m, rel=1e-12, abs=1e-15), pytest.approx(w, rel=1e-12, abs=1e-15)), k


@pytest.mark.parametrize(
    "grid, exc, match",
    [
        ({"snapshots.1951.capability.FRA.x": [0.1]}, cv.InvalidArgumentError, "capability.FRA"),
        ({"states.FRA.lat": [0.1]}, cv.InvalidArgumentError, "states.FRA"),
        ({"defaults.reliability": [0.5, 1.5]}, cv.ModelError, "sweep point 1"),
        ({"defaults.reliability": [float("inf")]}, cv.InvalidArgumentError, "not finite"),
        ({"defaults.reliability": [[0.5]]}, cv.InvalidArgumentError, "numbers, booleans or strings"),
        ({"defaults.reliability": []}, cv.InvalidArgumentError, "no values"),
    ],
)
def test_bad_grids_raise(models, grid, exc, match):
    with pytest.raises(exc, match=match):
        cv.sweep(models / "anzus.toml", grid, conditions=["deterrence"])


def test_missing_model_file_is_file_not_found(models):
    with pytest.raises(FileNotFoundError):
        cv.sweep(models / "nope.toml", {"defaults.reliability": [0.5]})


def test_sweep_plot_draws_one_line_per_condition(models):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    df = cv.sweep(models / "anzus.toml", {"defaults.reliability": [0.25, 0.5, 1.0]}, conditions=CHEAP)
    ax = df.covenant.plot()
    labels = [c if s == "all" else f"{c} ({s})" for c, s in ROWS]
    assert [l.get_label() for l in ax.get_lines()[: len(ROWS)]] == labels
    assert ax.get_xlabel() == "defaults.reliability"


def test_samples_add_probabilities_reproducible_from_the_rows_seed(models):
    grid = {"defaults.reliability": [0.5, 1.0]}
    df = cv.sweep(models / "anzus.toml", grid, conditions=CHEAP, pairs=True, samples=40, seed=3)
    assert list(df.columns) == [
        "point", "defaults.reliability", "condition", "scope", "verdict", "margin", "probability",
        "aggressor", "target", "win_probability", "p_deterred", "seed",
    ]
    assert df["probability"].dtype == "float64" and df["p_deterred"].dtype == "float64"
    assert df["seed"].dtype == "uint64"
    cond = df[df["scope"] != "pair"]
    pairs = df[df["scope"] == "pair"]
    # P(holds) on sampled condition rows, none for equal rules or on scenario rows.
    sampled = cond[cond["condition"] != "equal_rules"]
    assert sampled["probability"].between(0, 1).all()
    assert (sampled["probability"] * 40).round().eq(sampled["probability"] * 40).all()
    assert cond[cond["condition"] == "equal_rules"]["probability"].isna().all()
    assert pairs["probability"].isna().all() and pairs["p_deterred"].between(0, 1).all()
    assert cond["p_deterred"].isna().all()
    # One seed per point, and a check of the edited model with it gives the same numbers.
    assert df.groupby("point")["seed"].nunique().eq(1).all()
    assert df["seed"].nunique() == 2
    text = (models / "anzus.toml").read_text()
    for k, r in enumerate(["0.5", "1.0"]):
        rows = df[df["point"] == k]
        edited = text.replace("reliability = 0.75", f"reliability = {r}", 1)
        rep = cv.Treaty.from_toml(edited).check(CHEAP, samples=40, seed=int(rows["seed"].iloc[0]))
        got = rows[rows["scope"] != "pair"]["probability"].tolist()
        want = [float("nan") if v.probability is None else v.probability for v in rep.conditions]
        assert got == pytest.approx(want, nan_ok=True)
        prow = rows[rows["scope"] == "pair"]
        got = {(a, t): p for a, t, p in zip(prow["aggressor"], prow["target"], prow["p_deterred"])}
        assert got == {(p["aggressor"], p["target"]): p["p_deterred"] for p in rep.pairs}
    # The same seed gives the same frame; another seed other draws.
    again = cv.sweep(models / "anzus.toml", grid, conditions=CHEAP, pairs=True, samples=40, seed=3)
    pd.testing.assert_frame_equal(df, again)
    other = cv.sweep(models / "anzus.toml", grid, conditions=CHEAP, pairs=True, samples=40, seed=4)
    assert not other["seed"].equals(df["seed"])


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"samples": -1}, cv.InvalidArgumentError, "samples must be a non-negative integer"),
        ({"samples": 0.5}, cv.InvalidArgumentError, "samples must be a non-negative integer"),
        ({"seed": -1}, cv.InvalidArgumentError, "seed must be a non-negative integer"),
        ({"samples": 10**7}, cv.TooLargeError, "Monte Carlo samples"),
    ],
)
def test_bad_samples_and_seed_raise(models, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        cv.sweep(models / "anzus.toml", {"defaults.reliability": [0.5]}, conditions=["deterrence"], **kwargs)


def test_samples_without_a_prior_raise(models):
    text = (models / "anzus.toml").read_text()
    start = text.index("[prior]")
    no_prior = cv.Treaty.from_toml(text[:start] + text[text.index("[[snapshots]]", start) :])
    with pytest.raises(cv.InvalidArgumentError, match="prior"):
        cv.sweep(no_prior, {"defaults.reliability": [0.5]}, samples=10)


def test_local_cluster_sweep_equals_the_in_process_sweep_row_for_row(models):
    distributed = pytest.importorskip("distributed")
    grid = {"defaults.reliability": [0.1 * k for k in range(11)], "defaults.war_cost": [0.0, 0.3]}
    local = cv.sweep(models / "anzus.toml", grid, conditions=CHEAP, pairs=True)
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        processes=True,
    ) as cluster, distributed.Client(cluster) as client:
        remote = cv.sweep(models / "anzus.toml", grid, conditions=CHEAP, pairs=True, client=client, chunks=5)
        # With Monte Carlo samples: every point's draws come from its own seed, whichever
        # worker and chunk ran it.
        remote_mc = cv.sweep(
            models / "anzus.toml", grid, conditions=CHEAP, pairs=True, samples=30, seed=8, client=client, chunks=7
        )
    pd.testing.assert_frame_equal(local, remote)
    assert len(local) == 22 * (len(ROWS) + 15)
    assert local["point"].is_monotonic_increasing
    local_mc = cv.sweep(models / "anzus.toml", grid, conditions=CHEAP, pairs=True, samples=30, seed=8)
    pd.testing.assert_frame_equal(local_mc, remote_mc)
    assert local_mc["probability"].notna().any() and local_mc["p_deterred"].notna().any()
