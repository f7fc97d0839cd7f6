//! `covenant._covenant`: the native half of the Python package (PyO3).
//!
//! This module converts between Python and the library and nothing more: every function
//! releases the GIL around the solve (`Python::detach`), maps [`covenant::Error`] to the
//! exception classes below with the library's own message (the same text as the CLI's), and
//! returns plain values (numpy arrays, lists, dicts, exact rationals as `"p/q"` strings). The
//! pure-Python layer (`covenant/__init__.py`) turns those into `Equilibrium` objects,
//! `fractions.Fraction`s, DataFrames and plots.

use covenant::coop;
use covenant::game::{Bimatrix, Coalition, NormalForm, TuGame as CoreTuGame, WeightedVoting};
use covenant::noncoop::{self, CeKind, CeObjective, Equilibrium};
use covenant::sweep::{self, Axis, Grid, SweepOptions};
use covenant::treaty::{self, CheckOptions, ConditionId, Scope, Treaty as CoreTreaty};
use covenant::Error;
use num_rational::BigRational;
use numpy::{PyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyFileNotFoundError, PyOSError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFrozenSet, PyList};
use std::path::PathBuf;

create_exception!(
    covenant,
    CovenantError,
    PyException,
    "Base class of every error covenant raises (except OSError for unreadable files)."
);
create_exception!(
    covenant,
    InvalidGameError,
    CovenantError,
    "A game could not be built: empty strategy set, mismatched shapes, non-finite payoff."
);
create_exception!(
    covenant,
    InvalidArgumentError,
    CovenantError,
    "An argument is outside the domain the function accepts."
);
create_exception!(
    covenant,
    ParseError,
    CovenantError,
    "A file could not be parsed; `file`, `line`, `column` name the place."
);
create_exception!(
    covenant,
    ModelError,
    CovenantError,
    "A treaty model names something invalid; `file`, `line`, `field` name the place."
);
create_exception!(
    covenant,
    TooLargeError,
    CovenantError,
    "The request exceeds a documented size limit."
);
create_exception!(
    covenant,
    IterationLimitError,
    CovenantError,
    "An iterative algorithm hit its iteration cap."
);
create_exception!(
    covenant,
    LpError,
    CovenantError,
    "The LP backend failed (not infeasibility: that is a status)."
);
create_exception!(
    covenant,
    NumericalError,
    CovenantError,
    "Numerical trouble, reported rather than hidden."
);
create_exception!(
    covenant,
    UnavailableError,
    CovenantError,
    "The feature is not compiled into this build."
);

/// The library's error as a Python exception carrying the CLI's message; parse and model errors
/// also carry `file`, `line` (and `column` or `field`) as attributes.
fn to_py(e: Error) -> PyErr {
    let msg = e.to_string();
    Python::attach(|py| {
        let err = match &e {
            Error::InvalidGame(_) => InvalidGameError::new_err(msg),
            Error::InvalidArgument(_) => InvalidArgumentError::new_err(msg),
            Error::Parse { .. } => ParseError::new_err(msg),
            Error::Model { .. } => ModelError::new_err(msg),
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                PyFileNotFoundError::new_err(msg)
            }
            Error::Io { .. } => PyOSError::new_err(msg),
            Error::TooLarge(_) => TooLargeError::new_err(msg),
            Error::IterationLimit { .. } => IterationLimitError::new_err(msg),
            Error::Lp { .. } => LpError::new_err(msg),
            Error::Numerical { .. } => NumericalError::new_err(msg),
            Error::Unavailable(_) => UnavailableError::new_err(msg),
            _ => CovenantError::new_err(msg),
        };
        let value = err.value(py);
        let set = |k: &str, v: Bound<'_, PyAny>| {
            // Attributes are a convenience; the message already says everything.
            let _ = value.setattr(k, v);
        };
        match &e {
            Error::Parse {
                file, line, column, ..
            } => {
                set(
                    "file",
                    file.display()
                        .to_string()
                        .into_pyobject(py)
                        .unwrap()
                        .into_any(),
                );
                set("line", line.into_pyobject(py).unwrap().into_any());
                set("column", column.into_pyobject(py).unwrap().into_any());
            }
            Error::Model {
                file, line, field, ..
            } => {
                set(
                    "file",
                    file.display()
                        .to_string()
                        .into_pyobject(py)
                        .unwrap()
                        .into_any(),
                );
                set("line", line.into_pyobject(py).unwrap().into_any());
                set(
                    "field",
                    field.as_str().into_pyobject(py).unwrap().into_any(),
                );
            }
            _ => {}
        }
        err
    })
}

