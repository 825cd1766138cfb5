"""msk-cluster-require-brokers-multiple-of-azs: brokers spread evenly, one client subnet per AZ."""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_policy import EnforcementLevel, ResourceValidationArgs

from streamplane.kafka.rules.msk import uneven_broker_spread

from ..support import as_int, get, resource_policy
from ._msk import MSK_CLUSTER


def check(args: ResourceValidationArgs):
    brokers = as_int(get(args.props, "numberOfBrokerNodes"))
    subnets = get(args.props, "brokerNodeGroupInfo", "clientSubnets")
    # A list's length is known even when its subnet ids are not (they come from the VPC).
    if brokers is None or not isinstance(subnets, Sequence) or isinstance(subnets, str):
        return
    zones = len(subnets)
    if uneven_broker_spread(brokers, zones):
        yield (f'MSK cluster "{args.name}" has {brokers} brokers across {zones} client subnets (AZs): set '
               f"numberOfBrokerNodes to a multiple of {zones} (MSK rejects an uneven spread).")


POLICY = resource_policy(
    "msk-cluster-require-brokers-multiple-of-azs",
    "MSK clusters must have a broker count that is a multiple of their client subnets (availability zones).",
    [MSK_CLUSTER], check, EnforcementLevel.MANDATORY)
