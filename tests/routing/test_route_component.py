"""A route synthesizes exactly its router job, ACLs and sink IAM; delivery maps to documented settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components.iam import prefix_access_policy
from components.routing.router import sink_policy
from streamplane.plan.diff import diff_graphs
from tests.crd import crd_errors

from .route_fixtures import PLATFORM, TO_ES, TO_KAFKA, TO_S3, by_urn, children, resource, synth, write

ROUTE = "streamplane:index:Route"
FLINK_JOB = "streamplane:index:FlinkJob"
DEPLOYMENT = "kubernetes:flink.apache.org/v1beta1:FlinkDeployment"
ACL = "kafka:index/acl:Acl"
ROUTER_CHILDREN = [
    ("aws:iam/role:Role", "{job}"), ("aws:iam/rolePolicy:RolePolicy", "{job}-checkpoint-store"),
    ("kubernetes:core/v1:ServiceAccount", "{job}"), (DEPLOYMENT, "{job}"),
    ("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "{job}"),
]


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> dict:
    folder = write(tmp_path_factory.mktemp("routes"), {"platform.yaml": PLATFORM,
                                                       "routes.yaml": "---\n".join((TO_KAFKA, TO_S3, TO_ES))})
    return synth(folder)


def configuration(graph: dict, route: str) -> dict:
    return resource(graph, DEPLOYMENT, f"route-{route}")["inputs"]["spec"]["flinkConfiguration"]


def router_acls(graph: dict, route: str) -> dict[str, dict]:
    """The router's ACLs by name: children of the Kafka clusters they are on (components/kafka/acl.py)."""
    return {r["name"]: r for r in graph["resources"]
            if r["type"] == ACL and r["inputs"]["aclPrincipal"] == f"User:route-{route}"}


