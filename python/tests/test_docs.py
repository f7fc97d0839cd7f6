"""The docstring examples of the package are true (run as doctests from the repository root)."""

import doctest

import covenant as cv
from covenant import _covenant


def test_docstring_examples_pass(models, monkeypatch):
    monkeypatch.chdir(models.parent)
    for mod in (cv,):
        failed, tried = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert tried >= 8 and failed == 0


def test_every_public_name_has_a_docstring():
    for name in cv.__all__:
        assert getattr(cv, name).__doc__, name
    assert _covenant.TuGame.nucleolus.__doc__


def test_readme_python_example_runs_and_prints_what_its_comments_say(models, monkeypatch, capsys):
    """The README's Python section: its first example block runs from the repository root and
    prints the values its comments state."""
    import re

    mpl = __import__("pytest").importorskip("matplotlib")
    __import__("pytest").importorskip("pandas")
    mpl.use("Agg")
    readme = (models.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Python") :]
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    monkeypatch.chdir(models.parent)
    exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert "Fraction(3, 5), Fraction(2, 5)" in out[0]
    assert out[1] == "[50. 75. 75.]"
    assert out[2] == "421/2145"
