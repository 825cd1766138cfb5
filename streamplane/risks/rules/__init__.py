"""Hazard rules, one module per domain. A rule is `rule(change, context) -> Iterator[Risk]`: it reads
the change's action, paths and before/after inputs, and the PlanContext for what only the platform
knows (owners, schemas, statefulness, tiers)."""

from __future__ import annotations

from . import druid, flink, generic, iam, kafka, msk, route, store

RULES = (*generic.RULES, *store.RULES, *kafka.RULES, *msk.RULES, *flink.RULES, *druid.RULES, *route.RULES, *iam.RULES)

__all__ = ["RULES"]
