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


@dataclass(frozen=True)
class Verdict:
    """One condition's verdict: whether it holds, by what margin, and the witness."""

    id: str
    holds: bool
    margin: float
    witness: Any
    detail: str


class ReportFrames(NamedTuple):
    """The two tables of a report as DataFrames."""

    conditions: Any
    pairs: Any


@dataclass(frozen=True)
class Report:
    """The result of :meth:`Treaty.check`: one :class:`Verdict` per condition, and the
    deterrence pair table (one dict per aggressor and target: EU, its bracket, win
    probability, deterred)."""

    treaty: str
    states: List[str]
    conditions: List[Verdict]
    pairs: List[Dict[str, Any]] = field(repr=False)

    def verdict(self, condition: str) -> Verdict:
        """The verdict of ``condition`` (KeyError if it was not checked)."""
        for v in self.conditions:
            if v.id == condition:
                return v
        raise KeyError(condition)

    def to_dict(self) -> Dict[str, Any]:
        """Plain dicts and lists (JSON-serialisable except for ±inf margins)."""
        return {
            "treaty": self.treaty,
            "states": list(self.states),
            "conditions": [dict(v.__dict__) for v in self.conditions],
            "pairs": [dict(p) for p in self.pairs],
        }

    def to_pandas(self) -> ReportFrames:
        """``(conditions, pairs)`` as pandas DataFrames (needs pandas)."""
        pd = _require("pandas", "Report.to_pandas")
        cond = pd.DataFrame(
            {
                "condition": [v.id for v in self.conditions],
                "holds": [v.holds for v in self.conditions],
                "margin": [v.margin for v in self.conditions],
                "detail": [v.detail for v in self.conditions],
            }
        )
        cols = ["aggressor", "target", "eu", "eu_lo", "eu_hi", "win_probability", "deterred"]
        pairs = pd.DataFrame([{k: p[k] for k in cols} for p in self.pairs], columns=cols)
        for c in ["eu", "eu_lo", "eu_hi", "win_probability"]:
            pairs[c] = pairs[c].astype("float64")
        return ReportFrames(cond, pairs)

    def eu_matrix(self) -> np.ndarray:
        """``M[i, j]`` = expected utility of state i attacking state j (NaN where no pair)."""
        idx = {s: k for k, s in enumerate(self.states)}
        m = np.full((len(self.states), len(self.states)), np.nan)
        for p in self.pairs:
            if p["eu"] is not None:
                m[idx[p["aggressor"]], idx[p["target"]]] = p["eu"]
        return m

    def plot(self, ax: Any = None) -> Any:
        """The deterrence heatmap (aggressor × target, coloured by EU; blue = deterred) on a
        matplotlib Axes (a new figure when ``ax`` is None). Returns the Axes."""
        plt = _require("matplotlib.pyplot", "Report.plot")
        m = self.eu_matrix()
        if ax is None:
            _, ax = plt.subplots(figsize=(1 + 0.5 * len(self.states), 0.8 + 0.5 * len(self.states)))
        finite = m[np.isfinite(m)]
        lim = float(np.max(np.abs(finite))) if finite.size else 1.0
        im = ax.imshow(m, cmap="RdBu_r", vmin=-lim, vmax=lim)
        ax.set_xticks(range(len(self.states)), self.states, rotation=90)
        ax.set_yticks(range(len(self.states)), self.states)
        ax.set_xlabel("target")
        ax.set_ylabel("aggressor")
        ax.set_title(f"{self.treaty}\nEU of aggression (blue: deterred)")
        ax.figure.colorbar(im, ax=ax, label="EU")
        return ax


