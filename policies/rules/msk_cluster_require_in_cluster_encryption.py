"""msk-cluster-require-in-cluster-encryption: traffic between MSK brokers is encrypted."""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, ResourceValidationArgs

from ..support import as_bool, get, resource_policy
from ._msk import MSK_CLUSTER


def check(args: ResourceValidationArgs):
    # Omitted means true (MSK's default); only an explicit false is a violation.
    if as_bool(get(args.props, "encryptionInfo", "encryptionInTransit", "inCluster")) is False:
        yield (f'MSK cluster "{args.name}" sends broker-to-broker traffic unencrypted: set '
               "encryptionInfo.encryptionInTransit.inCluster to true (this replaces the cluster).")


POLICY = resource_policy(
    "msk-cluster-require-in-cluster-encryption",
    "MSK clusters must encrypt traffic between brokers.",
    [MSK_CLUSTER], check, EnforcementLevel.MANDATORY)
