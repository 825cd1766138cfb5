"""Stream: the topic's exact inputs, protection, and the ACL bindings of producers and consumers."""

from __future__ import annotations

import pytest

from streamplane.plan.diff import diff_graphs

from .helpers import (
    ACL,
    EXISTING_CLUSTER,
    STREAM,
    STRIMZI_CLUSTER,
    TOPIC,
    by_type,
    children,
    config_for,
    synth,
    write_spec,
)

STREAM_URN = "urn:pulumi:dev::streamplane::streamplane:index:Stream::playback-events"
PROVIDER_URN = "urn:pulumi:dev::streamplane::streamplane:index:KafkaCluster$pulumi:providers:kafka::fronting"
SECRETS = ["streamplane:kafkaPasswords"]
PASSWORDS = config_for(extra={"streamplane:kafkaPasswords": '{"fronting": "s3cret"}'})


def synth_stream(tmp_path, stream: str, cluster: str = EXISTING_CLUSTER, environment: str = "dev",
                 protect: bool = False) -> dict:
    folder = write_spec(tmp_path, {"clusters.yaml": cluster, "streams.yaml": stream})
    return synth(folder, environment, config=PASSWORDS, protect=protect, secret_keys=SECRETS)


def acl_inputs(graph: dict) -> set[tuple[str, str, str, str]]:
    return {(a["inputs"]["aclPrincipal"], a["inputs"]["aclOperation"], a["inputs"]["aclResourceType"],
             a["inputs"]["aclResourceName"]) for a in by_type(graph, ACL).values()}


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    return synth_stream(tmp_path_factory.mktemp("stream"), STREAM)


def test_topic_defaults(graph):
    topic = by_type(graph, TOPIC)["playback-events"]
    assert topic["inputs"] == {
        "name": "playback-events",
        "partitions": 12,
        "replicationFactor": 3,
        "config": {"retention.ms": "604800000", "cleanup.policy": "delete", "min.insync.replicas": "2"},
    }
    assert topic["provider"] == PROVIDER_URN
    assert topic["protect"] is False
    assert topic["parent"] == STREAM_URN


def test_topic_custom_values(tmp_path):
    stream = STREAM + """\
  topic: playback.events.v2
  replicationFactor: 2
  retention: 12h
  compaction: true
  protect: true
  config:
    compression.type: zstd
    min.cleanable.dirty.ratio: 0.1
    preallocate: true
"""
    topic = by_type(synth_stream(tmp_path, stream), TOPIC)["playback-events"]
    assert topic["inputs"] == {
        "name": "playback.events.v2",
        "partitions": 12,
        "replicationFactor": 2,
        "config": {"retention.ms": "43200000", "cleanup.policy": "compact", "min.insync.replicas": "1",
                   "compression.type": "zstd", "min.cleanable.dirty.ratio": "0.1", "preallocate": "true"},
    }
    assert topic["protect"] is True


def test_topic_protection_follows_the_stack_and_the_spec_wins(tmp_path):
    assert by_type(synth_stream(tmp_path / "a", STREAM, environment="prod", protect=True), TOPIC)["playback-events"]["protect"] is True
    unprotected = STREAM + "  protect: false\n"
    assert by_type(synth_stream(tmp_path / "b", unprotected, environment="prod", protect=True), TOPIC)["playback-events"]["protect"] is False


def test_stream_children_are_the_topic_and_its_bindings_are_the_clusters(graph):
    """One kafka.Acl per binding, a child of the cluster (shared with routes that need the same one)."""
    assert children(graph, STREAM_URN) == [(TOPIC, "playback-events")]
    cluster_urn = STREAM_URN.replace("streamplane:index:Stream::playback-events", "streamplane:index:KafkaCluster::fronting")
    assert [c for c in children(graph, cluster_urn) if c[0] == ACL] == [
        (ACL, "fronting-acl-playback-api-describe-topic-playback-events"),
        (ACL, "fronting-acl-playback-api-idempotentwrite-cluster-kafka-cluster"),
        (ACL, "fronting-acl-playback-api-write-topic-playback-events"),
        (ACL, "fronting-acl-playback-router-describe-topic-playback-events"),
        (ACL, "fronting-acl-playback-router-read-group-playback-router.playback-events"),
        (ACL, "fronting-acl-playback-router-read-topic-playback-events"),
    ]


