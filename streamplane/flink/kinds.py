"""FlinkJob: one Flink application on its own Flink cluster, with its state on a CheckpointStore.

The checks here mirror the Flink Kubernetes Operator's own validator (DefaultValidator) so a spec the
operator would reject fails at plan time, in the user's file, instead of after `pulumi up`. They are
pure functions of the spec, so a job built in code (a Keystone route) is checked the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from ..checkpoint.kinds import job_prefix
from ..spec.model import Acknowledgement, Declared, Finding, KindDef, PlatformSpec

KIND = "FlinkJob"

# The Flink release the platform runs, and the operator's flinkVersion for it: the router jobs use it,
# every example job declares it, and the real-Flink test (tests/flink/test_real_flink.py) loads each
# emitted flinkConfiguration with this release's classes (pyproject's `flink` extra pins the same).
FLINK_RELEASE = "2.2.1"
FLINK_VERSION = "v" + "_".join(FLINK_RELEASE.split(".")[:2])

DEFAULT_JOB_MANAGER_CPU = 1.0
DEFAULT_JOB_MANAGER_MEMORY = "2048m"
DEFAULT_TASK_MANAGER_CPU = 1.0
DEFAULT_TASK_MANAGER_MEMORY = "4096m"
DEFAULT_TASK_SLOTS = 1
DEFAULT_CHECKPOINT_INTERVAL = "60s"
DEFAULT_CHECKPOINT_TIMEOUT = "10m"
DEFAULT_CHECKPOINT_MODE = "exactly-once"
DEFAULT_TOLERABLE_FAILED_CHECKPOINTS = 0
RESTORE_PHASES = ("save-current", "rewind")
DEFAULT_RESTART_STRATEGY = "exponential-delay"
DEFAULT_INITIAL_BACKOFF = "1s"
DEFAULT_MAX_BACKOFF = "5m"
DEFAULT_BACKOFF_MULTIPLIER = 2.0
DEFAULT_FIXED_DELAY_ATTEMPTS = 10
DEFAULT_FAILURE_RATE_MAX_FAILURES = 3
DEFAULT_FAILURE_RATE_INTERVAL = "5m"
DEFAULT_RESTART_DELAY = "10s"
DEFAULT_BACKFILL_FORMAT = "parquet"

# The operator's FlinkDeployment name rule (DefaultValidator.DEPLOYMENT_NAME_PATTERN): stricter than
# the platform's DNS label (starts with a letter, at most 45 characters).
DEPLOYMENT_NAME = re.compile(r"^[a-z]([-a-z0-9]{0,43}[a-z0-9])?$")
DEPLOYMENT_NAME_MAX_CHARS = 45

# The owner names the job's namespace; these belong to the cluster itself.
RESERVED_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")

PLATFORM = "the platform"
# Flink configuration keys the platform sets (or the operator forbids), and the spec field that
# controls each. Users cannot override them in spec.configuration: a wrong state dir or a disabled
# health check would silently break restores and self-healing.
MANAGED_KEYS: dict[str, str] = {
    "state.checkpoints.dir": "checkpointStore",
    "execution.checkpointing.dir": "checkpointStore",
    "state.savepoints.dir": "checkpointStore",
    "execution.checkpointing.savepoint-dir": "checkpointStore",
    "savepoints.state.backend.fs.dir": "checkpointStore",
    "execution.checkpointing.storage": "checkpointStore",
    "state.checkpoint-storage": "checkpointStore",
    "high-availability": "highAvailability",
    "high-availability.type": "highAvailability",
    "high-availability.storageDir": "highAvailability",
    "high-availability.cluster-id": "metadata.name (the operator forbids this key)",
    "kubernetes.namespace": "metadata.owner (the operator forbids this key)",
    "kubernetes.cluster-id": "metadata.name (the operator forbids this key)",
    "kubernetes.service-account": f"{PLATFORM} (the job's IRSA service account)",
    "kubernetes.jobmanager.service-account": f"{PLATFORM} (the job's IRSA service account)",
    "kubernetes.taskmanager.service-account": f"{PLATFORM} (the job's IRSA service account)",
    "kubernetes.operator.job.savepoint-on-deletion": PLATFORM,
    "kubernetes.operator.jm-deployment-recovery.enabled": PLATFORM,
    "kubernetes.operator.job.restart.failed": PLATFORM,
    "kubernetes.operator.periodic.savepoint.interval": "savepoints.interval",
    "kubernetes.operator.savepoint.history.max.age": "savepoints.maxAge",
    "kubernetes.operator.savepoint.history.max.count": "savepoints.maxCount",
    "execution.checkpointing.interval": "checkpointing.interval",
    "execution.checkpointing.mode": "checkpointing.mode",
    "execution.checkpointing.timeout": "checkpointing.timeout",
    "execution.checkpointing.tolerable-failed-checkpoints": "checkpointing.tolerableFailures",
    "execution.checkpointing.num-retained": "checkpointing.rewindWindow",
    "state.checkpoints.num-retained": "checkpointing.rewindWindow",
    "execution.checkpointing.externalized-checkpoint-retention": PLATFORM,
    "execution.checkpointing.incremental": "stateBackend",
    "state.backend.incremental": "stateBackend",
    "state.backend.type": "stateBackend",
    "state.backend": "stateBackend",
    "pipeline.max-parallelism": "maxParallelism",
    "parallelism.default": "parallelism",
    "taskmanager.numberOfTaskSlots": "taskManager.slots",
    "jobmanager.memory.process.size": "jobManager.memory",
    "taskmanager.memory.process.size": "taskManager.memory",
    "kubernetes.jobmanager.cpu.limit-factor": f"{PLATFORM} (requests equal limits)",
    "kubernetes.taskmanager.cpu.limit-factor": f"{PLATFORM} (requests equal limits)",
    "kubernetes.jobmanager.memory.limit-factor": f"{PLATFORM} (requests equal limits)",
    "kubernetes.taskmanager.memory.limit-factor": f"{PLATFORM} (requests equal limits)",
}
MANAGED_PREFIXES: dict[str, str] = {
    "restart-strategy": "restartStrategy",
    "high-availability.": "highAvailability",
    "kubernetes.operator.cluster.health-check.": PLATFORM,
}
# Keys the platform passes to the job itself (backfill switch, route settings); reserved for
# platform code, never set by a user's spec.configuration.
PLATFORM_JOB_PREFIX = "streamplane."

_RESTART_FIELDS = {
    "exponential-delay": {"initialBackoff", "maxBackoff", "backoffMultiplier"},
    "fixed-delay": {"attempts", "delay"},
    "failure-rate": {"maxFailures", "failureInterval", "delay"},
    "none": set(),
}
@dataclass(frozen=True)
class Checkpointing:
    interval: str = DEFAULT_CHECKPOINT_INTERVAL
    mode: str = DEFAULT_CHECKPOINT_MODE
    timeout: str = DEFAULT_CHECKPOINT_TIMEOUT
    tolerable_failures: int = DEFAULT_TOLERABLE_FAILED_CHECKPOINTS
    rewind_window: str | None = None
    """None: Flink keeps only the latest checkpoint (num-retained 1)."""


@dataclass(frozen=True)
class PeriodicSavepoints:
    interval: str
    max_age: str | None = None
    """None: the operator's default history age (24h)."""
    max_count: int | None = None
    """None: the operator's default history count (10)."""


