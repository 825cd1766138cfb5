"""A mermaid flowchart of the part of the route topology that changes: changed streams, routes, jobs
and datasources, with their direct neighbours from the specs (source -> route -> sink)."""

from __future__ import annotations

import re

from ..plan.context import PlanContext
from ..plan.model import Plan
from ..routing.topology import topology

MAX_NODES = 60
SHAPES = {"Stream": ('[("', '")]'), "Route": ('{{"', '"}}'), "FlinkJob": ('[["', '"]]'), "DruidDatasource": ('[/"', '"/]')}
ACTION_RANK = {"same": 0, "create": 1, "update": 2, "delete": 3, "replace": 4}


def _id(kind: str, name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{kind}_{name}")


def _key(node) -> tuple[str, str]:
    """A topology node as (kind, name): streams and routes by name, external sinks by their label."""
    if node.kind in ("stream", "route"):
        return node.kind.capitalize(), node.label
    return "Sink", node.label


def _edges(ctx: PlanContext | None) -> set[tuple[tuple[str, str], tuple[str, str]]]:
    """Edges of the head and base specs: stream -> route -> sink (routing.topology), stream -> datasource."""
    edges: set = set()
    if ctx is None:
        return edges
    for spec in (ctx.head_spec, ctx.base_spec):
        if spec is None:
            continue
        graph = topology(spec)
        nodes = {n.id: n for n in graph.nodes}
        for edge in graph.edges:
            edges.add((_key(nodes[edge.source]), _key(nodes[edge.target])))
        for ds in spec.of("DruidDatasource"):
            edges.add((("Stream", ds.spec.stream), ("DruidDatasource", ds.name)))
    return edges


def render_mermaid(plan: Plan, ctx: PlanContext | None = None, max_nodes: int = MAX_NODES) -> tuple[str, int]:
    """(mermaid source, number of changed nodes left out). Empty source when nothing topological changes."""
    changed: dict[tuple[str, str], str] = {}
    for change in plan.pending():
        subject = change.subject
        if subject is None or subject.kind not in SHAPES:
            continue
        key = (subject.kind, subject.name)
        if ACTION_RANK[change.action] > ACTION_RANK.get(changed.get(key, "same"), 0):
            changed[key] = change.action
    if not changed:
        return "", 0
    keys = sorted(changed)
    omitted = max(0, len(keys) - max_nodes)
    keys = keys[:max_nodes]
    shown = set(keys)
    edges = sorted(e for e in _edges(ctx) if e[0] in shown or e[1] in shown)
    nodes = set(shown)
    for a, b in edges:
        nodes.update((a, b))
    lines = ["flowchart LR"]
    for kind, name in sorted(nodes):
        left, right = SHAPES.get(kind, ('["', '"]'))
        label = name.replace('"', "'")
        action = changed.get((kind, name))
        suffix = f" ({action})" if action else ""
        lines.append(f"  {_id(kind, name)}{left}{kind.lower()}: {label}{suffix}{right}")
    for a, b in edges:
        lines.append(f"  {_id(*a)} --> {_id(*b)}")
    for action in ("create", "update", "replace", "delete"):
        members = [_id(*k) for k in keys if changed[k] == action]
        if members:
            lines.append(f"  class {','.join(members)} {action}")
    lines += ["  classDef create fill:#e6ffed,stroke:#2da44e", "  classDef update fill:#fff8c5,stroke:#bf8700",
              "  classDef replace fill:#fbefff,stroke:#8250df", "  classDef delete fill:#ffebe9,stroke:#cf222e"]
    return "\n".join(lines), omitted
