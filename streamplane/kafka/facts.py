"""Plan-context facts of the kafka domain: a cluster's broker count and a stream's spec."""

from __future__ import annotations

from ..plan.context import PlanContext
from ..spec.model import Declared


def brokers(ctx: PlanContext, cluster: str | None) -> int | None:
    """Broker count of a KafkaCluster from the head spec (None when unknown)."""
    declared = ctx.spec_object("KafkaCluster", cluster) if cluster else None
    return getattr(declared.spec, "brokers", None) if declared else None


def stream(ctx: PlanContext, name: str, side: str = "head") -> Declared | None:
    """The Stream spec named `name` on `side` (else the other side's)."""
    return ctx.spec_object("Stream", name, side)


FACTS = (brokers, stream)
