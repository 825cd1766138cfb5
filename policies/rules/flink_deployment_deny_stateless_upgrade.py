"""flink-deployment-deny-stateless-upgrade: a stateful job never upgrades in stateless mode (which drops its state)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pulumi_policy import EnforcementLevel, ResourceValidationArgs

from ..support import acknowledged as support_acknowledged
from ..support import get, resource_policy
from ._flink import FLINK_DEPLOYMENT, STATE_LABEL, is_stateful, job_label

ACKNOWLEDGED_RISK = "flink.state-dropped"


def today() -> date:
    """Today's date (UTC), against which acknowledgements expire; tests monkeypatch it."""
    return datetime.now(UTC).date()


def acknowledged(props) -> bool:
    """An unexpired acknowledgement of flink.state-dropped (a deliberate start from empty state)."""
    return support_acknowledged(props, ACKNOWLEDGED_RISK, today())


def check(args: ResourceValidationArgs):
    if not is_stateful(args.props) or acknowledged(args.props):
        return
    # The operator's own default upgradeMode is stateless.
    mode = get(args.props, "spec", "job", "upgradeMode", default="stateless")
    if mode == "stateless":
        yield (f'Flink job "{job_label(args)}" is labelled {STATE_LABEL}=stateful but upgrades with upgradeMode '
               "stateless, which restarts it without its state: set spec.job.upgradeMode to savepoint or last-state "
               "(a deliberate fresh start: acknowledge flink.state-dropped in the FlinkJob's spec.acknowledge).")


POLICY = resource_policy(
    "flink-deployment-deny-stateless-upgrade",
    "Stateful Flink jobs must upgrade with savepoint or last-state, never stateless.",
    [FLINK_DEPLOYMENT], check, EnforcementLevel.MANDATORY)
