"""covenant: game-theoretic solvers for treaties and collective security.

Python bindings of the covenant Rust library. Arrays go in and come out as numpy arrays;
results that the library computes exactly also come as :class:`fractions.Fraction`. Every
solve runs in Rust with the GIL released, so threads (and Dask workers) run solves in parallel.

>>> import numpy as np, covenant as cv
>>> A = np.array([[3, 0], [5, 1]]); B = A.T            # prisoner's dilemma
>>> [e.exact for e in cv.nash(A, B)]
[((Fraction(0, 1), Fraction(1, 1)), (Fraction(0, 1), Fraction(1, 1)))]
>>> cv.power(3, [2, 1, 1]).exact                        # [3; 2, 1, 1]
[Fraction(2, 3), Fraction(1, 6), Fraction(1, 6)]
>>> cv.TuGame([0, 0, 0, 1]).shapley()
array([0.5, 0.5])

Optional extras: pandas (``Report.to_pandas``, ``sweep``), dask.distributed (``sweep(...,
client=...)``), matplotlib (``Report.plot``, ``plot_sweep``).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np

from . import _covenant as _native
from ._covenant import (
    CovenantError,
    InvalidArgumentError,
    InvalidGameError,
    IterationLimitError,
    LpError,
    ModelError,
    NumericalError,
    ParseError,
    TooLargeError,
    TuGame,
    UnavailableError,
)

__all__ = [
    "CovenantError",
    "InvalidArgumentError",
    "InvalidGameError",
    "IterationLimitError",
    "LpError",
    "ModelError",
    "NumericalError",
    "ParseError",
    "TooLargeError",
    "UnavailableError",
    "Equilibrium",
    "CorrelatedEquilibrium",
    "ZeroSumSolution",
    "DominanceResult",
    "StackelbergSolution",
    "PowerIndex",
    "TuGame",
    "read_tu_game",
    "Treaty",
    "Report",
    "Verdict",
    "nash",
    "zero_sum",
    "correlated",
    "coarse_correlated",
    "dominance",
    "stackelberg",
    "power",
    "sweep",
    "plot_sweep",
]

__version__ = "0.1.0"

PathLike = Union[str, "os.PathLike[str]"]
ArrayLike = Any


def _matrix(x: ArrayLike, name: str) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 2:
        raise InvalidGameError(f"invalid game: {name} must be a 2-d array, got {a.ndim} dimensions")
    return np.ascontiguousarray(a)


def _game(A: Union[ArrayLike, PathLike], B: Optional[ArrayLike]) -> Any:
    """A path (``.nfg``/``.json``) or the two payoff matrices, as the native layer takes them."""
    if isinstance(A, (str, os.PathLike)):
        if B is not None:
            raise InvalidArgumentError("invalid argument: give a game file or two matrices, not both")
        return os.fspath(A)
    if B is None:
        raise InvalidArgumentError(
            "invalid argument: a game needs both payoff matrices A and B (or a file path)"
        )
    return (_matrix(A, "A"), _matrix(B, "B"))


def _fractions(rows: Sequence[Sequence[str]]) -> Tuple[Tuple[Fraction, ...], ...]:
    return tuple(tuple(Fraction(x) for x in row) for row in rows)


class Equilibrium:
    """A strategy profile with its certificate.

    Attributes:
        strategies: one probability vector (numpy float64) per player.
        payoffs: expected payoff of each player.
        regret: largest gain of any player from a unilateral deviation, computed by the
            library's independent checker (0 at an exact equilibrium).
        exact: the profile as Fractions when the solver computed it exactly, else None
            (converted on first access: parsing Fractions costs more than the solve of a small
            game, and most callers never look).
    """

    __slots__ = ("strategies", "payoffs", "regret", "_exact_raw", "_exact")

    def __init__(
        self,
        strategies: Tuple[np.ndarray, ...],
        payoffs: np.ndarray,
        regret: float,
        exact: Optional[Sequence[Sequence[Union[str, Fraction]]]] = None,
    ) -> None:
        self.strategies = tuple(strategies)
        self.payoffs = payoffs
        self.regret = float(regret)
        self._exact_raw = exact
        self._exact: Optional[Tuple[Tuple[Fraction, ...], ...]] = None

    @property
    def exact(self) -> Optional[Tuple[Tuple[Fraction, ...], ...]]:
        if self._exact is None and self._exact_raw is not None:
            self._exact = _fractions(self._exact_raw)
        return self._exact

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Equilibrium):
            return NotImplemented
        return (
            len(self.strategies) == len(other.strategies)
            and all(np.array_equal(a, b) for a, b in zip(self.strategies, other.strategies))
            and np.array_equal(self.payoffs, other.payoffs)
            and self.regret == other.regret
            and self.exact == other.exact
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Equilibrium(strategies={self.strategies!r}, payoffs={self.payoffs!r}, "
            f"regret={self.regret!r}, exact={self.exact!r})"
        )


def _equilibrium(d: Mapping[str, Any]) -> Equilibrium:
    return Equilibrium(d["strategies"], d["payoffs"], d["regret"], d["exact"])


class NashResult(list):
    """The equilibria found (a list of :class:`Equilibrium`); ``complete`` says whether the
    method guarantees that every (extreme) equilibrium is among them."""

    complete: bool = False


def nash(
    A: Union[ArrayLike, PathLike],
    B: Optional[ArrayLike] = None,
    *,
    method: Optional[str] = None,
    label: int = 0,
) -> NashResult:
    """Nash equilibria of a normal-form game.

    Args:
        A, B: the row and column player's payoff matrices, or ``A`` a game file (``.nfg`` or
            ``.json``, any number of players) and ``B`` omitted.
        method: ``"enumerate"`` (every extreme equilibrium, exact; default for two players),
            ``"lemke-howson"`` (one, from ``label``), ``"lemke-howson-all"``, ``"pure"``
            (default for more than two players) or ``"zero-sum"``.
        label: the dropped label of Lemke–Howson.

    Returns:
        A :class:`NashResult` list of :class:`Equilibrium`.

    Raises:
        InvalidGameError, InvalidArgumentError, ParseError, FileNotFoundError.

    >>> import covenant as cv
    >>> eqs = cv.nash([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])    # matching pennies
    >>> eqs[0].exact
    ((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2)))
    """
    eqs, complete = _native.nash(_game(A, B), method, label)
    out = NashResult(_equilibrium(d) for d in eqs)
    out.complete = complete
    return out


@dataclass(frozen=True)
class ZeroSumSolution:
    """Value and optimal strategies of a zero-sum game (row player's payoffs)."""

    value: float
    row: np.ndarray
    col: np.ndarray
    row_guarantee: float
    col_guarantee: float


def zero_sum(A: ArrayLike) -> ZeroSumSolution:
    """Solves the zero-sum game whose row player gets ``A`` (by linear programming).

    >>> import covenant as cv
    >>> cv.zero_sum([[1, -1], [-1, 1]]).value
    0.0
    """
    return ZeroSumSolution(**_native.zero_sum(_matrix(A, "A")))


@dataclass(frozen=True)
class CorrelatedEquilibrium:
    """A correlated (or coarse correlated) equilibrium: ``distribution[s1, s2, ...]`` is the
    probability of the profile; ``regret`` is the largest gain from a deviation, checked
    independently of the LP."""

    distribution: np.ndarray
    payoffs: np.ndarray
    objective: float
    regret: float


def correlated(
    A: Union[ArrayLike, PathLike],
    B: Optional[ArrayLike] = None,
    *,
    objective: str = "welfare",
    kind: str = "correlated",
) -> CorrelatedEquilibrium:
    """The correlated equilibrium (Aumann 1974) maximising ``objective`` ("welfare", "max:P",
    "min:P") by linear programming.

    >>> import covenant as cv
    >>> ce = cv.correlated([[0, 7], [2, 6]], [[0, 2], [7, 6]])   # chicken
    >>> round(ce.objective, 6)
    10.5
    """
    return CorrelatedEquilibrium(**_native.correlated(_game(A, B), kind, objective))


def coarse_correlated(
    A: Union[ArrayLike, PathLike],
    B: Optional[ArrayLike] = None,
    *,
    objective: str = "welfare",
) -> CorrelatedEquilibrium:
    """The coarse correlated equilibrium (Moulin and Vial 1978) maximising ``objective``."""
    return correlated(A, B, objective=objective, kind="coarse")


@dataclass(frozen=True)
class DominanceResult:
    """Iterated strict dominance: ``kept[p]`` lists player p's surviving strategies; ``trace``
    one dict per elimination (round, player, strategy, dominated_by, margin)."""

    kept: List[List[int]]
    trace: List[Dict[str, Any]]


def dominance(A: Union[ArrayLike, PathLike], B: Optional[ArrayLike] = None) -> DominanceResult:
    """Iterated elimination of strictly dominated strategies (by pure or mixed strategies).

    >>> import covenant as cv
    >>> cv.dominance([[3, 0], [5, 1]], [[3, 5], [0, 1]]).kept
    [[1], [1]]
    """
    return DominanceResult(**_native.dominance(_game(A, B)))


@dataclass(frozen=True)
class StackelbergSolution:
    """The leader's optimal commitment (Conitzer and Sandholm 2006)."""

    leader: int
    leader_strategy: np.ndarray
    follower_action: int
    leader_payoff: float
    follower_payoff: float
    follower_regret: float


def stackelberg(
    A: Union[ArrayLike, PathLike], B: Optional[ArrayLike] = None, *, leader: int = 0
) -> StackelbergSolution:
    """The leader's optimal mixed commitment in a two-player game (leader 0 is the row player)."""
    return StackelbergSolution(**_native.stackelberg(_game(A, B), leader))


@dataclass(frozen=True)
class PowerIndex:
    """Power indices: ``values`` (numpy float64) and ``exact`` (Fractions)."""

    values: np.ndarray
    exact: List[Fraction]


def power(quota: int, weights: Sequence[int], index: str = "shapley-shubik") -> PowerIndex:
    """Power indices of the weighted voting game ``[quota; weights]``, computed exactly.

    Args:
        index: ``"shapley-shubik"``, ``"banzhaf"`` (normalised) or ``"banzhaf-absolute"``.

    >>> import covenant as cv
    >>> cv.power(51, [50, 49, 1], index="banzhaf").exact
    [Fraction(3, 5), Fraction(1, 5), Fraction(1, 5)]
    """
    values, exact = _native.power(int(quota), [int(w) for w in weights], index)
    return PowerIndex(np.asarray(values, dtype=np.float64), [Fraction(x) for x in exact])


def read_tu_game(path: PathLike) -> TuGame:
    """Reads a TU game from a covenant JSON file (``{"players": ..., "values": ...}``)."""
    return _native.read_tu_game(os.fspath(path))


# --------------------------------------------------------------------------- treaties

_SCOPES = ("external", "internal", "all")


@dataclass(frozen=True)
class Verdict:
    """One condition for one scope, as the engine reports it.

    Attributes:
        id: the condition (``deterrence``, ``participation``, ``equal_rules``,
            ``credibility``, ``burden_sharing``, ``peaceful_settlement``, ``liveness``).
        scope: ``"external"`` (non-member aggressors), ``"internal"`` (member aggressors) or
            ``"all"`` (equal rules, which is unscoped).
        judged: whether the treaty's kind promises this scope (its verdict counts).
        verdict: ``"holds"``, ``"fails"`` or ``"unknown"`` (could not be decided; never
            counted as holding).
        margin: the slack when it holds, minus the size of the worst violation when it fails,
            0 when unknown; always finite.
        probability: P(holds) under the model's prior (with ``samples``), else None.
        detail: one sentence.
        witness: where it fails (a dict), or None.
        figures: figures reported whatever the verdict (voting power, least core, ...), or None.
    """

    id: str
    scope: str
    judged: bool
    verdict: str
    margin: float
    probability: Optional[float]
    detail: str
    witness: Any = field(default=None, repr=False)
    figures: Any = field(default=None, repr=False)

    @property
    def holds(self) -> bool:
        """``verdict == "holds"``."""
        return self.verdict == "holds"


class ReportFrames(NamedTuple):
    """The two tables of a report as DataFrames."""

    conditions: Any
    pairs: Any


_PAIR_FLOATS = ["eu", "eu_without", "effect", "win_probability", "p_deterred"]
_PAIR_COLUMNS = [
    "aggressor",
    "target",
    "scope",
    "eu",
    "eu_without",
    "effect",
    "win_probability",
    "deterred",
    "p_deterred",
    "beyond_reach",
    "pledged",
    "equilibrium_helpers",
    "enforcement_can_act",
    "procedures_can_act",
]


@dataclass(frozen=True)
class Report:
    """The result of :meth:`Treaty.check` for one snapshot year.

    Attributes:
        treaty, year, data_year (year of the capability data, or None), kind
            (``collective_defense``, ``collective_security`` or ``hybrid``).
        members: member ids in the snapshot.
        preponderant: states beyond the system's reach (some member target they could attack
            profitably even if every pledged helper fought).
        predicted_reliability: mean share of pledgers who help in equilibrium, or None.
        samples: Monte Carlo samples behind ``probability`` and ``p_deterred`` (0: none).
        states: every state id of the model, in model order.
        conditions: one :class:`Verdict` per condition and scope, in report order.
        pairs: the scenario table, one dict per (aggressor, member target): ``scope``, ``eu``
            (with equilibrium help), ``eu_without`` (without the treaty), ``effect``,
            ``win_probability``, ``deterred``, ``p_deterred`` (with ``samples``),
            ``beyond_reach``, ``pledged``, ``equilibrium_helpers``, ``enforcement_can_act``,
            ``procedures_can_act``.
    """

    treaty: str
    year: int
    data_year: Optional[int]
    kind: str
    members: List[str]
    preponderant: List[str]
    predicted_reliability: Optional[float]
    samples: int
    states: List[str]
    conditions: List[Verdict]
    pairs: List[Dict[str, Any]] = field(repr=False)

    def verdict(self, condition: str, scope: Optional[str] = None) -> Verdict:
        """The :class:`Verdict` of ``condition`` for ``scope``.

        ``scope`` may be left out when the condition was reported for one scope only (equal
        rules, or a check restricted to one scope). Raises KeyError if it was not checked.
        """
        found = [v for v in self.conditions if v.id == condition and scope in (None, v.scope)]
        if len(found) == 1:
            return found[0]
        if not found:
            raise KeyError(condition if scope is None else f"{condition} ({scope})")
        scopes = ", ".join(v.scope for v in found)
        raise KeyError(f"{condition} is reported for the scopes {scopes}: pass scope=")

    def pair(self, aggressor: str, target: str) -> Dict[str, Any]:
        """The scenario row of ``aggressor`` attacking ``target`` (KeyError if none)."""
        for p in self.pairs:
            if p["aggressor"] == aggressor and p["target"] == target:
                return p
        raise KeyError(f"{aggressor} -> {target}")

    def to_dict(self) -> Dict[str, Any]:
        """The report as plain dicts and lists (JSON-serialisable)."""
        return {
            "treaty": self.treaty,
            "year": self.year,
            "data_year": self.data_year,
            "kind": self.kind,
            "members": list(self.members),
            "preponderant": list(self.preponderant),
            "predicted_reliability": self.predicted_reliability,
            "samples": self.samples,
            "states": list(self.states),
            "conditions": [dict(v.__dict__) for v in self.conditions],
            "pairs": [dict(p) for p in self.pairs],
        }

    def to_pandas(self) -> ReportFrames:
        """``(conditions, pairs)`` as pandas DataFrames (needs pandas).

        ``conditions`` has the columns condition, scope, judged, verdict, margin, probability,
        detail; ``pairs`` one row per scenario with the columns of :attr:`pairs` (missing
        numbers, such as ``p_deterred`` without samples, are NaN).
        """
        pd = _require("pandas", "Report.to_pandas")
        cond = pd.DataFrame(
            {
                "condition": [v.id for v in self.conditions],
                "scope": [v.scope for v in self.conditions],
                "judged": pd.Series([v.judged for v in self.conditions], dtype="bool"),
                "verdict": [v.verdict for v in self.conditions],
                "margin": pd.Series([v.margin for v in self.conditions], dtype="float64"),
                "probability": pd.Series(
                    [np.nan if v.probability is None else v.probability for v in self.conditions],
                    dtype="float64",
                ),
                "detail": [v.detail for v in self.conditions],
            }
        )
        pairs = pd.DataFrame([{k: p.get(k) for k in _PAIR_COLUMNS} for p in self.pairs], columns=_PAIR_COLUMNS)
        for c in _PAIR_FLOATS:
            pairs[c] = pd.to_numeric(pairs[c], errors="coerce").astype("float64")
        for c in ["deterred", "beyond_reach", "enforcement_can_act"]:
            pairs[c] = pairs[c].astype("bool")
        return ReportFrames(cond, pairs)

    def eu_matrix(self) -> np.ndarray:
        """``M[i, j]`` = the expected utility of state i attacking state j with equilibrium
        help (rows and columns in :attr:`states` order; NaN where there is no scenario: the
        diagonal, non-member targets, scopes not checked). Negative: deterred."""
        idx = {s: k for k, s in enumerate(self.states)}
        m = np.full((len(self.states), len(self.states)), np.nan)
        for p in self.pairs:
            if p.get("eu") is not None:
                m[idx[p["aggressor"]], idx[p["target"]]] = p["eu"]
        return m

    def p_deterred_matrix(self) -> np.ndarray:
        """``M[i, j]`` = P(state i is deterred from attacking state j) under the model's prior
        (a check with ``samples``; NaN where there is no scenario, as in :meth:`eu_matrix`).

        Raises:
            InvalidArgumentError: the report was checked without samples.
        """
        if self.samples == 0:
            raise InvalidArgumentError(
                "invalid argument: P(deterred) needs a check with samples, e.g. check(samples=1000)"
            )
        idx = {s: k for k, s in enumerate(self.states)}
        m = np.full((len(self.states), len(self.states)), np.nan)
        for p in self.pairs:
            if p.get("p_deterred") is not None:
                m[idx[p["aggressor"]], idx[p["target"]]] = p["p_deterred"]
        return m

    def plot(self, ax: Any = None, color: str = "eu") -> Any:
        """The deterrence heatmap (aggressor × target) on a matplotlib Axes (a new figure when
        ``ax`` is None). Returns the Axes.

        Args:
            ax: the Axes to draw on.
            color: ``"eu"`` colours each cell by the EU of the aggression (blue: deterred,
                EU < 0); ``"p_deterred"`` by P(deterred) under the prior (blue: likely
                deterred; needs a check with ``samples``).

        Raises:
            InvalidArgumentError: an unknown ``color``, or ``"p_deterred"`` without samples.
        """
        if color not in ("eu", "p_deterred"):
            raise InvalidArgumentError(
                f"invalid argument: unknown color `{color}`: expected eu or p_deterred"
            )
        m = self.eu_matrix() if color == "eu" else self.p_deterred_matrix()
        plt = _require("matplotlib.pyplot", "Report.plot")
        n = len(self.states)
        if ax is None:
            _, ax = plt.subplots(figsize=(1 + 0.5 * n, 0.8 + 0.5 * n))
        if color == "eu":
            finite = m[np.isfinite(m)]
            lim = float(np.max(np.abs(finite))) if finite.size else 1.0
            lim = lim or 1.0
            im = ax.imshow(m, cmap="RdBu_r", vmin=-lim, vmax=lim)
            title, label = "EU of aggression (blue: deterred)", "EU"
        else:
            im = ax.imshow(m, cmap="RdBu", vmin=0.0, vmax=1.0)
            title = f"P(deterred), {self.samples} samples (blue: deterred)"
            label = "P(deterred)"
        ax.set_xticks(range(n), self.states, rotation=90)
        ax.set_yticks(range(n), self.states)
        ax.set_xlabel("target")
        ax.set_ylabel("aggressor")
        ax.set_title(f"{self.treaty} ({self.year})\n{title}")
        ax.figure.colorbar(im, ax=ax, label=label)
        return ax


def _report(raw: Mapping[str, Any]) -> Report:
    verdicts = [
        Verdict(
            id=c["id"],
            scope=c["scope"],
            judged=bool(c["judged"]),
            verdict=c["verdict"],
            margin=float(c["margin"]),
            probability=None if c.get("probability") is None else float(c["probability"]),
            detail=c["detail"],
            witness=c.get("witness"),
            figures=c.get("figures"),
        )
        for c in raw["conditions"]
    ]
    return Report(
        treaty=raw["treaty"],
        year=int(raw["year"]),
        data_year=raw.get("data_year"),
        kind=raw["kind"],
        members=list(raw["members"]),
        preponderant=list(raw["preponderant"]),
        predicted_reliability=raw.get("predicted_reliability"),
        samples=int(raw["samples"]),
        states=list(raw["states"]),
        conditions=verdicts,
        pairs=list(raw.get("pairs") or []),
    )


def _conditions(conditions: Optional[Union[str, Sequence[str]]]) -> List[str]:
    if conditions is None:
        return []
    if isinstance(conditions, str):
        return [conditions]
    return [str(c) for c in conditions]


def _count(name: str, x: Any) -> int:
    """A sample count or seed: an integer in 0..2**64 (the native side's u64)."""
    import operator

    try:
        k = operator.index(x)
    except TypeError:
        raise InvalidArgumentError(
            f"invalid argument: {name} must be a non-negative integer, got {x!r}"
        ) from None
    if not 0 <= k < 2**64:
        raise InvalidArgumentError(
            f"invalid argument: {name} must be a non-negative integer below 2**64, got {k}"
        )
    return k


def _scope(scope: str) -> str:
    if scope not in _SCOPES:
        raise InvalidArgumentError(
            f"invalid argument: unknown scope `{scope}`: expected external, internal or all"
        )
    return scope


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(k: Any, path: str) -> str:
    if not isinstance(k, str):
        raise InvalidArgumentError(f"invalid argument: the treaty dict has a key {k!r} at `{path}` that is not a string")
    return k if _BARE_KEY.match(k) else _toml_string(k)


def _toml_string(s: str) -> str:
    # JSON escapes are TOML basic-string escapes; DEL is the one control character JSON leaves.
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007F")


def _toml_value(v: Any, path: str) -> str:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not np.isfinite(v):
            raise InvalidArgumentError(f"invalid argument: the treaty dict has a non-finite number at `{path}`: {v}")
        return repr(v)
    if isinstance(v, str):
        return _toml_string(v)
    if isinstance(v, Mapping):
        items = ", ".join(f"{_toml_key(k, path)} = {_toml_value(x, f'{path}.{k}')}" for k, x in v.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(v, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_toml_value(x, f"{path}[{i}]") for i, x in enumerate(v)) + "]"
    raise InvalidArgumentError(
        f"invalid argument: the treaty dict has a {type(v).__name__} at `{path}`: "
        "values must be numbers, booleans, strings, lists or dicts"
    )


def _is_table_array(v: Any) -> bool:
    return isinstance(v, (list, tuple)) and len(v) > 0 and all(isinstance(x, Mapping) for x in v)


def _toml_text(model: Mapping[str, Any]) -> str:
    """A model dict as TOML text, keys in the dict's order (tables after the plain keys)."""
    if not isinstance(model, Mapping):
        raise InvalidArgumentError("invalid argument: a treaty dict must map section names to tables")
    lines: List[str] = []

    def emit(table: Mapping[str, Any], prefix: List[str]) -> None:
        dotted = ".".join(prefix)
        for k, v in table.items():
            if not (isinstance(v, Mapping) or _is_table_array(v)):
                lines.append(f"{_toml_key(k, dotted)} = {_toml_value(v, f'{dotted}.{k}'.lstrip('.'))}")
        for k, v in table.items():
            name = prefix + [_toml_key(k, dotted)]
            if isinstance(v, Mapping):
                lines.extend(["", f"[{'.'.join(name)}]"])
                emit(v, name)
            elif _is_table_array(v):
                for item in v:
                    lines.extend(["", f"[[{'.'.join(name)}]]"])
                    emit(item, name)

    emit(model, [])
    return "\n".join(lines) + "\n"


class Treaty:
    """A treaty model (format 2, the TOML schema of ``models/TEMPLATE.toml``): static clauses
    and one snapshot per year.

    >>> import covenant as cv
    >>> t = cv.Treaty.from_dict({
    ...     "treaty": {"name": "Pact", "kind": "collective_defense"},
    ...     "states": [{"id": "AAA"}, {"id": "BBB"}, {"id": "ZZZ"}],
    ...     "obligations": [{"kind": "defense"}],
    ...     "snapshots": [{"year": 2000, "members": ["AAA", "BBB"],
    ...                    "capability": {"AAA": 0.3, "BBB": 0.2, "ZZZ": 0.4}}]})
    >>> t.years
    [2000]
    >>> r = t.check(["deterrence"], scope="external")
    >>> r.verdict("deterrence").verdict
    'holds'
    >>> r.pair("ZZZ", "AAA")["deterred"]       # ZZZ 0.4 against AAA 0.3 helped by BBB 0.2
    True
    """

    def __init__(self, native: Any) -> None:
        self._t = native

    @classmethod
    def load(cls, path: PathLike) -> "Treaty":
        """Loads and validates a model file; errors carry the file, line and field."""
        return cls(_native.Treaty.load(os.fspath(path)))

    @classmethod
    def from_toml(cls, text: str, origin: str = "<string>") -> "Treaty":
        """Parses model text; ``origin`` names it in error messages."""
        return cls(_native.Treaty.from_toml(text, origin))

    @classmethod
    def from_dict(cls, model: Mapping[str, Any], origin: str = "<dict>") -> "Treaty":
        """Builds a model from a dict with the TOML file's structure (e.g. ``tomllib.load`` of
        a model file). Key order is kept: the states of a snapshot's ``capability`` table are
        indexed in the order given, as in a file."""
        return cls(_native.Treaty.from_toml(_toml_text(model), origin))

    @property
    def name(self) -> str:
        """The treaty's name."""
        return self._t.name

    @property
    def states(self) -> List[str]:
        """Every state id of the model, in model order."""
        return self._t.states

    @property
    def years(self) -> List[int]:
        """The snapshot years, ascending."""
        return self._t.years

    @property
    def text(self) -> str:
        """The model's TOML text."""
        return self._t.text

    def check(
        self,
        conditions: Optional[Sequence[str]] = None,
        *,
        year: Optional[int] = None,
        scope: str = "all",
        samples: int = 0,
        seed: int = 0,
    ) -> Report:
        """Checks the collective-security conditions of one snapshot.

        Args:
            conditions: condition ids (all seven when None); ``peaceful_resolution`` is
                accepted for ``peaceful_settlement``.
            year: the snapshot year (None: the latest); a year without a snapshot raises
                InvalidArgumentError naming the years there are.
            scope: ``"external"`` (non-member aggressors), ``"internal"`` (member
                aggressors) or ``"all"`` (both).
            samples: Monte Carlo draws under the model's ``[prior]`` (0: none); they add
                ``probability`` to deterrence, credibility, liveness and peaceful settlement
                and ``p_deterred`` to every pair.
            seed: seed of the draws (the same seed gives the same probabilities).

        Returns:
            A :class:`Report`, always with the scenario table (``pairs``).
        """
        if isinstance(conditions, int) and not isinstance(conditions, bool):
            raise TypeError("Treaty.check: the first argument is the conditions; pass year=...")
        samples, seed = _count("samples", samples), _count("seed", seed)
        text = self._t.check_json(_conditions(conditions), year, _scope(scope), samples, seed)
        return _report(json.loads(text))

    def __repr__(self) -> str:
        return f"Treaty({self.name!r}, {len(self.states)} states, years {self.years})"


# --------------------------------------------------------------------------- sweeps

GridSpec = Mapping[str, Union[Sequence[Any], np.ndarray]]


def _axes(grid: GridSpec) -> List[Tuple[str, List[Any]]]:
    axes = []
    for path, values in grid.items():
        if isinstance(values, np.ndarray):
            if values.ndim != 1:
                raise InvalidArgumentError(
                    f"invalid argument: sweep parameter `{path}`: values must be a 1-d sequence"
                )
            values = values.tolist()
        elif isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
            values = [values] if isinstance(values, (str, bytes, int, float)) else list(values)
        axes.append((str(path), [v.item() if isinstance(v, np.generic) else v for v in values]))
    return axes


def _run_chunk(
    text: str,
    origin: str,
    axes: List[Tuple[str, List[Any]]],
    start: int,
    stop: int,
    conditions: List[str],
    pairs: bool,
    year: Optional[int] = None,
    scope: str = "all",
    samples: int = 0,
    seed: int = 0,
) -> Dict[str, Any]:
    """One slice of a sweep; module-level so Dask can ship it to workers by name. Point ``k``
    draws its samples from a seed derived from ``(seed, k)`` in the library, so any split of
    the grid gives the same rows."""
    return _native.sweep_chunk(text, origin, axes, start, stop, conditions, pairs, year, scope, samples, seed)


def _frame(chunks: List[Dict[str, Any]], pairs: bool, sampled: bool = False) -> Any:
    pd = _require("pandas", "sweep")
    cols: Dict[str, List[Any]] = {"point": []}
    names = [p for p, _ in chunks[0]["parameters"]] if chunks else []
    for n in names:
        cols[n] = []
    rest = (
        ["condition", "scope", "verdict", "margin"]
        + (["probability"] if sampled else [])
        + (["aggressor", "target", "win_probability"] if pairs else [])
        + (["p_deterred"] if pairs and sampled else [])
        + (["seed"] if sampled else [])
    )
    for r in rest:
        cols[r] = []
    for c in chunks:
        cols["point"].extend(c["point"])
        for (n, values) in c["parameters"]:
            cols[n].extend(values)
        for r in rest:
            cols[r].extend(c[r])
    df = pd.DataFrame(cols)
    df["margin"] = df["margin"].astype("float64")
    # None (no value on this row) becomes NaN in the float columns.
    for col in ["win_probability", "probability", "p_deterred"]:
        if col in df:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    if "seed" in df:
        df["seed"] = df["seed"].astype("uint64")
    df.attrs["parameters"] = names
    return df


def sweep(
    model: Union[PathLike, Treaty],
    grid: GridSpec,
    *,
    conditions: Optional[Sequence[str]] = None,
    pairs: bool = False,
    year: Optional[int] = None,
    scope: str = "all",
    samples: int = 0,
    seed: int = 0,
    client: Any = None,
    chunks: Optional[int] = None,
) -> Any:
    """Checks a treaty at every point of a parameter grid; returns a pandas DataFrame.

    Args:
        model: a model file or a :class:`Treaty`.
        grid: ``{dotted path: values}``; paths as in ``covenant sweep --set``:
            ``"defaults.reliability"``, ``"states.USA.reliability"`` (array elements by id),
            ``"snapshots.0.capability.USA"`` (array elements by index). The grid is the
            Cartesian product, the last path varying fastest.
        conditions: condition ids to check (all when None).
        pairs: add one row per attack scenario (aggressor, member target).
        year: the snapshot checked at every point (None: the latest).
        scope: ``"external"``, ``"internal"`` or ``"all"`` (both).
        samples: Monte Carlo draws under the model's ``[prior]`` at every point (0: none).
        seed: the sweep's seed; point ``k`` draws from a seed derived from ``seed`` and ``k``
            (the ``seed`` column), so a run split over workers gives the same rows as one run,
            and ``Treaty.check(samples=, seed=row.seed)`` on the edited model reproduces a row.
        client: a ``dask.distributed.Client``; the grid is split into ``chunks`` slices run on
            its workers (the same rows, in the same order, as in-process). None runs in this
            process on all cores.
        chunks: number of slices for ``client`` (default: 4 per worker thread).

    Returns:
        Columns ``point``, one per grid path, ``condition``, ``scope`` (``external``,
        ``internal``, ``all``; ``pair`` on scenario rows), ``verdict`` (``holds``, ``fails``,
        ``unknown``), ``margin`` (``-EU`` on scenario rows), and with ``pairs`` also
        ``aggressor``, ``target``, ``win_probability``. With ``samples``: ``probability``
        (P(holds); NaN on scenario rows and for the conditions not sampled: participation,
        burden sharing, equal rules), with ``pairs`` ``p_deterred`` (P(deterred) on scenario
        rows), and ``seed`` (the point's seed, uint64).

    >>> import covenant as cv
    >>> df = cv.sweep("models/anzus.toml", {"defaults.reliability": [0.5, 1.0]},
    ...               conditions=["deterrence"], scope="external")
    >>> df[["defaults.reliability", "condition", "scope", "verdict"]].values.tolist()
    [[0.5, 'deterrence', 'external', 'fails'], [1.0, 'deterrence', 'external', 'holds']]
    """
    if isinstance(model, Treaty):
        text, origin = model.text, str(model._t.origin)
    else:
        origin = os.fspath(model)
        try:
            with open(origin, encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError as e:
            raise FileNotFoundError(f"{origin}: {e.strerror}") from e
    axes = _axes(grid)
    conds = _conditions(conditions)
    scope = _scope(scope)
    year = None if year is None else int(year)
    samples, seed = _count("samples", samples), _count("seed", seed)
    sampled = samples > 0
    total = _native.grid_len(axes)
    if client is None:
        return _frame([_run_chunk(text, origin, axes, 0, total, conds, pairs, year, scope, samples, seed)], pairs, sampled)
    if chunks is None:
        threads = sum(client.nthreads().values()) or 1
        chunks = 4 * threads
    chunks = max(1, min(int(chunks), total))
    bounds = [(k * total // chunks, (k + 1) * total // chunks) for k in range(chunks)]
    futures = client.map(
        _run_chunk,
        [text] * chunks,
        [origin] * chunks,
        [axes] * chunks,
        [b[0] for b in bounds],
        [b[1] for b in bounds],
        [conds] * chunks,
        [pairs] * chunks,
        [year] * chunks,
        [scope] * chunks,
        [samples] * chunks,
        [seed] * chunks,
        pure=False,
    )
    return _frame(client.gather(futures), pairs, sampled)


def plot_sweep(df: Any, x: Optional[str] = None, ax: Any = None) -> Any:
    """Margin of each condition (and scope) against a swept parameter (filled markers: holds,
    hollow: fails or unknown); ``x`` defaults to the first parameter. Scenario rows are left
    out. Returns the matplotlib Axes; lines are labelled ``condition (scope)``, or
    ``condition`` for unscoped ones."""
    plt = _require("matplotlib.pyplot", "plot_sweep")
    params = df.attrs.get("parameters") or []
    x = x or (params[0] if params else "point")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    rows = df[df["scope"] != "pair"]
    for k, ((cond, scope), g) in enumerate(rows.groupby(["condition", "scope"], sort=False)):
        g = g.sort_values(x)
        color = f"C{k % 10}"
        label = cond if scope == "all" else f"{cond} ({scope})"
        ax.plot(g[x], g["margin"], color=color, label=label)
        holds = g["verdict"] == "holds"
        ax.scatter(g[x][holds], g["margin"][holds], color=color, zorder=3)
        ax.scatter(g[x][~holds], g["margin"][~holds], facecolors="none", edgecolors=color, zorder=3)
    ax.axhline(0.0, color="black", linewidth=0.8, alpha=0.5)
    ax.set_xlabel(x)
    ax.set_ylabel("margin")
    ax.legend()
    return ax


def _register_accessor() -> None:
    try:
        import pandas as pd
    except ImportError:
        return

    @pd.api.extensions.register_dataframe_accessor("covenant")
    class _SweepAccessor:
        """``df.covenant.plot()`` on a sweep's DataFrame."""

        def __init__(self, df: Any) -> None:
            self._df = df

        def plot(self, x: Optional[str] = None, ax: Any = None) -> Any:
            return plot_sweep(self._df, x=x, ax=ax)


def _require(module: str, what: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:
        top = module.split(".")[0]
        raise ImportError(f"{what} needs the optional dependency `{top}`: pip install {top}") from e


_register_accessor()
