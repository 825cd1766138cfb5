"""msk-cluster-require-enhanced-monitoring: MSK publishes per-broker (or finer) metrics; on in prod by pack config."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs

from ..support import get, resource_policy
from ._msk import MSK_CLUSTER

ENHANCED_LEVELS = ("PER_BROKER", "PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION")


def check(args: ResourceValidationArgs):
    level = get(args.props, "enhancedMonitoring", default="DEFAULT")
    if isinstance(level, str) and level not in ENHANCED_LEVELS:
        yield (f'MSK cluster "{args.name}" has enhancedMonitoring {level}: set it to PER_BROKER or finer '
               "(PER_TOPIC_PER_BROKER) so under-replication and consumer lag are visible per broker.")


POLICY = resource_policy(
    "msk-cluster-require-enhanced-monitoring",
    "MSK clusters must publish enhanced (per-broker or finer) CloudWatch metrics.",
    [MSK_CLUSTER], check)
