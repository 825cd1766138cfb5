"""flink-deployment-require-savepoint-on-deletion: deleting a stateful job's deployment first takes a savepoint."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs

from ..support import as_bool, is_unknown, resource_policy
from ._flink import FLINK_DEPLOYMENT, flink_conf, is_stateful, job_label

KEY = "kubernetes.operator.job.savepoint-on-deletion"


def check(args: ResourceValidationArgs):
    if not is_stateful(args.props):
        return
    value = flink_conf(args.props, KEY)
    if not is_unknown(value) and as_bool(value) is not True:
        yield (f'Flink job "{job_label(args)}" is stateful but deleting it drops its state: set flinkConfiguration '
               f'"{KEY}" to "true".')


POLICY = resource_policy(
    "flink-deployment-require-savepoint-on-deletion",
    "Stateful Flink deployments must take a savepoint when they are deleted.",
    [FLINK_DEPLOYMENT], check)
