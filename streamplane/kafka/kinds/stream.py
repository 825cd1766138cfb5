"""Stream: a Kafka topic with its event schema, producers and consumers."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...spec.model import Acknowledgement, KindDef
from ..rules.topics import DEFAULT_REPLICATION_FACTOR, MIN_ISR, default_min_insync_replicas

KIND = "Stream"
DEFAULT_RETENTION = "7d"


@dataclass(frozen=True)
class SchemaField:
    name: str
    type: str
    nullable: bool = False
    doc: str = ""


@dataclass(frozen=True)
class EventSchema:
    fields: tuple[SchemaField, ...] = ()

    def get(self, name: str) -> SchemaField | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class StreamSpec:
    """spec of a Stream. Omitted fields take the defaults named in schemas/stream.json."""

    cluster: str
    partitions: int
    topic: str | None = None
    """None: the stream's name."""
    replication_factor: int = DEFAULT_REPLICATION_FACTOR
    retention: str = DEFAULT_RETENTION
    compaction: bool = False
    config: dict = field(default_factory=dict, hash=False)
    schema: EventSchema | None = None
    producers: tuple[str, ...] = ()
    consumers: tuple[str, ...] = ()
    protect: bool | None = None
    idempotent_producers: bool = True
    """Producers get IDEMPOTENT_WRITE on the cluster (Kafka producers are idempotent by default since 3.0)."""
    consumer_groups: dict = field(default_factory=dict, hash=False)
    """consumer -> group name; consumers not listed read with `<consumer>.<stream>`."""
    acknowledge: tuple[Acknowledgement, ...] = ()
    """Risks of this object accepted on purpose, until their expiry (see streamplane.risks.leveled)."""

    def topic_name(self, stream_name: str) -> str:
        return self.topic or stream_name

    @property
    def min_insync_replicas(self) -> int:
        """config min.insync.replicas, else 2 capped below replicationFactor (1 for a single replica)."""
        explicit = self.config.get(MIN_ISR)
        if explicit is not None and not isinstance(explicit, bool):
            try:
                return int(explicit)
            except (TypeError, ValueError):
                pass
        return default_min_insync_replicas(self.replication_factor)


KIND_DEF = KindDef(kind=KIND, spec_class=StreamSpec)
