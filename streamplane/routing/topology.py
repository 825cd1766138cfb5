"""The route graph as data: stream -> route -> sink, built from a PlatformSpec (no Pulumi needed).

    topo = topology(spec)
    topo.edges                      # (Edge(source="stream:playback-events", target="route:...", kind="reads"), ...)
    topo.of_routes({"playback-to-consumer"})   # only what those routes touch
    topo.as_dict()                  # JSON (`streamplane topology`); the plan's diagram: render/mermaid.py

Node ids are `<kind>:<key>`: `stream:<name>`, `route:<name>`, and one sink node per distinct target:
a Kafka sink is the sink stream's own node (`stream:<name>`, so stream -> route -> stream chains
connect), `s3:<store>/<prefix>`, `elasticsearch:<endpoint>/<index pattern>`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..spec.model import PlatformSpec
from .kinds import ElasticsearchSink, KafkaSink, S3Sink


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    """stream | route | s3 | elasticsearch"""
    label: str


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str
    """reads (stream -> route) | writes (route -> sink)"""
    route: str
    """The route this edge belongs to."""


@dataclass(frozen=True)
class Topology:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def routes(self) -> tuple[str, ...]:
        return tuple(n.label for n in self.nodes if n.kind == "route")

    def of_routes(self, routes: Iterable[str]) -> Topology:
        """The part of the graph those routes touch: their edges and the nodes at either end."""
        wanted = set(routes)
        edges = tuple(e for e in self.edges if e.route in wanted)
        ids = {e.source for e in edges} | {e.target for e in edges}
        return Topology(tuple(n for n in self.nodes if n.id in ids), edges)

    def as_dict(self) -> dict:
        return {"nodes": [{"id": n.id, "kind": n.kind, "label": n.label} for n in self.nodes],
                "edges": [{"source": e.source, "target": e.target, "kind": e.kind, "route": e.route}
                          for e in self.edges]}


def sink_node(route) -> Node:
    """The node a route writes to."""
    match route.spec.sink:
        case KafkaSink(stream=stream):
            return Node(f"stream:{stream}", "stream", stream)
        case S3Sink(store=store, prefix=prefix):
            target = f"{store}/{prefix}"
            return Node(f"s3:{target}", "s3", f"s3 {target}")
        case ElasticsearchSink(endpoint=endpoint, index_pattern=index):
            target = f"{endpoint}/{index}"
            return Node(f"elasticsearch:{target}", "elasticsearch", f"elasticsearch {index}")
    raise TypeError(f"unknown sink {route.spec.sink!r}")


def topology(spec: PlatformSpec) -> Topology:
    """Every route's edges (stream -reads-> route -writes-> sink) in route-name order; nodes in first-seen order."""
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    for route in spec.of("Route"):
        source = Node(f"stream:{route.spec.source}", "stream", route.spec.source)
        this = Node(f"route:{route.name}", "route", route.name)
        sink = sink_node(route)
        for node in (source, this, sink):
            nodes.setdefault(node.id, node)
        edges.append(Edge(source.id, this.id, "reads", route.name))
        edges.append(Edge(this.id, sink.id, "writes", route.name))
    return Topology(tuple(nodes.values()), tuple(edges))


ROUTE_TYPE = "streamplane:index:Route"
"""The type token of a route's component; every resource of its router job is below it."""


def route_of(urn: str, resources_by_urn: dict) -> str | None:
    """The route a synth-graph resource belongs to (its nearest `streamplane:index:Route` ancestor, or
    itself), or None. `resources_by_urn` maps urn -> resource dict of a synth graph."""
    seen = set()
    while urn and urn not in seen:
        seen.add(urn)
        resource = resources_by_urn.get(urn)
        if resource is None:
            return None
        if resource["type"] == ROUTE_TYPE:
            return resource["name"]
        urn = resource.get("parent")
    return None


__all__ = ["ROUTE_TYPE", "Edge", "Node", "Topology", "route_of", "sink_node", "topology"]
