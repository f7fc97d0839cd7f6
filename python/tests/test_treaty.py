"""Treaties from Python: the bundled format-2 models against the historical record (the same
cases as tests/history.rs), the report's tables, Monte Carlo, round trips through TOML and
dicts, plots and error paths."""

import json
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import covenant as cv

CONDITIONS = [
    "deterrence",
    "participation",
    "equal_rules",
    "credibility",
    "burden_sharing",
    "peaceful_settlement",
    "liveness",
]


@pytest.fixture(scope="module")
def un_charter():
    # Loaded once: 200 states, three snapshots.
    return cv.Treaty.load(Path(__file__).resolve().parents[2] / "models" / "un_charter.toml")


def test_nato_1949_deters_every_soviet_attack_and_the_us_is_preponderant(models):
    # tests/history.rs: no Soviet attack on a member during the Cold War; the US is the one
    # member no coalition of the others could stop; Art. 5 is individual, so liveness holds.
    t = cv.Treaty.load(models / "nato.toml")
    assert t.name == "North Atlantic Treaty"
    assert t.years == [1949, 2024]
    r = t.check(year=1949)
    assert (r.year, r.kind) == (1949, "collective_defense")
    assert len(r.members) == 12 and "USA" in r.members and "SUN" not in r.members
    det = r.verdict("deterrence", "external")
    assert det.judged and det.verdict == "holds" and det.holds and det.margin > 0
    assert not r.verdict("deterrence", "internal").judged
    assert "USA" in r.preponderant
    for m in r.members:
        assert r.pair("SUN", m)["deterred"], f"SUN -> {m}"
    assert r.verdict("liveness", "external").verdict == "holds"
    # Every condition for both scopes, equal rules once (unscoped), in report order.
    assert [(v.id, v.scope) for v in r.conditions] == [
        (c, s) for c in CONDITIONS for s in (["all"] if c == "equal_rules" else ["external", "internal"])
    ]
    assert all(np.isfinite(v.margin) for v in r.conditions)
    assert {v.verdict for v in r.conditions} <= {"holds", "fails", "unknown"}
    # The pair table: the 12 members and the USSR attacking each of the 12 members.
    assert len(r.pairs) == 13 * 12 - 12
    # The worst external attack is the one the deterrence margin names.
    worst = max((p for p in r.pairs if p["scope"] == "external"), key=lambda p: p["eu"])
    assert worst["eu"] == pytest.approx(-det.margin)
    assert worst["aggressor"] == "SUN"
    # The latest snapshot is the default.
    assert t.check(["deterrence"]).year == 2024


def test_un_2022_russia_against_ukraine_is_not_deterred_and_no_enforcement_can_act(un_charter):
    # S/2022/155 failed on 25 February 2022 by Russia's veto.
    r = un_charter.check(year=2022)
    p = r.pair("RUS", "UKR")
    assert not p["deterred"] and p["eu"] > 0
    assert not p["enforcement_can_act"]
    assert "security_council" not in p["procedures_can_act"]
    # The veto makes the P5 judges in their own cause (Art. 27(3)).
    assert r.verdict("equal_rules").verdict == "fails"
    assert r.verdict("liveness", "internal").verdict == "fails"
    frames = r.to_pandas()
    row = frames.pairs[(frames.pairs["aggressor"] == "RUS") & (frames.pairs["target"] == "UKR")]
    assert row["deterred"].tolist() == [False] and row["enforcement_can_act"].tolist() == [False]


def test_un_1990_iraq_against_kuwait_is_not_deterred_but_the_council_can_act(un_charter):
    p = un_charter.check(["deterrence"], year=1990).pair("IRQ", "KWT")
    assert not p["deterred"]
    assert p["enforcement_can_act"]


def test_un_1956_security_council_power_is_shapley_shubik_1954(un_charter):
    # Shapley & Shubik (1954): each permanent member 76/385, each elected member 1/462.
    r = un_charter.check(["equal_rules"], year=1956)
    v = r.verdict("equal_rules")
    assert v.scope == "all"
    sc = next(f for f in v.figures if f["procedure"] == "security_council")
    assert len(sc["power"]) == 11
    for voter in sc["power"]:
        want = Fraction(76, 385) if voter["id"] in {"USA", "GBR", "FRA", "SUN", "TWN"} else Fraction(1, 462)
        assert voter["shapley_shubik"] == pytest.approx(float(want), abs=1e-12), voter["id"]
        assert Fraction(voter["shapley_shubik"]).limit_denominator(1000) == want


