"""druid-cluster-require-historical-cache: historicals use and populate the segment query cache."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs

from ..support import resource_policy
from ._druid import DRUID, nodes_of_type, object_label

KEYS = ("druid.historical.cache.useCache", "druid.historical.cache.populateCache")


def check(args: ResourceValidationArgs):
    for name, properties in nodes_of_type(args.props, "historical"):
        # Druid's defaults for both are false.
        off = [k for k in KEYS if properties.get(k, "false").lower() != "true"]
        if off:
            yield (f'Druid cluster "{object_label(args)}" historical node group "{name}" leaves {", ".join(off)} '
                   "off: set them to true in its runtime.properties.")


POLICY = resource_policy(
    "druid-cluster-require-historical-cache",
    "Druid historicals must use and populate the query cache.",
    [DRUID], check)
