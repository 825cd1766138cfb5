"""The FlinkDeployment body as a pure function of the spec: exact keys, values and upgrade modes."""

from __future__ import annotations

import dataclasses

import pytest

from components.flink.deployment import flink_deployment, k8s_cpu, k8s_memory
from streamplane.flink.configuration import flink_duration
from streamplane.flink.kinds import FlinkJobSpec
from streamplane.spec import typed
from streamplane.spec.model import Declared, ObjectMeta
from streamplane.spec.source import SourceDoc
from tests.crd import crd_errors

BUCKET = "acme-dev-flink-state"
BASE = {"state": "stateful", "checkpointStore": "flink-state", "image": "img:1", "flinkVersion": "v2_2",
        "jarURI": "local:///opt/flink/usrlib/job.jar", "parallelism": 4}


def declared(name: str = "sessions", **spec) -> Declared:
    data = {**BASE, **spec}
    data = {k: v for k, v in data.items() if v is not None}
    return Declared("FlinkJob", ObjectMeta(name=name, owner="playback"), typed.build(FlinkJobSpec, data),
                    SourceDoc(data={}, file="<test>"))


def body(job: Declared, bucket: str | None = BUCKET, **kwargs) -> dict:
    return flink_deployment(job, namespace="playback", service_account=job.name, bucket=bucket,
                            environment="dev", **kwargs)


def test_stateful_job_configuration_has_exact_platform_keys():
    conf = body(declared())["spec"]["flinkConfiguration"]
    assert conf == {
        "execution.checkpointing.externalized-checkpoint-retention": "RETAIN_ON_CANCELLATION",
        "execution.checkpointing.incremental": "true",
        "execution.checkpointing.interval": "60 s",
        "execution.checkpointing.mode": "EXACTLY_ONCE",
        "execution.checkpointing.num-retained": "1",
        "execution.checkpointing.timeout": "10 min",
        "execution.checkpointing.tolerable-failed-checkpoints": "0",
        "high-availability.storageDir": "s3://acme-dev-flink-state/jobs/sessions/ha",
        "high-availability.type": "kubernetes",
        "kubernetes.jobmanager.cpu.limit-factor": "1.0",
        "kubernetes.jobmanager.memory.limit-factor": "1.0",
        "kubernetes.operator.cluster.health-check.checkpoint-progress.enabled": "true",
        # The operator's minimum: max(60 s, 10 min) x (0 tolerable + 2).
        "kubernetes.operator.cluster.health-check.checkpoint-progress.window": "20 min",
        "kubernetes.operator.cluster.health-check.enabled": "true",
        # 1+2+...+256 s, then four 5-min backoffs fit in 30 min: 13 restarts, threshold 13 - 2.
        "kubernetes.operator.cluster.health-check.restarts.threshold": "11",
        "kubernetes.operator.cluster.health-check.restarts.window": "30 min",
        "kubernetes.operator.jm-deployment-recovery.enabled": "true",
        "kubernetes.operator.job.restart.failed": "true",
        "kubernetes.operator.job.savepoint-on-deletion": "true",
        "kubernetes.taskmanager.cpu.limit-factor": "1.0",
        "kubernetes.taskmanager.memory.limit-factor": "1.0",
        "restart-strategy.exponential-delay.backoff-multiplier": "2",
        "restart-strategy.exponential-delay.initial-backoff": "1 s",
        "restart-strategy.exponential-delay.max-backoff": "5 min",
        "restart-strategy.type": "exponential-delay",
        "execution.checkpointing.dir": "s3://acme-dev-flink-state/jobs/sessions/checkpoints",
        "execution.checkpointing.savepoint-dir": "s3://acme-dev-flink-state/jobs/sessions/savepoints",
        "state.backend.type": "rocksdb",
        "taskmanager.numberOfTaskSlots": "1",
    }


@pytest.mark.parametrize(("version", "checkpoints", "savepoints"), [
    ("v1_18", "state.checkpoints.dir", "state.savepoints.dir"),
    ("v1_19", "state.checkpoints.dir", "state.savepoints.dir"),
    ("v1_20", "execution.checkpointing.dir", "execution.checkpointing.savepoint-dir"),
    ("v2_0", "execution.checkpointing.dir", "execution.checkpointing.savepoint-dir"),
    ("v2_2", "execution.checkpointing.dir", "execution.checkpointing.savepoint-dir"),
])
def test_state_dir_keys_follow_the_flink_version(version, checkpoints, savepoints):
    conf = body(declared(flinkVersion=version))["spec"]["flinkConfiguration"]
    dir_keys = sorted(k for k in conf if k.endswith((".dir", "savepoint-dir")))
    assert dir_keys == sorted([checkpoints, savepoints])
    assert conf[checkpoints] == "s3://acme-dev-flink-state/jobs/sessions/checkpoints"
    assert conf[savepoints] == "s3://acme-dev-flink-state/jobs/sessions/savepoints"


