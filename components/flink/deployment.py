"""The FlinkDeployment custom resource of one job, as a pure function of its spec (no Pulumi needed).

Everything the Flink Kubernetes Operator leaves unsafe by default is set here: the job's state dirs
and HA metadata live under its own prefix on its CheckpointStore, a savepoint is taken when the
deployment is deleted, cluster health and checkpoint progress are checked, failed jobs restart.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from streamplane.rules.durations import parse_duration_ms
from streamplane.spec.kinds.checkpoint_store import job_prefix
from streamplane.spec.kinds.flink_job import FlinkJobSpec
from streamplane.spec.model import Declared

from ..labels import object_labels

API_VERSION = "flink.apache.org/v1beta1"
KIND = "FlinkDeployment"
MAIN_CONTAINER = "flink-main-container"
# The official Flink images run as user and group flink (9999).
FLINK_UID = 9999
# The operator keeps restarting a job that never becomes healthy; a checkpoint-progress window must
# exceed the checkpoint interval, or a healthy job with slow checkpoints is restarted in a loop.
MIN_CHECKPOINT_PROGRESS_WINDOW_MS = 5 * 60_000
CHECKPOINT_PROGRESS_WINDOW_INTERVALS = 3
# How long `pulumi up` waits for the job to become STABLE and RUNNING before failing the update.
READINESS_TIMEOUT_S = 900
WAIT_FOR = json.dumps(["jsonpath={.status.lifecycleState}=STABLE", "jsonpath={.status.jobStatus.state}=RUNNING"])
CHECKPOINTING_MODES = {"exactly-once": "EXACTLY_ONCE", "at-least-once": "AT_LEAST_ONCE"}
# Flink 1.20 deprecated state.checkpoints.dir / state.savepoints.dir for these (apache/flink
# flink-core/src/main/java/org/apache/flink/configuration/CheckpointingOptions.java, release-2.x:
# CHECKPOINTS_DIRECTORY and SAVEPOINT_DIRECTORY keep the old keys as deprecated fallbacks).
NEW_STATE_DIR_KEYS_SINCE = (1, 20)
# From v2_0 the operator writes the standard YAML config and rejects a key that is a prefix of
# another (apache/flink-kubernetes-operator release-1.15.0, flink-kubernetes-operator/src/main/java/
# org/apache/flink/kubernetes/kubeclient/decorators/FlinkConfMountDecorator.java validateConfigKeysForV2).
STANDARD_YAML_SINCE = (2, 0)
_VERSION = re.compile(r"^v(\d+)_(\d+)$")
_FLINK_UNITS = {"ms": "ms", "s": "s", "m": "min", "h": "h", "d": "d"}
_K8S_MEMORY_UNITS = {"k": "Ki", "m": "Mi", "g": "Gi", "t": "Ti"}


def flink_duration(value: str) -> str:
    """A spec duration in Flink's notation: 90s -> "90 s", 5m -> "5 min" (Flink has no weeks: 1w -> "7 d")."""
    if value.endswith("w"):
        return f"{int(value[:-1]) * 7} d"
    number = value.rstrip("abcdefghijklmnopqrstuvwxyz")
    return f"{number} {_FLINK_UNITS[value[len(number):]]}"


def k8s_memory(flink_memory: str) -> str:
    """A Flink memory size (binary units) as a Kubernetes quantity: 2048m -> 2048Mi."""
    return flink_memory[:-1] + _K8S_MEMORY_UNITS[flink_memory[-1]]


def k8s_cpu(cpu: float) -> str:
    return str(int(cpu)) if float(cpu).is_integer() else f"{round(cpu * 1000)}m"


def _text(value) -> str:
    if hasattr(value, "apply"):  # a pulumi Output (a route's bootstrap servers): converted once known
        return value.apply(_text)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _ms_text(ms: int) -> str:
    """Milliseconds in the largest Flink unit that divides them exactly (630000 -> "630 s")."""
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("min", 60_000), ("s", 1000)):
        if ms % size == 0:
            return f"{ms // size} {unit}"
    return f"{ms} ms"