def router_children(job: str, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return sorted([(t, n.format(job=job)) for t, n in ROUTER_CHILDREN] + list(extra))


def test_kafka_route_creates_its_router_job_and_consumer_and_producer_acls(graph):
    route = resource(graph, ROUTE, "us-copy")
    assert children(graph, route["urn"]) == [
        ("kubernetes:core/v1:Secret", "us-copy-sink-kafka"),
        ("kubernetes:core/v1:Secret", "us-copy-source-kafka"),
        (FLINK_JOB, "route-us-copy"),
    ]
    job = resource(graph, FLINK_JOB, "route-us-copy")
    assert children(graph, job["urn"]) == router_children("route-us-copy")
    acls = router_acls(graph, "us-copy")
    assert {n: a["parent"].rsplit("::", 1)[1] for n, a in acls.items()} == {
        "fronting-acl-route-us-copy-describe-topic-playback-events": "fronting",
        "consumer-acl-route-us-copy-describe-topic-playback-us": "consumer",
        "fronting-acl-route-us-copy-read-group-route-us-copy.playback-events": "fronting",
        "fronting-acl-route-us-copy-read-topic-playback-events": "fronting",
        "consumer-acl-route-us-copy-write-topic-playback-us": "consumer",
    }
    write_acl = acls["consumer-acl-route-us-copy-write-topic-playback-us"]
    assert write_acl["inputs"] == {
        "aclPrincipal": "User:route-us-copy", "aclHost": "*", "aclOperation": "Write", "aclPermissionType": "Allow",
        "aclResourceType": "Topic", "aclResourceName": "playback-us", "resourcePatternTypeFilter": "Literal"}
    # Producer ACLs go to the sink stream's cluster, consumer ACLs to the source's.
    assert write_acl["provider"].endswith("pulumi:providers:kafka::consumer")
    assert acls["fronting-acl-route-us-copy-read-topic-playback-events"]["provider"].endswith(
        "pulumi:providers:kafka::fronting")


def test_router_job_starts_after_its_acls(graph):
    job = resource(graph, FLINK_JOB, "route-us-copy")
    acl_urns = {r["urn"] for r in router_acls(graph, "us-copy").values()}
    assert len(acl_urns) == 5 and acl_urns <= set(job["dependencies"])


def test_s3_route_gets_only_consumer_acls_and_a_sink_prefix_policy(graph):
    assert sorted(router_acls(graph, "to-warehouse")) == [
        "fronting-acl-route-to-warehouse-describe-topic-playback-events",
        "fronting-acl-route-to-warehouse-read-group-route-to-warehouse.playback-events",
        "fronting-acl-route-to-warehouse-read-topic-playback-events"]
    job = resource(graph, FLINK_JOB, "route-to-warehouse")
    assert children(graph, job["urn"]) == router_children(
        "route-to-warehouse", ("aws:iam/rolePolicy:RolePolicy", "route-to-warehouse-sink"))


def test_sink_policy_allows_the_sink_prefix_only():
    document = sink_policy("arn:aws:s3:::acme-dev-warehouse", "arn:aws:kms:us-east-1:123456789012:key/k", "playback/events/")
    assert document == prefix_access_policy("arn:aws:s3:::acme-dev-warehouse",
                                            "arn:aws:kms:us-east-1:123456789012:key/k", "playback/events/")
    resources = [r for statement in document["Statement"] for r in statement["Resource"]]
    assert resources == ["arn:aws:s3:::acme-dev-warehouse", "arn:aws:s3:::acme-dev-warehouse/playback/events/*",
                         "arn:aws:kms:us-east-1:123456789012:key/k"]
    assert document["Statement"][0]["Condition"] == {"StringLike": {"s3:prefix": ["playback/events/", "playback/events/*"]}}


def test_elasticsearch_route_references_its_secret_and_never_holds_a_password(graph):
    conf = configuration(graph, "errors-to-search")
    assert conf["kubernetes.env.secretKeyRef"] == (
        "env:STREAMPLANE_SOURCE_KAFKA_USERNAME,secret:kafka-fronting-route-errors-to-search,key:username;"
        "env:STREAMPLANE_SOURCE_KAFKA_PASSWORD,secret:kafka-fronting-route-errors-to-search,key:password;"
        "env:STREAMPLANE_SINK_USERNAME,secret:es-writer,key:username;"
        "env:STREAMPLANE_SINK_PASSWORD,secret:es-writer,key:token")
    assert {k: v for k, v in conf.items() if k.startswith("streamplane.route.sink.")} == {
        "streamplane.route.sink.type": "elasticsearch",
        "streamplane.route.sink.commit-mode": "at-least-once",
        "streamplane.route.sink.endpoint": "https://logs.es.example.com:9243",
        "streamplane.route.sink.index": "playback-errors-{yyyy.MM.dd}",
        "streamplane.route.sink.username-env": "STREAMPLANE_SINK_USERNAME",
        "streamplane.route.sink.password-env": "STREAMPLANE_SINK_PASSWORD",
    }
    route = resource(graph, ROUTE, "errors-to-search")
    assert [t for t, _ in children(graph, route["urn"]) if t != ACL] == ["kubernetes:core/v1:Secret", FLINK_JOB]


def test_kafka_route_configuration_is_canonical_and_complete(graph):
    conf = configuration(graph, "us-copy")
    assert {k: v for k, v in conf.items() if k.startswith("streamplane.")} == {
        "streamplane.route.name": "us-copy",
        "streamplane.route.delivery": "latency",
        "streamplane.route.filter": 'country == "US" and bitrate_kbps >= 3000',
        "streamplane.route.projection": "ts, event_type, title_id as title",
        "streamplane.route.kafka.principal": "route-us-copy",
        "streamplane.route.source.stream": "playback-events",
        "streamplane.route.source.topic": "playback-events",
        "streamplane.route.source.bootstrap-servers": "fronting-kafka-bootstrap.kafka.svc:9094",
        "streamplane.route.source.group-id": "route-us-copy.playback-events",
        "streamplane.route.source.security-protocol": "SASL_SSL",
        "streamplane.route.source.sasl-mechanism": "SCRAM-SHA-512",
        "streamplane.route.source.username-env": "STREAMPLANE_SOURCE_KAFKA_USERNAME",
        "streamplane.route.source.password-env": "STREAMPLANE_SOURCE_KAFKA_PASSWORD",
        "streamplane.route.sink.type": "kafka",
        "streamplane.route.sink.commit-mode": "at-least-once",
        "streamplane.route.sink.stream": "playback-us",
        "streamplane.route.sink.topic": "playback-us",
        "streamplane.route.sink.bootstrap-servers": "consumer-kafka-bootstrap.kafka.svc:9094",
        "streamplane.route.sink.security-protocol": "SASL_SSL",
        "streamplane.route.sink.sasl-mechanism": "SCRAM-SHA-512",
        "streamplane.route.sink.username-env": "STREAMPLANE_SINK_KAFKA_USERNAME",
        "streamplane.route.sink.password-env": "STREAMPLANE_SINK_KAFKA_PASSWORD",
    }


def test_latency_delivery_restarts_from_the_last_checkpoint(graph):
    spec = resource(graph, DEPLOYMENT, "route-us-copy")["inputs"]["spec"]
    conf = spec["flinkConfiguration"]
    assert (spec["job"]["upgradeMode"], conf["execution.checkpointing.interval"], conf["execution.checkpointing.mode"],
            conf["high-availability.type"]) == ("last-state", "10 s", "AT_LEAST_ONCE", "kubernetes")
    # Parallelism defaults to the source's partition count (12).
    assert spec["job"]["parallelism"] == 12


def test_no_duplicates_delivery_stops_with_a_savepoint_and_commits_on_checkpoints(graph):
    spec = resource(graph, DEPLOYMENT, "route-to-warehouse")["inputs"]["spec"]
    conf = spec["flinkConfiguration"]
    assert (spec["job"]["upgradeMode"], conf["execution.checkpointing.interval"], conf["execution.checkpointing.mode"],
            conf["streamplane.route.sink.commit-mode"]) == ("savepoint", "60 s", "EXACTLY_ONCE", "exactly-once")
    assert spec["job"]["parallelism"] == 6
    assert conf["streamplane.route.sink.path"] == "s3://acme-dev-warehouse/playback/events/"
    assert (conf["streamplane.route.sink.format"], conf["streamplane.route.sink.partition-by"]) == ("parquet", "country")


def test_no_duplicates_kafka_sink_is_transactional_under_the_router_name(tmp_path):
    text = TO_KAFKA.replace("  routerImage:", "  delivery: no-duplicates\n  routerImage:")
    conf = configuration(synth(write(tmp_path, {"platform.yaml": PLATFORM, "routes.yaml": text})), "us-copy")
    assert conf["streamplane.route.sink.transactional-id-prefix"] == "route-us-copy"


def test_router_deployments_validate_against_the_crd(graph):
    deployments = [r for r in graph["resources"] if r["type"] == DEPLOYMENT]
    assert sorted(d["name"] for d in deployments) == ["route-errors-to-search", "route-to-warehouse", "route-us-copy"]
    for deployment in deployments:
        assert crd_errors(deployment["inputs"]) == []
        labels = deployment["inputs"]["metadata"]["labels"]
        assert (labels["streamplane.io/route"], labels["streamplane.io/state"], labels["streamplane.io/owner"]) == (
            deployment["name"].removeprefix("route-"), "stateless", "playback")
        assert deployment["inputs"]["spec"]["image"] == "registry.example.com/platform/router:2.4.0"


def test_router_resources_find_their_route_through_the_parent_chain(graph):
    from streamplane.routing.topology import route_of

    urns = by_urn(graph)
    owners = {r["name"]: route_of(r["urn"], urns) for r in graph["resources"]
              if r["type"] in (DEPLOYMENT, "aws:iam/role:Role", ACL)}
    assert owners["route-to-warehouse"] == "to-warehouse"
    # The router's ACLs are its clusters' (shared with streams that list the router), not the route's.
    assert owners["consumer-acl-route-us-copy-write-topic-playback-us"] is None
    assert set(owners.values()) == {"us-copy", "to-warehouse", "errors-to-search", None}
    assert {n for n, route in owners.items() if route is None} == set(router_acls(graph, "us-copy")) | set(
        router_acls(graph, "to-warehouse")) | set(router_acls(graph, "errors-to-search"))


def _two_graphs(tmp_path: Path, before: str, after: str) -> tuple[dict, dict]:
    rest = "---\n".join((TO_S3, TO_ES))
    base = synth(write(tmp_path / "base", {"platform.yaml": PLATFORM, "routes.yaml": before + "---\n" + rest}))
    head = synth(write(tmp_path / "head", {"platform.yaml": PLATFORM, "routes.yaml": after + "---\n" + rest}))
    return base, head


def test_changing_a_filter_changes_only_that_routes_job_configuration(tmp_path):
    base, head = _two_graphs(tmp_path, TO_KAFKA, TO_KAFKA.replace('country == "US"', 'country == "CA"'))
    changes = [c for c in diff_graphs(base, head) if c.action != "same"]
    assert [(c.type, c.urn.rsplit("::", 1)[1], c.action) for c in changes] == [(DEPLOYMENT, "route-us-copy", "update")]
    assert changes[0].paths == ['spec.flinkConfiguration["streamplane.route.filter"]']


def test_a_cosmetic_filter_edit_changes_nothing(tmp_path):
    base, head = _two_graphs(tmp_path, TO_KAFKA, TO_KAFKA.replace(
        'filter: country == "US" and bitrate_kbps >= 3000', 'filter: (country=="US")  and bitrate_kbps>=3000'))
    assert [c for c in diff_graphs(base, head) if c.action != "same"] == []


def test_moving_an_s3_sink_prefix_updates_the_router_and_its_sink_policy(tmp_path):
    # The bucket's ARN is derived offline (arn:aws:s3:::<bucket>), so the RolePolicy's document is
    # real text: the grant moving to the new prefix is an update visible in the plan JSON.
    from components.routing.router import SINK_CONFIG_PREFIX

    rest = "---\n".join((TO_KAFKA, TO_ES))
    base = synth(write(tmp_path / "base", {"platform.yaml": PLATFORM, "routes.yaml": TO_S3 + "---\n" + rest}))
    moved = TO_S3.replace("prefix: playback/events/", "prefix: playback/events-v2/")
    head = synth(write(tmp_path / "head", {"platform.yaml": PLATFORM, "routes.yaml": moved + "---\n" + rest}))
    changes = [c for c in diff_graphs(base, head) if c.action != "same"]
    assert [(c.type, c.urn.rsplit("::", 1)[1], c.action) for c in changes] == [
        ("aws:iam/rolePolicy:RolePolicy", "route-to-warehouse-sink", "update"),
        (DEPLOYMENT, "route-to-warehouse", "update")]
    assert changes[0].paths == ["policy"]
    assert changes[1].paths == [f'spec.flinkConfiguration["{SINK_CONFIG_PREFIX}path"]']
    policy = next(r for r in head["resources"] if r["urn"] == changes[0].urn)["inputs"]["policy"]
    resources = [res for st in json.loads(policy)["Statement"] for res in st["Resource"]]
    assert "arn:aws:s3:::acme-dev-warehouse/playback/events-v2/*" in resources
    assert not [res for res in resources if "playback/events/" in res]


def test_exactly_once_kafka_route_may_write_its_transactional_ids(tmp_path):
    # A transactional producer without WRITE on its transactional ids fails at runtime with
    # TransactionalIdAuthorizationException; Flink suffixes the prefix, hence a Prefixed binding.
    exactly_once = TO_KAFKA.replace("  routerImage:", "  delivery: no-duplicates\n  routerImage:")
    graph = synth(write(tmp_path, {"platform.yaml": PLATFORM, "routes.yaml": exactly_once}))
    txn = {n: r["inputs"] for n, r in router_acls(graph, "us-copy").items()
           if r["inputs"]["aclResourceType"] == "TransactionalId"}
    assert sorted(txn) == ["consumer-acl-route-us-copy-describe-transactionalid-route-us-copy-prefixed",
                           "consumer-acl-route-us-copy-write-transactionalid-route-us-copy-prefixed"]
    assert {(i["aclOperation"], i["aclResourceName"], i["resourcePatternTypeFilter"]) for i in txn.values()} == {
        ("Write", "route-us-copy", "Prefixed"), ("Describe", "route-us-copy", "Prefixed")}
    assert configuration(graph, "us-copy")["streamplane.route.sink.transactional-id-prefix"] == "route-us-copy"


def test_at_least_once_kafka_route_has_no_transactional_grants(graph):
    assert not [r for r in router_acls(graph, "us-copy").values() if r["inputs"]["aclResourceType"] == "TransactionalId"]
    assert "streamplane.route.sink.transactional-id-prefix" not in configuration(graph, "us-copy")
