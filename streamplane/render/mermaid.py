"""A mermaid flowchart of the part of the route topology that changes: changed streams, routes, jobs
and datasources, with their direct neighbours from the specs (source -> route -> sink)."""

from __future__ import annotations

import re

from ..plan.context import PlanContext
from ..plan.model import Plan

MAX_NODES = 60
SHAPES = {"Stream": ('[("', '")]'), "Route": ('{{"', '"}}'), "FlinkJob": ('[["', '"]]'), "DruidDatasource": ('[/"', '"/]')}
ACTION_RANK = {"same": 0, "create": 1, "update": 2, "delete": 3, "replace": 4}


def _id(kind: str, name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{kind}_{name}")


def _sink_target(sink) -> tuple[str, str] | None:
    """(kind, name) of a route sink: a kafka stream, or an external sink (s3, elasticsearch)."""
    if sink is None:
        return None
    if hasattr(sink, "__dataclass_fields__"):
        sink = {k: getattr(sink, k) for k in sink.__dataclass_fields__ if getattr(sink, k) is not None}
    if not isinstance(sink, dict) or not sink:
        return None
    kind, target = next(iter(sink.items()))
    if hasattr(target, "__dataclass_fields__"):
        target = {k: getattr(target, k) for k in target.__dataclass_fields__ if getattr(target, k) is not None}
    if kind == "kafka" and isinstance(target, dict) and target.get("stream"):
        return "Stream", str(target["stream"])
    label = ", ".join(str(v) for v in target.values()) if isinstance(target, dict) else str(target)
    return "Sink", f"{kind}: {label}"


def _edges(ctx: PlanContext | None) -> set[tuple[tuple[str, str], tuple[str, str]]]:
    edges: set = set()
    if ctx is None:
        return edges
    for spec in (ctx.head_spec, ctx.base_spec):
        if spec is None:
            continue
        for route in spec.of("Route"):
            source = getattr(route.spec, "source", None)
            if source:
                edges.add((("Stream", str(source)), ("Route", route.name)))
            target = _sink_target(getattr(route.spec, "sink", None))
            if target:
                edges.add((("Route", route.name), target))
        for ds in spec.of("DruidDatasource"):
            stream = getattr(ds.spec, "stream", None) or getattr(ds.spec, "source", None)
            if isinstance(stream, str):
                edges.add((("Stream", stream), ("DruidDatasource", ds.name)))
        for job in spec.of("FlinkJob"):
            for attr, outgoing in (("sources", False), ("inputs", False), ("sinks", True), ("outputs", True)):
                for item in getattr(job.spec, attr, None) or ():
                    name = item if isinstance(item, str) else getattr(item, "stream", None)
                    if isinstance(name, str):
                        pair = (("FlinkJob", job.name), ("Stream", name)) if outgoing else (("Stream", name), ("FlinkJob", job.name))
                        edges.add(pair)
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
