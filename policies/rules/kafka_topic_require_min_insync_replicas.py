"""kafka-topic-require-min-insync-replicas: topics set min.insync.replicas to at least N and below replicationFactor."""

from __future__ import annotations

from pulumi_policy import PolicyConfigSchema, ResourceValidationArgs

from streamplane.kafka.rules.topics import DEFAULT_MIN_INSYNC_REPLICAS, MIN_ISR, min_isr_blocks_writes

from ..support import as_int, config, get, is_unknown, resource_policy
from ._kafka import KAFKA_TOPIC, topic_config, topic_label

KEY = MIN_ISR


def check(args: ResourceValidationArgs):
    minimum = int(config(args, "minInsyncReplicas", DEFAULT_MIN_INSYNC_REPLICAS))
    raw = topic_config(args, KEY)
    if is_unknown(raw):
        return
    topic = topic_label(args)
    if raw is None:
        # The broker default (1 on Kafka) applies, so an acks=all write can succeed with one copy.
        if minimum > 1:
            yield (f'Kafka topic "{topic}" does not set {KEY} (the broker default applies): set '
                   f'config["{KEY}"] to at least {minimum}.')
        return
    value = as_int(raw)
    factor = as_int(get(args.props, "replicationFactor"))
    if value is None or value < minimum:
        yield (f'Kafka topic "{topic}" sets {KEY} to {raw!r}, below the minimum {minimum} for this environment: '
               f'set config["{KEY}"] to at least {minimum}.')
    elif factor is not None and min_isr_blocks_writes(value, factor):
        yield (f'Kafka topic "{topic}" sets {KEY} {value} with replicationFactor {factor}: one broker down stops '
               f"every acks=all producer; set {KEY} below replicationFactor (e.g. {factor - 1}) or raise replicationFactor.")


POLICY = resource_policy(
    "kafka-topic-require-min-insync-replicas",
    "Kafka topics must set min.insync.replicas to at least the environment's minimum and below their replication factor.",
    [KAFKA_TOPIC], check,
    config_schema=PolicyConfigSchema({"minInsyncReplicas": {
        "type": "integer", "minimum": 1, "default": DEFAULT_MIN_INSYNC_REPLICAS,
        "description": "Lowest min.insync.replicas a topic may set."}}))
