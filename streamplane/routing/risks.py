"""Keystone routes: source stream -> filter/projection -> one sink, run by a router FlinkDeployment."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ..plan.context import PlanContext
from ..plan.model import Change, Risk
from ..platform.rules import types
from ..risks.catalogue import hazard
from ..risks.common import who
from .kinds import SINK_TYPES

ROUTE = "Route"
ROUTER_TYPE = types.FLINK_DEPLOYMENT


def _describe(sink) -> str:
    """A route sink in words: KafkaSink(stream=x) -> `kafka stream x` (its type, then its set fields by name)."""
    if not isinstance(sink, SINK_TYPES):
        return str(sink)
    fields = {f.name: getattr(sink, f.name) for f in dataclasses.fields(sink) if getattr(sink, f.name) is not None}
    return f"{sink.type} " + ", ".join(f"{k} {v}" for k, v in sorted(fields.items()))


def sink_change(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """Reported once per route, on its router deployment (or any of its changes when it has none)."""
    if not change.subject or change.subject.kind != ROUTE or change.action not in ("update", "replace"):
        return
    if change.type != ROUTER_TYPE:
        return
    name = change.subject.name
    before, after = ctx.spec_object(ROUTE, name, "base"), ctx.spec_object(ROUTE, name, "head")
    if before is not None and after is not None and ctx.base_spec is not None and ctx.head_spec is not None:
        old, new = getattr(before.spec, "sink", None), getattr(after.spec, "sink", None)
        if old != new:
            yield hazard("route.sink-change").risk(
                f"{who(change, 'route')}: sink {_describe(old)} -> {_describe(new)}: the new sink starts empty "
                "(no backfill of what the old one received) and the old one stops receiving. Tell its readers.")
        return
    # No specs (review of a preview): a changed router argument or config naming the sink.
    sink_paths = [p for p in change.paths if "sink" in p.lower()]
    if sink_paths:
        yield hazard("route.sink-change").risk(
            f"{who(change, 'route')}: the router's sink settings change ({', '.join(sink_paths)}): the new sink "
            "starts empty and the old one stops receiving.")


RULES = (sink_change,)
