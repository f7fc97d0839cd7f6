"""Coalitional games and voting power from Python: the Rust tests' reference values
(tests/nucleolus.rs, tests/shapley.rs, tests/core.rs, tests/power.rs), exact Fractions, and errors."""

from fractions import Fraction as F

import numpy as np
import pytest

import covenant as cv


def glove(s):
    return float(min(len(s & {0, 1}), len(s & {2})))


def test_nucleolus_of_talmud_estate_200_is_50_75_75():
    # Aumann and Maschler (1985): the Talmud's division of an estate of 200 among claims 100, 200, 300.
    g = cv.TuGame([0, 0, 0, 0, 0, 0, 100, 200])
    np.testing.assert_allclose(g.nucleolus(), [50, 75, 75], atol=1e-6)


def test_nucleolus_of_the_readme_game_is_2_5_4_5_5():
    g = cv.TuGame([0, 1, 3, 6, 5, 7, 8, 12])
    nu = g.nucleolus()
    assert nu.dtype == np.float64 and nu.shape == (3,)
    np.testing.assert_allclose(nu, [2.5, 4.0, 5.5], atol=1e-6)


def test_glove_game_shapley_banzhaf_and_core_from_a_callable(models):
    # Maschler, Solan and Zamir (2013), ch. 17-18: Shapley (1/6, 1/6, 2/3), core = {(0, 0, 1)}.
    g = cv.TuGame(glove, n=3)
    np.testing.assert_allclose(g.shapley(), [1 / 6, 1 / 6, 2 / 3], atol=1e-12)
    np.testing.assert_allclose(g.banzhaf(), [0.25, 0.25, 0.75], atol=1e-12)
    np.testing.assert_allclose(g.banzhaf(normalized=True), [0.2, 0.2, 0.6], atol=1e-12)
    nonempty, point = g.core()
    assert nonempty
    np.testing.assert_allclose(point, [0, 0, 1], atol=1e-6)
    np.testing.assert_allclose(g.nucleolus(), [0, 0, 1], atol=1e-6)
    from_file = cv.read_tu_game(models / "coop" / "glove.json")
    np.testing.assert_array_equal(from_file.values, g.values)
    assert from_file.players == ["Left 1", "Left 2", "Right"]


def test_majority_game_has_an_empty_core_and_least_core_one_third():
    g = cv.TuGame(lambda s: float(len(s) >= 2), n=3)
    assert g.core() == (False, None)
    eps, x = g.least_core()
    assert eps == pytest.approx(1 / 3, abs=1e-9)
    np.testing.assert_allclose(x, [1 / 3] * 3, atol=1e-6)
    in_core, gap, coalition, excess = g.in_core([1 / 3] * 3)
    assert not in_core and len(coalition) == 2 and excess == pytest.approx(1 / 3, abs=1e-9)


def test_prenucleolus_exists_where_the_imputation_set_is_empty():
    g = cv.TuGame([0, 1, 1, 1, 1, 1, 1, 2])
    np.testing.assert_allclose(g.prenucleolus(), [2 / 3] * 3, atol=1e-6)
    with pytest.raises(cv.InvalidArgumentError, match="imputation"):
        g.nucleolus()


def test_subadditive_game_splits_into_singletons():
    g = cv.TuGame([0, 1, 1, 1, 1, 1, 1, 1])
    parts, value = g.optimal_structure()
    assert sorted(parts) == [[0], [1], [2]] and value == 3
    parts, value, nonempty, alloc, eps = g.stable_structure()
    assert nonempty
    np.testing.assert_allclose(alloc, [1, 1, 1], atol=1e-6)


def test_un_security_council_power_is_exact():
    # Shapley and Shubik (1954) / tests/power.rs: 421/2145 per permanent member, 4/2145 elected.
    p = cv.power(39, [7] * 5 + [1] * 10)
    assert p.exact[:5] == [F(421, 2145)] * 5 and p.exact[5:] == [F(4, 2145)] * 10
    assert sum(p.exact) == 1
    assert p.values.dtype == np.float64 and p.values.shape == (15,)
    np.testing.assert_allclose(p.values, [float(x) for x in p.exact], rtol=1e-15)
    b = cv.power(39, [7] * 5 + [1] * 10, index="banzhaf")
    assert b.exact[0] == F(106, 635)
    assert cv.power(39, [7] * 5 + [1] * 10, index="banzhaf-absolute").exact[0] == F(848, 16384)


def test_eec_1958_luxembourg_is_a_dummy():
    p = cv.power(12, [4, 4, 4, 2, 2, 1])
    assert p.exact == [F(7, 30)] * 3 + [F(3, 20)] * 2 + [F(0)]
    b = cv.power(12, [4, 4, 4, 2, 2, 1], index="banzhaf")
    assert b.exact == [F(5, 21)] * 3 + [F(1, 7)] * 2 + [F(0)]


@pytest.mark.parametrize(
    "call, exc",
    [
        (lambda: cv.TuGame([0, 1, 1]), cv.InvalidGameError),
        (lambda: cv.TuGame([]), cv.InvalidGameError),
        (lambda: cv.TuGame([1, 1]), cv.InvalidGameError),
        (lambda: cv.TuGame([0, float("nan")]), cv.InvalidGameError),
        (lambda: cv.TuGame([0, 1], n=2), cv.InvalidGameError),
        (lambda: cv.TuGame(lambda s: 1.0), cv.InvalidArgumentError),
        (lambda: cv.TuGame(lambda s: 1.0, n=0), cv.InvalidGameError),
        (lambda: cv.TuGame(lambda s: 1.0, n=31), cv.TooLargeError),
        (lambda: cv.TuGame([0, 1, 1, 2], players=["a"]), cv.CovenantError),
        (lambda: cv.TuGame([0, 1, 1, 2]).least_core("somewhere"), cv.InvalidArgumentError),
        (lambda: cv.TuGame([0, 0, 0, 0]).banzhaf(normalized=True), cv.CovenantError),
        (lambda: cv.power(0, [1, 1]), cv.InvalidGameError),
        (lambda: cv.power(5, [1, 1]), cv.InvalidGameError),
        (lambda: cv.power(1, []), cv.InvalidGameError),
        (lambda: cv.power(1, [1], index="penrose"), cv.InvalidArgumentError),
        (lambda: cv.power(1, [-1]), OverflowError),
        (lambda: cv.read_tu_game("no/such.json"), FileNotFoundError),
    ],
)
def test_bad_coalitional_input_raises(call, exc):
    with pytest.raises(exc):
        call()


def test_errors_raised_by_the_callable_propagate():
    def boom(s):
        raise RuntimeError("no value for %s" % sorted(s))

    with pytest.raises(RuntimeError, match="no value"):
        cv.TuGame(boom, n=2)


def test_voting_game_file_points_to_power(models):
    with pytest.raises(cv.InvalidArgumentError, match="power"):
        cv.read_tu_game(models / "coop" / "un_security_council.json")
