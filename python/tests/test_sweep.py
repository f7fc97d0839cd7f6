"""Sweeps from Python: the DataFrame, agreement with checks of the edited model, errors, and a
2-worker Dask LocalCluster giving the same rows as the in-process run."""

import pytest

import covenant as cv

pd = pytest.importorskip("pandas")

CHEAP = ["deterrence", "equal_rules", "credibility", "liveness"]


def test_sweep_dataframe_has_one_row_per_point_and_condition(models):
    df = cv.sweep(models / "anzus.toml", {"defaults.reliability": [0.25, 0.5, 1.0]}, conditions=CHEAP)
    assert list(df.columns) == ["point", "defaults.reliability", "condition", "scope", "verdict", "margin"]
    assert len(df) == 3 * len(CHEAP)
    assert df["margin"].dtype == "float64"
    assert df["defaults.reliability"].dtype == "float64"
    assert df["point"].tolist() == [k for k in range(3) for _ in CHEAP]
    assert set(df["verdict"]) <= {"holds", "fails"}
    assert df.attrs["parameters"] == ["defaults.reliability"]


def test_sweep_rows_equal_checks_of_the_model_edited_by_hand(models):
    text = (models / "anzus.toml").read_text()
    df = cv.sweep(models / "anzus.toml", {"defaults.reliability": [0.25, 1.0]}, conditions=CHEAP)
    for k, r in enumerate(["0.25", "1.0"]):
        edited = text.replace("reliability = 0.75", f"reliability = {r}", 1)
        rep = cv.Treaty.from_toml(edited).check(CHEAP)
        rows = df[df["point"] == k]
        assert rows["margin"].tolist() == [v.margin for v in rep.conditions]
        assert rows["verdict"].tolist() == ["holds" if v.holds else "fails" for v in rep.conditions]


def test_two_axes_make_a_product_with_the_last_fastest(models):
    t = cv.Treaty.load(models / "anzus.toml")
    df = cv.sweep(t, {"states.USA.capability": [0.1, 0.3], "defaults.war_cost": [0, 0.2, 0.4]}, conditions=["deterrence"])
    assert df["states.USA.capability"].tolist() == [0.1] * 3 + [0.3] * 3
    assert df["defaults.war_cost"].tolist() == [0, 0.2, 0.4] * 2


def test_pairs_add_one_row_per_aggressor_and_target(models):
    df = cv.sweep(models / "anzus.toml", {"defaults.reliability": [0.5]}, conditions=["deterrence"], pairs=True)
    pairs = df[df["scope"] == "pair"]
    # Aggressors are every state, targets the 3 members: 5 * 3 - 3 ordered pairs.
    assert len(pairs) == 12
    assert pairs["win_probability"].between(0, 1).all()
    assert ((pairs["margin"] >= 0) == (pairs["verdict"] == "holds")).all()


@pytest.mark.parametrize(
    "grid, exc, match",
    [
        ({"states.FRA.capability": [0.1]}, cv.InvalidArgumentError, "states.FRA"),
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
    assert [l.get_label() for l in ax.get_lines()[: len(CHEAP)]] == CHEAP
    assert ax.get_xlabel() == "defaults.reliability"


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
    pd.testing.assert_frame_equal(local, remote)
    assert len(local) == 22 * (len(CHEAP) + 12)
