"""flink-deployment-require-resource-limits: job and task managers declare CPU and memory."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs

from ..support import get, resource_policy
from ._flink import FLINK_DEPLOYMENT, job_label


def check(args: ResourceValidationArgs):
    missing = [f"spec.{role}.resource.{what}" for role in ("jobManager", "taskManager") for what in ("cpu", "memory")
               if get(args.props, "spec", role, "resource", what) is None]
    if missing:
        yield (f'Flink job "{job_label(args)}" has no resource limits for {", ".join(missing)}: set them so one job '
               "cannot starve its neighbours.")


POLICY = resource_policy(
    "flink-deployment-require-resource-limits",
    "Flink deployments must set CPU and memory for their job manager and task managers.",
    [FLINK_DEPLOYMENT], check)
