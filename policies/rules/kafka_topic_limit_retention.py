"""kafka-topic-limit-retention: time-based retention stays within the environment's bounds."""

from __future__ import annotations

from pulumi_policy import PolicyConfigSchema, ResourceValidationArgs

from streamplane.platform.rules.durations import format_duration_ms

from ..support import as_int, config, is_unknown, resource_policy
from ._kafka import KAFKA_TOPIC, topic_config, topic_label

KAFKA_DEFAULT_RETENTION_MS = 604_800_000
DEFAULT_MIN_RETENTION_MS = 3_600_000
DEFAULT_MAX_RETENTION_MS = 2_592_000_000


def _duration(ms: int) -> str:
    """7d, 12h, 1m ... in the largest unit up to days that divides it; else milliseconds."""
    return format_duration_ms(ms, largest="d")


def check(args: ResourceValidationArgs):
    raw = topic_config(args, "retention.ms")
    policy = topic_config(args, "cleanup.policy")
    if is_unknown(raw) or is_unknown(policy):
        return
    # A compact-only topic keeps the latest value per key whatever retention.ms says.
    if isinstance(policy, str) and "delete" not in policy.split(","):
        return
    low = int(config(args, "minRetentionMs", DEFAULT_MIN_RETENTION_MS))
    high = int(config(args, "maxRetentionMs", DEFAULT_MAX_RETENTION_MS))
    retention = KAFKA_DEFAULT_RETENTION_MS if raw is None else as_int(raw)
    topic = topic_label(args)
    if retention is None:
        yield f'Kafka topic "{topic}" has retention.ms {raw!r}, not a number of milliseconds: set it as an integer string.'
    elif retention == -1:
        yield (f'Kafka topic "{topic}" keeps data forever (retention.ms -1): set a retention of at most {_duration(high)} '
               "or make it a compacted topic.")
    elif not low <= retention <= high:
        yield (f'Kafka topic "{topic}" has retention {_duration(retention)}, outside {_duration(low)}..{_duration(high)} for this '
               "environment: set retention within those bounds.")


POLICY = resource_policy(
    "kafka-topic-limit-retention",
    "Kafka topics with delete cleanup must retain data within the environment's retention bounds.",
    [KAFKA_TOPIC], check,
    config_schema=PolicyConfigSchema({
        "minRetentionMs": {"type": "integer", "minimum": 0, "default": DEFAULT_MIN_RETENTION_MS,
                           "description": "Shortest retention.ms allowed."},
        "maxRetentionMs": {"type": "integer", "minimum": 1, "default": DEFAULT_MAX_RETENTION_MS,
                           "description": "Longest retention.ms allowed."}}))
