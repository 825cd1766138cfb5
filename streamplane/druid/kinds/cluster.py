"""DruidCluster: a Druid cluster (druid-operator `Druid` resource) with historical tiers and S3 deep storage."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction

from ...quantities import parse_quantity
from ...spec import typed
from ...spec.model import Acknowledgement, Declared, Finding, KindDef, PlatformSpec

KIND = "DruidCluster"
DEFAULT_IMAGE = "apache/druid:33.0.0"
DEFAULT_BROKER_REPLICAS = 2
DEFAULT_REPLICAS = 1
DEFAULT_METADATA_USER_KEY = "username"
DEFAULT_METADATA_PASSWORD_KEY = "password"
# Indexing tasks that are publishing and handing off their segments keep their slot while their
# successors already read the next offsets, so each datasource needs its tasks' slots twice.
COMPACTION_TASK_SLOT_RATIO = 0.1
"""Druid's default compactionTaskSlotRatio (DruidCompactionConfig)."""
HANDOFF_OVERLAP_FACTOR = 2
SEGMENT_CACHE_FILL_RATIO = 0.9
"""The share of a historical's segment-cache volume that druid.server.maxSize may promise the
coordinator. The rest is headroom Druid does not account for: the filesystem's own metadata and
journal, the cache's info_dir, and files left behind (apache/druid docs/configuration/index.md
@ 811217ed: maxSize "is only a theoretical limit and assumes that much space will always be
available"). The coordinator assigns segments up to maxSize, so a maxSize equal to the volume fills
the disk and segment loads fail."""
DEFAULT_MIDDLE_MANAGER_HEAP = "256Mi"
"""The middle manager's own heap: it only launches and watches tasks (apache/druid
docs/operations/basic-cluster-tuning.md @ 04bb5b88: "~128MiB generally"; doubled for the Kubernetes
discovery client). Without -Xmx the JVM takes a quarter of the pod's memory, which the tasks need."""
DEFAULT_TASK_HEAP = "1Gi"
"""Each indexing task's heap (basic-cluster-tuning.md: "A 1GiB heap is usually enough for Tasks").
Without -Xmx a peon takes a quarter of the pod's memory, workerCapacity times over."""
DEFAULT_TASK_DIRECT_MEMORY = "1Gi"
"""Each task's -XX:MaxDirectMemorySize; with processing unset Druid sizes its buffers to fit it."""
JVM_OVERHEAD = "512Mi"
"""Memory a JVM uses beyond heap and direct memory (metaspace, code cache, thread stacks, GC): an
estimate, not a Druid number; counted once per process when sizing a middle-manager pod."""
DEFAULT_BROKER_HTTP_NUM_CONNECTIONS = 20
"""Druid's druid.broker.http.numConnections (docs/configuration/index.md, Broker)."""
NON_QUERY_HTTP_THREADS = 10
"""HTTP threads a data node keeps beyond the brokers' connections for non-query requests (segment
loading status, health, the coordinator): apache/druid docs/operations/basic-cluster-tuning.md
@ 04bb5b88, "50 queries and 10 non-queries"."""


def quantity_bytes(quantity: str | int | float) -> int:
    """A Kubernetes quantity (500Gi, 4G, 1048576) as a whole number of bytes."""
    return int(parse_quantity(quantity))


@dataclass(frozen=True)
class Resources:
    cpu: str | int | float | None = None
    memory: str | int | float | None = None


@dataclass(frozen=True)
class Processing:
    """druid.processing.*; None leaves the value to Druid."""

    buffer_size_bytes: int | None = None
    num_threads: int | None = None
    num_merge_buffers: int | None = None


@dataclass(frozen=True)
class Http:
    """druid.server.http.*; None leaves the value to Druid."""

    num_threads: int | None = None
    queue_size: int | None = None


@dataclass(frozen=True)
class Nodes:
    """A node group without query tuning (coordinators, overlords, routers)."""

    replicas: int = DEFAULT_REPLICAS
    resources: Resources | None = None
    heap: str | int | None = None


@dataclass(frozen=True)
class Brokers:
    replicas: int = DEFAULT_BROKER_REPLICAS
    resources: Resources | None = None
    heap: str | int | None = None
    direct_memory: str | int | None = None
    processing: Processing | None = None
    http: Http | None = None
    num_connections: int | None = None


