"""DruidDatasource: a Druid datasource ingested from one Stream by a Kafka supervisor, with compaction and retention."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ...platform.rules.periods import coarser, parse_period
from ...spec import typed
from ...spec.model import Acknowledgement, Declared, Finding, KindDef, PlatformSpec
from ...spec.schema import suggest
from ..rules import (
    DEFAULT_COMPLETION_TIMEOUT,
    DEFAULT_EARLY_MESSAGE_REJECTION_PERIOD,
    DEFAULT_LATE_MESSAGE_REJECTION_PERIOD,
    DEFAULT_SKIP_OFFSET_FROM_LATEST,
    DEFAULT_TASK_DURATION,
    CompactionDelay,
)

KIND = "DruidDatasource"
DEFAULT_TIMESTAMP_FORMAT = "auto"
DEFAULT_QUERY_GRANULARITY = "MINUTE"
DEFAULT_SEGMENT_GRANULARITY = "HOUR"
DEFAULT_TASK_COUNT = 1
DEFAULT_TASK_REPLICAS = 1
DEFAULT_COUNT_METRIC = "count"

TIMESTAMP_FIELD_TYPES = ("timestamp", "long", "string")
DIMENSION_FIELD_TYPES = ("string", "int", "long", "float", "double", "boolean", "timestamp", "array")
NUMERIC_FIELD_TYPES = ("int", "long", "float", "double")
SKETCH_FIELD_TYPES = ("string", "int", "long", "float", "double", "boolean", "array")
NUMERIC_METRICS = ("longSum", "doubleSum", "min", "max", "quantilesDoublesSketch")
_DRUID_TYPE_OF_FIELD = {"int": "long", "long": "long", "float": "float", "double": "double"}
DROP_RULES = ("dropForever", "dropBeforeByPeriod")


@dataclass(frozen=True)
class Timestamp:
    column: str
    format: str = DEFAULT_TIMESTAMP_FORMAT


@dataclass(frozen=True)
class Dimension:
    """A dimension column; `field` None: read from the schema field named `name`; `type` None: from that field."""

    name: str
    field: str | None = None
    type: str | None = None

    @property
    def source(self) -> str:
        return self.field or self.name


@dataclass(frozen=True)
class Metric:
    name: str
    type: str
    field: str | None = None


@dataclass(frozen=True)
class Ingestion:
    task_count: int = DEFAULT_TASK_COUNT
    replicas: int = DEFAULT_TASK_REPLICAS
    task_duration: str = DEFAULT_TASK_DURATION
    completion_timeout: str = DEFAULT_COMPLETION_TIMEOUT
    use_earliest_offset: bool = False
    max_rows_per_segment: int | None = None
    max_rows_in_memory: int | None = None
    intermediate_persist_period: str | None = None


@dataclass(frozen=True)
class Compaction:
    enabled: bool = True
    skip_offset_from_latest: str = DEFAULT_SKIP_OFFSET_FROM_LATEST
    target_rows_per_segment: int | None = None


@dataclass(frozen=True)
class RetentionRule:
    """One load or drop rule, in Druid's vocabulary (loadByPeriod, dropForever, dropBeforeByPeriod)."""

    type: str
    period: str | None = None
    include_future: bool | None = None
    tiered_replicants: dict = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class DruidDatasourceSpec:
    """spec of a DruidDatasource. Omitted fields take the defaults named in schemas/druid-datasource.json."""

    cluster: str
    stream: str
    timestamp: Timestamp
    dimensions: tuple = ()
    """Dimension objects (a bare name in YAML becomes Dimension(name))."""
    retention: tuple[RetentionRule, ...] = ()
    data_source: str | None = None
    """None: metadata.name."""
    metrics: tuple[Metric, ...] = (Metric(DEFAULT_COUNT_METRIC, "count"),)
    rollup: bool = True
    query_granularity: str = DEFAULT_QUERY_GRANULARITY
    segment_granularity: str = DEFAULT_SEGMENT_GRANULARITY
    late_message_rejection_period: str = DEFAULT_LATE_MESSAGE_REJECTION_PERIOD
    early_message_rejection_period: str = DEFAULT_EARLY_MESSAGE_REJECTION_PERIOD
    ingestion: Ingestion = Ingestion()
    compaction: Compaction = Compaction()
    suspend: bool = False
    acknowledge: tuple[Acknowledgement, ...] = ()
    """Risks of this object accepted on purpose, until their expiry (see streamplane.risks.leveled)."""

    def __post_init__(self) -> None:
        dims = tuple(d if isinstance(d, Dimension) else Dimension(d) if isinstance(d, str) else typed.build(Dimension, d)
                     for d in self.dimensions)
        object.__setattr__(self, "dimensions", dims)


