"""Amazon MSK facts: where brokers go and what names may be.

- MSK places brokers in two or three Availability Zones, one client subnet each, and the broker
  count must be a multiple of the number of client subnets (MSK CreateCluster:
  BrokerNodeGroupInfo.ClientSubnets, NumberOfBrokerNodes; pulumi-aws msk.Cluster number_of_broker_nodes).
- Cluster names are at most 64 characters (CreateCluster API, ClusterName).
"""

from __future__ import annotations

MSK_SUBNET_COUNTS = (2, 3)
"""MSK places brokers in two or three Availability Zones, one client subnet each."""
MSK_CLUSTER_NAME_MAX = 64


def uneven_broker_spread(brokers: int, zones: int) -> bool:
    """The MSK placement rule: brokers must spread evenly over the client subnets' zones."""
    return zones > 0 and brokers % zones != 0


def even_broker_counts(brokers: int, zones: int) -> tuple[int, int]:
    """The nearest valid broker counts below and above `brokers` for `zones` zones (for a fix)."""
    remainder = brokers % zones
    return (brokers - remainder or zones, brokers + zones - remainder)
