"""Flink state through rewinds and restores: savepoint first, one-shot restores, scoped allowNonRestoredState."""

from __future__ import annotations

from tests.plan.builders import codes, flink_deployment, only, plan_of

FLINK = "kubernetes:flink.apache.org/v1beta1:FlinkDeployment"
OLD = "s3://acme-dev-flink-state/jobs/sessions/savepoints/savepoint-0a1b2c"


def rewind(nonce: int, saved: int | None = None, **extra) -> dict:
    job = {"initialSavepointPath": OLD, "savepointRedeployNonce": nonce, **extra}
    if saved is not None:
        job["savepointTriggerNonce"] = saved
    return job


def save_current(nonce: int) -> dict:
    return {"initialSavepointPath": OLD, "savepointTriggerNonce": nonce}


def test_rewind_without_a_savepoint_of_the_current_state_is_blocked():
    plan = plan_of([lambda: flink_deployment("sessions")],
                   [lambda: flink_deployment("sessions", job_extra=rewind(1, saved=1))])
    change = only(plan, FLINK)
    assert codes(change) == [("block", "flink.rewind-unsaved"), ("warn", "flink.restart")]
    assert change.risks[0].message == (
        f'flinkjob "sessions" (owner playback): rewinds to {OLD} (savepointRedeployNonce 1) without a savepoint of its current state: '
        "the operator cancels the job without one and the state built since that savepoint is lost. Apply "
        "spec.restore with phase: save-current and nonce 1 first, then phase: rewind.")
    assert plan.blocked


def test_step_one_only_triggers_a_savepoint_and_restarts_nothing():
    plan = plan_of([lambda: flink_deployment("sessions")],
                   [lambda: flink_deployment("sessions", job_extra=save_current(2))])
    change = only(plan, FLINK)
    assert codes(change) == []
    assert "Flink operator: ignored (no redeploy)" in change.notes


def test_rewind_after_the_save_step_is_a_recorded_savepoint_redeploy():
    plan = plan_of([lambda: flink_deployment("sessions", job_extra=save_current(2))],
                   [lambda: flink_deployment("sessions", job_extra=rewind(2, saved=2))])
    change = only(plan, FLINK)
    assert codes(change) == [("warn", "flink.restart")]
    assert (f"Flink operator: rewind to {OLD}; the state it discards was saved first by the manual savepoint of "
            "savepointTriggerNonce 2 (its path: the job's FlinkStateSnapshot or status.jobStatus.savepointInfo)"
            ) in change.notes


def test_a_second_rewind_needs_its_own_savepoint():
    # The savepoint of nonce 1 saved the state before the first rewind, not the state since.
    plan = plan_of([lambda: flink_deployment("sessions", job_extra=rewind(1, saved=1))],
                   [lambda: flink_deployment("sessions", job_extra=rewind(2, saved=2))])
    assert codes(only(plan, FLINK))[0] == ("block", "flink.rewind-unsaved")


def test_rewind_beside_an_image_change_is_still_a_savepoint_redeploy():
    # The operator's DiffType: SAVEPOINT_REDEPLOY subsumes UPGRADE.
    plan = plan_of([lambda: flink_deployment("sessions")],
                   [lambda: flink_deployment("sessions", image="acme/job:2.0", job_extra=rewind(1, saved=1))])
    change = only(plan, FLINK)
    assert codes(change)[0] == ("block", "flink.rewind-unsaved")
    # the note points at the block that overrides it (risks._consistent)
    assert "Flink operator: savepoint redeploy from initialSavepointPath (but see flink.rewind-unsaved above)" in change.notes


def test_an_applied_restore_left_in_the_spec_is_flagged_for_removal():
    plan = plan_of([lambda: flink_deployment("sessions", job_extra=rewind(2, saved=2))],
                   [lambda: flink_deployment("sessions", parallelism=8, job_extra=rewind(2, saved=2))])
    change = only(plan, FLINK)
    assert codes(change) == [("warn", "flink.restore-stale"), ("warn", "flink.restart")]
    assert change.risks[0].message == (
        f'flinkjob "sessions" (owner playback): spec.restore (nonce 2, {OLD}) was applied by an earlier deploy: a later re-creation '
        "would restore that old savepoint again. Remove spec.restore.")


