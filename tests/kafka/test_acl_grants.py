"""grant_consumer / grant_producer: what another component (a route's router) calls to reach a stream."""

from __future__ import annotations

import pulumi

from components.kafka import grant_consumer, grant_producer

from .helpers import ACL, EXISTING_CLUSTER, STREAM, by_type, config_for, synth, write_spec

PASSWORDS = config_for(extra={"streamplane:kafkaPasswords": '{"fronting": "s3cret"}'})
ROUTE_URN = "urn:pulumi:dev::streamplane::streamplane:index:Route::enrich-playback"
CLUSTER_URN = "urn:pulumi:dev::streamplane::streamplane:index:KafkaCluster::fronting"


class Route(pulumi.ComponentResource):
    """A stand-in for the routing domain's component."""

    def __init__(self, name: str):
        super().__init__("streamplane:index:Route", name, None, None)


def route_graph(tmp_path, grants) -> dict:
    folder = write_spec(tmp_path, {"clusters.yaml": EXISTING_CLUSTER, "streams.yaml": STREAM})

    def extra(platform):
        route = Route("enrich-playback")
        stream = platform.streams["playback-events"]
        grants(route, stream.stream, platform.clusters[stream.cluster])

    return synth(folder, config=PASSWORDS, secret_keys=["streamplane:kafkaPasswords"], extra=extra)


def mine(graph: dict, principal: str) -> list[dict]:
    return [a for a in by_type(graph, ACL).values() if a["inputs"]["aclPrincipal"] == principal]


def test_grant_consumer_creates_cluster_owned_bindings_named_from_the_binding(tmp_path):
    returned = {}

    def grants(route, stream, cluster):
        returned["acls"] = grant_consumer(stream, "router-enrich-playback", cluster)

    graph = route_graph(tmp_path, grants)
    acls = sorted((a["name"], a["parent"], a["inputs"]["aclOperation"], a["inputs"]["aclResourceType"],
                   a["inputs"]["aclResourceName"]) for a in mine(graph, "User:router-enrich-playback"))
    assert acls == [
        ("fronting-acl-router-enrich-playback-describe-topic-playback-events", CLUSTER_URN, "Describe", "Topic",
         "playback-events"),
        ("fronting-acl-router-enrich-playback-read-group-router-enrich-playback.playback-events", CLUSTER_URN, "Read",
         "Group", "router-enrich-playback.playback-events"),
        ("fronting-acl-router-enrich-playback-read-topic-playback-events", CLUSTER_URN, "Read", "Topic", "playback-events"),
    ]
    assert [a for a in by_type(graph, ACL).values() if a["parent"] == ROUTE_URN] == []
    assert len(returned["acls"]) == 3


def test_grant_consumer_with_explicit_group_and_producer(tmp_path):
    def grants(route, stream, cluster):
        grant_consumer(stream, "router-x", cluster, group="routers")
        grant_producer(stream, "router-x", cluster)

    graph = route_graph(tmp_path, grants)
    acls = {(a["inputs"]["aclPrincipal"], a["inputs"]["aclOperation"], a["inputs"]["aclResourceType"],
             a["inputs"]["aclResourceName"]) for a in mine(graph, "User:router-x")}
    assert acls == {("User:router-x", "Read", "Topic", "playback-events"), ("User:router-x", "Describe", "Topic", "playback-events"),
                    ("User:router-x", "Read", "Group", "routers"), ("User:router-x", "Write", "Topic", "playback-events")}


def test_grant_reuses_a_binding_the_stream_already_has(tmp_path):
    """The stream lists playback-router as consumer: granting it again must not declare the same Kafka ACL twice."""
    returned = {}

    def grants(route, stream, cluster):
        returned["acls"] = grant_consumer(stream, "playback-router", cluster)

    graph = route_graph(tmp_path, grants)
    assert len(mine(graph, "User:playback-router")) == 3
    assert len(returned["acls"]) == 3
    assert len(by_type(graph, ACL)) == 6