@dataclass(frozen=True)
class MiddleManagers:
    replicas: int
    worker_capacity: int
    resources: Resources | None = None
    heap: str | int = DEFAULT_MIDDLE_MANAGER_HEAP
    task_heap: str | int = DEFAULT_TASK_HEAP
    task_direct_memory: str | int = DEFAULT_TASK_DIRECT_MEMORY
    processing: Processing | None = None

    @property
    def task_slots(self) -> int:
        return self.replicas * self.worker_capacity

    @property
    def task_bytes(self) -> int:
        """What one indexing task (peon) may use: heap + direct memory + JVM overhead."""
        return quantity_bytes(self.task_heap) + quantity_bytes(self.task_direct_memory) + quantity_bytes(JVM_OVERHEAD)

    @property
    def pod_bytes_needed(self) -> int:
        """The middle manager's own heap and overhead plus workerCapacity full tasks (basic-cluster-tuning.md,
        MiddleManager total memory: MM heap + druid.worker.capacity x single task memory)."""
        return (quantity_bytes(self.heap) + quantity_bytes(JVM_OVERHEAD)
                + self.worker_capacity * self.task_bytes)


@dataclass(frozen=True)
class Tier:
    replicas: int
    segment_cache_size: str | int
    """The segment-cache volume of each historical (its PVC size)."""
    max_size: str | int | None = None
    """druid.server.maxSize and druid.segmentCache.locations maxSize; None: SEGMENT_CACHE_FILL_RATIO of the volume."""
    storage_class: str | None = None
    priority: int = 0
    cache_size_bytes: int | None = None
    resources: Resources | None = None
    heap: str | int | None = None
    direct_memory: str | int | None = None
    processing: Processing | None = None
    http: Http | None = None


@dataclass(frozen=True)
class MetadataStore:
    type: str
    connect_uri: str
    secret_name: str
    user_key: str = DEFAULT_METADATA_USER_KEY
    password_key: str = DEFAULT_METADATA_PASSWORD_KEY


@dataclass(frozen=True)
class DruidClusterSpec:
    """spec of a DruidCluster. Omitted fields take the defaults named in schemas/druid-cluster.json."""

    deep_storage: str
    metadata_store: MetadataStore
    middle_managers: MiddleManagers
    tiers: dict = field(hash=False)
    """tier name -> Tier, in the order written."""
    image: str = DEFAULT_IMAGE
    namespace: str | None = None
    """None: metadata.owner."""
    zookeeper: str | None = None
    """None: Kubernetes-based discovery, no ZooKeeper."""
    brokers: Brokers = Brokers()
    coordinators: Nodes = Nodes()
    overlords: Nodes = Nodes()
    routers: Nodes = Nodes()
    acknowledge: tuple[Acknowledgement, ...] = ()
    """Risks of this object accepted on purpose, until their expiry (see streamplane.risks.leveled)."""

    def __post_init__(self) -> None:
        # The schema keeps tiers as a map (so overlays can resize one tier); type each entry here.
        tiers = {name: t if isinstance(t, Tier) else typed.build(Tier, t) for name, t in self.tiers.items()}
        object.__setattr__(self, "tiers", tiers)


def segment_cache_limit_bytes(tier: Tier) -> int:
    """The most segment bytes a historical of `tier` may be assigned: SEGMENT_CACHE_FILL_RATIO of its volume."""
    return int(quantity_bytes(tier.segment_cache_size) * SEGMENT_CACHE_FILL_RATIO)


def segment_cache_max_bytes(tier: Tier) -> int:
    """druid.server.maxSize, and the maxSize of the one druid.segmentCache.locations entry (kept equal:
    Druid defaults the former to the sum of the latter, and the coordinator plans with maxSize)."""
    return quantity_bytes(tier.max_size) if tier.max_size is not None else segment_cache_limit_bytes(tier)


def broker_connections(spec: DruidClusterSpec) -> int:
    """Connections all brokers together may open to one data node (historical or task): replicas x
    druid.broker.http.numConnections (each broker keeps a pool of that size per data node)."""
    return spec.brokers.replicas * (spec.brokers.num_connections or DEFAULT_BROKER_HTTP_NUM_CONNECTIONS)


def data_node_http_threads(spec: DruidClusterSpec) -> int:
    """druid.server.http.numThreads for a data node whose tier sets none: every broker connection plus
    the non-query threads (basic-cluster-tuning.md: slightly higher than the brokers' sum)."""
    return broker_connections(spec) + NON_QUERY_HTTP_THREADS


