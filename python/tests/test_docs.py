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