def test_hashmap_jobs_reserve_no_managed_memory():
    stateless = body(declared(state="stateless", checkpointStore=None), bucket=None)["spec"]["flinkConfiguration"]
    assert stateless["state.backend.type"] == "hashmap"
    assert stateless["taskmanager.memory.managed.fraction"] == "0"
    stateful_hashmap = body(declared(stateBackend="hashmap"))["spec"]["flinkConfiguration"]
    assert stateful_hashmap["taskmanager.memory.managed.fraction"] == "0"
    rocksdb = body(declared())["spec"]["flinkConfiguration"]
    assert "taskmanager.memory.managed.fraction" not in rocksdb


def test_flink_job_savepoint_dir_is_on_checkpoint_store_under_job_prefix():
    conf = body(declared("enricher"))["spec"]["flinkConfiguration"]
    for key in ("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir", "high-availability.storageDir"):
        assert conf[key].startswith("s3://acme-dev-flink-state/jobs/enricher/")


def test_custom_checkpointing_savepoints_and_max_parallelism_map_to_flink_keys():
    conf = body(declared(maxParallelism=720, checkpointing={"interval": "10m", "mode": "at-least-once", "timeout": "1h"},
                         savepoints={"interval": "6h", "maxAge": "3d", "maxCount": 12}))["spec"]["flinkConfiguration"]
    assert conf["pipeline.max-parallelism"] == "720"
    assert conf["execution.checkpointing.interval"] == "10 min"
    assert conf["execution.checkpointing.mode"] == "AT_LEAST_ONCE"
    assert conf["execution.checkpointing.timeout"] == "1 h"
    # The operator's minimum window, max(interval, timeout) x (tolerable + 2): anything shorter it raises.
    assert conf["kubernetes.operator.cluster.health-check.checkpoint-progress.window"] == "2 h"
    assert conf["kubernetes.operator.periodic.savepoint.interval"] == "6 h"
    assert conf["kubernetes.operator.savepoint.history.max.age"] == "3 d"
    assert conf["kubernetes.operator.savepoint.history.max.count"] == "12"


@pytest.mark.parametrize("strategy, expected", [
    ({"type": "fixed-delay", "attempts": 5, "delay": "30s"},
     {"restart-strategy.type": "fixed-delay", "restart-strategy.fixed-delay.attempts": "5",
      "restart-strategy.fixed-delay.delay": "30 s"}),
    ({"type": "failure-rate"},
     {"restart-strategy.type": "failure-rate", "restart-strategy.failure-rate.max-failures-per-interval": "3",
      "restart-strategy.failure-rate.failure-rate-interval": "5 min", "restart-strategy.failure-rate.delay": "10 s"}),
    ({"type": "none"}, {"restart-strategy.type": "none"}),
])
def test_restart_strategy_keys(strategy, expected):
    conf = body(declared(restartStrategy=strategy))["spec"]["flinkConfiguration"]
    assert {k: v for k, v in conf.items() if k.startswith("restart-strategy")} == expected


@pytest.mark.parametrize("spec, mode", [
    ({}, "savepoint"),
    ({"upgradeMode": "last-state"}, "last-state"),
    ({"onRedeploy": "start-fresh"}, "stateless"),
    ({"state": "stateless"}, "last-state"),
    ({"state": "stateless", "redeploy": "latency", "highAvailability": False}, "stateless"),
    ({"state": "stateless", "redeploy": "no-duplicates"}, "savepoint"),
    ({"state": "stateless", "checkpointStore": None}, "stateless"),
])
def test_upgrade_mode_mapping(spec, mode):
    assert body(declared(**spec))["spec"]["job"]["upgradeMode"] == mode


def test_job_without_store_has_no_state_dirs_and_no_savepoint_on_deletion():
    conf = body(declared(state="stateless", checkpointStore=None), bucket=None)["spec"]["flinkConfiguration"]
    assert not any(k.startswith(("state.checkpoints", "state.savepoints", "high-availability", "execution.checkpointing"))
                   for k in conf)
    assert conf["kubernetes.operator.job.savepoint-on-deletion"] == "false"
    assert conf["kubernetes.operator.cluster.health-check.checkpoint-progress.enabled"] == "false"
    assert conf["state.backend.type"] == "hashmap"