fn invalid(msg: impl Into<String>) -> PyErr {
    to_py(Error::invalid_argument(msg))
}

fn exact_strings(x: &[Vec<BigRational>]) -> Vec<Vec<String>> {
    x.iter()
        .map(|s| s.iter().map(ToString::to_string).collect())
        .collect()
}

fn matrix(a: &PyReadonlyArray2<'_, f64>) -> Vec<Vec<f64>> {
    a.as_array()
        .rows()
        .into_iter()
        .map(|r| r.to_vec())
        .collect()
}

/// A game given by the Python layer: a path, or the two payoff matrices.
#[derive(FromPyObject)]
enum GameArg<'py> {
    Path(PathBuf),
    Pair(PyReadonlyArray2<'py, f64>, PyReadonlyArray2<'py, f64>),
}

fn normal_form(py: Python<'_>, g: GameArg<'_>) -> PyResult<NormalForm> {
    match g {
        GameArg::Path(p) => py.detach(|| covenant::io::read_game(&p)).map_err(to_py),
        GameArg::Pair(a, b) => {
            if a.shape() != b.shape() {
                return Err(to_py(Error::invalid_game(format!(
                    "A is {}x{} but B is {}x{}",
                    a.shape()[0],
                    a.shape()[1],
                    b.shape()[0],
                    b.shape()[1]
                ))));
            }
            NormalForm::from_matrices(&matrix(&a), &matrix(&b)).map_err(to_py)
        }
    }
}

fn two_player(g: &NormalForm, method: &str) -> PyResult<Bimatrix> {
    Bimatrix::try_from(g).map_err(|_| {
        invalid(format!(
            "method `{method}` needs a two-player game; this one has {} players (use method=\"pure\")",
            g.num_players()
        ))
    })
}

fn equilibrium_dict<'py>(py: Python<'py>, e: &Equilibrium) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let strategies: Vec<Bound<'py, PyArray1<f64>>> = e
        .strategies
        .iter()
        .map(|s| PyArray1::from_vec(py, s.clone()))
        .collect();
    d.set_item("strategies", strategies)?;
    d.set_item("payoffs", PyArray1::from_vec(py, e.payoffs.clone()))?;
    d.set_item("regret", e.regret)?;
    d.set_item("exact", e.exact.as_ref().map(|x| exact_strings(x)))?;
    Ok(d)
}

/// Nash equilibria. `method`: "enumerate" (all extreme equilibria, exact), "lemke-howson"
/// (one, from `label`), "lemke-howson-all", "pure", "zero-sum". Returns (equilibria, complete).
#[pyfunction]
#[pyo3(signature = (game, method=None, label=0))]
fn nash<'py>(
    py: Python<'py>,
    game: GameArg<'py>,
    method: Option<&str>,
    label: usize,
) -> PyResult<(Vec<Bound<'py, PyDict>>, bool)> {
    let g = normal_form(py, game)?;
    let method = method.unwrap_or(if g.num_players() == 2 {
        "enumerate"
    } else {
        "pure"
    });
    let (eqs, complete) = match method {
        "pure" => (py.detach(|| noncoop::pure_equilibria(&g)), true),
        "enumerate" => {
            let b = two_player(&g, method)?;
            let e = py.detach(|| noncoop::enumerate_extreme(&b)).map_err(to_py)?;
            (e.equilibria, e.complete)
        }
        "lemke-howson" => {
            let b = two_player(&g, method)?;
            let e = py
                .detach(|| noncoop::lemke_howson(&b, label))
                .map_err(to_py)?;
            (vec![e], false)
        }
        "lemke-howson-all" => {
            let b = two_player(&g, method)?;
            let e = py.detach(|| noncoop::lemke_howson_all(&b)).map_err(to_py)?;
            (e, false)
        }
        "zero-sum" => {
            let b = two_player(&g, method)?;
            let eq = py
                .detach(|| {
                    let z = noncoop::solve_zero_sum(&b)?;
                    Equilibrium::certify(&g, vec![z.row, z.col])
                })
                .map_err(to_py)?;
            (vec![eq], false)
        }
        other => {
            return Err(invalid(format!(
                "unknown method `{other}`: expected enumerate, lemke-howson, lemke-howson-all, pure or zero-sum"
            )))
        }
    };
    let list = eqs
        .iter()
        .map(|e| equilibrium_dict(py, e))
        .collect::<PyResult<Vec<_>>>()?;
    Ok((list, complete))
}

