"""`streamplane drift` needs the pulumi CLI: without it, a clear message and exit 1."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from streamplane.cli import main
from streamplane.drift import detect

ROOT = Path(__file__).resolve().parents[2]


def test_drift_without_the_pulumi_cli_exits_1_with_a_clear_message(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))   # an empty folder: no pulumi binary
    with pytest.raises(SystemExit) as exit_:
        main(["drift", "--stack", "dev"])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: the pulumi CLI is not on PATH: `streamplane drift` runs a refresh-preview")
    assert "Traceback" not in err


def test_drift_requires_a_stack(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["drift"])
    assert exit_.value.code == 1
    assert "Missing option '--stack'" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("pulumi") is None, reason="needs the pulumi CLI (not installed here)")
def test_state_drift_of_an_empty_stack_on_a_local_backend_is_none(tmp_path, monkeypatch):
    monkeypatch.setenv("PULUMI_BACKEND_URL", f"file://{tmp_path}")
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "test")
    monkeypatch.setenv("PULUMI_SKIP_UPDATE_CHECK", "true")
    project = tmp_path / "project"
    shutil.copytree(ROOT / "stacks", project / "stacks")
    shutil.copy(ROOT / "Pulumi.yaml", project / "Pulumi.yaml")
    subprocess.run(["pulumi", "stack", "init", "dev", "--non-interactive"], cwd=project, check=True,
                   env=os.environ.copy(), capture_output=True)
    plan = detect("dev", project, mode="state")
    assert plan.pending() == []
