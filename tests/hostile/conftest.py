"""Fixtures of the hostile-input tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the example project (stacks and Pulumi.yaml) as the working directory."""
    shutil.copytree(REPO / "stacks", tmp_path / "stacks")
    shutil.copy(REPO / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path