def data_source_name(datasource: Declared[DruidDatasourceSpec]) -> str:
    return datasource.spec.data_source or datasource.name


def dimension_type(dim: Dimension, field_type: str | None) -> str:
    """The Druid type of a dimension: forced, else from its schema field (long, float, double), else string."""
    return dim.type or _DRUID_TYPE_OF_FIELD.get(field_type or "", "string")


def _field_findings(pointer: str, name: str, stream, usable: tuple[str, ...], role: str) -> Iterator[Finding]:
    schema = stream.spec.schema
    found = schema.get(name)
    if found is None:
        names = [f.name for f in schema.fields]
        yield Finding(pointer, f'field "{name}" is not in the schema of stream "{stream.name}" '
                               f'(fields: {", ".join(names)}).{suggest(name, names)}')
    elif found.type not in usable:
        yield Finding(pointer, f'field "{name}" of stream "{stream.name}" has type {found.type}, which cannot be used '
                               f'as {role} (usable: {", ".join(usable)}). Pick another field or change the schema.')


def _schema_findings(spec: DruidDatasourceSpec, stream) -> Iterator[Finding]:
    yield from _field_findings("/spec/timestamp/column", spec.timestamp.column, stream, TIMESTAMP_FIELD_TYPES,
                               "the timestamp column")
    for i, dim in enumerate(spec.dimensions):
        pointer = f"/spec/dimensions/{i}" + ("/field" if dim.field else "/name" if dim.type else "")
        yield from _field_findings(pointer, dim.source, stream, DIMENSION_FIELD_TYPES, "a dimension")
    for i, metric in enumerate(spec.metrics):
        if metric.type == "count" or metric.field is None:
            continue
        usable = NUMERIC_FIELD_TYPES if metric.type in NUMERIC_METRICS else SKETCH_FIELD_TYPES
        yield from _field_findings(f"/spec/metrics/{i}/field", metric.field, stream, usable, f"a {metric.type} metric")


def _metric_field_findings(spec: DruidDatasourceSpec) -> Iterator[Finding]:
    for i, metric in enumerate(spec.metrics):
        if metric.type == "count" and metric.field is not None:
            yield Finding(f"/spec/metrics/{i}/field", f'a count metric counts rows and reads no field, got field '
                                                      f'"{metric.field}". Remove field, or use longSum to add it up.')
        elif metric.type != "count" and metric.field is None:
            yield Finding(f"/spec/metrics/{i}", f'a {metric.type} metric needs the schema field it aggregates. '
                                                f"Add field: <name of a stream schema field>.")


def _column_name_findings(spec: DruidDatasourceSpec) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    columns = [(f"/spec/dimensions/{i}", d.name) for i, d in enumerate(spec.dimensions)]
    columns += [(f"/spec/metrics/{i}/name", m.name) for i, m in enumerate(spec.metrics)]
    for pointer, name in columns:
        if name == "__time":
            yield Finding(pointer, '"__time" is Druid\'s own time column; name this column differently.')
        elif name in seen:
            yield Finding(pointer, f'column "{name}" is already declared at {seen[name]}; '
                                   "every dimension and metric needs its own name.")
        else:
            seen[name] = pointer


def compaction_delay(spec: DruidDatasourceSpec) -> CompactionDelay:
    """The compaction delay rule's inputs as this datasource's supervisor will run them."""
    return CompactionDelay(
        skip=parse_period(spec.compaction.skip_offset_from_latest),
        late=parse_period(spec.late_message_rejection_period),
        task=parse_period(spec.ingestion.task_duration),
        completion=parse_period(spec.ingestion.completion_timeout),
        early=parse_period(spec.early_message_rejection_period),
        segment_granularity=spec.segment_granularity)