def test_report_tables_have_the_documented_shape(models):
    r = cv.Treaty.load(models / "anzus.toml").check()
    assert (r.treaty, r.year, r.data_year) == ("ANZUS Treaty", 1951, 1951)
    assert r.members == ["USA", "AUS", "NZL"] and r.preponderant == ["USA"]
    assert r.states == ["USA", "AUS", "NZL", "CHN", "PRK", "SUN"]
    assert len(r.conditions) == 13  # six conditions for two scopes, equal rules once
    frames = r.to_pandas()
    assert list(frames.conditions.columns) == [
        "condition",
        "scope",
        "judged",
        "verdict",
        "margin",
        "probability",
        "detail",
    ]
    assert frames.conditions["margin"].dtype == np.float64
    assert frames.conditions["probability"].isna().all()  # no samples
    assert frames.conditions["verdict"].tolist() == [v.verdict for v in r.conditions]
    # Every state attacking each of the 3 members, itself excluded.
    assert len(frames.pairs) == len(r.pairs) == 6 * 3 - 3
    for c in ["eu", "eu_without", "effect", "win_probability"]:
        assert frames.pairs[c].dtype == np.float64
    assert frames.pairs["deterred"].tolist() == [p["deterred"] for p in r.pairs]
    assert frames.pairs["win_probability"].between(0, 1).all()
    assert np.allclose(frames.pairs["effect"], frames.pairs["eu_without"] - frames.pairs["eu"])
    d = r.to_dict()
    assert d["treaty"] == "ANZUS Treaty" and len(d["conditions"]) == 13
    assert json.loads(json.dumps(d)) == d
    m = r.eu_matrix()
    assert m.shape == (6, 6) and np.isnan(np.diag(m)).all()
    assert np.isnan(m[:, 3:]).all()  # non-members are never targets
    assert m[r.states.index("SUN"), r.states.index("AUS")] == r.pair("SUN", "AUS")["eu"]


def test_one_scope_reports_that_scope_and_verdict_needs_no_scope(models):
    r = cv.Treaty.load(models / "anzus.toml").check(["deterrence", "equal_rules"], scope="external")
    assert [(v.id, v.scope) for v in r.conditions] == [("deterrence", "external"), ("equal_rules", "all")]
    assert r.verdict("deterrence") is r.conditions[0]
    both = cv.Treaty.load(models / "anzus.toml").check(["deterrence"])
    with pytest.raises(KeyError, match="scope"):
        both.verdict("deterrence")
    with pytest.raises(KeyError):
        both.verdict("liveness", "external")


def test_monte_carlo_gives_probabilities_reproducibly(models):
    t = cv.Treaty.load(models / "anzus.toml")
    r = t.check(scope="external", samples=200, seed=3)
    assert r.samples == 200
    sampled = {"deterrence", "credibility", "liveness", "peaceful_settlement"}
    for v in r.conditions:
        if v.id in sampled:
            assert 0.0 <= v.probability <= 1.0, v.id
        else:
            assert v.probability is None, v.id
    assert all(0.0 <= p["p_deterred"] <= 1.0 for p in r.pairs)
    assert r == t.check(scope="external", samples=200, seed=3)
    assert r.to_pandas().pairs["p_deterred"].notna().all()


def test_a_model_round_trips_through_its_text_and_a_dict(models):
    t = cv.Treaty.load(models / "anzus.toml")
    cheap = ["deterrence", "credibility", "liveness"]
    want = t.check(cheap).to_dict()
    assert cv.Treaty.from_toml(t.text).check(cheap).to_dict() == want
    if sys.version_info >= (3, 11):
        import tomllib

        d = tomllib.loads(t.text)
        assert cv.Treaty.from_dict(d).check(cheap).to_dict() == want


