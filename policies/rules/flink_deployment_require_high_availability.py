"""flink-deployment-require-high-availability: job managers use Kubernetes HA with a durable storage dir."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs

from ..support import is_unknown, resource_policy
from ._flink import FLINK_DEPLOYMENT, HA_DIR_KEYS, flink_conf, job_label

HA_TYPES = ("kubernetes", "zookeeper", "org.apache.flink.kubernetes.highavailability.KubernetesHaServicesFactory")


def check(args: ResourceValidationArgs):
    # "high-availability" alone is the pre-1.17 spelling of high-availability.type.
    kind = flink_conf(args.props, "high-availability.type", "high-availability")
    storage = flink_conf(args.props, *HA_DIR_KEYS)
    if is_unknown(kind) or is_unknown(storage):
        return
    if not isinstance(kind, str) or kind.lower() not in [t.lower() for t in HA_TYPES]:
        yield (f'Flink job "{job_label(args)}" runs without job manager high availability: set flinkConfiguration '
               '"high-availability.type" to kubernetes and "high-availability.storageDir" to its checkpoint store.')
    elif not storage:
        yield (f'Flink job "{job_label(args)}" enables high availability without a storage dir: set flinkConfiguration '
               '"high-availability.storageDir" to s3://<checkpoint store>/jobs/<job>/ha.')


POLICY = resource_policy(
    "flink-deployment-require-high-availability",
    "Flink deployments must enable job manager high availability with a durable storage dir.",
    [FLINK_DEPLOYMENT], check)