def compaction_finding(spec: DruidDatasourceSpec) -> Finding | None:
    """The blocking check: compaction must start only after late rows are rejected and tasks handed off
    (streamplane.druid.rules.CompactionDelay says why each term is there).

    A compaction task writes a newer segment version over a whole time chunk. If that chunk still
    receives late rows, or an indexing task is still handing off segments for it, those segments are
    overshadowed by the compacted version and their rows are lost (Netflix's data-loss incident).
    """
    if not spec.compaction.enabled:
        return None
    delay = compaction_delay(spec)
    if not delay.too_early:
        return None
    return Finding(
        "/spec/compaction/skipOffsetFromLatest",
        f"compaction would start before late data and handoff are done: skipOffsetFromLatest {delay.skip.text} "
        f"is shorter than {delay.terms()}. "
        "A compaction task writes a newer segment version over its time chunk; segments still receiving late rows "
        "or being handed off by indexing tasks are overshadowed and their rows are lost. "
        f"Set skipOffsetFromLatest to at least {delay.minimum_skip}.")


def _retention_findings(spec: DruidDatasourceSpec, cluster) -> Iterator[Finding]:
    tiers = cluster.spec.tiers if cluster else {}
    for i, rule in enumerate(spec.retention):
        for tier, replicas in rule.tiered_replicants.items():
            pointer = f"/spec/retention/{i}/tieredReplicants/{tier}"
            if tier not in tiers:
                yield Finding(pointer, f'tier "{tier}" is not declared on DruidCluster "{spec.cluster}" '
                                       f'(tiers: {", ".join(tiers) or "none"}).{suggest(tier, tiers)}')
            elif replicas > tiers[tier].replicas:
                yield Finding(pointer, f'asks for {replicas} replicas on tier "{tier}", but DruidCluster "{spec.cluster}" '
                                       f"has {tiers[tier].replicas} historicals there; the coordinator can place at most one "
                                       f"replica per historical, so these segments would stay under-replicated. Lower it to "
                                       f"{tiers[tier].replicas} or add historicals to the tier.")
        if rule.type == "dropForever" and i < len(spec.retention) - 1:
            yield Finding(f"/spec/retention/{i + 1}", "this rule is never applied: dropForever before it matches every "
                                                      "segment. Move dropForever to the end.")
    if spec.retention and spec.retention[-1].type not in DROP_RULES:
        last = len(spec.retention) - 1
        yield Finding(f"/spec/retention/{last}",
                      "retention must end with an explicit drop rule: segments older than the last load period would "
                      "fall through to the cluster default rule (load forever, 2 replicas on _default_tier). "
                      "Add {type: dropForever} as the last rule.")


def check(datasource: Declared[DruidDatasourceSpec], platform: PlatformSpec) -> Iterator[Finding]:
    spec = datasource.spec
    stream = platform.get("Stream", spec.stream)
    cluster = platform.get("DruidCluster", spec.cluster)
    if stream is not None and stream.spec.schema is None:
        yield Finding("/spec/stream", f'stream "{stream.name}" declares no schema, so the timestamp, dimensions and '
                                      "metrics cannot be checked or typed. Add spec.schema.fields to the stream.")
    elif stream is not None:
        yield from _schema_findings(spec, stream)
    yield from _metric_field_findings(spec)
    yield from _column_name_findings(spec)

    if coarser(spec.query_granularity, spec.segment_granularity):
        yield Finding("/spec/queryGranularity",
                      f"queryGranularity {spec.query_granularity} is coarser than segmentGranularity "
                      f"{spec.segment_granularity}: a segment's rows could not be truncated to buckets inside it. "
                      f"Use a queryGranularity no coarser than {spec.segment_granularity}.")

    finding = compaction_finding(spec)
    if finding:
        yield finding

    yield from _retention_findings(spec, cluster)

    if stream is not None and spec.ingestion.task_count > stream.spec.partitions:
        yield Finding("/spec/ingestion/taskCount",
                      f"taskCount {spec.ingestion.task_count} is more than the {stream.spec.partitions} partitions of "
                      f'stream "{stream.name}": each task reads whole partitions, so '
                      f"{spec.ingestion.task_count - stream.spec.partitions} task(s) per replica would sit idle in "
                      f"task slots. Lower taskCount to {stream.spec.partitions}.", level="warning")


KIND_DEF = KindDef(kind=KIND, spec_class=DruidDatasourceSpec)
