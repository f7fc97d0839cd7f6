"""Normal-form games from Python: the reference values of the Rust tests (tests/enumerate.rs,
tests/correlated.rs, tests/stackelberg.rs), numpy shapes and dtypes, and every error path."""

import json
from fractions import Fraction as F

import numpy as np
import pytest

import covenant as cv


def exact_set(eqs):
    return {e.exact for e in eqs}


def test_battle_of_the_sexes_has_two_pure_and_the_mixed_3_5_2_5_equilibrium(models):
    # models/games/battle_of_the_sexes.json: (3/5, 2/5), (2/5, 3/5) and the two pure ones.
    eqs = cv.nash(models / "games" / "battle_of_the_sexes.nfg")
    assert eqs.complete
    assert exact_set(eqs) == {
        ((F(1), F(0)), (F(1), F(0))),
        ((F(0), F(1)), (F(0), F(1))),
        ((F(3, 5), F(2, 5)), (F(2, 5), F(3, 5))),
    }
    for e in eqs:
        assert e.regret <= 1e-9


def test_arrays_and_files_give_the_same_equilibria(models):
    A = np.array([[3, 0], [0, 2]])
    B = np.array([[2, 0], [0, 3]])
    assert exact_set(cv.nash(A, B)) == exact_set(cv.nash(models / "games" / "battle_of_the_sexes.json"))
    # Python lists and integer arrays are accepted (converted to float64).
    assert exact_set(cv.nash(A.tolist(), B.tolist())) == exact_set(cv.nash(A, B))


def test_degenerate_3x2_has_three_extreme_equilibria(models):
    eqs = cv.nash(models / "games" / "degenerate_3x2.nfg", method="enumerate")
    assert len(eqs) == 3


def test_bimatrix_10x10_1_has_24_extreme_equilibria_as_float64_arrays(data):
    g = json.loads((data / "bimatrix_10x10_1.json").read_text())
    eqs = cv.nash(np.array(g["A"]), np.array(g["B"]), method="enumerate")
    assert len(eqs) == 24 and eqs.complete
    for e in eqs:
        assert len(e.strategies) == 2
        for s, q in zip(e.strategies, e.exact):
            assert s.dtype == np.float64 and s.shape == (10,)
            assert sum(q) == 1
            np.testing.assert_allclose(s, [float(x) for x in q], atol=1e-12)
        assert e.payoffs.shape == (2,)
        assert e.regret <= 1e-9


def test_lemke_howson_finds_one_certified_equilibrium(models):
    eqs = cv.nash(models / "games" / "battle_of_the_sexes.nfg", method="lemke-howson", label=1)
    assert len(eqs) == 1 and not eqs.complete
    assert eqs[0].regret <= 1e-9
    assert len(cv.nash(models / "games" / "battle_of_the_sexes.nfg", method="lemke-howson-all")) >= 1


def test_volunteers_dilemma_3_has_three_pure_equilibria(models):
    # Exactly one volunteer: three pure equilibria; a three-player game defaults to "pure".
    eqs = cv.nash(models / "games" / "volunteers_dilemma_3.nfg")
    assert len(eqs) == 3
    assert all(len(e.strategies) == 3 for e in eqs)


def test_matching_pennies_zero_sum_value_0_at_one_half():
    z = cv.zero_sum([[1, -1], [-1, 1]])
    assert abs(z.value) < 1e-9
    np.testing.assert_allclose(z.row, [0.5, 0.5], atol=1e-9)
    np.testing.assert_allclose(z.col, [0.5, 0.5], atol=1e-9)
    (e,) = cv.nash([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], method="zero-sum")
    assert e.regret <= 1e-9


