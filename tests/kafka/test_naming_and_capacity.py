"""Kafka's topic naming rules, principal forms, consumer groups, and MSK partition capacity."""

from __future__ import annotations

import pytest

from streamplane.kafka.capacity import capacity_problem, msk_limits, replicas_per_broker
from streamplane.kafka.naming import consumer_group, principal, short_name, topic_name_problem, topic_name_warning


@pytest.mark.parametrize("name", ["playback-events", "a", "x" * 249, "Playback.Events_v2"])
def test_legal_topic_names(name):
    assert topic_name_problem(name) is None


@pytest.mark.parametrize("name,message", [
    (".", 'topic name "." is not allowed: Kafka reserves "." and "..". Pick a descriptive name.'),
    ("x" * 250, "topic name is 250 characters long; Kafka allows at most 249. Shorten it."),
    ("playback events!", 'topic name "playback events!" contains \' !\': Kafka allows only ASCII letters, digits, '
                         '".", "_" and "-". Replace those characters.'),
    ("__consumer_offsets", 'topic name "__consumer_offsets" starts with "__", which Kafka reserves for internal topics. Rename it.'),
])
def test_illegal_topic_names(name, message):
    assert topic_name_problem(name) == message


def test_topic_name_mixing_dot_and_underscore_warns():
    assert topic_name_warning("playback.events_v2") == (
        'topic name "playback.events_v2" mixes "." and "_": Kafka metric names turn both into "_", so it can '
        "collide with another topic's metrics. Use one separator.")
    assert topic_name_warning("playback-events.v2") is None


@pytest.mark.parametrize("name,auth,expected", [
    ("playback-api", "scram", "User:playback-api"),
    ("playback-api", "iam", "User:playback-api"),
    ("playback-api", "tls", "User:CN=playback-api"),
    ("User:CN=router,O=acme", "tls", "User:CN=router,O=acme"),
])
def test_principal_form_follows_client_auth(name, auth, expected):
    assert principal(name, auth) == expected


def test_consumer_group_convention_is_consumer_dot_stream():
    assert consumer_group("playback-router", "playback-events") == "playback-router.playback-events"
    assert consumer_group("User:CN=router,O=acme", "playback-events") == "router.playback-events"
    assert short_name("User:CN=router,O=acme") == "router"


def test_replicas_per_broker_rounds_up():
    assert replicas_per_broker([(64, 3), (16, 3)], 6) == 40
    assert replicas_per_broker([(10, 3)], 4) == 8


def test_capacity_below_recommended_is_fine():
    assert capacity_problem("kafka.m5.large", 999, 2997, 3) is None


def test_capacity_warns_at_recommended():
    assert capacity_problem("kafka.m5.large", 1000, 3000, 3) == ("warning", (
        "1000 partition replicas per broker (3000 over 3 brokers) reach MSK's recommended 1000 for kafka.m5.large. "
        "Plan more brokers or a larger instance type."))


def test_capacity_errors_above_update_operations_maximum():
    assert capacity_problem("kafka.m5.large", 1501, 4503, 3) == ("error", (
        "1501 partition replicas per broker (4503 over 3 brokers) exceed the 1500 MSK supports update operations "
        "with on kafka.m5.large. Add brokers, use a larger instance type, or lower partitions/replicationFactor."))
    assert capacity_problem("kafka.m5.large", 1500, 4500, 3)[0] == "warning"


def test_capacity_ignores_instance_types_without_guidance():
    assert capacity_problem("kafka.c9.mega", 100000, 300000, 3) is None
    assert msk_limits()["kafka.t3.small"].max_for_update_operations == 300