def namespace_of(cluster: Declared[DruidClusterSpec]) -> str:
    return cluster.spec.namespace or cluster.owner


def _direct_memory_findings(pointer: str, direct_memory, processing: Processing | None,
                            field_name: str = "directMemory") -> Iterator[Finding]:
    """Druid refuses to start when direct memory cannot hold every processing and merge buffer."""
    if direct_memory is None or processing is None:
        return
    size, threads, merges = processing.buffer_size_bytes, processing.num_threads, processing.num_merge_buffers
    if size is None or threads is None or merges is None:
        return
    needed = size * (threads + merges + 1)
    have = quantity_bytes(direct_memory)
    if have < needed:
        yield Finding(f"{pointer}/{field_name}",
                      f"{field_name} {direct_memory} ({have} bytes) cannot hold the processing buffers: "
                      f"bufferSizeBytes {processing.buffer_size_bytes} x (numThreads {processing.num_threads} + "
                      f"numMergeBuffers {processing.num_merge_buffers} + 1) = {needed} bytes, and Druid refuses to start. "
                      f"Raise {field_name} to at least {-(-needed // 2**20)}Mi or shrink the buffers.")


def check(cluster: Declared[DruidClusterSpec], platform: PlatformSpec) -> Iterator[Finding]:
    spec = cluster.spec
    yield from _direct_memory_findings("/spec/brokers", spec.brokers.direct_memory, spec.brokers.processing)
    for name, tier in spec.tiers.items():
        yield from _direct_memory_findings(f"/spec/tiers/{name}", tier.direct_memory, tier.processing)

    yield from _direct_memory_findings("/spec/middleManagers", spec.middle_managers.task_direct_memory,
                                       spec.middle_managers.processing, "taskDirectMemory")
    yield from _middle_manager_memory_findings(spec.middle_managers)
    yield from _connection_pool_findings(spec)
    yield from _segment_cache_findings(spec)

    # Every datasource's supervisor runs taskCount x replicas tasks; during handoff the finishing
    # tasks and their successors run side by side. Auto-compaction takes its own slots on top.
    datasources = [d for d in platform.of("DruidDatasource") if d.spec.cluster == cluster.name]
    demand = [(d.name, d.spec.ingestion.task_count * d.spec.ingestion.replicas * HANDOFF_OVERLAP_FACTOR) for d in datasources]
    slots = spec.middle_managers.task_slots
    compaction = compaction_slots(slots) if any(d.spec.compaction.enabled for d in datasources) else 0
    needed = sum(n for _, n in demand) + compaction
    if needed > slots:
        detail = ", ".join(f"{name} {n}" for name, n in demand)
        fits = _worker_capacity_for(needed - compaction, spec.middle_managers.replicas, bool(compaction))
        yield Finding("/spec/middleManagers/workerCapacity",
                      f"middle managers have {slots} task slots (replicas {spec.middle_managers.replicas} x "
                      f"workerCapacity {spec.middle_managers.worker_capacity}) but the datasources on this cluster need "
                      f"{needed} (taskCount x replicas x {HANDOFF_OVERLAP_FACTOR} for handoff overlap: {detail}"
                      + (f"; auto-compaction {compaction}" if compaction else "") + "); "
                      f"tasks would wait for slots and ingestion would lag. Raise workerCapacity to {fits} or "
                      "middleManagers.replicas.")


