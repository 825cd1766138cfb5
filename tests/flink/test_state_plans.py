"""From spec to plan: a stateful job's state survives every spec change or the plan blocks.

Each scenario writes a base and a head spec tree, synthesizes both through the product path and plans
head against base, as `streamplane plan --base-spec` does.
"""

from __future__ import annotations

from pathlib import Path

from streamplane.checks import load_layers
from streamplane.plan.pipeline import make_plan

from .conftest import STATEFUL_JOB, STORE, synth, write_specs

FLINK = "kubernetes:flink.apache.org/v1beta1:FlinkDeployment"
SAVEPOINT = "s3://acme-dev-flink-state/jobs/sessions/savepoints/savepoint-7a7a"


def plan(tmp_path: Path, base_job: str, head_job: str):
    base = write_specs(tmp_path / "base", {"stores.yaml": STORE, "jobs.yaml": base_job})
    head = write_specs(tmp_path / "head", {"stores.yaml": STORE, "jobs.yaml": head_job})
    return make_plan("dev", "base", synth([head]), synth([base]), load_layers([head], "dev").spec,
                     load_layers([base], "dev").spec)


def flink_changes(result) -> list:
    return [c for c in result.changes if c.type == FLINK]


def codes(change) -> list[tuple[str, str]]:
    return [(r.level, r.code) for r in change.risks]


def restore(nonce: int, phase: str | None = None) -> str:
    text = f"  restore:\n    savepoint: {SAVEPOINT}\n    nonce: {nonce}\n"
    return text + (f"    phase: {phase}\n" if phase else "")


def test_rewind_in_one_step_is_blocked(tmp_path):
    result = plan(tmp_path, STATEFUL_JOB, STATEFUL_JOB + restore(1))
    [change] = flink_changes(result)
    assert codes(change) == [("block", "flink.rewind-unsaved"), ("warn", "flink.restart")]
    assert result.blocked


def test_rewind_in_two_steps_saves_the_current_state_first(tmp_path):
    step_one = plan(tmp_path / "one", STATEFUL_JOB, STATEFUL_JOB + restore(1, "save-current"))
    [change] = flink_changes(step_one)
    assert (change.action, codes(change)) == ("update", [])
    assert change.paths == ["spec.job.initialSavepointPath", "spec.job.savepointTriggerNonce"]
    step_two = plan(tmp_path / "two", STATEFUL_JOB + restore(1, "save-current"), STATEFUL_JOB + restore(1))
    [change] = flink_changes(step_two)
    assert codes(change) == [("warn", "flink.restart")]
    assert any(n.startswith(f"Flink operator: rewind to {SAVEPOINT}; the state it discards was saved first")
               for n in change.notes)
    assert not step_two.blocked


def test_a_restore_left_after_it_was_applied_is_flagged(tmp_path):
    result = plan(tmp_path, STATEFUL_JOB + restore(1), STATEFUL_JOB.replace("parallelism: 4", "parallelism: 8")
                  + restore(1))
    [change] = flink_changes(result)
    assert codes(change) == [("warn", "flink.restore-stale"), ("warn", "flink.restart")]


def test_owner_change_of_a_stateful_job_is_blocked_without_a_migration(tmp_path):
    moved = STATEFUL_JOB.replace("owner: playback", "owner: search")
    result = plan(tmp_path, STATEFUL_JOB, moved)
    replaced = [c for c in flink_changes(result) if c.action == "replace"]
    assert [codes(c)[0] for c in replaced] == [("block", "flink.state-replaced")]
    assert result.blocked


def test_owner_change_with_a_declared_migration_is_delete_first_from_the_savepoint(tmp_path):
    moved = STATEFUL_JOB.replace("owner: playback", "owner: search") + f"  migrateFrom: {{savepoint: {SAVEPOINT}}}\n"
    result = plan(tmp_path, STATEFUL_JOB, moved)
    [change] = [c for c in flink_changes(result) if c.action == "replace"]
    assert change.delete_first
    assert codes(change) == []
    assert f"then the new one starts from {SAVEPOINT}" in " ".join(change.notes)
    assert not result.blocked


def test_rename_of_a_stateful_job_is_blocked_without_a_migration(tmp_path):
    renamed = STATEFUL_JOB.replace("name: sessions", "name: sessions-v2")
    result = plan(tmp_path, STATEFUL_JOB, renamed)
    deleted = [c for c in flink_changes(result) if c.action == "delete"]
    assert [codes(c)[0] for c in deleted] == [("block", "flink.state-replaced")]
    assert result.blocked