def state_uris(bucket: str, job: str) -> dict[str, str]:
    """The job's state locations on its store, all under jobs/<job>/ (the only prefix its role may touch)."""
    root = f"s3://{bucket}/{job_prefix(job)}"
    return {"checkpoints": f"{root}checkpoints", "savepoints": f"{root}savepoints", "ha": f"{root}ha"}


def restart_strategy_configuration(spec: FlinkJobSpec) -> dict[str, str]:
    strategy = spec.restart_strategy
    conf = {"restart-strategy.type": strategy.type}
    if strategy.type == "exponential-delay":
        conf["restart-strategy.exponential-delay.initial-backoff"] = flink_duration(strategy.initial_backoff)
        conf["restart-strategy.exponential-delay.max-backoff"] = flink_duration(strategy.max_backoff)
        conf["restart-strategy.exponential-delay.backoff-multiplier"] = _text(float(strategy.backoff_multiplier))
    elif strategy.type == "fixed-delay":
        conf["restart-strategy.fixed-delay.attempts"] = str(strategy.attempts)
        conf["restart-strategy.fixed-delay.delay"] = flink_duration(strategy.delay)
    elif strategy.type == "failure-rate":
        conf["restart-strategy.failure-rate.max-failures-per-interval"] = str(strategy.max_failures)
        conf["restart-strategy.failure-rate.failure-rate-interval"] = flink_duration(strategy.failure_interval)
        conf["restart-strategy.failure-rate.delay"] = flink_duration(strategy.delay)
    return conf


def flink_version(version: str) -> tuple[int, int]:
    """(major, minor) of an operator flinkVersion such as v1_20; (0, 0) for anything else."""
    match = _VERSION.match(version)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def state_dir_keys(version: str) -> tuple[str, str]:
    """The checkpoint and savepoint directory keys for `version`: the non-deprecated ones from 1.20."""
    if flink_version(version) >= NEW_STATE_DIR_KEYS_SINCE:
        return "execution.checkpointing.dir", "execution.checkpointing.savepoint-dir"
    return "state.checkpoints.dir", "state.savepoints.dir"


def state_configuration(name: str, spec: FlinkJobSpec, bucket: str | None) -> dict[str, str]:
    """Checkpoints, savepoints, HA and the health checks that depend on them."""
    checkpointing = spec.effective_checkpointing
    if bucket is None or checkpointing is None:
        # No store: no durable state, so nothing to savepoint on deletion and no checkpoints to watch.
        return {
            "kubernetes.operator.job.savepoint-on-deletion": "false",
            "kubernetes.operator.cluster.health-check.checkpoint-progress.enabled": "false",
        }
    uris = state_uris(bucket, name)
    interval_ms = parse_duration_ms(checkpointing.interval)
    timeout_ms = parse_duration_ms(checkpointing.timeout)
    window_ms = max(MIN_CHECKPOINT_PROGRESS_WINDOW_MS, CHECKPOINT_PROGRESS_WINDOW_INTERVALS * interval_ms,
                    interval_ms + timeout_ms)
    checkpoints_key, savepoints_key = state_dir_keys(spec.flink_version)
    conf = {
        checkpoints_key: uris["checkpoints"],
        savepoints_key: uris["savepoints"],
        "execution.checkpointing.interval": flink_duration(checkpointing.interval),
        "execution.checkpointing.mode": CHECKPOINTING_MODES[checkpointing.mode],
        "execution.checkpointing.timeout": flink_duration(checkpointing.timeout),
        # Keep the last checkpoint when the job is cancelled: it is what a rewind or last-state restore uses.
        "execution.checkpointing.externalized-checkpoint-retention": "RETAIN_ON_CANCELLATION",
        "kubernetes.operator.job.savepoint-on-deletion": "true",
        "kubernetes.operator.cluster.health-check.checkpoint-progress.enabled": "true",
        "kubernetes.operator.cluster.health-check.checkpoint-progress.window": _ms_text(window_ms),
    }
    if spec.effective_state_backend == "rocksdb":
        conf["execution.checkpointing.incremental"] = "true"
    if spec.ha_enabled:
        conf["high-availability.type"] = "kubernetes"
        conf["high-availability.storageDir"] = uris["ha"]
    if spec.savepoints is not None:
        conf["kubernetes.operator.periodic.savepoint.interval"] = flink_duration(spec.savepoints.interval)
        if spec.savepoints.max_age:
            conf["kubernetes.operator.savepoint.history.max.age"] = flink_duration(spec.savepoints.max_age)
        if spec.savepoints.max_count:
            conf["kubernetes.operator.savepoint.history.max.count"] = str(spec.savepoints.max_count)
    return conf


