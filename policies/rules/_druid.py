"""Druid CR reading the Druid rules share: runtime.properties text and ISO-8601 periods."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from streamplane.platform.rules import types

from ..support import get, runtime_properties

DRUID = types.DRUID
DRUID_INGESTION = types.DRUID_INGESTION


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