@dataclass(frozen=True)
class RestartStrategy:
    type: str = DEFAULT_RESTART_STRATEGY
    initial_backoff: str = DEFAULT_INITIAL_BACKOFF
    max_backoff: str = DEFAULT_MAX_BACKOFF
    backoff_multiplier: float = DEFAULT_BACKOFF_MULTIPLIER
    attempts: int = DEFAULT_FIXED_DELAY_ATTEMPTS
    max_failures: int = DEFAULT_FAILURE_RATE_MAX_FAILURES
    failure_interval: str = DEFAULT_FAILURE_RATE_INTERVAL
    delay: str = DEFAULT_RESTART_DELAY


@dataclass(frozen=True)
class JobManagerResources:
    cpu: float = DEFAULT_JOB_MANAGER_CPU
    memory: str = DEFAULT_JOB_MANAGER_MEMORY


@dataclass(frozen=True)
class TaskManagerResources:
    cpu: float = DEFAULT_TASK_MANAGER_CPU
    memory: str = DEFAULT_TASK_MANAGER_MEMORY
    slots: int = DEFAULT_TASK_SLOTS


@dataclass(frozen=True)
class Restore:
    savepoint: str
    nonce: int
    allow_non_restored_state: bool = False
    phase: str = "rewind"
    """save-current: step 1, savepoint the running state (savepointTriggerNonce); rewind: step 2, redeploy."""

    @property
    def rewinds(self) -> bool:
        return self.phase == "rewind"


