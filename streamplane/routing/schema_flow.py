"""Schema flow through a route: the projection reads fields the source declares, and the projected
record satisfies the schema of a Kafka sink stream."""

from __future__ import annotations

from dataclasses import dataclass

from ..kafka.kinds.stream import EventSchema, SchemaField
from .kinds import RouteSpec
from .typecheck import ANY, resolve_field, unknown_field_message

# Widenings a sink may apply without losing values (a producer-side int read as long, ...).
WIDENINGS = frozenset({("int", "long"), ("int", "double"), ("float", "double"), ("int", "float")})


@dataclass(frozen=True)
class Projected:
    """One field of the projected record: where it comes from (its index in the projection list),
    the source field, and the name it is written under."""

    index: int
    source: str
    name: str


@dataclass(frozen=True)
class FlowProblem:
    """A problem at the projection item `index` (None: the route as a whole)."""

    index: int | None
    message: str


def project(source_schema: EventSchema, projection: tuple[Projected, ...], source: str) -> tuple[EventSchema, list[FlowProblem]]:
    """The projected record's schema, and the problems of the projection itself.

    An empty projection passes every field through unchanged.
    """
    if not projection:
        return source_schema, []
    problems: list[FlowProblem] = []
    fields: list[SchemaField] = []
    seen: dict[str, int] = {}
    for item in projection:
        declared, ftype = resolve_field(source_schema, item.source)
        if ftype is None:
            problems.append(FlowProblem(item.index, unknown_field_message(item.source, source_schema, source)))
            continue
        if item.name in seen:
            problems.append(FlowProblem(item.index, f'the projection writes "{item.name}" twice (items {seen[item.name]} and {item.index}); rename one with "as".'))
            continue
        seen[item.name] = item.index
        nullable = declared.nullable if declared and ftype != ANY else True
        fields.append(SchemaField(name=item.name, type=ftype, nullable=nullable))
    return EventSchema(tuple(fields)), problems


def _compatible(produced: str, wanted: str) -> bool:
    return produced in (wanted, ANY) or (produced, wanted) in WIDENINGS


def sink_problems(record: EventSchema, sink_schema: EventSchema, source: str, sink: str) -> list[FlowProblem]:
    """Every sink-stream field must be produced with a compatible type; a required sink field must
    not be fed from a nullable one. Extra produced fields are fine (consumers ignore them)."""
    problems: list[FlowProblem] = []
    for wanted in sink_schema.fields:
        produced = record.get(wanted.name)
        if produced is None:
            if not wanted.nullable:
                problems.append(FlowProblem(None, f'sink stream "{sink}" requires field "{wanted.name}" ({wanted.type}), which the route from "{source}" does not produce. Add it to the projection or make it nullable in "{sink}".'))
            continue
        if not _compatible(produced.type, wanted.type):
            problems.append(FlowProblem(None, f'field "{wanted.name}" is {produced.type} in the record routed from "{source}" but {wanted.type} in sink stream "{sink}".'))
        elif produced.nullable and not wanted.nullable:
            problems.append(FlowProblem(None, f'field "{wanted.name}" may be null in the record routed from "{source}" but is required in sink stream "{sink}". Make it nullable in "{sink}" or filter with exists({produced.name}).'))
    return problems


def projected(spec: RouteSpec) -> tuple[Projected, ...]:
    """A route's projection as Projected items (index, source field, written name)."""
    items = []
    for index, item in enumerate(spec.projection):
        if isinstance(item, str):
            items.append(Projected(index, item, item))
        else:
            items.append(Projected(index, item["field"], item.get("as", item["field"])))
    return tuple(items)
