"""Kafka ACL bindings: which ACLs a principal needs for an operation on a topic, group or transactional id.

Pure (no Pulumi): the connectivity check (streamplane/checks/connectivity.py) judges client edges with
these rules and the components (components/kafka/acl.py) declare exactly these bindings, so what a
check accepts and what a synthesis grants come from one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from .naming import resource_token, short_name

CLUSTER_RESOURCE_NAME = "kafka-cluster"
"""Kafka's name for the Cluster ACL resource."""


@dataclass(frozen=True)
class Binding:
    """One Kafka ACL binding (always Allow, any host; a literal resource name unless `pattern` says Prefixed)."""

    principal: str
    operation: str
    resource_type: str
    resource_name: str
    pattern: str = "Literal"

    @property
    def key(self) -> str:
        """The stable part of the resource name: principal, operation, resource (and `prefixed`)."""
        parts = [short_name(self.principal), self.operation, self.resource_type, self.resource_name]
        if self.pattern != "Literal":
            parts.append(self.pattern)
        return "-".join(resource_token(part) for part in parts)


def producer_bindings(principal: str, topic: str) -> list[Binding]:
    """What a producer needs on its topic: WRITE (produce) and DESCRIBE (metadata)."""
    return [Binding(principal, "Write", "Topic", topic), Binding(principal, "Describe", "Topic", topic)]


def transactional_bindings(principal: str, id_prefix: str) -> list[Binding]:
    """What a transactional (exactly-once) producer needs besides its topic: WRITE and DESCRIBE on every
    transactional id starting with `id_prefix` (Flink appends a suffix per subtask and checkpoint)."""
    return [Binding(principal, op, "TransactionalId", id_prefix, "Prefixed") for op in ("Write", "Describe")]


def idempotent_binding(principal: str) -> Binding:
    """IDEMPOTENT_WRITE on the cluster, for idempotent producers (Kafka < 3.0 requires it; KIP-679)."""
    return Binding(principal, "IdempotentWrite", "Cluster", CLUSTER_RESOURCE_NAME)


def consumer_bindings(principal: str, topic: str, group: str) -> list[Binding]:
    """What a consumer needs: READ and DESCRIBE on the topic, READ on its consumer group."""
    return [Binding(principal, "Read", "Topic", topic), Binding(principal, "Describe", "Topic", topic),
            Binding(principal, "Read", "Group", group)]