def backfill_configuration(spec: FlinkJobSpec) -> dict[str, str]:
    """The source switch the job reads from its configuration: streamplane.source.*."""
    if spec.backfill is None:
        return {}
    source = spec.backfill.source
    conf = {"streamplane.source.mode": "backfill" if spec.backfill.active else "live",
            "streamplane.source.backfill.type": source.type}
    if source.type == "s3":
        conf["streamplane.source.backfill.path"] = source.path or ""
        conf["streamplane.source.backfill.format"] = source.format
    else:
        conf["streamplane.source.backfill.table"] = source.table or ""
    return conf


def overlapping_keys(keys: list[str]) -> list[tuple[str, str]]:
    """Every (key, longer key) pair where the first is a dotted prefix of the second, sorted."""
    ordered = sorted(set(keys))
    return [(short, long) for short in ordered for long in ordered if long.startswith(short + ".")]


def flink_configuration(name: str, spec: FlinkJobSpec, bucket: str | None,
                        platform_configuration: Mapping[str, object] | None = None) -> dict[str, str]:
    """The whole flinkConfiguration: platform-managed keys, then platform job keys, then the user's own."""
    conf = {
        "taskmanager.numberOfTaskSlots": str(spec.task_manager.slots),
        "state.backend.type": spec.effective_state_backend,
        # Requests equal limits: a job never runs on memory or CPU it may lose under node pressure.
        "kubernetes.jobmanager.cpu.limit-factor": "1.0",
        "kubernetes.taskmanager.cpu.limit-factor": "1.0",
        "kubernetes.jobmanager.memory.limit-factor": "1.0",
        "kubernetes.taskmanager.memory.limit-factor": "1.0",
        # Self-healing: restart the cluster when restarts pile up or checkpoints stall, recreate a
        # lost job manager deployment, and restart a job that reached FAILED.
        "kubernetes.operator.cluster.health-check.enabled": "true",
        "kubernetes.operator.jm-deployment-recovery.enabled": "true",
        "kubernetes.operator.job.restart.failed": "true",
    }
    if spec.effective_state_backend == "hashmap":
        # Managed memory serves RocksDB (and batch operators); a hashmap job keeps state on the heap,
        # so the default 0.4 of task manager memory would sit reserved and unused.
        conf["taskmanager.memory.managed.fraction"] = "0"
    if spec.max_parallelism is not None:
        conf["pipeline.max-parallelism"] = str(spec.max_parallelism)
    conf.update(restart_strategy_configuration(spec))
    conf.update(state_configuration(name, spec, bucket))
    conf.update(backfill_configuration(spec))
    conf.update({k: _text(v) for k, v in (platform_configuration or {}).items()})
    conf.update({k: _text(v) for k, v in spec.configuration.items()})
    return dict(sorted(conf.items()))


def labels(job: Declared[FlinkJobSpec], environment: str) -> dict[str, str]:
    return {**object_labels(job, environment, app=job.name),
            "app.kubernetes.io/part-of": "streamplane", "streamplane.io/state": job.spec.state}


