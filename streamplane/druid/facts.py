"""Plan-context facts of the druid domain: how many historicals each tier has."""

from __future__ import annotations

from policies.support import runtime_properties

from ..plan.context import PlanContext

DEFAULT_DRUID_TIER = "_default_tier"


def druid_tiers(ctx: PlanContext) -> dict[str, int]:
    """Historicals per tier in the head graph's Druid clusters (druid-operator `Druid` CRs), counted once per plan."""
    return ctx.once("druid-tiers", lambda: _count_druid_tiers(ctx))


def _count_druid_tiers(ctx: PlanContext) -> dict[str, int]:
    tiers: dict[str, int] = {}
    for resource in ctx.head_resources.values():
        if not str(resource.get("type", "")).startswith("kubernetes:druid.apache.org/") or not resource["type"].endswith(":Druid"):
            continue
        nodes = ((resource.get("inputs") or {}).get("spec") or {}).get("nodes") or {}
        for node in nodes.values():
            if not isinstance(node, dict) or node.get("nodeType") != "historical":
                continue
            tier = runtime_properties(node.get("runtime.properties")).get("druid.server.tier", DEFAULT_DRUID_TIER)
            replicas = node.get("replicas", 1)
            tiers[tier] = tiers.get(tier, 0) + (replicas if isinstance(replicas, int) else 0)
    return tiers


FACTS = (druid_tiers,)