class Treaty:
    """A treaty model (the TOML schema of ``models/TEMPLATE.toml``).

    >>> import covenant as cv
    >>> t = cv.Treaty.from_dict({
    ...     "treaty": {"name": "Pact"},
    ...     "states": [{"id": "A", "capability": 0.3}, {"id": "B", "capability": 0.3},
    ...                {"id": "Z", "capability": 0.2, "member": False}],
    ...     "obligations": [{"kind": "defense"}]})
    >>> t.check(["deterrence"]).verdict("deterrence").holds
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
        """Builds a model from a dict with the TOML file's structure."""
        return cls(_native.Treaty.from_json(json.dumps(model), origin))

    @property
    def name(self) -> str:
        return self._t.name

    @property
    def states(self) -> List[str]:
        return self._t.states

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
        resolution: Optional[int] = None,
    ) -> Report:
        """Checks the collective-security conditions (all when ``conditions`` is None).

        ``year``, ``scope`` and ``samples``/``seed`` name the snapshot, the aggressor scope and
        Monte Carlo sampling of the treaty layer's next schema; this build checks the model as
        written, over all aggressors, exactly: other values raise InvalidArgumentError rather
        than being ignored. ``resolution`` is the deterrence DP's capability units.
        """
        if year is not None or scope != "all" or samples != 0:
            raise InvalidArgumentError(
                "invalid argument: this build checks the model as written (year=None), over all "
                "aggressors (scope='all'), exactly (samples=0)"
            )
        text, margins = self._t.check_json(list(conditions or []), resolution)
        raw = json.loads(text)
        verdicts = [
            Verdict(c["id"], bool(c["holds"]), float(m), c.get("witness"), c["detail"])
            for c, m in zip(raw["conditions"], margins)
        ]
        return Report(raw["treaty"], raw["states"], verdicts, raw["pairs"])

    def __repr__(self) -> str:
        return f"Treaty({self.name!r}, {len(self.states)} states)"


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
) -> Dict[str, Any]:
    """One slice of a sweep; module-level so Dask can ship it to workers by name."""
    return _native.sweep_chunk(text, origin, axes, start, stop, conditions, pairs)


def _frame(chunks: List[Dict[str, Any]], pairs: bool) -> Any:
    pd = _require("pandas", "sweep")
    cols: Dict[str, List[Any]] = {"point": []}
    names = [p for p, _ in chunks[0]["parameters"]] if chunks else []
    for n in names:
        cols[n] = []
    rest = ["condition", "scope", "verdict", "margin"] + (
        ["aggressor", "target", "win_probability"] if pairs else []
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
    df.attrs["parameters"] = names
    return df


def sweep(
    model: Union[PathLike, Treaty],
    grid: GridSpec,
    *,
    conditions: Optional[Sequence[str]] = None,
    pairs: bool = False,
    client: Any = None,
    chunks: Optional[int] = None,
) -> Any:
    """Checks a treaty at every point of a parameter grid; returns a pandas DataFrame.

    Args:
        model: a model file or a :class:`Treaty`.
        grid: ``{dotted path: values}``; paths as in ``covenant sweep --set``:
            ``"defaults.reliability"``, ``"states.USA.capability"`` (array elements by id).
            The grid is the Cartesian product, the last path varying fastest.
        conditions: condition ids to check (all when None).
        pairs: add one row per (aggressor, target) deterrence pair.
        client: a ``dask.distributed.Client``; the grid is split into ``chunks`` slices run on
            its workers (the same rows, in the same order, as in-process). None runs in this
            process on all cores.
        chunks: number of slices for ``client`` (default: 4 per worker thread).

    Returns:
        Columns ``point``, one per grid path, ``condition``, ``scope``, ``verdict``,
        ``margin`` (and ``aggressor``, ``target``, ``win_probability`` with ``pairs``).

    >>> import covenant as cv
    >>> df = cv.sweep("models/anzus.toml", {"defaults.reliability": [0.5, 1.0]},
    ...               conditions=["deterrence"])            # doctest: +SKIP
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
    conds = list(conditions or [])
    total = _native.grid_len(axes)
    if client is None:
        return _frame([_run_chunk(text, origin, axes, 0, total, conds, pairs)], pairs)
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
        pure=False,
    )
    return _frame(client.gather(futures), pairs)


def plot_sweep(df: Any, x: Optional[str] = None, ax: Any = None) -> Any:
    """Margin of each condition against a swept parameter (filled markers: holds, hollow:
    fails); ``x`` defaults to the first parameter. Returns the matplotlib Axes."""
    plt = _require("matplotlib.pyplot", "plot_sweep")
    params = df.attrs.get("parameters") or []
    x = x or (params[0] if params else "point")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    rows = df[df["scope"] == "all"]
    for k, (cond, g) in enumerate(rows.groupby("condition", sort=False)):
        g = g.sort_values(x)
        color = f"C{k % 10}"
        ax.plot(g[x], g["margin"], color=color, label=cond)
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
