"""Stream: a Kafka topic with its event schema, producers and consumers."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import KindDef

KIND = "Stream"
DEFAULT_REPLICATION_FACTOR = 3
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


KIND_DEF = KindDef(kind=KIND, spec_class=StreamSpec)
