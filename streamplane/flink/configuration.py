"""The flinkConfiguration of one job, as a pure function of its spec: the platform-managed keys
(state dirs and HA under the job's prefix on its CheckpointStore, savepoint on deletion, health checks
computed from the job's own checkpoint and restart numbers), then the platform's job keys, then the
user's own. The checks read it too (the operator's overlapping-prefix rule), so it imports no
component.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..checkpoint.kinds import job_prefix
from ..platform.rules.durations import parse_duration_ms
from .kinds import Checkpointing, FlinkJobSpec, RestartStrategy

# The operator's checkpoint-progress health check raises any window below max(interval, timeout) x
# (tolerable failed checkpoints + 2) to that minimum, so the platform sets exactly that: a window
# that is what it says (apache/flink-kubernetes-operator release-1.15.0, flink-kubernetes-operator/
# src/main/java/org/apache/flink/kubernetes/operator/observer/ClusterHealthEvaluator.java).
CHECKPOINT_PROGRESS_EXTRA_INTERVALS = 2
# The restart health check counts job restarts in a window against a threshold (the operator's
# default: more than 64 in 2 min, which exponential-delay backoff never reaches). The window here is
# long enough for the backoff to climb; the threshold is what a job failing without pause reaches in
# it, less a margin for backoff jitter and the time each restart takes.
RESTART_HEALTH_WINDOW_MS = 30 * 60_000
RESTART_HEALTH_MARGIN = 2
# How long `pulumi up` waits for the job to become STABLE and RUNNING: a savepoint upgrade first waits
# for the stop-with-savepoint (bounded by the checkpoint timeout), then the new cluster starts and
# restores. Startup and restore of large state get this much on top; never less than the floor.
READINESS_FLOOR_S = 900
RESTORE_AND_STARTUP_S = 600
CHECKPOINTING_MODES = {"exactly-once": "EXACTLY_ONCE", "at-least-once": "AT_LEAST_ONCE"}
# Flink 1.20 deprecated state.checkpoints.dir / state.savepoints.dir for these (apache/flink
# flink-core/src/main/java/org/apache/flink/configuration/CheckpointingOptions.java, release-2.x:
# CHECKPOINTS_DIRECTORY and SAVEPOINT_DIRECTORY keep the old keys as deprecated fallbacks).
NEW_STATE_DIR_KEYS_SINCE = (1, 20)
# From v2_0 the operator writes the standard YAML config and rejects a key that is a prefix of
# another (apache/flink-kubernetes-operator release-1.15.0, flink-kubernetes-operator/src/main/java/
# org/apache/flink/kubernetes/kubeclient/decorators/FlinkConfMountDecorator.java validateConfigKeysForV2).
STANDARD_YAML_SINCE = (2, 0)
SOURCE_MODE_KEY = "streamplane.source.mode"
SOURCE_UID_KEYS = {"live": "streamplane.source.live.uid", "backfill": "streamplane.source.backfill.uid"}
_VERSION = re.compile(r"^v(\d+)_(\d+)$")
_FLINK_UNITS = {"ms": "ms", "s": "s", "m": "min", "h": "h", "d": "d"}


def flink_duration(value: str) -> str:
    """A spec duration in Flink's notation: 90s -> "90 s", 5m -> "5 min" (Flink has no weeks: 1w -> "7 d")."""
    if value.endswith("w"):
        return f"{int(value[:-1]) * 7} d"
    number = value.rstrip("abcdefghijklmnopqrstuvwxyz")
    return f"{number} {_FLINK_UNITS[value[len(number):]]}"



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
    match = _VERSION.fullmatch(version)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def state_dir_keys(version: str) -> tuple[str, str]:
    """The checkpoint and savepoint directory keys for `version`: the non-deprecated ones from 1.20."""
    if flink_version(version) >= NEW_STATE_DIR_KEYS_SINCE:
        return "execution.checkpointing.dir", "execution.checkpointing.savepoint-dir"
    return "state.checkpoints.dir", "state.savepoints.dir"


def checkpoint_progress_window_ms(checkpointing: Checkpointing) -> int:
    """The operator's minimum checkpoint-progress window: max(interval, timeout) x (tolerable + 2)."""
    longest = max(parse_duration_ms(checkpointing.interval), parse_duration_ms(checkpointing.timeout))
    return longest * (checkpointing.tolerable_failures + CHECKPOINT_PROGRESS_EXTRA_INTERVALS)


