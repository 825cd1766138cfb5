"""`streamplane drift` needs the pulumi CLI: without it, a clear message and exit 1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
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
    assert err.startswith("error: the pulumi CLI is not on PATH: `streamplane drift` runs a refresh-preview")
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


FAKE_PULUMI = """\
#!{python}
# A stand-in for the pulumi CLI, for wiring tests only: it answers the Automation API's calls and
# replays a recorded engine event log (pulumi/pulumi display testdata) into --event-log.
import json, sys
args = [a for a in sys.argv[1:] if a != "--non-interactive"]
with open({calls!r}, "a") as calls:
    calls.write(json.dumps(args) + "\\n")
if args[:1] == ["version"]:
    print("v3.200.0")   # below 3.206: the SDK reads events from a file, not over gRPC
elif args[:1] in (["preview"], ["refresh"]):
    with open({events!r}) as src, open(args[args.index("--event-log") + 1], "a") as log:
        log.write(src.read())
elif args[:1] != ["stack"]:
    sys.exit("unexpected pulumi call: " + " ".join(args))
"""


@pytest.fixture
def fake_pulumi(tmp_path, monkeypatch):
    """A fake `pulumi` on PATH replaying events-up-update.ndjson; returns the calls it received."""
    from test_events import REFERENCE
    calls = tmp_path / "calls.ndjson"
    binary = tmp_path / "bin" / "pulumi"
    binary.parent.mkdir()
    binary.write_text(FAKE_PULUMI.format(python=sys.executable, calls=str(calls),
                                         events=str(REFERENCE / "events-up-update.ndjson")))
    binary.chmod(0o755)
    monkeypatch.setenv("PATH", f"{binary.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.chdir(ROOT)
    return lambda: [json.loads(line) for line in calls.read_text().splitlines()]


def test_drift_runs_a_non_mutating_refresh_preview_and_exits_2_on_drift(fake_pulumi, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["drift", "--stack", "dev"])
    assert exit_.value.code == 2
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ("Plan for stack dev (against cloud (preview --refresh)): 0 to create, 1 to update, "
                                   "0 to replace, 0 to delete, 4 unchanged.")
    assert "~  update  aws:ec2/securityGroup:SecurityGroup  eks-sg" in out
    runs = [c for c in fake_pulumi() if c[0] in ("preview", "refresh", "up", "destroy")]
    assert len(runs) == 1 and runs[0][0] == "preview" and "--refresh" in runs[0]


def test_drift_state_mode_uses_refresh_preview_only(fake_pulumi, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["drift", "--stack", "dev", "--mode", "state", "--format", "json"])
    assert exit_.value.code == 2
    plan = json.loads(capsys.readouterr().out)
    assert plan["summary"] == {"create": 0, "update": 1, "replace": 0, "delete": 0, "same": 4}
    runs = [c for c in fake_pulumi() if c[0] in ("preview", "refresh", "up", "destroy")]
    assert len(runs) == 1 and runs[0][:2] == ["refresh", "--preview-only"]