def _sized_pod(cpu: float, memory: str) -> dict:
    """A component pod template whose main container requests exactly what it is limited to."""
    size = {"cpu": k8s_cpu(cpu), "memory": k8s_memory(memory)}
    return {"spec": {"containers": [{"name": MAIN_CONTAINER, "resources": {"requests": dict(size), "limits": dict(size)}}]}}


def pod_template(pod_labels: Mapping[str, str]) -> dict:
    """Shared by job and task managers: non-root, no privilege escalation, no capabilities."""
    return {
        "metadata": {"labels": dict(pod_labels)},
        "spec": {
            "securityContext": {
                "runAsNonRoot": True, "runAsUser": FLINK_UID, "runAsGroup": FLINK_UID, "fsGroup": FLINK_UID,
                "seccompProfile": {"type": "RuntimeDefault"},
            },
            "containers": [{
                "name": MAIN_CONTAINER,
                "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
            }],
        },
    }


def job_section(job: Declared[FlinkJobSpec]) -> dict:
    spec = job.spec
    section: dict = {"jarURI": spec.jar_uri, "parallelism": spec.parallelism,
                     "upgradeMode": spec.effective_upgrade_mode, "state": "running"}
    if spec.entry_class:
        section["entryClass"] = spec.entry_class
    if spec.args:
        section["args"] = list(spec.args)
    if spec.restore is not None:
        section["initialSavepointPath"] = spec.restore.savepoint
        section["savepointRedeployNonce"] = spec.restore.nonce
        # Dropping unmatched state is never implied: only when the user asked for it.
        if spec.restore.allow_non_restored_state:
            section["allowNonRestoredState"] = True
    elif spec.migrate_from is not None:
        # The replacing deployment is new to the operator: it starts from initialSavepointPath once.
        section["initialSavepointPath"] = spec.migrate_from.savepoint
    return section


ACKNOWLEDGE_ANNOTATION = "streamplane.io/acknowledge"
"""Risk codes the spec acknowledges, as "<code>=<expires>[,...]", for policies that see only the resource."""


def deployment_annotations(spec: FlinkJobSpec) -> dict[str, str]:
    # `pulumi up` waits until the operator reports a stable deployment with a running job.
    out = {"pulumi.com/waitFor": WAIT_FOR, "pulumi.com/timeoutSeconds": str(READINESS_TIMEOUT_S)}
    if spec.acknowledge:
        out[ACKNOWLEDGE_ANNOTATION] = ",".join(f"{a.risk}={a.expires}" for a in spec.acknowledge)
    return out


def flink_deployment(job: Declared[FlinkJobSpec], *, namespace: str, service_account: str, bucket: str | None,
                     environment: str, platform_configuration: Mapping[str, object] | None = None) -> dict:
    """The FlinkDeployment (apiVersion, kind, metadata, spec) for `job` in application mode."""
    spec = job.spec
    job_labels = labels(job, environment)
    return {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": {
            "name": job.name,
            "namespace": namespace,
            "labels": job_labels,
            "annotations": deployment_annotations(spec),
        },
        "spec": {
            "image": spec.image,
            "flinkVersion": spec.flink_version,
            "serviceAccount": service_account,
            "flinkConfiguration": flink_configuration(job.name, spec, bucket, platform_configuration),
            "podTemplate": pod_template(job_labels),
            "jobManager": {
                "replicas": 1,
                "resource": {"cpu": float(spec.job_manager.cpu), "memory": spec.job_manager.memory},
                "podTemplate": _sized_pod(spec.job_manager.cpu, spec.job_manager.memory),
            },
            "taskManager": {
                "resource": {"cpu": float(spec.task_manager.cpu), "memory": spec.task_manager.memory},
                "podTemplate": _sized_pod(spec.task_manager.cpu, spec.task_manager.memory),
            },
            "job": job_section(job),
        },
    }
