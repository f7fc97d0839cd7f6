"""Treaties from Python: the NATO 1949 model's documented verdicts (models/nato_1949.toml),
round trips through TOML and dicts, the report's tables, plots and error paths."""

import sys

import numpy as np
import pytest

import covenant as cv


def test_nato_1949_verdicts_match_the_model_file(models):
    # models/nato_1949.toml, WHAT COVENANT SHOULD SAY: deterrence over all aggressors FAILS with
    # witness USA vs ISL; equal_rules FAILS (self-veto); peaceful_resolution HOLDS.
    t = cv.Treaty.load(models / "nato_1949.toml")
    assert t.name == "North Atlantic Treaty (1949 founders)"
    assert len(t.states) == 13 and "SUN" in t.states
    r = t.check(["deterrence", "equal_rules", "peaceful_resolution"])
    assert [v.id for v in r.conditions] == ["deterrence", "equal_rules", "peaceful_resolution"]
    det = r.verdict("deterrence")
    assert not det.holds and det.margin < 0
    assert (det.witness["aggressor"], det.witness["target"]) == ("USA", "ISL")
    assert not r.verdict("equal_rules").holds
    assert r.verdict("peaceful_resolution").holds
    # The pair table: every aggressor against each of the 12 member targets, itself excluded.
    assert len(r.pairs) == 13 * 12 - 12
    worst = max(r.pairs, key=lambda p: p["eu"])
    assert (worst["aggressor"], worst["target"]) == ("USA", "ISL")
    assert worst["eu"] == pytest.approx(-det.margin)


def test_report_tables_have_the_documented_shape(models):
    r = cv.Treaty.load(models / "anzus.toml").check()
    assert len(r.conditions) == 7
    frames = r.to_pandas()
    assert list(frames.conditions.columns) == ["condition", "holds", "margin", "detail"]
    assert len(frames.conditions) == 7
    assert len(frames.pairs) == 5 * 3 - 3  # targets are the 3 members
    assert frames.pairs["eu"].dtype == np.float64
    assert frames.pairs["deterred"].tolist() == [p["deterred"] for p in r.pairs]
    d = r.to_dict()
    assert d["treaty"] == "ANZUS Security Treaty" and len(d["conditions"]) == 7
    m = r.eu_matrix()
    assert m.shape == (5, 5) and np.isnan(np.diag(m)).all()


def test_a_model_round_trips_through_its_text_and_a_dict(models):
    t = cv.Treaty.load(models / "anzus.toml")
    want = t.check(["deterrence", "credibility", "liveness"]).to_dict()
    assert cv.Treaty.from_toml(t.text).check(["deterrence", "credibility", "liveness"]).to_dict() == want
    if sys.version_info >= (3, 11):
        import tomllib

        d = tomllib.loads(t.text)
        assert cv.Treaty.from_dict(d).check(["deterrence", "credibility", "liveness"]).to_dict() == want


def test_model_errors_carry_file_line_and_field(models, tmp_path):
    text = (models / "anzus.toml").read_text().replace("capability = 0.0015", "capability = -1")
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    with pytest.raises(cv.ModelError) as e:
        cv.Treaty.load(bad)
    assert e.value.file == str(bad)
    assert e.value.field == "states[1].capability"
    assert text.splitlines()[e.value.line - 1].strip().startswith("capability = -1")
    assert str(e.value).startswith(f"{bad}:{e.value.line}: field `states[1].capability`")


def test_toml_syntax_errors_are_parse_errors_with_a_column():
    with pytest.raises(cv.ParseError) as e:
        cv.Treaty.from_toml("[treaty\nname = 1", "x.toml")
    assert (e.value.file, e.value.line, e.value.column) == ("x.toml", 1, 8)


def test_dict_models_are_validated_like_files():
    with pytest.raises(cv.ModelError):
        cv.Treaty.from_dict({"treaty": {"name": "Empty"}, "states": [{"id": "A", "capability": 0}]})
    with pytest.raises(cv.InvalidArgumentError):
        cv.Treaty.from_dict({"treaty": {"name": "x"}, "bad": float("nan")})


@pytest.mark.parametrize(
    "kwargs",
    [{"year": 1949}, {"scope": "external"}, {"samples": 100}],
)
def test_options_this_build_cannot_honour_are_errors_not_ignored(models, kwargs):
    with pytest.raises(cv.InvalidArgumentError):
        cv.Treaty.load(models / "anzus.toml").check(**kwargs)


def test_unknown_condition_and_missing_file(models):
    with pytest.raises(cv.InvalidArgumentError, match="unknown condition"):
        cv.Treaty.load(models / "anzus.toml").check(["deterence"])
    with pytest.raises(FileNotFoundError):
        cv.Treaty.load(models / "nope.toml")
    with pytest.raises(cv.InvalidArgumentError, match="resolution"):
        cv.Treaty.load(models / "anzus.toml").check(["deterrence"], resolution=0)


def test_report_plot_draws_the_eu_matrix(models):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    r = cv.Treaty.load(models / "anzus.toml").check(["deterrence"])
    ax = r.plot()
    shown = ax.images[0].get_array()
    np.testing.assert_array_equal(np.ma.filled(shown, np.nan), r.eu_matrix())
    assert [t.get_text() for t in ax.get_yticklabels()] == r.states