/// The value and optimal strategies of a zero-sum game given by the row player's matrix.
#[pyfunction]
fn zero_sum<'py>(py: Python<'py>, a: PyReadonlyArray2<'py, f64>) -> PyResult<Bound<'py, PyDict>> {
    let rows = matrix(&a);
    let z = py
        .detach(|| {
            let neg: Vec<Vec<f64>> = rows
                .iter()
                .map(|r| r.iter().map(|x| -x).collect())
                .collect();
            let b = Bimatrix::from_rows(&rows, &neg)?;
            noncoop::solve_zero_sum(&b)
        })
        .map_err(to_py)?;
    let d = PyDict::new(py);
    d.set_item("value", z.value)?;
    d.set_item("row", PyArray1::from_vec(py, z.row))?;
    d.set_item("col", PyArray1::from_vec(py, z.col))?;
    d.set_item("row_guarantee", z.row_guarantee)?;
    d.set_item("col_guarantee", z.col_guarantee)?;
    Ok(d)
}

/// Correlated (`kind="correlated"`) or coarse correlated (`"coarse"`) equilibrium maximising
/// `objective`: "welfare", "max:P" or "min:P" (player P's payoff).
#[pyfunction]
#[pyo3(signature = (game, kind="correlated", objective="welfare"))]
fn correlated<'py>(
    py: Python<'py>,
    game: GameArg<'py>,
    kind: &str,
    objective: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let g = normal_form(py, game)?;
    let kind = match kind {
        "correlated" => CeKind::Correlated,
        "coarse" => CeKind::Coarse,
        k => {
            return Err(invalid(format!(
                "unknown kind `{k}`: expected correlated or coarse"
            )))
        }
    };
    let player = |s: &str| {
        s.parse::<usize>().map_err(|_| {
            invalid(format!(
                "objective `{objective}`: `{s}` is not a player index"
            ))
        })
    };
    let objective = match objective.split_once(':') {
        None if objective == "welfare" => CeObjective::Welfare,
        Some(("max", p)) => CeObjective::MaxPlayer(player(p)?),
        Some(("min", p)) => CeObjective::MinPlayer(player(p)?),
        _ => {
            return Err(invalid(format!(
                "unknown objective `{objective}`: expected welfare, max:P or min:P"
            )))
        }
    };
    let ce = py
        .detach(|| noncoop::correlated_equilibrium(&g, kind, objective))
        .map_err(to_py)?;
    // The distribution as a dense array over the game's profiles.
    let shape = g.shape().to_vec();
    let mut dense = vec![0.0; shape.iter().product()];
    for (profile, p) in &ce.distribution {
        let idx = profile
            .iter()
            .zip(&shape)
            .fold(0, |acc, (s, n)| acc * n + s);
        dense[idx] += p;
    }
    let arr = PyArray1::from_vec(py, dense).call_method1("reshape", (shape,))?;
    let d = PyDict::new(py);
    d.set_item("distribution", arr)?;
    d.set_item("payoffs", PyArray1::from_vec(py, ce.payoffs))?;
    d.set_item("objective", ce.objective)?;
    d.set_item("regret", ce.regret)?;
    Ok(d)
}

/// Iterated elimination of strictly dominated strategies; `kept[p]` lists player p's survivors.
#[pyfunction]
fn dominance<'py>(py: Python<'py>, game: GameArg<'py>) -> PyResult<Bound<'py, PyDict>> {
    let g = normal_form(py, game)?;
    let dom = py
        .detach(|| noncoop::iterated_strict_dominance(&g))
        .map_err(to_py)?;
    let d = PyDict::new(py);
    d.set_item("kept", dom.kept)?;
    let trace = PyList::empty(py);
    for e in &dom.trace {
        let t = PyDict::new(py);
        t.set_item("round", e.round)?;
        t.set_item("player", e.player)?;
        t.set_item("strategy", e.strategy)?;
        t.set_item("dominated_by", e.dominated_by.clone())?;
        t.set_item("margin", e.margin)?;
        trace.append(t)?;
    }
    d.set_item("trace", trace)?;
    Ok(d)
}

