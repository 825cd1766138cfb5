"""Plan-time validation of FlinkJob specs: a valid baseline, one mutation, one exact message with file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from streamplane.checks import load_layers
from streamplane.errors import SpecError

from .conftest import STATEFUL_JOB, STORE, write_specs


def errors_for(tmp_path: Path, job_yaml: str, with_store: bool = True) -> list[str]:
    files = {"jobs.yaml": job_yaml}
    if with_store:
        files["stores.yaml"] = STORE
    folder = write_specs(tmp_path / "base", files)
    try:
        load_layers([folder], "dev")
    except SpecError as err:
        return [str(p).replace(str(folder) + "/", "").split("base/")[-1] for p in err.problems]
    return []


def test_baseline_stateful_job_is_valid(tmp_path):
    assert errors_for(tmp_path, STATEFUL_JOB) == []


def test_stateful_job_without_store_fails_with_location_and_message(tmp_path):
    job = STATEFUL_JOB.replace("  checkpointStore: flink-state\n", "")
    assert errors_for(tmp_path, job) == [
        "jobs.yaml:4:1: /spec/checkpointStore: a stateful job needs a checkpointStore for its checkpoints, "
        "savepoints and HA metadata, none is set. Add checkpointStore: <name> (declared: flink-state)."]


def test_last_state_with_ha_disabled_fails_with_operator_message(tmp_path):
    job = STATEFUL_JOB + "  upgradeMode: last-state\n  highAvailability: false\n"
    assert errors_for(tmp_path, job) == [
        "jobs.yaml:11:3: /spec/upgradeMode: upgradeMode last-state needs high availability (the operator: \"Job "
        "could not be upgraded with last-state while HA disabled\"), but highAvailability is false. Enable "
        "highAvailability (with a checkpointStore) or use upgradeMode: savepoint."]


def test_last_state_with_ha_on_is_valid(tmp_path):
    assert errors_for(tmp_path, STATEFUL_JOB + "  upgradeMode: last-state\n") == []


def test_parallelism_must_be_larger_than_zero(tmp_path):
    assert errors_for(tmp_path, STATEFUL_JOB.replace("parallelism: 4", "parallelism: 0")) == [
        "jobs.yaml:10:3: /spec/parallelism: must be larger than 0 (the operator rejects it: \"Job parallelism must "
        "be larger than 0\"), got 0. Set parallelism to 1 or more."]


def test_max_parallelism_below_parallelism_is_rejected(tmp_path):
    assert errors_for(tmp_path, STATEFUL_JOB + "  maxParallelism: 2\n") == [
        "jobs.yaml:11:3: /spec/maxParallelism: must be at least parallelism (4), got 2: Flink cannot run more "
        "subtasks than key groups. Lower parallelism, or raise maxParallelism (a state-breaking change for a "
        "running stateful job)."]


def test_platform_managed_key_cannot_be_overridden(tmp_path):
    job = STATEFUL_JOB + "  configuration:\n    state.checkpoints.dir: s3://elsewhere/\n    taskmanager.memory.network.fraction: 0.2\n"
    assert errors_for(tmp_path, job) == [
        "jobs.yaml:12:5: /spec/configuration/state.checkpoints.dir: \"state.checkpoints.dir\" is managed by the "
        "platform and cannot be set in configuration (controlled by: checkpointStore). Remove it and set "
        "checkpointStore instead."]


def test_operator_forbidden_key_is_rejected(tmp_path):
    job = STATEFUL_JOB + "  configuration:\n    kubernetes.namespace: other\n"
    assert errors_for(tmp_path, job) == [
        "jobs.yaml:12:5: /spec/configuration/kubernetes.namespace: \"kubernetes.namespace\" is managed by the "
        "platform and cannot be set in configuration (controlled by: metadata.owner (the operator forbids this "
        "key)). Remove it."]


def test_restart_strategy_keys_are_platform_managed(tmp_path):
    job = STATEFUL_JOB + "  configuration:\n    restart-strategy.fixed-delay.attempts: 3\n"
    assert errors_for(tmp_path, job)[0].startswith(
        "jobs.yaml:12:5: /spec/configuration/restart-strategy.fixed-delay.attempts: \"restart-strategy.fixed-delay"
        ".attempts\" is managed by the platform and cannot be set in configuration (controlled by: restartStrategy)")


def test_memory_format_is_checked(tmp_path):
    job = STATEFUL_JOB + "  taskManager: {memory: 4GB}\n"
    assert errors_for(tmp_path, job) == [
        'jobs.yaml:11:17: /spec/taskManager/memory: string "4GB" is not valid here: expected a Flink memory size: '
        "a whole number with unit k, m, g or t (binary units, 2048m = 2 GiB; for example 2048m or 4g)."]


def test_cpu_must_be_a_positive_number(tmp_path):
    assert errors_for(tmp_path, STATEFUL_JOB + "  jobManager: {cpu: 500m}\n") == [
        'jobs.yaml:11:16: /spec/jobManager/cpu: must be number, got string "500m".']
    assert errors_for(tmp_path, STATEFUL_JOB + "  jobManager: {cpu: 0}\n") == [
        "jobs.yaml:11:16: /spec/jobManager/cpu: must be > 0, got number 0."]


def test_name_longer_than_the_operator_allows_is_rejected(tmp_path):
    long_name = "s" * 46
    assert errors_for(tmp_path, STATEFUL_JOB.replace("name: sessions", f"name: {long_name}")) == [
        f"jobs.yaml:3:12: /metadata/name: must start with a letter and be at most 45 characters (the operator's "
        f'rule for FlinkDeployment names), got "{long_name}" (46 characters). Rename the job.']


def test_rewind_path_must_be_under_the_jobs_prefix(tmp_path):
    job = STATEFUL_JOB + "  restore: {savepoint: s3://acme-dev-flink-state/jobs/other/savepoints/sp-1, nonce: 1}\n"
    assert errors_for(tmp_path, job) == [
        "jobs.yaml:11:13: /spec/restore/savepoint: must be under this job's own prefix jobs/sessions/ on its store "
        "(the job's IAM role can read nothing else), got \"s3://acme-dev-flink-state/jobs/other/savepoints/sp-1\". "
        "Pick one of this job's savepoints or checkpoints."]


def test_backfill_is_for_stateless_jobs_only(tmp_path):
    job = STATEFUL_JOB + "  backfill: {source: {type: s3, path: s3://warehouse/events/}}\n"
    assert errors_for(tmp_path, job) == [
        "jobs.yaml:11:3: /spec/backfill: backfill is for stateless jobs only: switching a stateful job's source to "
        "warehouse data replays old events into live state. Remove backfill, or run the backfill as a separate "
        "stateless job."]


def test_stateless_no_duplicates_needs_a_savepoints_dir(tmp_path):
    job = (STATEFUL_JOB.replace("state: stateful", "state: stateless").replace("  checkpointStore: flink-state\n", "")
           + "  redeploy: no-duplicates\n")
    assert errors_for(tmp_path, job) == [
        "jobs.yaml:10:3: /spec/redeploy: redeploy no-duplicates stops the job with a savepoint, which needs a "
        "savepoints directory (the operator: \"Job could not be upgraded with savepoint while config "
        "key[state.savepoints.dir] is not set\"); this job has no checkpointStore. Add checkpointStore: <name> "
        "(declared: flink-state), or use redeploy: latency."]


def test_periodic_savepoints_need_a_store(tmp_path):
    job = (STATEFUL_JOB.replace("state: stateful", "state: stateless").replace("  checkpointStore: flink-state\n", "")
           + "  savepoints: {interval: 6h}\n")
    assert errors_for(tmp_path, job) == [
        "jobs.yaml:10:3: /spec/savepoints: periodic savepoints need a savepoints directory (the operator: \"Periodic "
        "savepoints cannot be enabled when config key[state.savepoints.dir] is not set\"); this job has no "
        "checkpointStore. Add checkpointStore: <name> (declared: flink-state), or remove savepoints."]


def test_stateful_only_fields_are_rejected_on_stateless_jobs(tmp_path):
    job = STATEFUL_JOB.replace("state: stateful", "state: stateless") + "  upgradeMode: savepoint\n"
    assert errors_for(tmp_path, job) == [
        "jobs.yaml:11:3: /spec/upgradeMode: upgradeMode applies to stateful jobs only; this job is state: stateless. "
        "Remove it, or use redeploy: latency | no-duplicates."]


def test_restart_strategy_field_of_another_type_is_rejected(tmp_path):
    job = STATEFUL_JOB + "  restartStrategy: {type: exponential-delay, attempts: 3}\n"
    assert errors_for(tmp_path, job) == [
        "jobs.yaml:11:46: /spec/restartStrategy/attempts: applies to restartStrategy type fixed-delay only, got type "
        "exponential-delay. Remove attempts or change type."]


def test_unknown_store_reference_points_at_the_field(tmp_path):
    assert errors_for(tmp_path, STATEFUL_JOB.replace("checkpointStore: flink-state", "checkpointStore: flink-stat")) == [
        'jobs.yaml:6:3: /spec/checkpointStore: CheckpointStore "flink-stat" is not declared in this stack '
        '(declared: flink-state). Did you mean "flink-state"?']


def test_every_error_is_reported_at_once(tmp_path):
    job = STATEFUL_JOB.replace("parallelism: 4", "parallelism: 0").replace("  checkpointStore: flink-state\n", "")
    assert [e.split(": ")[1] for e in errors_for(tmp_path, job)] == ["/spec/checkpointStore", "/spec/parallelism"]


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_example_stacks_are_valid(env):
    from streamplane.checks import load_stack
    loaded = load_stack(Path(__file__).resolve().parents[2] / "stacks", env)
    assert sorted(j.name for j in loaded.spec.of("FlinkJob")) == ["playback-enricher", "playback-sessions"]


def test_start_fresh_and_restore_contradict(tmp_path):
    job = STATEFUL_JOB + ("  onRedeploy: start-fresh\n"
                          "  restore: {savepoint: s3://acme-dev-flink-state/jobs/sessions/savepoints/sp-1, nonce: 1}\n")
    assert errors_for(tmp_path, job) == [
        "jobs.yaml:11:3: /spec/onRedeploy: start-fresh contradicts restore: a job cannot start from empty state and "
        "from a savepoint at once. Remove one of them."]


def test_migration_contradicts_restore_and_must_name_an_old_jobs_prefix(tmp_path):
    job = STATEFUL_JOB + ("  restore: {savepoint: s3://acme-dev-flink-state/jobs/sessions/savepoints/sp-1, nonce: 1}\n"
                          "  migrateFrom: {savepoint: s3://acme-dev-flink-state/jobs/sessions-old/savepoints/sp-9}\n")
    assert errors_for(tmp_path, job) == [
        "jobs.yaml:12:3: /spec/migrateFrom: contradicts restore: the new job starts from one savepoint. Remove restore "
        "(migrateFrom names the savepoint of the replaced job)."]


def test_cluster_namespaces_cannot_own_jobs(tmp_path):
    assert errors_for(tmp_path, STATEFUL_JOB.replace("owner: playback", "owner: kube-system")) == [
        "jobs.yaml:3:28: /metadata/owner: \"kube-system\" cannot own Flink jobs: the owner names the job's namespace, "
        "and default, kube-system, kube-public, kube-node-lease belong to the cluster. Use the team's name."]


def test_latency_redeploy_with_a_store_and_ha_off_is_rejected_not_silently_stateless(tmp_path):
    job = STATEFUL_JOB.replace("state: stateful", "state: stateless\n  highAvailability: false")
    errors = errors_for(tmp_path, job)
    assert len(errors) == 1
    assert "/spec/highAvailability: redeploy latency with a checkpointStore redeploys with upgradeMode last-state" in errors[0]


def test_backfill_needs_the_operator_uid_of_each_source(tmp_path):
    job = (STATEFUL_JOB.replace("state: stateful", "state: stateless")
           + "  backfill: {source: {type: s3, path: s3://warehouse/events/}}\n")
    assert errors_for(tmp_path, job) == [
        "jobs.yaml:11:3: /spec/backfill: a backfill switch needs the operator uid of each source, missing: "
        "liveSourceUid, source.uid. The plan compares them to say whether the source's state carries over a switch; "
        "add the uids the job gives its sources (.uid(...))."]
    declared = job.replace("path: s3://warehouse/events/}", "path: s3://warehouse/events/, uid: files}, liveSourceUid: kafka")
    assert errors_for(tmp_path, declared) == []


def test_backfill_kms_key_applies_to_s3_sources_only(tmp_path):
    key = "arn:aws:kms:us-east-1:123456789012:key/warehouse"
    job = (STATEFUL_JOB.replace("state: stateful", "state: stateless")
           + f"  backfill: {{source: {{type: hive, table: db.events, uid: files, kmsKeyArn: '{key}'}}, liveSourceUid: kafka}}\n")
    assert errors_for(tmp_path, job) == [
        "jobs.yaml:11:65: /spec/backfill/source/kmsKeyArn: applies to a backfill source of type s3 only, got type hive. "
        "Remove kmsKeyArn."]
    s3 = job.replace("type: hive, table: db.events", "type: s3, path: s3://warehouse/events/")
    assert errors_for(tmp_path, s3) == []


def test_backfill_kms_key_must_be_a_key_arn(tmp_path):
    job = (STATEFUL_JOB.replace("state: stateful", "state: stateless")
           + "  backfill: {source: {type: s3, path: s3://warehouse/events/, uid: files, kmsKeyArn: alias/warehouse},"
             " liveSourceUid: kafka}\n")
    [error] = errors_for(tmp_path, job)
    assert "/spec/backfill/source/kmsKeyArn" in error and "alias/warehouse" in error
