"""The routing domain's declaration (streamplane/manifest.py): its components are components/routing/.

A route's router is a FlinkDeployment with Kafka ACLs: its resources' replace rules are the flink and
kafka domains'."""

from __future__ import annotations

from ..manifest import Domain, Kind

ROUTING = Domain(
    name="routing",
    kinds=(Kind("Route", "kinds", "route.json", check="checks:check_route", promotable=("/spec/routerImage",),
                shape=('{{"', '"}}')),),
    builds_after=("checkpoint", "kafka", "flink"),
    risk_rules=("risks",),
    hazard_kinds=(("route", ("Route",)),),
)