def test_allow_non_restored_state_left_on_from_a_rewind_drops_state_on_the_next_upgrade():
    applied = rewind(2, saved=2, allowNonRestoredState=True)
    plan = plan_of([lambda: flink_deployment("sessions", job_extra=applied)],
                   [lambda: flink_deployment("sessions", image="acme/job:2.0", job_extra=applied)])
    change = only(plan, FLINK)
    # flink.restart ("restores from it") is subsumed by the stated loss (risks._consistent)
    assert codes(change) == [("warn", "flink.restore-stale"), ("danger", "flink.state-dropped")]
    assert "allowNonRestoredState, asked for by the rewind with nonce 2, applies to this upgrade too" in \
        change.risks[1].message


def test_a_rewind_with_allow_non_restored_state_is_reported_once_for_that_deploy():
    plan = plan_of([lambda: flink_deployment("sessions", job_extra=save_current(3))],
                   [lambda: flink_deployment("sessions", job_extra=rewind(3, saved=3, allowNonRestoredState=True))])
    change = only(plan, FLINK)
    assert codes(change) == [("danger", "flink.state-dropped")]
    assert "allowNonRestoredState is turned on" in change.risks[0].message


def backfill_config(mode: str, live_uid: str | None = "kafka-source", backfill_uid: str | None = "warehouse-source") -> dict:
    config = {"state.checkpoints.dir": "s3://acme-dev-flink-state/jobs/enricher/checkpoints",
              "streamplane.source.mode": mode, "streamplane.source.backfill.type": "s3"}
    if live_uid:
        config["streamplane.source.live.uid"] = live_uid
    if backfill_uid:
        config["streamplane.source.backfill.uid"] = backfill_uid
    return config


def test_backfill_switch_between_sources_of_other_uids_as_an_upgrade_is_blocked():
    plan = plan_of([lambda: flink_deployment("enricher", upgrade_mode="last-state", config=backfill_config("live"))],
                   [lambda: flink_deployment("enricher", upgrade_mode="last-state", config=backfill_config("backfill"))])
    change = only(plan, FLINK)
    assert codes(change) == [("block", "flink.backfill-switch"), ("warn", "flink.restart")]
    assert change.risks[0].message.startswith(
        'flinkjob "enricher" (owner playback): backfill switch live -> backfill (operator uid kafka-source -> '
        "warehouse-source) as an ordinary upgrade (upgradeMode last-state): the restore finds state of a source")


def test_backfill_switch_through_a_savepoint_redeploy_scopes_allow_non_restored_state():
    switch = rewind(4, saved=4, allowNonRestoredState=True)
    plan = plan_of([lambda: flink_deployment("enricher", upgrade_mode="last-state", config=backfill_config("live"),
                                             job_extra=save_current(4))],
                   [lambda: flink_deployment("enricher", upgrade_mode="last-state", config=backfill_config("backfill"),
                                             job_extra=switch)])
    change = only(plan, FLINK)
    assert ("block", "flink.backfill-switch") not in codes(change)
    assert (f"Flink job: backfill switch live -> backfill: savepoint redeploy from {OLD}; the state of source uid "
            "kafka-source is dropped (allowNonRestoredState, this deploy only), every other operator's state carries "
            "over (but see flink.state-dropped above)") in change.notes


def test_backfill_switch_between_sources_of_one_uid_carries_state_over():
    plan = plan_of([lambda: flink_deployment("enricher", upgrade_mode="last-state",
                                             config=backfill_config("live", "source", "source"))],
                   [lambda: flink_deployment("enricher", upgrade_mode="last-state",
                                             config=backfill_config("backfill", "source", "source"))])
    change = only(plan, FLINK)
    assert codes(change) == [("warn", "flink.restart")]
    assert "Flink job: backfill switch live -> backfill: both sources have operator uid source, so the source's " \
           "state carries over" in change.notes


def test_backfill_switch_without_declared_uids_is_blocked():
    plan = plan_of([lambda: flink_deployment("enricher", upgrade_mode="last-state", config=backfill_config("live", None, None))],
                   [lambda: flink_deployment("enricher", upgrade_mode="last-state",
                                             config=backfill_config("backfill", None, None))])
    change = only(plan, FLINK)
    assert codes(change)[0] == ("block", "flink.backfill-switch")
    assert "(source operator uids not declared)" in change.risks[0].message
