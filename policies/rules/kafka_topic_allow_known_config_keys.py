"""kafka-topic-allow-known-config-keys: topic config only uses keys the Kafka 4.3 broker accepts."""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy import EnforcementLevel, ResourceValidationArgs

from streamplane.kafka.rules.topics import closest_topic_config, removed_topic_configs, topic_configs

from ..support import get, resource_policy
from ._kafka import KAFKA_TOPIC, topic_label

KNOWN_KEYS = frozenset(topic_configs())
REMOVED_KEYS = frozenset(removed_topic_configs())


def check(args: ResourceValidationArgs):
    settings = get(args.props, "config")
    if not isinstance(settings, Mapping):
        return
    topic = topic_label(args)
    for key in sorted(settings):
        if key in KNOWN_KEYS:
            continue
        if key in REMOVED_KEYS:
            yield (f'Kafka topic "{topic}" sets config "{key}", which Kafka 4.0 removed: delete the key.')
            continue
        close = closest_topic_config(key)
        hint = f'did you mean "{close}"?' if close else "remove it (see Kafka's topic configs)."
        yield f'Kafka topic "{topic}" sets unknown config "{key}": {hint}'


POLICY = resource_policy(
    "kafka-topic-allow-known-config-keys",
    "Kafka topics may only set topic-level config keys the broker knows (Kafka 4.3).",
    [KAFKA_TOPIC], check, EnforcementLevel.MANDATORY)
