"""Broker-level defaults the platform sets on every cluster it runs (MSK configuration, Strimzi config)."""

from __future__ import annotations

from .rules.topics import default_min_insync_replicas, default_replication_factor
from .topic_config import config_string


def broker_defaults(brokers: int) -> dict[str, str]:
    """Safe broker defaults for a cluster of `brokers` brokers.

    Topics are only ever created by streamplane (auto-create off, so a typo in a client never makes a
    topic), a lagging replica never becomes leader (no silent data loss), internal topics are
    replicated like user topics, and min.insync.replicas stays below the replication factor so one
    broker down does not stop writes.
    """
    rf = default_replication_factor(brokers)
    min_isr = default_min_insync_replicas(rf)
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
