"""Kafka topic rules on kafka:index/topic:Topic inputs: baseline passes, one change fails with its message."""

import pytest
from policy_harness import graph, messages, resource

from policies.rules import (
    kafka_topic_allow_known_config_keys as known_keys,
)
from policies.rules import (
    kafka_topic_limit_retention as retention,
)
from policies.rules import (
    kafka_topic_require_min_insync_replicas as min_isr,
)
from policies.rules import (
    kafka_topic_require_min_replication_factor as min_rf,
)
from policies.rules import (
    kafka_topic_require_naming_convention as naming,
)

TOPIC = "kafka:index/topic:Topic"
BASELINE = {"name": "playback-events", "partitions": 64, "replicationFactor": 3,
            "config": {"min.insync.replicas": "2", "retention.ms": "259200000", "cleanup.policy": "delete"}}
RULES = [min_rf, min_isr, retention, naming, known_keys]


def topic(config=None, **changes):
    inputs = {**BASELINE, **changes}
    inputs["config"] = {k: v for k, v in {**BASELINE["config"], **(config or {})}.items() if v is not None}
    return graph(resource(TOPIC, "playback-events", inputs))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.POLICY.name)
def test_topic_rule_passes_baseline(rule):
    assert messages(rule, topic()) == []


@pytest.mark.parametrize("rule, graph_, expected", [
    (min_rf, topic(replicationFactor=2),
     'Kafka topic "playback-events" has replicationFactor 2, below the minimum 3 for this environment: set '
     "replicationFactor to at least 3."),
    (min_isr, topic({"min.insync.replicas": None}),
     'Kafka topic "playback-events" does not set min.insync.replicas (the broker default applies): set '
     'config["min.insync.replicas"] to at least 2.'),
    (min_isr, topic({"min.insync.replicas": "1"}),
     "Kafka topic \"playback-events\" sets min.insync.replicas to '1', below the minimum 2 for this environment: "
     'set config["min.insync.replicas"] to at least 2.'),
    (min_isr, topic({"min.insync.replicas": "3"}),
     'Kafka topic "playback-events" sets min.insync.replicas 3 with replicationFactor 3: one broker down stops '
     "every acks=all producer; set min.insync.replicas below replicationFactor (e.g. 2) or raise replicationFactor."),
    (retention, topic({"retention.ms": "-1"}),
     'Kafka topic "playback-events" keeps data forever (retention.ms -1): set a retention of at most 30d or make '
     "it a compacted topic."),
    (retention, topic({"retention.ms": "60000"}),
     'Kafka topic "playback-events" has retention 1m, outside 1h..30d for this environment: set retention '
     "within those bounds."),
    (naming, topic(name="Playback_Events"),
     'Kafka topic "Playback_Events" does not match the naming convention ^[a-z][a-z0-9]*([.-][a-z0-9]+)*$: use '
     "lowercase letters and digits in words joined by '.' or '-' (e.g. playback-events)."),
    (known_keys, topic({"retention.msec": "1000"}),
     'Kafka topic "playback-events" sets unknown config "retention.msec": did you mean "retention.ms"?'),
    (known_keys, topic({"message.format.version": "3.0"}),
     'Kafka topic "playback-events" sets config "message.format.version", which Kafka 4.0 removed: delete the key.'),
], ids=lambda v: v.POLICY.name if hasattr(v, "POLICY") else None)
def test_topic_rule_rejects_one_change(rule, graph_, expected):
    assert messages(rule, graph_) == [expected]


def test_replication_minimum_comes_from_the_environment_config():
    dev = {"kafka-topic-require-min-replication-factor": {"enforcementLevel": "advisory", "minReplicationFactor": 1}}
    assert messages(min_rf, topic(replicationFactor=1), dev) == []
    assert len(messages(min_rf, topic(replicationFactor=1))) == 1


def test_retention_rule_skips_compact_only_topics():
    assert messages(retention, topic({"retention.ms": "-1", "cleanup.policy": "compact"})) == []


def test_missing_retention_is_kafkas_seven_day_default():
    assert messages(retention, topic({"retention.ms": None})) == []
    tight = {"kafka-topic-limit-retention": {"maxRetentionMs": 86_400_000}}
    assert messages(retention, topic({"retention.ms": None}), tight) == [
        'Kafka topic "playback-events" has retention 7d, outside 1h..1d for this environment: set retention '
        "within those bounds."]