@dataclass(frozen=True)
class Migration:
    """The savepoint a replaced stateful job starts from (rename, owner change): declared, so reviewed."""

    savepoint: str


@dataclass(frozen=True)
class BackfillSource:
    type: str
    path: str | None = None
    table: str | None = None
    format: str = DEFAULT_BACKFILL_FORMAT
    uid: str | None = None
    """The backfill source's operator uid; required by validate."""
    kms_key_arn: str | None = None
    """s3 only: the key the source's objects are encrypted with; None: no KMS grant."""


@dataclass(frozen=True)
class Backfill:
    source: BackfillSource
    active: bool = False
    live_source_uid: str | None = None
    """The live source's operator uid; required by validate."""


@dataclass(frozen=True)
class FlinkJobSpec:
    """spec of a FlinkJob. Omitted fields take the defaults named in schemas/flink-job.json."""

    state: str
    image: str
    flink_version: str
    jar_uri: str = field(metadata={"key": "jarURI"})
    parallelism: int = 1
    checkpoint_store: str | None = None
    entry_class: str | None = None
    args: tuple[str, ...] = ()
    max_parallelism: int | None = None
    """None: Flink derives it on the first deployment."""
    upgrade_mode: str | None = None
    """Stateful only; None: savepoint."""
    on_redeploy: str | None = None
    """Stateful only; None: restore."""
    redeploy: str | None = None
    """Stateless only; None: latency."""
    high_availability: bool | None = None
    """None: on when a checkpoint store is set."""
    checkpointing: Checkpointing | None = None
    """None: the defaults, when a checkpoint store is set."""
    state_backend: str | None = None
    """None: rocksdb for stateful jobs, hashmap for stateless ones."""
    savepoints: PeriodicSavepoints | None = None
    restart_strategy: RestartStrategy = field(default_factory=RestartStrategy)
    job_manager: JobManagerResources = field(default_factory=JobManagerResources)
    task_manager: TaskManagerResources = field(default_factory=TaskManagerResources)
    restore: Restore | None = None
    acknowledge: tuple[Acknowledgement, ...] = ()
    """Risks of this job accepted on purpose, until their expiry (see streamplane.risks.leveled)."""
    migrate_from: Migration | None = None
    """A replacement (rename, owner change) starts from this savepoint of the old job; None: none declared."""
    backfill: Backfill | None = None
    configuration: dict = field(default_factory=dict, hash=False)

    @property
    def stateful(self) -> bool:
        return self.state == "stateful"

    @property
    def ha_enabled(self) -> bool:
        return self.checkpoint_store is not None if self.high_availability is None else self.high_availability

    @property
    def effective_upgrade_mode(self) -> str:
        """The operator's job.upgradeMode this spec maps to (see docs/flink.md)."""
        if self.stateful:
            if self.on_redeploy == "start-fresh":
                return "stateless"
            return self.upgrade_mode or "savepoint"
        if self.checkpoint_store is None:
            return "stateless"
        if self.redeploy == "no-duplicates":
            return "savepoint"
        return "last-state" if self.ha_enabled else "stateless"

    @property
    def effective_state_backend(self) -> str:
        return self.state_backend or ("rocksdb" if self.stateful else "hashmap")

    @property
    def effective_checkpointing(self) -> Checkpointing | None:
        if self.checkpoint_store is None:
            return None
        return self.checkpointing or Checkpointing()


def managed_key_owner(key: str, include_job_prefix: bool = True) -> str | None:
    """The spec field (or "the platform") that controls a Flink configuration key, or None if free."""
    if key in MANAGED_KEYS:
        return MANAGED_KEYS[key]
    for prefix, owner in MANAGED_PREFIXES.items():
        if key.startswith(prefix):
            return owner
    if include_job_prefix and key.startswith(PLATFORM_JOB_PREFIX):
        return f"{PLATFORM} (backfill and route settings)"
    return None


