"""Druid fixtures: spec folders built from the fixtures, loaded through the product path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from streamplane.checks import load_layers
from streamplane.errors import SpecError
from tests.druid.helpers import BASELINE, KAFKA_FIXTURES, describe


@pytest.fixture
def spec_dir(tmp_path):
    """A spec folder with the Kafka fixtures and a druid.yaml (the baseline, or the text given)."""
    def make(text: str = BASELINE, extra: str | None = None) -> Path:
        folder = tmp_path / "spec"
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(KAFKA_FIXTURES, folder)
        (folder / "druid.yaml").write_text(text, encoding="utf-8")
        if extra:
            (folder / "extra.yaml").write_text(extra, encoding="utf-8")
        return folder
    return make


@pytest.fixture
def problems_of(spec_dir):
    """Every error of a druid.yaml text (empty if it loads), described with file:line:col."""
    def run(text: str = BASELINE, extra: str | None = None) -> list[str]:
        try:
            load_layers([spec_dir(text, extra)], "dev")
        except SpecError as err:
            return [describe(p) for p in err.problems if p.level == "error"]
        return []
    return run


@pytest.fixture
def warnings_of(spec_dir):
    def run(text: str = BASELINE) -> list[str]:
        return [describe(p) for p in load_layers([spec_dir(text)], "dev").warnings]
    return run


@pytest.fixture
def baseline_spec(spec_dir):
    """The PlatformSpec of the baseline (or of a given druid.yaml text)."""
    def run(text: str = BASELINE):
        return load_layers([spec_dir(text)], "dev").spec
    return run