def test_model_errors_carry_file_line_and_field(models, tmp_path):
    text = (models / "anzus.toml").read_text().replace("USA = 0.3195", "USA = -1")
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    with pytest.raises(cv.ModelError) as e:
        cv.Treaty.load(bad)
    assert e.value.file == str(bad)
    assert e.value.field == "snapshots[0].capability.USA"
    assert text.splitlines()[e.value.line - 1].strip().startswith("USA = -1")
    assert str(e.value).startswith(f"{bad}:{e.value.line}: field `snapshots[0].capability.USA`")


def test_toml_syntax_errors_are_parse_errors_with_a_column():
    with pytest.raises(cv.ParseError) as e:
        cv.Treaty.from_toml("[treaty\nname = 1", "x.toml")
    assert (e.value.file, e.value.line, e.value.column) == ("x.toml", 1, 8)


def test_dict_models_are_validated_like_files():
    with pytest.raises(cv.ModelError):
        cv.Treaty.from_dict({"treaty": {"name": "Empty"}, "states": [{"id": "A"}]})
    with pytest.raises(cv.InvalidArgumentError):
        cv.Treaty.from_dict({"treaty": {"name": "x"}, "bad": float("nan")})


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"year": 1950}, cv.InvalidArgumentError, "no snapshot for 1950; its years are 1951"),
        ({"scope": "both"}, cv.InvalidArgumentError, "unknown scope `both`"),
        ({"samples": 10**7}, cv.TooLargeError, "Monte Carlo samples"),
        ({"samples": -1}, cv.InvalidArgumentError, "non-negative"),
        ({"samples": 2.5}, cv.InvalidArgumentError, "samples must be a non-negative integer"),
        ({"seed": 2**64}, cv.InvalidArgumentError, "seed must be a non-negative integer below"),
        ({"conditions": ["deterence"]}, cv.InvalidArgumentError, "unknown condition `deterence`"),
    ],
)
def test_bad_options_are_errors_not_ignored(models, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        cv.Treaty.load(models / "anzus.toml").check(**kwargs)


def test_samples_need_a_prior(models):
    text = (models / "anzus.toml").read_text()
    start = text.index("[prior]")
    no_prior = text[:start] + text[text.index("[[snapshots]]", start) :]
    with pytest.raises(cv.InvalidArgumentError, match="prior"):
        cv.Treaty.from_toml(no_prior).check(samples=10)


def test_old_condition_name_and_missing_file(models):
    r = cv.Treaty.load(models / "anzus.toml").check(["peaceful_resolution"], scope="internal")
    assert [v.id for v in r.conditions] == ["peaceful_settlement"]
    with pytest.raises(TypeError, match="year="):
        cv.Treaty.load(models / "anzus.toml").check(1951)
    with pytest.raises(FileNotFoundError):
        cv.Treaty.load(models / "nope.toml")


def test_report_plot_draws_the_eu_matrix(models):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    r = cv.Treaty.load(models / "anzus.toml").check(["deterrence"])
    ax = r.plot()
    shown = ax.images[0].get_array()
    np.testing.assert_array_equal(np.ma.filled(shown, np.nan), r.eu_matrix())
    assert [t.get_text() for t in ax.get_yticklabels()] == r.states
    assert "1951" in ax.get_title()


def test_report_plot_by_p_deterred_needs_samples(models):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    t = cv.Treaty.load(models / "anzus.toml")
    r = t.check(["deterrence"], samples=40, seed=2)
    ax = r.plot(color="p_deterred")
    shown = np.ma.filled(ax.images[0].get_array(), np.nan)
    np.testing.assert_array_equal(shown, r.p_deterred_matrix())
    # Same cells as the EU matrix, each a probability that is a multiple of 1/40.
    np.testing.assert_array_equal(np.isnan(shown), np.isnan(r.eu_matrix()))
    p = shown[~np.isnan(shown)]
    assert ((p >= 0) & (p <= 1)).all() and np.array_equal(p * 40, np.round(p * 40))
    assert "P(deterred)" in ax.get_title()
    with pytest.raises(cv.InvalidArgumentError, match="needs a check with samples"):
        t.check(["deterrence"]).plot(color="p_deterred")
    with pytest.raises(cv.InvalidArgumentError, match="unknown color"):
        r.plot(color="red")
