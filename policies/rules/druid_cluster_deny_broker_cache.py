"""druid-cluster-deny-broker-cache: brokers do not cache query results (their queries hit fresh, real-time data)."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs

from ..support import resource_policy
from ._druid import DRUID, nodes_of_type, object_label

KEYS = ("druid.broker.cache.useCache", "druid.broker.cache.populateCache")


def check(args: ResourceValidationArgs):
    for name, properties in nodes_of_type(args.props, "broker"):
        on = [k for k in KEYS if properties.get(k, "false").lower() == "true"]
        if on:
            yield (f'Druid cluster "{object_label(args)}" broker node group "{name}" turns on {", ".join(on)}: '
                   "set them to false and cache on historicals instead (broker caches miss on fresh data and "
                   "cost heap).")


POLICY = resource_policy(
    "druid-cluster-deny-broker-cache",
    "Druid brokers must not cache query results; caching belongs on historicals.",
    [DRUID], check)