/// Stackelberg commitment: the leader's optimal mixed strategy (leader 0 = row player).
#[pyfunction]
#[pyo3(signature = (game, leader=0))]
fn stackelberg<'py>(
    py: Python<'py>,
    game: GameArg<'py>,
    leader: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let g = normal_form(py, game)?;
    let b = two_player(&g, "stackelberg")?;
    let s = py
        .detach(|| noncoop::stackelberg(&b, leader))
        .map_err(to_py)?;
    let d = PyDict::new(py);
    d.set_item("leader", s.leader)?;
    d.set_item("leader_strategy", PyArray1::from_vec(py, s.leader_strategy))?;
    d.set_item("follower_action", s.follower_action)?;
    d.set_item("leader_payoff", s.leader_payoff)?;
    d.set_item("follower_payoff", s.follower_payoff)?;
    d.set_item("follower_regret", s.follower_regret)?;
    Ok(d)
}

/// Power indices of the weighted voting game `[quota; weights]`: (values, exact "p/q" strings).
#[pyfunction]
#[pyo3(signature = (quota, weights, index="shapley-shubik"))]
fn power(
    py: Python<'_>,
    quota: u64,
    weights: Vec<u64>,
    index: &str,
) -> PyResult<(Vec<f64>, Vec<String>)> {
    let g = WeightedVoting::new(weights, quota).map_err(to_py)?;
    // The counting solvers always return the exact form; an index without one has no strings.
    let split = |p: coop::PowerIndex| {
        let exact = p
            .exact
            .iter()
            .flatten()
            .map(ToString::to_string)
            .collect::<Vec<_>>();
        (p.values, exact)
    };
    match index {
        "shapley-shubik" => {
            let p = py.detach(|| coop::shapley_shubik(&g)).map_err(to_py)?;
            Ok(split(p))
        }
        "banzhaf" => {
            let p = py.detach(|| coop::banzhaf_power(&g)).map_err(to_py)?;
            Ok(split(p.normalized))
        }
        "banzhaf-absolute" => {
            let p = py.detach(|| coop::banzhaf_power(&g)).map_err(to_py)?;
            Ok(split(p.absolute))
        }
        other => Err(invalid(format!(
            "unknown index `{other}`: expected shapley-shubik, banzhaf or banzhaf-absolute"
        ))),
    }
}

/// A coalitional game with transferable utility.
///
/// `TuGame(v)` takes the values indexed by coalition bitmask (`v[0b101]` is the value of
/// players {0, 2}; `len(v) == 2**n`, `v[0] == 0`). `TuGame(f, n=3)` calls `f(frozenset)` once
/// per non-empty coalition of players `0..n`.
#[pyclass(module = "covenant._covenant", frozen)]
struct TuGame {
    g: CoreTuGame,
}

fn coalition_tuple(c: Coalition) -> Vec<usize> {
    c.members().collect()
}

#[pymethods]
impl TuGame {
    #[new]
    #[pyo3(signature = (v, n=None, players=None))]
    fn new(v: &Bound<'_, PyAny>, n: Option<usize>, players: Option<Vec<String>>) -> PyResult<Self> {
        let g = if v.is_callable() {
            let n = n.ok_or_else(|| {
                invalid("TuGame(f) needs the number of players: TuGame(f, n=...)")
            })?;
            if n == 0 || n > 30 {
                return Err(to_py(if n == 0 {
                    Error::invalid_game("a TU game needs at least one player")
                } else {
                    Error::TooLarge(format!(
                        "a dense TU game of {n} players needs 2^{n} values; the limit is 30"
                    ))
                }));
            }
            let py = v.py();
            let mut values = vec![0.0; 1usize << n];
            for (m, slot) in values.iter_mut().enumerate().skip(1) {
                let members = coalition_tuple(Coalition(m as u64));
                let s = PyFrozenSet::new(py, &members)?;
                *slot = v.call1((s,))?.extract::<f64>()?;
            }
            CoreTuGame::new(n, values).map_err(to_py)?
        } else {
            let values: Vec<f64> = v.extract()?;
            let len = values.len();
            if len == 0 || !len.is_power_of_two() {
                return Err(to_py(Error::invalid_game(format!(
                    "the value table must have 2^n entries (indexed by coalition bitmask), got {len}"
                ))));
            }
            let bits = len.trailing_zeros() as usize;
            if let Some(n) = n {
                if n != bits {
                    return Err(to_py(Error::invalid_game(format!(
                        "n = {n} but the table has {len} = 2^{bits} entries"
                    ))));
                }
            }
            CoreTuGame::new(bits, values).map_err(to_py)?
        };
        let g = match players {
            Some(p) => g.with_players(p).map_err(to_py)?,
            None => g,
        };
        Ok(TuGame { g })
    }

