"""Partitions of one large stack, for a synth split across worker processes and merged by URN.

A partition builds its share of the owner-built objects (Streams, Routes, FlinkJobs, DruidDatasources:
the kinds an owner stack builds in a sharded environment) and every platform-scoped object (stores,
Kafka and Druid clusters, the Flink operator), which every partition builds alike. What objects of
two partitions share is built by each of them the same way: it is a child of a platform-scoped
object or of the stack, named and configured from the spec alone. An ACL binding is the
KafkaCluster's child, named from the binding, with every declarer's old name as an alias
(streamplane/kafka/acls.py, components/kafka/acl.py), so each partition that needs it declares the
same resource; an owner's tenant namespace is named from the owner and sized from the owner's quota,
not from the jobs one process placed in it. The merge (synth/merge.py) keeps one of each URN, and
refuses two different resources under one URN.
"""

from __future__ import annotations

from dataclasses import dataclass

from .shards import PLATFORM_KINDS
from .spec.model import Declared, PlatformSpec

PARTITION_OBJECTS = 1_500
"""Owner-built objects per partition. A stack with fewer is synthesized in one process: a worker costs
its start (about 1 CPU s) and the platform-scoped part again, which a small stack does not repay.
At 2,000 generated routes (4,001 owner-built objects) this gives 3 partitions, rounded up to 4 on two
workers (partition_count)."""


@dataclass(frozen=True)
class Partition:
    """The owner-built objects one worker builds, by (kind, name), besides every platform-scoped one."""

    objects: frozenset[tuple[str, str]]

    def builds(self, obj: Declared) -> bool:
        return obj.kind in PLATFORM_KINDS or (obj.kind, obj.name) in self.objects


def owner_built(spec: PlatformSpec) -> list[Declared]:
    """The objects a partition may leave to another, in spec order (kind, then name)."""
    return [obj for obj in spec if obj.kind not in PLATFORM_KINDS]


def partition_count(spec: PlatformSpec, workers: int = 1, per_partition: int = PARTITION_OBJECTS) -> int:
    """How many partitions `spec` is synthesized in: 1 below `per_partition` owner-built objects, else one
    per `per_partition` started, rounded up to a multiple of `workers`: the partitions then run in
    full rounds, with no worker idle while the last one finishes (3 partitions on 2 workers take two
    rounds of the largest; 4 take two rounds of smaller ones)."""
    needed = -(-len(owner_built(spec)) // per_partition)
    if needed <= 1:
        return 1
    workers = max(1, workers)
    return -(-needed // workers) * workers


def partitions(spec: PlatformSpec, count: int) -> list[Partition]:
    """`count` partitions of the owner-built objects of `spec`, dealt in spec order (object i to
    partition i mod count): each kind spreads evenly, and the split is a pure function of the spec."""
    objects = owner_built(spec)
    count = max(1, min(count, len(objects)))
    return [Partition(frozenset((o.kind, o.name) for o in objects[i::count])) for i in range(count)]


__all__ = ["PARTITION_OBJECTS", "Partition", "owner_built", "partition_count", "partitions"]
