"""Topic-level configs checked against Kafka 4.3's own table (name, type, valid values), before any broker sees them.

The table is streamplane/kafka/rules/data/kafka-topic-configs.json (read through streamplane.kafka.rules.topics,
which the policy pack reads too): Kafka's generated LogConfig documentation for 4.3 as JSON.
"""

from __future__ import annotations

import re

from ..spec.schema import suggest
from .rules.topics import closest_topic_config as closest_key
from .rules.topics import kafka_version, topic_configs
from .rules.topics import removed_topic_configs as removed_in_kafka_4

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

MANAGED_KEYS = {
    "retention.ms": "spec.retention (e.g. 3d)",
    "cleanup.policy": "spec.compaction (true: compact, false: delete)",
}
"""Keys a Stream sets from its own fields; writing them in `config` too would leave two sources of truth."""

_INTEGER = re.compile(r"^-?[0-9]+$")
_NUMBER = re.compile(r"^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")



def _describe(value) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, str):
        return f'string "{value}"'
    return f"number {value}"


def _as_integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value.strip())
    return None


def _as_number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        return float(value.strip())
    return None


def _in_range(number: float, valid: dict) -> bool:
    if number in valid.get("or", []):
        return True
    low, high = valid.get("min"), valid.get("max")
    return (low is None or number >= low) and (high is None or number <= high)


def _check_typed(key: str, entry: dict, value) -> str | None:
    kind = entry["type"]
    valid = entry.get("valid")
    allowed = entry.get("valid_doc") or ""
    if kind in ("int", "long"):
        number = _as_integer(value)
        low, high = (INT32_MIN, INT32_MAX) if kind == "int" else (INT64_MIN, INT64_MAX)
        if number is None:
            return f"{key} must be an integer (Kafka type {kind}), got {_describe(value)}."
        if not low <= number <= high:
            return f"{key} must fit Kafka type {kind} ({low} to {high}), got {number}."
        if isinstance(valid, dict) and not _in_range(number, valid):
            return f"{key} must be in {allowed} (Kafka's valid values), got {number}."
        return None
    if kind == "double":
        real = _as_number(value)
        if real is None:
            return f"{key} must be a number (Kafka type double), got {_describe(value)}."
        if isinstance(valid, dict) and not _in_range(real, valid):
            return f"{key} must be in {allowed} (Kafka's valid values), got {value}."
        return None
    if kind == "boolean":
        if isinstance(value, bool) or (isinstance(value, str) and value.strip().lower() in ("true", "false")):
            return None
        return f"{key} must be true or false, got {_describe(value)}."
    if not isinstance(value, str):
        return f"{key} must be a string (Kafka type {kind}), got {_describe(value)}."
    if isinstance(valid, list):
        items = [v.strip() for v in value.split(",") if v.strip()] if kind == "list" else [value]
        for item in items:
            if item not in valid:
                return (f'{key} must be {"a comma-separated list of " if kind == "list" else ""}one of '
                        f'{", ".join(valid)}, got "{item}".{suggest(item, valid)}')
    return None


def check_topic_config(key: str, value) -> str | None:
    """Why `key: value` is not a valid topic config for Kafka 4.3, or None when it is."""
    if key in MANAGED_KEYS:
        return f"{key} comes from {MANAGED_KEYS[key]}; set it there, not in config."
    if key in removed_in_kafka_4():
        return (f"{key} was removed in Kafka 4.0 and 4.x brokers reject it. Delete this key "
                f"(the broker behaves as if it were at its last default).")
    entry = topic_configs().get(key)
    if entry is None:
        close = closest_key(key)
        if close in MANAGED_KEYS:
            hint = f' Did you mean "{close}"? Set it through {MANAGED_KEYS[close]}.'
        elif close:
            hint = f' Did you mean "{close}"?'
        else:
            hint = " See Kafka's topic configs for valid names."
        return f'unknown topic config "{key}" (not a Kafka {kafka_version()} topic config).{hint}'
    return _check_typed(key, entry, value)


def config_string(value) -> str:
    """A config value as Kafka's admin API (and pulumi_kafka's string map) takes it: true, 604800000, 0.5."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