    /// Number of players.
    #[getter]
    fn n(&self) -> usize {
        use covenant::game::CoalitionalGame;
        self.g.num_players()
    }

    /// The value table by bitmask (numpy float64).
    #[getter]
    fn values<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_vec(py, self.g.values().to_vec())
    }

    /// Player names, if given.
    #[getter]
    fn players(&self) -> Option<Vec<String>> {
        self.g.players().map(<[String]>::to_vec)
    }

    /// Shapley value (numpy float64).
    fn shapley<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let v = py.detach(|| coop::shapley(&self.g)).map_err(to_py)?;
        Ok(PyArray1::from_vec(py, v))
    }

    /// Banzhaf value (raw, or normalised to sum to v(N) with `normalized=True`).
    #[pyo3(signature = (normalized=false))]
    fn banzhaf<'py>(
        &self,
        py: Python<'py>,
        normalized: bool,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let v = if normalized {
            py.detach(|| coop::banzhaf_normalized(&self.g))
                .map_err(to_py)?
        } else {
            py.detach(|| coop::banzhaf(&self.g)).map_err(to_py)?
        };
        Ok(PyArray1::from_vec(py, v))
    }

    /// Nucleolus (Schmeidler 1969) over imputations (numpy float64).
    fn nucleolus<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let nu = py.detach(|| coop::nucleolus(&self.g)).map_err(to_py)?;
        Ok(PyArray1::from_vec(py, nu.allocation))
    }

    /// Prenucleolus over preimputations (numpy float64).
    fn prenucleolus<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let nu = py.detach(|| coop::prenucleolus(&self.g)).map_err(to_py)?;
        Ok(PyArray1::from_vec(py, nu.allocation))
    }

    /// Is the core non-empty? Returns (nonempty, a core point or None).
    fn core<'py>(&self, py: Python<'py>) -> PyResult<(bool, Option<Bound<'py, PyArray1<f64>>>)> {
        let c = py.detach(|| coop::core_nonempty(&self.g)).map_err(to_py)?;
        Ok((c.nonempty, c.point.map(|p| PyArray1::from_vec(py, p))))
    }

    /// Is `x` in the core? Returns (in_core, efficiency gap, most violated coalition or None,
    /// its excess).
    fn in_core(
        &self,
        py: Python<'_>,
        x: Vec<f64>,
    ) -> PyResult<(bool, f64, Option<Vec<usize>>, f64)> {
        let c = py.detach(|| coop::core_check(&self.g, &x)).map_err(to_py)?;
        let (coal, excess) = match c.most_violated {
            Some((s, e)) => (Some(coalition_tuple(s)), e),
            None => (None, 0.0),
        };
        Ok((c.in_core, c.efficiency_gap, coal, excess))
    }

    /// Least core: (epsilon, allocation); `domain` "imputations" or "preimputations".
    #[pyo3(signature = (domain="preimputations"))]
    fn least_core<'py>(
        &self,
        py: Python<'py>,
        domain: &str,
    ) -> PyResult<(f64, Bound<'py, PyArray1<f64>>)> {
        let domain = match domain {
            "imputations" => coop::Domain::Imputations,
            "preimputations" => coop::Domain::Preimputations,
            d => {
                return Err(invalid(format!(
                    "unknown domain `{d}`: expected imputations or preimputations"
                )))
            }
        };
        let lc = py
            .detach(|| coop::least_core(&self.g, domain))
            .map_err(to_py)?;
        Ok((lc.epsilon, PyArray1::from_vec(py, lc.allocation)))
    }

    /// The welfare-maximising coalition structure: (parts as lists of players, total value).
    fn optimal_structure(&self, py: Python<'_>) -> PyResult<(Vec<Vec<usize>>, f64)> {
        let s = py
            .detach(|| coop::optimal_coalition_structure(&self.g))
            .map_err(to_py)?;
        Ok((s.parts.into_iter().map(coalition_tuple).collect(), s.value))
    }

    /// The optimal structure and its core: (parts, value, core nonempty, allocation or None,
    /// epsilon).
    #[allow(clippy::type_complexity)]
    fn stable_structure<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(
        Vec<Vec<usize>>,
        f64,
        bool,
        Option<Bound<'py, PyArray1<f64>>>,
        f64,
    )> {
        let s = py
            .detach(|| coop::stable_structure(&self.g))
            .map_err(to_py)?;
        Ok((
            s.structure.parts.into_iter().map(coalition_tuple).collect(),
            s.structure.value,
            s.core.nonempty,
            s.core.allocation.map(|a| PyArray1::from_vec(py, a)),
            s.core.epsilon,
        ))
    }

    fn __repr__(&self) -> String {
        format!("TuGame(n={})", self.n())
    }
}

