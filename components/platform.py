"""Platform: builds every component of one stack from its typed spec, in dependency order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from streamplane.domains import construction_order
from streamplane.kafka.admin import checked_admin_connection
from streamplane.partition import Partition
from streamplane.settings import StackSettings
from streamplane.shards import Shard
from streamplane.spec.model import Declared, PlatformSpec

from .checkpoint import CheckpointStore
from .druid import DruidCluster, DruidDatasource, build_druid, build_druid_clusters
from .flink import FlinkJob, FlinkOperator, FlinkSettings, Tenancy, build_flink_jobs, install_operator
from .kafka import KafkaCluster, Stream
from .routing import Route, build_routes
from .shards import build_owner_stack, export_platform_outputs


@dataclass
class Platform:
    """The goal state of one stack as Pulumi resources.

    Components sit directly under the stack (short, stable URNs: a component's URN never depends on
    how this class is organised). Domains are built in construction order (streamplane/domains.py:
    each after the domains it reuses) and later ones look earlier ones up here by spec name: stores,
    then Kafka clusters and streams, Flink jobs (with the tenant namespaces), Druid, and routes, which
    reuse all of them.
    """

    spec: PlatformSpec
    settings: StackSettings
    stores: dict[str, CheckpointStore] = field(default_factory=dict)
    clusters: dict[str, KafkaCluster] = field(default_factory=dict)
    streams: dict[str, Stream] = field(default_factory=dict)
    tenancy: Tenancy | None = None
    """Per-owner namespaces (`tenancy.namespace_for(owner)`), shared by FlinkJobs and route jobs."""
    flink_operator: FlinkOperator | None = None
    jobs: dict[str, FlinkJob] = field(default_factory=dict)
    druid_clusters: dict[str, DruidCluster] = field(default_factory=dict)
    druid_datasources: dict[str, DruidDatasource] = field(default_factory=dict)
    routes: dict[str, Route] = field(default_factory=dict)
    shard: Shard | None = None
    """In a sharded environment, the one stack to build (streamplane/shards.py); None: everything."""
    partition: Partition | None = None
    """In a synth split across worker processes, the owners this one builds (streamplane/partition.py):
    their objects and every platform-scoped one; None: every object."""

    def builds(self, obj: Declared) -> bool:
        return self.partition is None or self.partition.builds(obj)

    def __post_init__(self) -> None:
        if self.shard is not None and not self.shard.is_platform:
            build_owner_stack(self, self.shard)
            return
        # The platform stack of a sharded environment builds only what every owner stack reads.
        shared_only = self.shard is not None
        for domain in construction_order():
            BUILDERS[domain.name](self, shared_only)
        if shared_only:
            export_platform_outputs(self)

    def _build_checkpoint(self, shared_only: bool) -> None:
        for store in self.spec.of("CheckpointStore"):
            self.stores[store.name] = CheckpointStore(store, self.settings)

    def _build_kafka(self, shared_only: bool) -> None:
        for cluster in self.spec.of("KafkaCluster"):
            connection = checked_admin_connection(cluster.name, cluster.spec, self.settings)
            self.clusters[cluster.name] = KafkaCluster(cluster, self.spec, self.settings, connection)
        if shared_only:
            return
        for stream in self.spec.of("Stream"):
            if self.builds(stream):
                self.streams[stream.name] = Stream(stream, self.clusters[stream.spec.cluster], self.settings)

    def _build_flink(self, shared_only: bool) -> None:
        if shared_only:
            self.flink_operator = install_operator(FlinkSettings.from_stack(self.settings).operator)
            return
        self.tenancy, self.flink_operator, self.jobs = build_flink_jobs(self.spec, self.settings, self.stores,
                                                                           self.builds)

    def _build_druid(self, shared_only: bool) -> None:
        if shared_only:
            self.druid_clusters = build_druid_clusters(self.spec, self.settings, self.stores)
            return
        self.druid_clusters, self.druid_datasources = build_druid(self.spec, self.settings, self.stores, self.clusters,
                                                                self.builds)

    def _build_routing(self, shared_only: bool) -> None:
        if shared_only:
            return
        assert self.tenancy is not None, "routing builds after flink (streamplane/domains.py)"
        self.routes = build_routes(self.spec, self.settings, tenancy=self.tenancy, stores=self.stores,
                                   clusters=self.clusters, operator=self.flink_operator, only=self.builds)


BUILDERS: dict[str, Callable[[Platform, bool], None]] = {
    "checkpoint": Platform._build_checkpoint,
    "kafka": Platform._build_kafka,
    "flink": Platform._build_flink,
    "druid": Platform._build_druid,
    "routing": Platform._build_routing,
}
"""Each domain's builder (streamplane/domains.py declares which domains have one and what each
builds after); `shared_only`: the platform stack of a sharded environment."""