def _middle_manager_memory_findings(m: MiddleManagers) -> Iterator[Finding]:
    """The pod's memory limit must hold the middle manager and every task it may run at once, or the
    kernel OOM-kills a peon (or the middle manager) when the slots fill up at a rollover."""
    memory = m.resources.memory if m.resources else None
    if memory is None:
        return
    have, needed = quantity_bytes(memory), m.pod_bytes_needed
    if needed <= have:
        return
    fits = max(0, (have - quantity_bytes(m.heap) - quantity_bytes(JVM_OVERHEAD)) // m.task_bytes)
    yield Finding("/spec/middleManagers/resources/memory",
                  f"middle-manager pods have {memory} but need {_mebibytes(needed)}: heap {m.heap} + JVM overhead "
                  f"{JVM_OVERHEAD} + workerCapacity {m.worker_capacity} x (taskHeap {m.task_heap} + taskDirectMemory "
                  f"{m.task_direct_memory} + JVM overhead {JVM_OVERHEAD}); with every slot busy the kernel OOM-kills "
                  f"tasks. Raise resources.memory to {_gibibytes_up(needed)}, or lower workerCapacity to {fits} (and add "
                  "middleManagers.replicas) or taskHeap / taskDirectMemory.")


def _mebibytes(n: int) -> str:
    return f"{-(-n // 2**20)}Mi"


def _gibibytes_up(n: int) -> str:
    return f"{-(-n // 2**30)}Gi"


def _gibibytes(n: int) -> str:
    return f"{n // 2**30}Gi"


def _volume_bytes_for(max_size: int) -> int:
    """The least volume whose SEGMENT_CACHE_FILL_RATIO holds `max_size` bytes, in integers: a float
    quotient overflowed to infinity on a generated maxSize of 1.37e308 (schema fuzz)."""
    ratio = Fraction(SEGMENT_CACHE_FILL_RATIO).limit_denominator(1000)
    return -(-max_size * ratio.denominator // ratio.numerator)


def _segment_cache_findings(spec: DruidClusterSpec) -> Iterator[Finding]:
    for name, tier in spec.tiers.items():
        if tier.max_size is None:
            continue
        have, limit = quantity_bytes(tier.max_size), segment_cache_limit_bytes(tier)
        if have > limit:
            yield Finding(f"/spec/tiers/{name}/maxSize",
                          f"maxSize {tier.max_size} ({have} bytes) leaves too little headroom on the "
                          f"{tier.segment_cache_size} segment-cache volume: the coordinator fills each historical up to "
                          f"druid.server.maxSize, which must stay within {int(SEGMENT_CACHE_FILL_RATIO * 100)}% of the "
                          f"volume ({limit} bytes) for filesystem metadata and files Druid does not count, or segment "
                          f"loads fail on a full disk. Lower maxSize to {_gibibytes(limit)} or raise segmentCacheSize to "
                          f"{-(-_volume_bytes_for(have) // 2**30)}Gi.")


def _connection_pool_findings(spec: DruidClusterSpec) -> Iterator[Finding]:
    """Historicals need an HTTP thread for every connection the brokers may hold to them, or queries
    queue on the historical while brokers wait (apache/druid docs/operations/basic-cluster-tuning.md
    @ 04bb5b88, Connection pool sizing: the brokers' numConnections summed stays below the historicals'
    druid.server.http.numThreads)."""
    connections = broker_connections(spec)
    per_broker = spec.brokers.num_connections or DEFAULT_BROKER_HTTP_NUM_CONNECTIONS
    for name, tier in spec.tiers.items():
        threads = tier.http.num_threads if tier.http else None
        if threads is not None and connections > threads:
            yield Finding(f"/spec/tiers/{name}/http/numThreads",
                          f"historicals of tier {name} serve {threads} HTTP threads (druid.server.http.numThreads) but "
                          f"brokers.replicas {spec.brokers.replicas} x druid.broker.http.numConnections {per_broker} = "
                          f"{connections} broker connections can be open to each of them: queries would wait for a "
                          f"thread while brokers hold connections. Raise numThreads to at least "
                          f"{connections + NON_QUERY_HTTP_THREADS} ({connections} + {NON_QUERY_HTTP_THREADS} for "
                          f"non-query requests) or lower brokers.numConnections to {max(1, threads // spec.brokers.replicas)}.")


def _worker_capacity_for(tasks: int, replicas: int, compaction: bool) -> int:
    """The least workerCapacity whose slots, less auto-compaction's share, hold `tasks`: a binary
    search, since free slots grow with capacity (a counting loop hung on a generated taskCount of 10^12)."""
    def holds(capacity: int) -> bool:
        slots = replicas * capacity
        return slots - (compaction_slots(slots) if compaction else 0) >= tasks
    low, high = 1, 2 * tasks + 2  # holds(high): 0.9 x 2(tasks + 1) - 1 >= tasks for any replicas >= 1
    while low < high:
        middle = (low + high) // 2
        if holds(middle):
            high = middle
        else:
            low = middle + 1
    return low


def compaction_slots(task_slots: int) -> int:
    """The task slots auto-compaction takes: compactionTaskSlotRatio (default 0.1) of the total worker
    capacity, at least one (apache/druid CompactSegments: (int) min(totalCapacity x ratio,
    maxCompactionTaskSlots), and one slot when that rounds to 0)."""
    return max(1, int(task_slots * COMPACTION_TASK_SLOT_RATIO))


KIND_DEF = KindDef(kind=KIND, spec_class=DruidClusterSpec)
