"""flink-deployment-deny-stateless-upgrade: a stateful job never upgrades in stateless mode (which drops its state)."""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, ResourceValidationArgs

from ..support import get, resource_policy
from ._flink import FLINK_DEPLOYMENT, STATE_LABEL, is_stateful, job_label


def check(args: ResourceValidationArgs):
    if not is_stateful(args.props):
        return
    # The operator's own default upgradeMode is stateless.
    mode = get(args.props, "spec", "job", "upgradeMode", default="stateless")
    if mode == "stateless":
        yield (f'Flink job "{job_label(args)}" is labelled {STATE_LABEL}=stateful but upgrades with upgradeMode '
               "stateless, which restarts it without its state: set spec.job.upgradeMode to savepoint or last-state.")


POLICY = resource_policy(
    "flink-deployment-deny-stateless-upgrade",
    "Stateful Flink jobs must upgrade with savepoint or last-state, never stateless.",
    [FLINK_DEPLOYMENT], check, EnforcementLevel.MANDATORY)