def test_rewind_sets_initial_savepoint_and_nonce_without_allow_non_restored_state():
    path = "s3://acme-dev-flink-state/jobs/sessions/savepoints/savepoint-1"
    job = body(declared(restore={"savepoint": path, "nonce": 3}))["spec"]["job"]
    assert job == {"jarURI": "local:///opt/flink/usrlib/job.jar", "parallelism": 4, "upgradeMode": "savepoint",
                   "state": "running", "initialSavepointPath": path, "savepointTriggerNonce": 3,
                   "savepointRedeployNonce": 3}


def test_rewind_step_one_saves_the_current_state_and_redeploys_nothing():
    path = "s3://acme-dev-flink-state/jobs/sessions/savepoints/savepoint-1"
    job = body(declared(restore={"savepoint": path, "nonce": 3, "phase": "save-current",
                                 "allowNonRestoredState": True}))["spec"]["job"]
    # savepointTriggerNonce alone: a manual savepoint of the running job; no savepointRedeployNonce, and
    # allowNonRestoredState waits for the redeploy that asked for it.
    assert {k: v for k, v in job.items() if k not in ("jarURI", "parallelism", "state")} == {
        "upgradeMode": "savepoint", "initialSavepointPath": path, "savepointTriggerNonce": 3}


@pytest.mark.parametrize(("checkpointing", "retained"), [
    ({}, "1"),
    ({"interval": "60s", "rewindWindow": "30m"}, "31"),
    ({"interval": "2m", "rewindWindow": "5m"}, "4"),
])
def test_rewind_window_sets_num_retained(checkpointing, retained):
    conf = body(declared(checkpointing=checkpointing))["spec"]["flinkConfiguration"]
    assert conf["execution.checkpointing.num-retained"] == retained


def test_tolerable_failures_widen_the_progress_window_like_the_operator():
    conf = body(declared(checkpointing={"interval": "60s", "timeout": "20m", "tolerableFailures": 3}))["spec"][
        "flinkConfiguration"]
    assert conf["execution.checkpointing.tolerable-failed-checkpoints"] == "3"
    assert conf["kubernetes.operator.cluster.health-check.checkpoint-progress.window"] == "100 min"


@pytest.mark.parametrize(("strategy", "threshold"), [
    ({"type": "exponential-delay"}, "11"),
    # 30 s doubling to 10 min: 30+60+120+240+480 s, then one 10-min backoff fits: 6 restarts.
    ({"type": "exponential-delay", "initialBackoff": "30s", "maxBackoff": "10m"}, "4"),
    ({"type": "fixed-delay", "attempts": 5, "delay": "30s"}, "3"),
    ({"type": "failure-rate"}, "16"),
    # No restarts at all: no threshold can be reached, so none is claimed.
    ({"type": "none"}, str(2**31 - 1)),
])
def test_restart_threshold_is_reachable_with_the_restart_strategy(strategy, threshold):
    conf = body(declared(restartStrategy=strategy))["spec"]["flinkConfiguration"]
    assert conf["kubernetes.operator.cluster.health-check.restarts.window"] == "30 min"
    assert conf["kubernetes.operator.cluster.health-check.restarts.threshold"] == threshold


def test_allow_non_restored_state_only_when_asked():
    path = "s3://acme-dev-flink-state/jobs/sessions/savepoints/savepoint-1"
    job = body(declared(restore={"savepoint": path, "nonce": 1, "allowNonRestoredState": True}))["spec"]["job"]
    assert job["allowNonRestoredState"] is True


def test_backfill_switch_is_job_configuration():
    source = {"type": "s3", "path": "s3://warehouse/events/"}
    live = body(declared(state="stateless", backfill={"source": source}))["spec"]["flinkConfiguration"]
    active = body(declared(state="stateless", backfill={"source": source, "active": True}))["spec"]["flinkConfiguration"]
    assert {k: v for k, v in live.items() if k.startswith("streamplane.")} == {
        "streamplane.source.mode": "live", "streamplane.source.backfill.type": "s3",
        "streamplane.source.backfill.path": "s3://warehouse/events/", "streamplane.source.backfill.format": "parquet"}
    assert active["streamplane.source.mode"] == "backfill"


