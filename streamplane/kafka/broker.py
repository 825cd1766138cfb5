"""Broker-level defaults the platform sets on every cluster it runs (MSK configuration, Strimzi config)."""

from __future__ import annotations

from .topic_config import config_string

MAX_DEFAULT_REPLICATION_FACTOR = 3
MAX_DEFAULT_MIN_INSYNC_REPLICAS = 2


def broker_defaults(brokers: int) -> dict[str, str]:
    """Safe broker defaults for a cluster of `brokers` brokers.

    Topics are only ever created by streamplane (auto-create off, so a typo in a client never makes a
    topic), a lagging replica never becomes leader (no silent data loss), internal topics are
    replicated like user topics, and min.insync.replicas stays below the replication factor so one
    broker down does not stop writes.
    """
    rf = min(MAX_DEFAULT_REPLICATION_FACTOR, brokers)
    min_isr = max(1, min(MAX_DEFAULT_MIN_INSYNC_REPLICAS, rf - 1))
    return {
        "auto.create.topics.enable": "false",
        "default.replication.factor": str(rf),
        "min.insync.replicas": str(min_isr),
        "offsets.topic.replication.factor": str(rf),
        "transaction.state.log.replication.factor": str(rf),
        "transaction.state.log.min.isr": str(min_isr),
        "unclean.leader.election.enable": "false",
    }


def config_string_map(config: dict) -> dict[str, str]:
    return {key: config_string(value) for key, value in config.items()}
