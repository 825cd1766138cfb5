"""The Route kind's checks: the filter language, its type check and the schema flow against the
declared schemas, the sink (its one type is the schema's oneOf), and loops through Kafka sinks, so a route that names a missing field
fails at `validate`, in the user's file. Registered in streamplane/checks/objects.py."""

from __future__ import annotations

from collections.abc import Iterable

from ..spec.model import Declared, Finding, PlatformSpec
from . import filter_dsl, typecheck
from .kinds import ROUTE_NAME_MAX_CHARS, ElasticsearchSink, KafkaSink, RouteSpec, S3Sink, router_name
from .schema_flow import project, projected, sink_problems


def _filter_findings(text: str, source_schema, source: str) -> list[Finding]:
    try:
        expr = filter_dsl.parse(text)
    except filter_dsl.FilterSyntaxError as err:
        return [Finding("/spec/filter", f"syntax error at column {err.column} of the filter: {err}.")]
    if source_schema is None:
        return [Finding("/spec/filter", f'stream "{source}" declares no schema, so the filter cannot be checked. '
                        f'Add spec.schema.fields to "{source}".')]
    return [Finding("/spec/filter", f"at column {p.column} of the filter: {p.message}")
            for p in typecheck.check(expr, source_schema, source)]


def _kafka_routes_by_source(platform: PlatformSpec) -> dict[str, list[Declared]]:
    by_source: dict[str, list[Declared]] = {}
    for other in platform.of("Route"):
        if isinstance(other.spec.sink, KafkaSink):
            by_source.setdefault(other.spec.source, []).append(other)
    return by_source


def _stream_components(platform: PlatformSpec) -> dict[str, int]:
    """Strongly connected component of every stream in the graph stream -> (Kafka route) -> stream,
    computed once per platform (iterative Tarjan): a route loops iff its source and sink share one."""
    edges = {stream: [r.spec.sink.stream for r in routes]
             for stream, routes in platform.derived("kafka-routes-by-source", _kafka_routes_by_source).items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = index[node]
                    if member == node:
                        break
    return component


def _loop_back(route: Declared[RouteSpec], platform: PlatformSpec) -> list[str] | None:
    """The chain stream -> route -> stream ... by which this route's output reaches its own source, or None."""
    if not isinstance(route.spec.sink, KafkaSink):
        return None
    start, goal = route.spec.sink.stream, route.spec.source
    components = platform.derived("stream-components", _stream_components)
    if start != goal and (start not in components or components.get(start) != components.get(goal)):
        return None
    by_source = platform.derived("kafka-routes-by-source", _kafka_routes_by_source)
    paths = {start: [goal, f"route {route.name}", start]}
    frontier = [start]
    while frontier:
        stream = frontier.pop(0)
        if stream == goal:
            return paths[stream]
        for nxt in by_source.get(stream, ()):
            target = nxt.spec.sink.stream
            if target not in paths:
                paths[target] = paths[stream] + [f"route {nxt.name}", target]
                frontier.append(target)
    return None


def check_route(route: Declared[RouteSpec], platform: PlatformSpec) -> Iterable[Finding]:
    spec = route.spec
    found: list[Finding] = []
    if len(route.name) > ROUTE_NAME_MAX_CHARS:
        found.append(Finding("/metadata/name", f'must be at most {ROUTE_NAME_MAX_CHARS} characters (the router job '
                             f'"{router_name(route.name)}" is a FlinkDeployment, at most 45), got {len(route.name)}. '
                             "Shorten the route's name."))
    if platform.get("FlinkJob", router_name(route.name)) is not None:
        found.append(Finding("/metadata/name", f'the router job "{router_name(route.name)}" would take the name of '
                             "a declared FlinkJob. Rename the route or the job."))
    if platform.get("CheckpointStore", spec.checkpoint_store) is None:
        stores = ", ".join(s.name for s in platform.of("CheckpointStore")) or "none"
        found.append(Finding("/spec/checkpointStore",
                             f'the router needs checkpoint store "{spec.checkpoint_store}", which is not declared '
                             f"(declared: {stores}). Set checkpointStore to one of them."))

    source = platform.get("Stream", spec.source)
    if source is None:
        return found  # the schema's x-ref already reported it
    schema = source.spec.schema
    if spec.filter is not None:
        found.extend(_filter_findings(spec.filter, schema, spec.source))
    if schema is None:
        if spec.projection:
            found.append(Finding("/spec/projection", f'stream "{spec.source}" declares no schema, so the projection '
                                 f'cannot be checked. Add spec.schema.fields to "{spec.source}".'))
        return found

    record, problems = project(schema, projected(spec), spec.source)
    from_record = ("/spec/projection",)  # the delivered record is what the projection makes of the source
    found.extend(Finding(f"/spec/projection/{p.index}" if p.index is not None else "/spec/projection", p.message)
                 for p in problems)

    if spec.parallelism is not None and spec.parallelism > source.spec.partitions:
        found.append(Finding("/spec/parallelism", f'{spec.parallelism} is more than the {source.spec.partitions} '
                             f'partitions of stream "{spec.source}": the extra router subtasks would stay idle. '
                             "Lower parallelism or omit it (default: the partition count).", "warning"))

    match spec.sink:
        case KafkaSink(stream=stream):
            target = platform.get("Stream", stream)
            loop = _loop_back(route, platform)
            if loop:
                found.append(Finding("/spec/sink/kafka/stream", f"the route's events would come back to its source: "
                                     f"{' -> '.join(loop)} (an endless loop). Route to a stream no route leads back "
                                     "from."))
            elif target is not None and target.spec.schema is not None:
                found.extend(Finding("/spec/sink/kafka/stream", p.message, derived_from=from_record)
                             for p in sink_problems(record, target.spec.schema, spec.source, stream))
        case S3Sink(partition_by=partition_by):
            for index, name in enumerate(partition_by):
                if record.get(name) is None:
                    found.append(Finding(f"/spec/sink/s3/partitionBy/{index}", f'partition field "{name}" is not in '
                                         f"the record the route delivers (fields: "
                                         f"{', '.join(f.name for f in record.fields)}). Partition by a delivered "
                                         "field, or add it to the projection.", derived_from=from_record))
        case ElasticsearchSink():
            pass
    return found