def test_chicken_correlated_welfare_10_5_and_coarse_at_least_that():
    # Aumann (1974): the welfare-maximising CE of chicken puts 1/4, 1/4, 1/2 on (D,C), (C,D), (C,C).
    A, B = [[0, 7], [2, 6]], [[0, 2], [7, 6]]
    ce = cv.correlated(A, B)
    assert ce.objective == pytest.approx(10.5, abs=1e-6)
    assert ce.distribution.shape == (2, 2)
    np.testing.assert_allclose(ce.distribution, [[0, 0.25], [0.25, 0.5]], atol=1e-6)
    assert ce.regret <= 1e-6
    assert cv.coarse_correlated(A, B).objective >= 10.5 - 1e-6
    assert cv.correlated(A, B, objective="max:0").payoffs[0] >= 7 - 1e-6


def test_prisoners_dilemma_dominance_keeps_defect_for_both():
    d = cv.dominance([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert d.kept == [[1], [1]]
    assert len(d.trace) == 2


def test_stackelberg_commitment_beats_the_nash_payoff():
    # Conitzer and Sandholm (2006), Fig. 1: committing to (1/2, 1/2) gets the leader 3.5.
    s = cv.stackelberg([[2, 4], [1, 3]], [[1, 0], [0, 1]])
    assert s.leader_payoff == pytest.approx(3.5, abs=1e-9)
    np.testing.assert_allclose(s.leader_strategy, [0.5, 0.5], atol=1e-9)
    assert s.follower_action == 1


@pytest.mark.parametrize(
    "call, exc",
    [
        (lambda: cv.nash([[1, 2]], [[1, 2], [3, 4]]), cv.InvalidGameError),
        (lambda: cv.nash([1, 2], [1, 2]), cv.InvalidGameError),
        (lambda: cv.nash([[np.nan, 1]], [[1, 1]]), cv.InvalidGameError),
        (lambda: cv.nash([[1, 2]]), cv.InvalidArgumentError),
        (lambda: cv.nash([[1]], [[1]], method="magic"), cv.InvalidArgumentError),
        (lambda: cv.correlated([[1]], [[1]], kind="fancy"), cv.InvalidArgumentError),
        (lambda: cv.correlated([[1]], [[1]], objective="max:x"), cv.InvalidArgumentError),
        (lambda: cv.correlated([[1]], [[1]], objective="max:5"), cv.CovenantError),
        (lambda: cv.stackelberg([[1]], [[1]], leader=2), cv.CovenantError),
        (lambda: cv.nash("no/such/game.nfg"), FileNotFoundError),
        (lambda: cv.nash("game.txt"), cv.InvalidArgumentError),
    ],
)
def test_bad_games_raise_typed_errors(call, exc):
    with pytest.raises(exc):
        call()


def test_two_player_methods_on_three_players_name_the_fix(models):
    with pytest.raises(cv.InvalidArgumentError, match="use method=\"pure\""):
        cv.nash(models / "games" / "volunteers_dilemma_3.nfg", method="enumerate")


def test_a_file_and_a_matrix_together_are_rejected(models):
    with pytest.raises(cv.InvalidArgumentError):
        cv.nash(models / "games" / "battle_of_the_sexes.nfg", [[1]])


def test_parse_errors_carry_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.nfg"
    bad.write_text('NFG 1 R "x" { "A" "B" } { 2 2 }\n1 2 3\n')
    with pytest.raises(cv.ParseError) as e:
        cv.nash(bad)
    assert str(bad) in str(e.value)
    assert e.value.file == str(bad)
    assert e.value.line >= 1 and e.value.column >= 1
    assert isinstance(e.value, cv.CovenantError)


def test_exact_profiles_are_fractions_summing_to_one_and_equal_to_themselves(models):
    eqs = cv.nash(models / "games" / "degenerate_3x2.nfg")
    for e in eqs:
        assert all(isinstance(x, F) for s in e.exact for x in s)
        assert all(sum(s) == 1 for s in e.exact)
        assert e == e and "Equilibrium(" in repr(e)
    assert eqs[0] != eqs[1]
    (pure,) = cv.nash([[1]], [[1]], method="pure")
    assert pure.exact is None or pure.exact == ((F(1),), (F(1),))
