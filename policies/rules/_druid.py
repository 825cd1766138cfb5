"""Druid CR reading the Druid rules share: runtime.properties text and ISO-8601 periods."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..support import get, runtime_properties

DRUID = "kubernetes:druid.apache.org/v1alpha1:Druid"
DRUID_INGESTION = "kubernetes:druid.apache.org/v1alpha1:DruidIngestion"

_PERIOD = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
# Years and months as Druid's Joda periods see them near "now" vary; the rules only compare
# delays of minutes to days, so fixed lengths are exact where it matters.
_UNIT_SECONDS = (365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1)


def period_seconds(text: Any) -> float | None:
    """Seconds in an ISO-8601 period ("PT1H", "P1DT2H"); None when it is not one."""
    match = _PERIOD.match(text.strip().upper()) if isinstance(text, str) else None
    if not match or text.strip().upper() in ("P", "PT"):
        return None
    return sum(float(v) * unit for v, unit in zip(match.groups(), _UNIT_SECONDS, strict=False) if v)


def nodes_of_type(props: Any, node_type: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(node group name, effective properties: common then the node's own) of each node group of a type."""
    common = runtime_properties(get(props, "spec", "common.runtime.properties"))
    nodes = get(props, "spec", "nodes")
    if not isinstance(nodes, Mapping):
        return
    for name in sorted(nodes):
        node = get(nodes, name)
        if get(node, "nodeType") == node_type:
            yield name, {**common, **runtime_properties(get(node, "runtime.properties"))}


def object_label(args) -> str:
    name = get(args.props, "metadata", "name")
    return name if isinstance(name, str) else args.name
