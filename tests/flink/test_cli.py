"""Acceptance through the CLI: invalid Flink jobs exit 1 with file:line and the exact message."""

from __future__ import annotations

import pytest

from streamplane.cli import main

from .conftest import STATEFUL_JOB, STORE, write_specs


def run(capsys, *args) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    return exit_info.value.code, capsys.readouterr().err


def test_validate_rejects_last_state_with_ha_disabled(tmp_path, capsys):
    folder = write_specs(tmp_path / "dev", {"stores.yaml": STORE,
                                            "jobs.yaml": STATEFUL_JOB + "  upgradeMode: last-state\n  highAvailability: false\n"})
    code, err = run(capsys, "validate", "--spec", str(folder))
    assert code == 1
    assert err.splitlines() == [
        f"{folder}/jobs.yaml:11:3: /spec/upgradeMode: upgradeMode last-state needs high availability (the operator: "
        "\"Job could not be upgraded with last-state while HA disabled\"), but highAvailability is false. Enable "
        "highAvailability (with a checkpointStore) or use upgradeMode: savepoint.",
        "1 error(s); nothing was written."]


def test_synth_rejects_a_stateful_job_without_store(tmp_path, capsys):
    folder = write_specs(tmp_path / "dev", {"jobs.yaml": STATEFUL_JOB.replace("  checkpointStore: flink-state\n", "")})
    code, err = run(capsys, "synth", "--spec", str(folder))
    assert code == 1
    assert err.splitlines()[0] == (
        f"{folder}/jobs.yaml:4:1: /spec/checkpointStore: a stateful job needs a checkpointStore for its checkpoints, "
        "savepoints and HA metadata, none is set. Add checkpointStore: <name> (declared: none).")
