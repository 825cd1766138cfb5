"""MSK: client subnets (2 or 3, one per Availability Zone) vs broker count, security groups, name length.

The facts and the placement rule live in streamplane/kafka/rules/msk.py (the policy pack shares them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...errors import Problem
from ...settings import StackSettings
from ...spec.model import Declared, PlatformSpec
from ..rules.msk import MSK_CLUSTER_NAME_MAX, MSK_SUBNET_COUNTS, even_broker_counts, uneven_broker_spread

NETWORK_CONFIG_KEY = "network"


@dataclass(frozen=True)
class Network:
    """streamplane:network of the stack config: where MSK brokers get their network interfaces."""

    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]

    @classmethod
    def of(cls, settings: StackSettings) -> Network:
        raw = settings.object(NETWORK_CONFIG_KEY)
        return cls(tuple(raw.get("subnetIds") or ()), tuple(raw.get("securityGroupIds") or ()))


def msk_cluster_name(settings: StackSettings, name: str) -> str:
    """The MSK cluster (and configuration) name of KafkaCluster `name`."""
    return f"streamplane-{settings.environment}-{name}"


def network_problems(cluster: Declared, network: Network) -> Iterator[tuple[str, str]]:
    """(pointer, message) for each reason MSK would refuse this network/broker layout."""
    subnets, brokers = len(network.subnet_ids), cluster.spec.brokers
    if subnets not in MSK_SUBNET_COUNTS:
        yield ("/spec/brokers", f'KafkaCluster "{cluster.name}" (msk) needs 2 or 3 client subnets in distinct '
               f"Availability Zones in streamplane:network.subnetIds, got {subnets}. Set them in the stack config.")
    elif uneven_broker_spread(brokers, subnets):
        lower, higher = even_broker_counts(brokers, subnets)
        yield ("/spec/brokers", f"must be a multiple of the {subnets} client subnets (one per Availability Zone), "
               f"got {brokers}. Use {lower} or {higher}.")
    if not network.security_group_ids:
        yield ("/spec/brokers", f'KafkaCluster "{cluster.name}" (msk) needs streamplane:network.securityGroupIds. '
               "Set them in the stack config.")


def check(spec: PlatformSpec, settings: StackSettings) -> Iterator[Problem]:
    network = Network.of(settings)
    for cluster in spec.of("KafkaCluster"):
        if cluster.spec.engine != "msk":
            continue
        for pointer, message in network_problems(cluster, network):
            yield Problem(cluster.source.locate(pointer), pointer, message)
        full_name = msk_cluster_name(settings, cluster.name)
        if len(full_name) > MSK_CLUSTER_NAME_MAX:
            pointer = "/metadata/name"
            yield Problem(cluster.source.locate(pointer), pointer,
                          f"the MSK cluster name {full_name} is {len(full_name)} characters long; MSK allows "
                          f"{MSK_CLUSTER_NAME_MAX}. Shorten the cluster's name.")
