"""kafka-topic-require-min-replication-factor: topics keep at least N replicas (per environment, by pack config)."""

from __future__ import annotations

from pulumi_policy import PolicyConfigSchema, ResourceValidationArgs

from streamplane.kafka.rules.topics import DEFAULT_REPLICATION_FACTOR

from ..support import as_int, config, get, resource_policy
from ._kafka import KAFKA_TOPIC, topic_label

DEFAULT_MIN_REPLICATION_FACTOR = DEFAULT_REPLICATION_FACTOR


def check(args: ResourceValidationArgs):
    minimum = int(config(args, "minReplicationFactor", DEFAULT_MIN_REPLICATION_FACTOR))
    factor = as_int(get(args.props, "replicationFactor"))
    if factor is not None and factor < minimum:
        yield (f'Kafka topic "{topic_label(args)}" has replicationFactor {factor}, below the minimum {minimum} '
               f"for this environment: set replicationFactor to at least {minimum}.")


POLICY = resource_policy(
    "kafka-topic-require-min-replication-factor",
    "Kafka topics must have at least the environment's minimum replication factor.",
    [KAFKA_TOPIC], check,
    config_schema=PolicyConfigSchema({"minReplicationFactor": {
        "type": "integer", "minimum": 1, "default": DEFAULT_MIN_REPLICATION_FACTOR,
        "description": "Fewest replicas a topic may have."}}))
