"""Route: a Keystone delivery route, source stream -> filter / projection -> one managed sink.

Its checks (filter language, type check, schema flow, loops) are in streamplane/routing/checks.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..spec.model import Acknowledgement, KindDef

KIND = "Route"
DEFAULT_DELIVERY = "latency"
DEFAULT_CHECKPOINT_STORE = "flink-state"
DEFAULT_S3_FORMAT = "parquet"
DEFAULT_USERNAME_KEY = "username"
DEFAULT_PASSWORD_KEY = "password"
ROUTER_PREFIX = "route-"
# The operator's FlinkDeployment name limit (45) minus the router prefix.
ROUTE_NAME_MAX_CHARS = 45 - len(ROUTER_PREFIX)


def router_name(route: str) -> str:
    """The router job's name: its FlinkDeployment, service account, IAM role and Kafka principal."""
    return f"{ROUTER_PREFIX}{route}"


@dataclass(frozen=True)
class KafkaSink:
    """sink.kafka: produce to another Stream."""

    type: ClassVar[str] = "kafka"
    stream: str


@dataclass(frozen=True)
class S3Sink:
    """sink.s3: write files under a prefix of a CheckpointStore's bucket."""

    type: ClassVar[str] = "s3"
    store: str
    prefix: str
    format: str = DEFAULT_S3_FORMAT
    partition_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class SecretRef:
    secret: str
    username_key: str = DEFAULT_USERNAME_KEY
    password_key: str = DEFAULT_PASSWORD_KEY


@dataclass(frozen=True)
class ElasticsearchSink:
    """sink.elasticsearch: index documents, with credentials from a Kubernetes Secret."""

    type: ClassVar[str] = "elasticsearch"
    endpoint: str
    index_pattern: str
    credentials: SecretRef


Sink = KafkaSink | S3Sink | ElasticsearchSink
"""A route's one sink, tagged by the key it is written under (`sink: {kafka: {...}}`): each member's
`type` is that key (streamplane.spec.typed builds the member the key names; schemas/route.json has
the oneOf keyed the same way). Dispatch with `match sink: case KafkaSink(): ...`."""
SINK_TYPES: tuple[type[KafkaSink] | type[S3Sink] | type[ElasticsearchSink], ...] = (KafkaSink, S3Sink, ElasticsearchSink)


@dataclass(frozen=True)
class RouteSpec:
    """spec of a Route. Omitted fields take the defaults named in schemas/route.json."""

    source: str
    sink: Sink
    router_image: str
    filter: str | None = None
    """None: every event."""
    projection: tuple = ()
    """Items are a field name or {field, as}; empty: every field unchanged. See streamplane.routing.schema_flow.projected."""
    delivery: str = DEFAULT_DELIVERY
    parallelism: int | None = None
    """None: the source stream's partition count."""
    checkpoint_store: str = DEFAULT_CHECKPOINT_STORE
    acknowledge: tuple[Acknowledgement, ...] = ()
    """Risks of this object accepted on purpose, until their expiry (see streamplane.risks.leveled)."""


KIND_DEF = KindDef(kind=KIND, spec_class=RouteSpec)