def test_user_and_platform_configuration_are_passed_as_strings():
    conf = body(declared(configuration={"state.backend.rocksdb.memory.managed": True, "table.exec.mini-batch.size": 500}),
                platform_configuration={"streamplane.route.filter": "device_type = 'tv'"})["spec"]["flinkConfiguration"]
    assert conf["state.backend.rocksdb.memory.managed"] == "true"
    assert conf["table.exec.mini-batch.size"] == "500"
    assert conf["streamplane.route.filter"] == "device_type = 'tv'"


def test_resources_requests_equal_limits_and_pods_run_as_non_root():
    spec = body(declared(jobManager={"cpu": 0.5, "memory": "2g"}, taskManager={"cpu": 4, "memory": "16g", "slots": 4}))["spec"]
    assert spec["jobManager"]["resource"] == {"cpu": 0.5, "memory": "2g"}
    assert spec["jobManager"]["podTemplate"]["spec"]["containers"][0]["resources"] == {
        "requests": {"cpu": "500m", "memory": "2Gi"}, "limits": {"cpu": "500m", "memory": "2Gi"}}
    assert spec["taskManager"]["podTemplate"]["spec"]["containers"][0]["resources"]["limits"] == {"cpu": "4", "memory": "16Gi"}
    assert spec["flinkConfiguration"]["taskmanager.numberOfTaskSlots"] == "4"
    pod = spec["podTemplate"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] == 9999
    assert pod["containers"][0]["securityContext"] == {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}


def test_deployment_waits_for_stable_running_job():
    annotations = body(declared())["metadata"]["annotations"]
    assert annotations == {
        "pulumi.com/waitFor": '["jsonpath={.status.lifecycleState}=STABLE", "jsonpath={.status.jobStatus.state}=RUNNING"]',
        "pulumi.com/timeoutSeconds": "1200"}


@pytest.mark.parametrize(("spec", "seconds"), [
    ({}, "1200"),                                                   # 10 min checkpoint timeout + 600 s
    ({"checkpointing": {"timeout": "20m"}}, "1800"),
    ({"checkpointing": {"timeout": "1m"}}, "900"),                  # never below the floor
    ({"state": "stateless", "checkpointStore": None}, "900"),
])
def test_readiness_timeout_covers_the_stop_with_savepoint_and_restore(spec, seconds):
    assert body(declared(**spec))["metadata"]["annotations"]["pulumi.com/timeoutSeconds"] == seconds


@pytest.mark.parametrize("spec", [
    {},
    {"state": "stateless", "checkpointStore": None},
    {"restore": {"savepoint": "s3://acme-dev-flink-state/jobs/sessions/savepoints/sp-1", "nonce": 1,
                 "allowNonRestoredState": True},
     "args": ["--gap", "30m"], "entryClass": "com.example.Job", "jobManager": {"cpu": 0.5, "memory": "1g"}},
])
def test_bodies_validate_against_upstream_crd(flink_crd, spec):
    job = declared(**spec)
    assert crd_errors(body(job, bucket=BUCKET if job.spec.checkpoint_store else None)) == []


def test_crd_validation_catches_a_bad_upgrade_mode(flink_crd):
    broken = body(declared())
    broken["spec"]["job"]["upgradeMode"] = "stateful"
    assert crd_errors(broken) == ["/spec/job/upgradeMode: 'stateful' is not one of ['last-state', 'savepoint', 'stateless']"]


def test_unit_conversions():
    assert [flink_duration(v) for v in ("250ms", "90s", "5m", "2h", "3d", "1w")] == \
        ["250 ms", "90 s", "5 min", "2 h", "3 d", "7 d"]
    assert [k8s_memory(v) for v in ("512k", "2048m", "4g", "1t")] == ["512Ki", "2048Mi", "4Gi", "1Ti"]
    assert [k8s_cpu(v) for v in (1, 2.0, 0.5, 0.25)] == ["1", "2", "500m", "250m"]


def test_spec_dataclass_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        declared().spec.parallelism = 2


def test_declared_migration_starts_the_replacement_from_the_old_jobs_savepoint_once():
    path = "s3://acme-dev-flink-state/jobs/sessions-old/savepoints/savepoint-final"
    job = body(declared(migrateFrom={"savepoint": path}))["spec"]["job"]
    assert job["initialSavepointPath"] == path
    assert "savepointRedeployNonce" not in job and "allowNonRestoredState" not in job
