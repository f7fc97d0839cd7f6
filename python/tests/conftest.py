"""Shared paths: the repository's models/ and the vendored reference data in tests/data/."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def models() -> Path:
    return MODELS


@pytest.fixture
def data() -> Path:
    return DATA
