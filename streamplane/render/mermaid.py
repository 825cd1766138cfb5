"""A mermaid flowchart of the part of the route topology that changes: changed streams, routes, jobs
and datasources, with their direct neighbours from the specs (source -> route -> sink)."""

from __future__ import annotations

import re

from ..domains import kinds
from ..plan.context import PlanContext
from ..plan.model import Plan
from ..routing.topology import topology

MAX_NODES = 60
SHAPES = {kind.name: kind.shape for kind in kinds() if kind.shape is not None}
"""Node delimiters per spec kind, as its domain declares them (streamplane/domains.py)."""
# Every class sets a light fill and a dark text colour, so labels read the same whether GitHub draws the
# diagram with its light or its dark theme; `default` covers any node left without a class (mermaid's
# flowchart syntax: "If a class is named default it will be assigned to all classes without specific
# class definitions", packages/mermaid/src/docs/syntax/flowchart.md). Strokes differ in width and dash,
# not only hue, so actions read without colour. Edges carry no labels; `linkStyle default` gives every
# edge one mid-grey that keeps contrast on both GitHub backgrounds (white and #0d1117).
CLASS_DEFS = (
    "classDef default fill:#f6f8fa,stroke:#6e7781,color:#24292f",
    "classDef create fill:#dafbe1,stroke:#1a7f37,stroke-width:2px,color:#0b2e13",
    "classDef update fill:#fff8c5,stroke:#9a6700,stroke-width:2px,color:#3b2300",
    "classDef replace fill:#fbefff,stroke:#8250df,stroke-width:3px,stroke-dasharray:6 3,color:#2e1065",
    "classDef delete fill:#ffebe9,stroke:#cf222e,stroke-width:2px,stroke-dasharray:2 2,color:#4c0519",
    "classDef danger stroke:#d1242f,stroke-width:4px,color:#1f2328",
    "classDef block stroke:#82071e,stroke-width:5px,color:#1f2328",
    "classDef same fill:#f6f8fa,stroke:#6e7781,color:#24292f",
)
LINK_STYLE = "linkStyle default stroke:#768390,stroke-width:2px"
MARKERS = {"block": "⛔ ", "danger": "⚠️ "}
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
        for job in spec.of("FlinkJob"):
            if job.spec.checkpoint_store:
                edges.add((("FlinkJob", job.name), ("CheckpointStore", job.spec.checkpoint_store)))
    return edges


def render_mermaid(plan: Plan, ctx: PlanContext | None = None, max_nodes: int = MAX_NODES) -> tuple[str, int]:
    """(mermaid source, number of changed nodes left out). Empty source when nothing topological changes."""
    changed: dict[tuple[str, str], str] = {}
    severity: dict[tuple[str, str], str] = {}
    for change in plan.pending():
        subject = change.subject
        if subject is None or subject.kind not in SHAPES:
            continue
        key = (subject.kind, subject.name)
        if ACTION_RANK[change.action] > ACTION_RANK.get(changed.get(key, "same"), 0):
            changed[key] = change.action
        levels = {r.level for r in change.risks}
        if "block" in levels:
            severity[key] = "block"
        elif "danger" in levels and severity.get(key) != "block":
            severity[key] = "danger"
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
        marker = MARKERS.get(severity.get((kind, name), ""), "")
        lines.append(f"  {_id(kind, name)}{left}{marker}{kind.lower()}: {label}{suffix}{right}")
    for a, b in edges:
        lines.append(f"  {_id(*a)} --> {_id(*b)}")
    for action in ("create", "update", "replace", "delete"):
        members = [_id(*k) for k in keys if changed[k] == action]
        if members:
            lines.append(f"  class {','.join(members)} {action}")
    unchanged = [_id(*k) for k in sorted(nodes) if k not in changed]
    if unchanged:
        lines.append(f"  class {','.join(unchanged)} same")
    for level in ("danger", "block"):
        members = [_id(*k) for k in keys if severity.get(k) == level]
        if members:
            lines.append(f"  class {','.join(members)} {level}")
    lines += [f"  {d}" for d in CLASS_DEFS]
    if edges:
        lines.append(f"  {LINK_STYLE}")
    return "\n".join(lines), omitted