/// A cooperative game file (`.json`): a TuGame, or ("voting", quota, weights) is not exposed;
/// TU games only.
#[pyfunction]
fn read_tu_game(py: Python<'_>, path: PathBuf) -> PyResult<TuGame> {
    match py
        .detach(|| covenant::io::read_coop(&path))
        .map_err(to_py)?
    {
        covenant::io::CoopInput::Tu(g) => Ok(TuGame { g }),
        covenant::io::CoopInput::Voting(_) => Err(invalid(format!(
            "{}: a weighted voting game; use covenant.power(quota, weights)",
            path.display()
        ))),
        #[allow(unreachable_patterns)]
        _ => Err(invalid(format!("{}: not a TU game", path.display()))),
    }
}

/// A treaty model, loaded and validated.
#[pyclass(module = "covenant._covenant", frozen)]
struct Treaty {
    t: CoreTreaty,
    text: String,
    origin: PathBuf,
}

#[pymethods]
impl Treaty {
    /// Loads a model file (TOML).
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Treaty> {
        let text = py
            .detach(|| {
                std::fs::read_to_string(&path).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })
            })
            .map_err(to_py)?;
        Treaty::from_toml(py, text, path)
    }

    /// Parses model text (TOML); `origin` names it in error messages.
    #[staticmethod]
    #[pyo3(signature = (text, origin=PathBuf::from("<dict>")))]
    fn from_toml(py: Python<'_>, text: String, origin: PathBuf) -> PyResult<Treaty> {
        let t = py
            .detach(|| treaty::parse_treaty(&text, &origin))
            .map_err(to_py)?;
        Ok(Treaty { t, text, origin })
    }

    /// Builds a model from the JSON text of a dict with the TOML file's structure.
    #[staticmethod]
    #[pyo3(signature = (json, origin=PathBuf::from("<dict>")))]
    fn from_json(py: Python<'_>, json: &str, origin: PathBuf) -> PyResult<Treaty> {
        let v: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| invalid(format!("the treaty dict is not JSON-serialisable: {e}")))?;
        let table: toml::Table = toml::Value::try_from(v)
            .ok()
            .and_then(|v| v.as_table().cloned())
            .ok_or_else(|| invalid("a treaty dict must map section names to tables"))?;
        let text = toml::to_string(&table)
            .map_err(|e| invalid(format!("the treaty dict cannot be written as TOML: {e}")))?;
        Treaty::from_toml(py, text, origin)
    }

    /// The treaty's name.
    #[getter]
    fn name(&self) -> String {
        self.t.name.clone()
    }

    /// State ids in model order.
    #[getter]
    fn states(&self) -> Vec<String> {
        self.t.states.iter().map(|s| s.id.clone()).collect()
    }

    /// The model's TOML text (what `sweep` edits).
    #[getter]
    fn text(&self) -> String {
        self.text.clone()
    }

    /// The file the model came from.
    #[getter]
    fn origin(&self) -> PathBuf {
        self.origin.clone()
    }

    /// The snapshot years, ascending.
    #[getter]
    fn years(&self) -> Vec<i32> {
        self.t.years()
    }

    /// Checks the conditions (all when empty) of one snapshot (`year`; None: the latest) for
    /// `scope` ("external", "internal" or "all"), with `samples` Monte Carlo draws under the
    /// model's prior (`seed`). Returns the report as JSON text (the library's `Report` with its
    /// pair table, plus "states": the model's state ids in order).
    #[pyo3(signature = (conditions=Vec::new(), year=None, scope="all", samples=0, seed=0))]
    fn check_json(
        &self,
        py: Python<'_>,
        conditions: Vec<String>,
        year: Option<i32>,
        scope: &str,
        samples: usize,
        seed: u64,
    ) -> PyResult<String> {
        let opts = CheckOptions {
            year,
            scope: scope_of(scope)?,
            conditions: condition_ids(&conditions)?,
            pairs: true,
            samples,
            seed,
        };
        py.detach(|| {
            let report = treaty::check(&self.t, &opts)?;
            let mut v = serde_json::to_value(&report).map_err(|e| Error::Numerical {
                context: "report",
                message: e.to_string(),
            })?;
            let ids: Vec<&str> = self.t.states.iter().map(|s| s.id.as_str()).collect();
            v["states"] = serde_json::json!(ids);
            Ok::<_, Error>(v.to_string())
        })
        .map_err(to_py)
    }

    fn __repr__(&self) -> String {
        format!("Treaty({:?}, {} states)", self.t.name, self.t.states.len())
    }
}

