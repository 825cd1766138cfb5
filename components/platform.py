"""Platform: builds every component of one stack from its typed spec, in dependency order."""

from __future__ import annotations

from dataclasses import dataclass, field

from streamplane.settings import StackSettings
from streamplane.spec.model import PlatformSpec

from .checkpoint import CheckpointStore
from .druid import DruidCluster, build_druid_clusters


@dataclass
class Platform:
    """The goal state of one stack as Pulumi resources.

    Components sit directly under the stack (short, stable URNs: a component's URN never depends on
    how this class is organised). Later domains look earlier ones up here by spec name.
    """

    spec: PlatformSpec
    settings: StackSettings
    stores: dict[str, CheckpointStore] = field(default_factory=dict)
    druid_clusters: dict[str, DruidCluster] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for store in self.spec.of("CheckpointStore"):
            self.stores[store.name] = CheckpointStore(store, self.settings)
        # Druid clusters only: datasources need Kafka bootstrap servers. Once Kafka components exist, replace
        # this line with build_druid(spec, settings, stores, bootstrap_for), which builds both.
        self.druid_clusters = build_druid_clusters(self.spec, self.settings, self.stores)
