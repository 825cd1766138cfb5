"""The flink domain's declaration (streamplane/manifest.py): its components are components/flink/."""

from __future__ import annotations

from ..manifest import Domain, Kind

FLINK = Domain(
    name="flink",
    kinds=(Kind("FlinkJob", "kinds", "flink-job.json", check="kinds:check",
                promotable=("/spec/image", "/spec/jarURI", "/spec/flinkVersion"), shape=('[["', '"]]')),),
    builds_after=("checkpoint",),
    checks=("checks",),
    risk_rules=("risks",),
    hazard_kinds=(("flink", ("FlinkJob", "Route")),),
    replace="replace",
    facts="facts",
    policies=("flink_deployment_deny_stateless_upgrade", "flink_deployment_require_high_availability",
              "flink_deployment_require_state_dirs_on_store", "flink_deployment_require_savepoint_on_deletion",
              "flink_deployment_require_resource_limits", "flink_deployment_deny_root"),
)