def retained_checkpoints(checkpointing: Checkpointing) -> int:
    """execution.checkpointing.num-retained: enough completed checkpoints to cover the rewind window
    (one per interval, plus the latest); 1 (Flink's default) without a window."""
    if checkpointing.rewind_window is None:
        return 1
    interval_ms = parse_duration_ms(checkpointing.interval)
    return -(-parse_duration_ms(checkpointing.rewind_window) // interval_ms) + 1


def restart_delays_ms(strategy: RestartStrategy, window_ms: int) -> list[int]:
    """The delay before each restart of a job that fails again at once, as far as `window_ms` reaches."""
    delays: list[int] = []
    total = 0
    if strategy.type == "exponential-delay":
        delay, ceiling = parse_duration_ms(strategy.initial_backoff), parse_duration_ms(strategy.max_backoff)
        while total + delay <= window_ms:
            delays.append(delay)
            total += delay
            delay = min(ceiling, int(delay * strategy.backoff_multiplier))
    elif strategy.type in ("fixed-delay", "failure-rate"):
        delay = max(1, parse_duration_ms(strategy.delay))
        limit = strategy.attempts if strategy.type == "fixed-delay" else \
            strategy.max_failures * -(-window_ms // parse_duration_ms(strategy.failure_interval))
        while total + delay <= window_ms and len(delays) < limit:
            delays.append(delay)
            total += delay
    return delays


def restart_health_threshold(strategy: RestartStrategy) -> int | None:
    """Restarts within RESTART_HEALTH_WINDOW_MS above which the operator restarts the cluster, or None
    when the strategy cannot restart often enough for a threshold to mean anything (none, or too slow)."""
    reachable = len(restart_delays_ms(strategy, RESTART_HEALTH_WINDOW_MS)) - RESTART_HEALTH_MARGIN
    return reachable if reachable >= 1 else None


def readiness_timeout_s(spec: FlinkJobSpec) -> int:
    """pulumi.com/timeoutSeconds: the stop-with-savepoint (up to the checkpoint timeout), then restore and startup."""
    checkpointing = spec.effective_checkpointing
    savepoint_s = parse_duration_ms(checkpointing.timeout) // 1000 if checkpointing is not None else 0
    return max(READINESS_FLOOR_S, savepoint_s + RESTORE_AND_STARTUP_S)


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
    window_ms = checkpoint_progress_window_ms(checkpointing)
    checkpoints_key, savepoints_key = state_dir_keys(spec.flink_version)
    conf = {
        checkpoints_key: uris["checkpoints"],
        savepoints_key: uris["savepoints"],
        "execution.checkpointing.interval": flink_duration(checkpointing.interval),
        "execution.checkpointing.mode": CHECKPOINTING_MODES[checkpointing.mode],
        "execution.checkpointing.timeout": flink_duration(checkpointing.timeout),
        "execution.checkpointing.tolerable-failed-checkpoints": str(checkpointing.tolerable_failures),
        "execution.checkpointing.num-retained": str(retained_checkpoints(checkpointing)),
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
    # The job sets these as its sources' operator uids; the review compares them across a switch.
    if spec.backfill.live_source_uid:
        conf[SOURCE_UID_KEYS["live"]] = spec.backfill.live_source_uid
    if source.uid:
        conf[SOURCE_UID_KEYS["backfill"]] = source.uid
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
        "kubernetes.operator.cluster.health-check.restarts.window": _ms_text(RESTART_HEALTH_WINDOW_MS),
        "kubernetes.operator.jm-deployment-recovery.enabled": "true",
        "kubernetes.operator.job.restart.failed": "true",
    }
    if spec.effective_state_backend == "hashmap":
        # Managed memory serves RocksDB (and batch operators); a hashmap job keeps state on the heap,
        # so the default 0.4 of task manager memory would sit reserved and unused.
        conf["taskmanager.memory.managed.fraction"] = "0"
    if spec.max_parallelism is not None:
        conf["pipeline.max-parallelism"] = str(spec.max_parallelism)
    threshold = restart_health_threshold(spec.restart_strategy)
    # Without a reachable threshold the restart check would never fire: set it beyond reach on purpose
    # (docs/flink.md: such a job gets no restart-based cluster restart, only job.restart.failed).
    conf["kubernetes.operator.cluster.health-check.restarts.threshold"] = str(threshold or 2**31 - 1)
    conf.update(restart_strategy_configuration(spec))
    conf.update(state_configuration(name, spec, bucket))
    conf.update(backfill_configuration(spec))
    conf.update({k: _text(v) for k, v in (platform_configuration or {}).items()})
    conf.update({k: _text(v) for k, v in spec.configuration.items()})
    return dict(sorted(conf.items()))
