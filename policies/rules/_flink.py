"""FlinkDeployment reading the Flink rules share.

Stateful vs stateless comes from the label the Flink component sets: metadata.labels
["streamplane.io/state"] in {"stateful", "stateless"}. flinkConfiguration accepts flat keys
("state.savepoints.dir") and nested maps ({state: {savepoints.dir: ...}}); both are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from streamplane.platform.rules import types

from ..support import UNKNOWN, get, is_unknown

FLINK_DEPLOYMENT = types.FLINK_DEPLOYMENT
STATE_LABEL = "streamplane.io/state"


def is_stateful(props: Any) -> bool:
    return get(props, "metadata", "labels", STATE_LABEL) == "stateful"


def job_label(args) -> str:
    name = get(args.props, "metadata", "name")
    return name if isinstance(name, str) else args.name


def _lookup(conf: Any, key: str) -> Any:
    if is_unknown(conf) or not isinstance(conf, Mapping):
        return conf if is_unknown(conf) else None
    value = get(conf, key)
    if value is not None:
        return value
    parts = key.split(".")
    for cut in range(1, len(parts)):
        head = ".".join(parts[:cut])
        nested = get(conf, head)
        if isinstance(nested, Mapping) or is_unknown(nested):
            found = _lookup(nested, ".".join(parts[cut:]))
            if found is not None:
                return found
    return None


def flink_conf(props: Any, *keys: str) -> Any:
    """The first of `keys` set in spec.flinkConfiguration (None if none; UNKNOWN if unknown)."""
    conf = get(props, "spec", "flinkConfiguration")
    if is_unknown(conf):
        return UNKNOWN
    for key in keys:
        value = _lookup(conf, key)
        if value is not None:
            return value
    return None


SAVEPOINT_DIR_KEYS = ("execution.checkpointing.savepoint-dir", "state.savepoints.dir")
HA_DIR_KEYS = ("high-availability.storageDir",)