def validate(name: str, spec: FlinkJobSpec, stores: Iterable[str], owner: str | None = None) -> list[Finding]:
    """Every problem the operator (or a safe restore) would hit, as pointers into the job's document."""
    stores = sorted(stores)
    found: list[Finding] = []

    def add(pointer: str, message: str, level: Literal["error", "warning"] = "error") -> None:
        found.append(Finding(pointer, message, level))

    if not DEPLOYMENT_NAME.fullmatch(name):
        add("/metadata/name", f'must start with a letter and be at most {DEPLOYMENT_NAME_MAX_CHARS} characters '
            f'(the operator\'s rule for FlinkDeployment names), got "{name}" ({len(name)} characters). Rename the job.')
    if owner in RESERVED_NAMESPACES:
        add("/metadata/owner", f'"{owner}" cannot own Flink jobs: the owner names the job\'s namespace, and '
            f'{", ".join(RESERVED_NAMESPACES)} belong to the cluster. Use the team\'s name.')
    if spec.parallelism < 1:
        add("/spec/parallelism", f"must be larger than 0 (the operator rejects it: \"Job parallelism must be larger "
            f"than 0\"), got {spec.parallelism}. Set parallelism to 1 or more.")
    if spec.max_parallelism is not None and spec.max_parallelism < spec.parallelism:
        add("/spec/maxParallelism", f"must be at least parallelism ({spec.parallelism}), got {spec.max_parallelism}: "
            "Flink cannot run more subtasks than key groups. Lower parallelism, or raise maxParallelism "
            "(a state-breaking change for a running stateful job).")

    store_hint = f"Add checkpointStore: <name> (declared: {', '.join(stores) or 'none'})"
    if spec.stateful:
        if spec.checkpoint_store is None:
            add("/spec/checkpointStore", "a stateful job needs a checkpointStore for its checkpoints, savepoints and "
                f"HA metadata, none is set. {store_hint}.")
        if spec.redeploy is not None:
            add("/spec/redeploy", "applies to stateless jobs only; this job is state: stateful. "
                "Use upgradeMode: savepoint | last-state instead.")
        if spec.backfill is not None:
            add("/spec/backfill", "backfill is for stateless jobs only: switching a stateful job's source to "
                "warehouse data replays old events into live state. Remove backfill, or run the backfill as a "
                "separate stateless job.")
    else:
        for field_name, value in (("upgradeMode", spec.upgrade_mode), ("onRedeploy", spec.on_redeploy)):
            if value is not None:
                add(f"/spec/{field_name}", f"{field_name} applies to stateful jobs only; this job is state: "
                    "stateless. Remove it, or use redeploy: latency | no-duplicates.")
        if spec.redeploy == "no-duplicates" and spec.checkpoint_store is None:
            add("/spec/redeploy", "redeploy no-duplicates stops the job with a savepoint, which needs a savepoints "
                "directory (the operator: \"Job could not be upgraded with savepoint while config "
                f"key[state.savepoints.dir] is not set\"); this job has no checkpointStore. {store_hint}, "
                "or use redeploy: latency.")

    if (not spec.stateful and spec.checkpoint_store is not None and spec.redeploy != "no-duplicates"
            and spec.high_availability is False):
        add("/spec/highAvailability", "redeploy latency with a checkpointStore redeploys with upgradeMode last-state, "
            "which needs high availability; with highAvailability false every redeploy would silently drop the "
            "job's checkpoints and source positions. Remove highAvailability: false, or use redeploy: no-duplicates.")
    if spec.upgrade_mode == "last-state" and not spec.ha_enabled:
        why = "highAvailability is false" if spec.high_availability is False else "the job has no checkpointStore"
        add("/spec/upgradeMode", "upgradeMode last-state needs high availability (the operator: \"Job could not be "
            f"upgraded with last-state while HA disabled\"), but {why}. Enable highAvailability (with a "
            "checkpointStore) or use upgradeMode: savepoint.")
    if spec.checkpoint_store is None:
        needs_store: tuple[tuple[str, object, str], ...] = (
            ("/spec/highAvailability", spec.high_availability, "HA metadata (high-availability.storageDir)"),
            ("/spec/checkpointing", spec.checkpointing, "checkpoints (state.checkpoints.dir)"),
            ("/spec/restore", spec.restore, "the savepoint to restore"),
        )
        for pointer, needed, what in needs_store:
            if needed:
                add(pointer, f"needs a checkpointStore for {what}, none is set. {store_hint}, or remove this field.")
        if spec.savepoints is not None:
            add("/spec/savepoints", "periodic savepoints need a savepoints directory (the operator: \"Periodic "
                "savepoints cannot be enabled when config key[state.savepoints.dir] is not set\"); this job has no "
                f"checkpointStore. {store_hint}, or remove savepoints.")

    if spec.restore is not None and spec.on_redeploy == "start-fresh":
        add("/spec/onRedeploy", "start-fresh contradicts restore: a job cannot start from empty state and from a "
            "savepoint at once. Remove one of them.")
    if spec.restore is not None:
        path = spec.restore.savepoint
        if not _under_job_prefix(path, name):
            add("/spec/restore/savepoint", f"must be under this job's own prefix jobs/{name}/ on its store (the job's "
                f'IAM role can read nothing else), got "{path}". Pick one of this job\'s savepoints or checkpoints.')

    if spec.migrate_from is not None:
        if not spec.stateful:
            add("/spec/migrateFrom", "applies to stateful jobs only (a stateless job has no state to carry over). "
                "Remove migrateFrom.")
        if spec.restore is not None:
            add("/spec/migrateFrom", "contradicts restore: the new job starts from one savepoint. Remove restore "
                "(migrateFrom names the savepoint of the replaced job).")
        if spec.checkpoint_store is None:
            add("/spec/migrateFrom", f"needs a checkpointStore to restore into, none is set. {store_hint}, or remove migrateFrom.")
        if not re.match(r"^s3://[^/]+/jobs/[^/]+/.+", spec.migrate_from.savepoint):
            add("/spec/migrateFrom/savepoint", "must be a savepoint of the replaced job under its prefix "
                f's3://<bucket>/jobs/<old job>/..., got "{spec.migrate_from.savepoint}".')

    if spec.backfill is not None:
        source = spec.backfill.source
        if source.type == "s3" and not source.path:
            add("/spec/backfill/source", "a backfill source of type s3 needs path (s3://bucket/prefix/). Add path.")
        if source.type == "hive" and not source.table:
            add("/spec/backfill/source", "a backfill source of type hive needs table (database.table). Add table.")
        if source.type != "s3" and source.kms_key_arn:
            add("/spec/backfill/source/kmsKeyArn", f"applies to a backfill source of type s3 only, got type {source.type}. "
                "Remove kmsKeyArn.")
        missing = [f for f, v in (("liveSourceUid", spec.backfill.live_source_uid), ("source.uid", source.uid)) if not v]
        if missing and not spec.stateful:
            add("/spec/backfill", f"a backfill switch needs the operator uid of each source, missing: {', '.join(missing)}. "
                "The plan compares them to say whether the source's state carries over a switch; add the uids the "
                "job gives its sources (.uid(...)).")

    allowed = _RESTART_FIELDS[spec.restart_strategy.type]
    for key in sorted(set().union(*_RESTART_FIELDS.values()) - allowed):
        default = RestartStrategy()
        snake = re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), key)
        if getattr(spec.restart_strategy, snake) != getattr(default, snake):
            types = [t for t, fields in _RESTART_FIELDS.items() if key in fields]
            add(f"/spec/restartStrategy/{key}", f"applies to restartStrategy type {' and '.join(types)} only, "
                f"got type {spec.restart_strategy.type}. Remove {key} or change type.")

    for key in sorted(spec.configuration):
        controller = managed_key_owner(key)
        if controller is not None:
            fix = "." if controller.startswith(PLATFORM) or "forbids" in controller else f" and set {controller} instead."
            add(f"/spec/configuration/{key.replace('~', '~0').replace('/', '~1')}",
                f'"{key}" is managed by the platform and cannot be set in configuration (controlled by: '
                f"{controller}). Remove it{fix}")
    return found


def _under_job_prefix(uri: str, name: str) -> bool:
    """s3://<bucket>/jobs/<name>/... with something after the prefix."""
    if not uri.startswith("s3://"):
        return False
    _bucket, _, key = uri[len("s3://"):].partition("/")
    prefix = job_prefix(name)
    return key.startswith(prefix) and len(key) > len(prefix)


def check(job: Declared, platform: PlatformSpec) -> Iterable[Finding]:
    stores = [s.name for s in platform.of("CheckpointStore")]
    return validate(job.name, job.spec, stores, job.owner)


KIND_DEF = KindDef(kind=KIND, spec_class=FlinkJobSpec)