/// `"external"`, `"internal"` or `"all"` (both scopes).
fn scope_of(scope: &str) -> PyResult<Option<Scope>> {
    match scope {
        "all" => Ok(None),
        "external" => Ok(Some(Scope::External)),
        "internal" => Ok(Some(Scope::Internal)),
        other => Err(invalid(format!(
            "unknown scope `{other}`: expected external, internal or all"
        ))),
    }
}

fn condition_ids(conditions: &[String]) -> PyResult<Vec<ConditionId>> {
    conditions
        .iter()
        .map(|c| ConditionId::parse(c).map_err(invalid))
        .collect()
}

fn toml_value(v: &Bound<'_, PyAny>, path: &str) -> PyResult<toml::Value> {
    if let Ok(b) = v.extract::<bool>() {
        return Ok(toml::Value::Boolean(b));
    }
    if let Ok(i) = v.extract::<i64>() {
        if v.is_instance_of::<pyo3::types::PyInt>() {
            return Ok(toml::Value::Integer(i));
        }
    }
    if let Ok(x) = v.extract::<f64>() {
        if !x.is_finite() {
            return Err(invalid(format!(
                "sweep parameter `{path}`: value {x} is not finite"
            )));
        }
        return Ok(toml::Value::Float(x));
    }
    if let Ok(s) = v.extract::<String>() {
        return Ok(toml::Value::String(s));
    }
    Err(invalid(format!(
        "sweep parameter `{path}`: values must be numbers, booleans or strings, got {}",
        v.get_type().name()?
    )))
}

