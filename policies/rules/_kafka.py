"""The Kafka topic type and config reading the topic rules share."""

from __future__ import annotations

from streamplane.platform.rules import types

from ..support import get

KAFKA_TOPIC = types.KAFKA_TOPIC


def topic_label(args) -> str:
    """The topic's Kafka name when known, else its logical name."""
    name = get(args.props, "name")
    return name if isinstance(name, str) else args.name


def topic_config(args, key: str):
    """A topic config value (strings on the wire); None when the topic leaves it to the broker."""
    return get(args.props, "config", key)
