"""engine: existing — a cluster managed elsewhere: nothing is created; its address comes from the spec."""

from __future__ import annotations

from streamplane.kafka.kinds.cluster import KafkaClusterSpec
from streamplane.spec.model import Declared


def bootstrap(cluster: Declared[KafkaClusterSpec]) -> str:
    """spec.existing.bootstrapServers as Kafka clients take them (comma-separated)."""
    existing = cluster.spec.existing
    assert existing is not None, "engine: existing clusters have spec.existing (schema)"
    return ",".join(existing.bootstrap_servers)
