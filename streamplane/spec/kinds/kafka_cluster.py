"""KafkaCluster: where streams live (MSK, Strimzi or an existing cluster)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import KindDef

KIND = "KafkaCluster"


@dataclass(frozen=True)
class KafkaClusterSpec:
    """spec of a KafkaCluster."""

    engine: str
    brokers: int


KIND_DEF = KindDef(kind=KIND, spec_class=KafkaClusterSpec)
