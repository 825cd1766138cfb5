"""Fixtures: a git repository with the stacks (and Flink specs), and an in-process CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from promote_fixtures import FLINK_BASE, FLINK_DEV, FLINK_PROD, FLINK_STAGING, make_repo

from streamplane.cli import main


@pytest.fixture
def flink_repo(tmp_path, monkeypatch) -> Path:
    """Stacks with Flink jobs and a route (kinds this build may not know: YAML edits only)."""
    repo = make_repo(tmp_path, {"stacks/base/flink-jobs.yaml": FLINK_BASE, "stacks/dev/flink-jobs.yaml": FLINK_DEV,
                                "stacks/staging/flink-jobs.yaml": FLINK_STAGING, "stacks/prod/flink-jobs.yaml": FLINK_PROD})
    monkeypatch.chdir(repo)
    return repo


@pytest.fixture
def store_repo(tmp_path, monkeypatch) -> Path:
    """The real stacks (known kinds only), so promotion can validate and plan TO."""
    repo = make_repo(tmp_path, {})
    monkeypatch.chdir(repo)
    return repo


@pytest.fixture
def run(capsys):
    """Run the CLI in-process: (exit code, stdout, stderr)."""
    def _run(*args: str) -> tuple[int, str, str]:
        try:
            main(list(args))
            code = 0
        except SystemExit as exit_:
            code = exit_.code or 0
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return _run
