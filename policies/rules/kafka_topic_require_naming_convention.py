"""kafka-topic-require-naming-convention: topic names are lowercase words joined by '.' or '-'."""

from __future__ import annotations

import re

from pulumi_policy import PolicyConfigSchema, ResourceValidationArgs

from ..support import config, get, resource_policy
from ._kafka import KAFKA_TOPIC

DEFAULT_PATTERN = r"^[a-z][a-z0-9]*([.-][a-z0-9]+)*$"
MAX_TOPIC_NAME_LENGTH = 249


def check(args: ResourceValidationArgs):
    name = get(args.props, "name")
    if not isinstance(name, str):
        return
    pattern = str(config(args, "pattern", DEFAULT_PATTERN))
    if len(name) > MAX_TOPIC_NAME_LENGTH:
        yield f'Kafka topic "{name}" is {len(name)} characters long: Kafka allows {MAX_TOPIC_NAME_LENGTH}; shorten it.'
    elif not re.fullmatch(pattern, name):
        # '_' and '.' collide in Kafka's metric names, so the convention allows only one of them.
        yield (f'Kafka topic "{name}" does not match the naming convention {pattern}: use lowercase letters and digits '
               "in words joined by '.' or '-' (e.g. playback-events).")


POLICY = resource_policy(
    "kafka-topic-require-naming-convention",
    "Kafka topic names must follow the platform naming convention (lowercase words joined by '.' or '-').",
    [KAFKA_TOPIC], check,
    config_schema=PolicyConfigSchema({"pattern": {
        "type": "string", "default": DEFAULT_PATTERN, "description": "Regular expression a topic name must match."}}))
