"""Kafka facts and rules: replication defaults, min.insync.replicas, and Kafka's topic-config table.

The table (data/kafka-topic-configs.json) is Kafka 4.3's generated topic-config documentation as JSON
(provenance inside the file and in tests/reference/kafka/README.md); it is the only copy the code
reads. tests/kafka/test_examples.py keeps it identical to tests/reference/kafka/topic-configs.json.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path

MIN_ISR = "min.insync.replicas"
DEFAULT_REPLICATION_FACTOR = 3
"""A Stream's replicationFactor when unset, the broker default.replication.factor cap, and the
policy pack's default minimum."""
DEFAULT_MIN_INSYNC_REPLICAS = 2
"""min.insync.replicas when unset (capped below the replication factor), and the pack's default minimum."""

TOPIC_CONFIGS_FILE = Path(__file__).resolve().parent / "data" / "kafka-topic-configs.json"


def default_replication_factor(brokers: int) -> int:
    """The replication factor a cluster of `brokers` brokers gives its internal and default topics."""
    return min(DEFAULT_REPLICATION_FACTOR, brokers)


def default_min_insync_replicas(replication_factor: int) -> int:
    """min.insync.replicas when unset: 2, capped below the replication factor (1 for a single replica)."""
    return max(1, min(DEFAULT_MIN_INSYNC_REPLICAS, replication_factor - 1))


def min_isr_blocks_writes(min_isr: int, replication_factor: int) -> bool:
    """The min.insync.replicas rule: with min.insync.replicas >= replicationFactor every replica must
    be in sync, so one broker down refuses every acks=all write (and above it, no write ever succeeds)."""
    return min_isr >= replication_factor


@cache
def topic_config_table() -> dict:
    """The whole table: configs by name, keys removed since 3.9, provenance."""
    return json.loads(TOPIC_CONFIGS_FILE.read_text(encoding="utf-8"))


def topic_configs() -> dict[str, dict]:
    """Kafka 4.3's topic configs by name (type, default, valid values)."""
    return topic_config_table()["configs"]


def removed_topic_configs() -> dict[str, dict]:
    """Configs that Kafka 3.9 had and 4.x removed (brokers reject them)."""
    return topic_config_table()["removed_since_3_9"]["configs"]


def kafka_version() -> str:
    """The Kafka version of the table (4.3)."""
    return topic_config_table()["kafka_version"].split(" ", 1)[0]


def closest_topic_config(key: str) -> str | None:
    """The valid topic config closest to a misspelled `key` (retention.msec -> retention.ms), if any is close."""
    close = difflib.get_close_matches(key, sorted(topic_configs()), n=1, cutoff=0.6)
    return close[0] if close else None