fn grid_of(axes: &Bound<'_, PyList>) -> PyResult<Grid> {
    let mut out = Vec::new();
    for item in axes.iter() {
        let (path, values): (String, Bound<'_, PyList>) = item.extract()?;
        let vals = values
            .iter()
            .map(|v| toml_value(&v, &path))
            .collect::<PyResult<Vec<_>>>()?;
        out.push(Axis::new(path, vals).map_err(to_py)?);
    }
    Grid::new(out).map_err(to_py)
}

/// Number of points of a grid given as [(path, [values…]), …].
#[pyfunction]
fn grid_len(axes: &Bound<'_, PyList>) -> PyResult<usize> {
    Ok(grid_of(axes)?.len())
}

/// Runs points `start..stop` of a sweep over model text, checking `conditions` (all when
/// empty) of snapshot `year` (None: the latest) for `scope`, with one row per attack scenario
/// when `pairs` and `samples` Monte Carlo draws per point (point `k` seeded with
/// `point_seed(seed, k)`); returns the rows column by column.
#[pyfunction]
#[pyo3(signature = (text, origin, axes, start, stop, conditions=Vec::new(), pairs=false, year=None, scope="all", samples=0, seed=0))]
#[allow(clippy::too_many_arguments)]
fn sweep_chunk<'py>(
    py: Python<'py>,
    text: String,
    origin: PathBuf,
    axes: &Bound<'py, PyList>,
    start: usize,
    stop: usize,
    conditions: Vec<String>,
    pairs: bool,
    year: Option<i32>,
    scope: &str,
    samples: usize,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let grid = grid_of(axes)?;
    let opts = SweepOptions {
        check: CheckOptions {
            year,
            scope: scope_of(scope)?,
            conditions: condition_ids(&conditions)?,
            pairs,
            samples,
            seed,
        },
    };
    let rows = py
        .detach(|| sweep::sweep_text(&text, &origin, &grid, start..stop, &opts))
        .map_err(to_py)?;
    let d = PyDict::new(py);
    d.set_item("point", rows.iter().map(|r| r.point).collect::<Vec<_>>())?;
    let params = PyList::empty(py);
    for (k, a) in grid.axes().iter().enumerate() {
        let col = PyList::empty(py);
        for r in &rows {
            match &r.parameters[k] {
                toml::Value::Float(x) => col.append(*x)?,
                toml::Value::Integer(i) => col.append(*i)?,
                toml::Value::Boolean(b) => col.append(*b)?,
                toml::Value::String(s) => col.append(s)?,
                other => col.append(other.to_string())?,
            }
        }
        params.append((a.path.clone(), col))?;
    }
    d.set_item("parameters", params)?;
    d.set_item(
        "condition",
        rows.iter().map(|r| r.condition.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "scope",
        rows.iter().map(|r| r.scope.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "verdict",
        rows.iter().map(|r| r.verdict.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item("margin", rows.iter().map(|r| r.margin).collect::<Vec<_>>())?;
    if pairs {
        d.set_item(
            "aggressor",
            rows.iter().map(|r| r.aggressor.clone()).collect::<Vec<_>>(),
        )?;
        d.set_item(
            "target",
            rows.iter().map(|r| r.target.clone()).collect::<Vec<_>>(),
        )?;
        d.set_item(
            "win_probability",
            rows.iter().map(|r| r.win_probability).collect::<Vec<_>>(),
        )?;
    }
    if samples > 0 {
        d.set_item(
            "probability",
            rows.iter().map(|r| r.probability).collect::<Vec<_>>(),
        )?;
        if pairs {
            d.set_item(
                "p_deterred",
                rows.iter().map(|r| r.p_deterred).collect::<Vec<_>>(),
            )?;
        }
        d.set_item("seed", rows.iter().map(|r| r.seed).collect::<Vec<_>>())?;
    }
    Ok(d)
}

#[pymodule]
fn _covenant(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("CovenantError", py.get_type::<CovenantError>())?;
    m.add("InvalidGameError", py.get_type::<InvalidGameError>())?;
    m.add(
        "InvalidArgumentError",
        py.get_type::<InvalidArgumentError>(),
    )?;
    m.add("ParseError", py.get_type::<ParseError>())?;
    m.add("ModelError", py.get_type::<ModelError>())?;
    m.add("TooLargeError", py.get_type::<TooLargeError>())?;
    m.add("IterationLimitError", py.get_type::<IterationLimitError>())?;
    m.add("LpError", py.get_type::<LpError>())?;
    m.add("NumericalError", py.get_type::<NumericalError>())?;
    m.add("UnavailableError", py.get_type::<UnavailableError>())?;
    m.add_function(wrap_pyfunction!(nash, m)?)?;
    m.add_function(wrap_pyfunction!(zero_sum, m)?)?;
    m.add_function(wrap_pyfunction!(correlated, m)?)?;
    m.add_function(wrap_pyfunction!(dominance, m)?)?;
    m.add_function(wrap_pyfunction!(stackelberg, m)?)?;
    m.add_function(wrap_pyfunction!(power, m)?)?;
    m.add_function(wrap_pyfunction!(read_tu_game, m)?)?;
    m.add_function(wrap_pyfunction!(grid_len, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_chunk, m)?)?;
    m.add_class::<TuGame>()?;
    m.add_class::<Treaty>()?;
    Ok(())
}
