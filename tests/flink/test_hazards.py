"""Hazards of FlinkDeployment changes, computed from the bodies the component emits."""

from __future__ import annotations

from components.flink.hazards import RESTART, STATE_DROPPED, deletion_hazard, deployment_hazards

from .test_deployment import body, declared


def codes(before: dict, after: dict) -> list[str]:
    return [h.code for h in deployment_hazards(before, after)]


def test_no_change_no_hazard():
    assert deployment_hazards(body(declared()), body(declared())) == []


def test_image_change_is_a_restart():
    [hazard] = deployment_hazards(body(declared()), body(declared(image="img:2")))
    assert hazard.code == RESTART
    assert hazard.message == "sessions: the job restarts and restores per upgradeMode savepoint."


def test_max_parallelism_change_drops_state():
    [hazard] = deployment_hazards(body(declared(maxParallelism=128)), body(declared(maxParallelism=256)))
    assert hazard.code == STATE_DROPPED
    assert hazard.message == ("sessions: maxParallelism changes from 128 to 256: existing keyed state cannot be "
                              "restored into other key groups.")


def test_start_fresh_drops_state():
    assert codes(body(declared()), body(declared(onRedeploy="start-fresh"))) == [STATE_DROPPED]


def test_moving_the_store_drops_state():
    assert codes(body(declared()), body(declared(), bucket="other-bucket")) == [STATE_DROPPED]


def test_rewind_is_flagged_and_allow_non_restored_state_too():
    path = "s3://acme-dev-flink-state/jobs/sessions/savepoints/sp-1"
    after = body(declared(restore={"savepoint": path, "nonce": 2, "allowNonRestoredState": True}))
    assert codes(body(declared()), after) == [STATE_DROPPED, STATE_DROPPED]


def test_deletion_keeps_a_final_savepoint_when_the_job_has_a_store():
    assert deletion_hazard(body(declared())).message == (
        "sessions: the FlinkDeployment is deleted, with its status and checkpoint history; a final savepoint is "
        "written to s3://acme-dev-flink-state/jobs/sessions/savepoints, restore it with restore.savepoint.")
    stateless = body(declared(state="stateless", checkpointStore=None), bucket=None)
    assert deletion_hazard(stateless).message.endswith("no savepoint is taken: its state is lost.")
