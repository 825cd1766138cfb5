"""Kafka ACL bindings: which ACLs a principal needs for an operation on a topic, group or transactional id.

Pure (no Pulumi): the connectivity check (streamplane/kafka/checks/connectivity.py) judges client edges with
these rules and the components (components/kafka/acl.py) declare exactly these bindings, so what a
check accepts and what a synthesis grants come from one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..spec.model import PlatformSpec
from .clients import ClientEdge, client_edges
from .naming import principal, resource_token, short_name

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


def required_bindings(edge: ClientEdge, topic: str, client_auth: str) -> list[Binding]:
    """The bindings a client edge's operation needs on `topic` (the edge's stream's topic)."""
    who = principal(edge.client, client_auth)
    if edge.operation == "consume":
        return consumer_bindings(who, topic, edge.group or "")
    bindings = producer_bindings(who, topic)
    if edge.transactional:
        bindings += transactional_bindings(who, edge.client)
    return bindings


def binding_declarers(spec: PlatformSpec, cluster: str, client_auth: str) -> dict[Binding, list[tuple[str, str]]]:
    """Per binding on `cluster`, every spec object (kind, name) whose clients need it, once each, in
    spec order: the objects that owned the binding before the cluster did (see docs/UPGRADE.md)."""
    declarers: dict[Binding, list[tuple[str, str]]] = {}
    for edge in client_edges(spec):
        stream = spec.get("Stream", edge.stream)
        if edge.cluster != cluster or stream is None:
            continue
        owner = (edge.declared.kind, edge.declared.name)
        for binding in required_bindings(edge, stream.spec.topic_name(stream.name), client_auth):
            found = declarers.setdefault(binding, [])
            if owner not in found:
                found.append(owner)
    return declarers