def test_producer_and_consumer_bindings(graph):
    assert acl_inputs(graph) == {
        ("User:playback-api", "Write", "Topic", "playback-events"),
        ("User:playback-api", "Describe", "Topic", "playback-events"),
        ("User:playback-api", "IdempotentWrite", "Cluster", "kafka-cluster"),
        ("User:playback-router", "Read", "Topic", "playback-events"),
        ("User:playback-router", "Describe", "Topic", "playback-events"),
        ("User:playback-router", "Read", "Group", "playback-router.playback-events"),
    }
    for acl in by_type(graph, ACL).values():
        assert (acl["inputs"]["aclHost"], acl["inputs"]["aclPermissionType"], acl["inputs"]["resourcePatternTypeFilter"]) == (
            "*", "Allow", "Literal")
        assert acl["provider"] == PROVIDER_URN


def test_strimzi_applications_use_scram_principals_by_default(tmp_path):
    """Default strimzi clientAuth [tls, scram]: the admin has a certificate, applications SCRAM users."""
    graph = synth(write_spec(tmp_path, {"clusters.yaml": STRIMZI_CLUSTER, "streams.yaml": STREAM}),
                  config=config_for(kafka={"connections": {"fronting": {"caCertFile": "a", "clientCertFile": "b",
                                                                        "clientKeyFile": "c"}}}))
    assert {p for p, *_ in acl_inputs(graph)} == {"User:playback-api", "User:playback-router"}


def test_consumer_group_override(tmp_path):
    stream = STREAM + "  consumerGroups: {playback-router: router-v2}\n"
    assert ("User:playback-router", "Read", "Group", "router-v2") in acl_inputs(synth_stream(tmp_path, stream))


def test_idempotent_write_is_granted_once_per_producer_per_cluster(tmp_path):
    second = STREAM.replace("name: playback-events,", "name: playback-sessions,")
    graph = synth_stream(tmp_path, STREAM + "---\n" + second)
    idempotent = [a for a in by_type(graph, ACL).values() if a["inputs"]["aclOperation"] == "IdempotentWrite"]
    assert [a["name"] for a in idempotent] == ["fronting-acl-playback-api-idempotentwrite-cluster-kafka-cluster"]
    assert idempotent[0]["parent"] == "urn:pulumi:dev::streamplane::streamplane:index:KafkaCluster::fronting"


def test_no_idempotent_write_when_turned_off(tmp_path):
    stream = STREAM + "  idempotentProducers: false\n"
    assert not [a for a in acl_inputs(synth_stream(tmp_path, stream)) if a[1] == "IdempotentWrite"]


def changes(base: dict, head: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for change in diff_graphs(base, head):
        out.setdefault(change.action, []).append(change.urn.rsplit("::", 1)[1])
    return {action: sorted(urns) for action, urns in out.items() if action != "same"}


def test_adding_a_consumer_adds_exactly_its_bindings(tmp_path, graph):
    more = STREAM.replace("consumers: [playback-router]", "consumers: [playback-router, playback-dashboards]")
    assert changes(graph, synth_stream(tmp_path, more)) == {"create": [
        "fronting-acl-playback-dashboards-describe-topic-playback-events",
        "fronting-acl-playback-dashboards-read-group-playback-dashboards.playback-events",
        "fronting-acl-playback-dashboards-read-topic-playback-events",
    ]}


def test_removing_a_consumer_deletes_exactly_its_bindings(tmp_path, graph):
    fewer = STREAM.replace("consumers: [playback-router]", "consumers: []")
    assert changes(graph, synth_stream(tmp_path, fewer)) == {"delete": [
        "fronting-acl-playback-router-describe-topic-playback-events",
        "fronting-acl-playback-router-read-group-playback-router.playback-events",
        "fronting-acl-playback-router-read-topic-playback-events",
    ]}


def test_reordering_principals_changes_nothing(tmp_path, graph):
    two = STREAM.replace("consumers: [playback-router]", "consumers: [playback-router, playback-dashboards]")
    swapped = STREAM.replace("consumers: [playback-router]", "consumers: [playback-dashboards, playback-router]")
    assert changes(synth_stream(tmp_path / "a", two), synth_stream(tmp_path / "b", swapped)) == {}
