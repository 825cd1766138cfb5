"""The connectivity check: every client edge has a principal, a credential, its ACLs and a listener; each
missing piece is an error at the client's line. The example stacks pass, and the ACLs a synthesis makes
are exactly the ones the edges need."""

from __future__ import annotations

import dataclasses
import json

import pytest

from components.routing.router import transactional_id_prefix
from streamplane.checks import load_layers
from streamplane.cli import main
from streamplane.kafka.acls import Binding
from streamplane.kafka.checks import connectivity
from streamplane.kafka.checks.connectivity import check, declared_bindings, edge_report
from streamplane.kafka.clients import TRANSACTIONAL_DELIVERY, client_edges
from streamplane.kafka.naming import principal
from streamplane.settings import StackSettings
from streamplane.stackconfig import load_stack_settings
from streamplane.synth import synth_spec
from tests.conftest import REPO
from tests.kafka.helpers import MSK_CLUSTER

SETTINGS = StackSettings(environment="dev")

EXISTING = """\
apiVersion: streamplane.io/v1
kind: KafkaCluster
metadata: {name: legacy, owner: stream-platform}
spec:
  engine: existing
  brokers: 3
  clientAuth: [scram]
  existing:
    bootstrapServers: [b-1.legacy.kafka.us-east-1.amazonaws.com:9096]
    credentials:
      playback-api: kafka-legacy-playback-api
"""

STREAM = """\
apiVersion: streamplane.io/v1
kind: Stream
metadata: {name: playback-events, owner: playback}
spec:
  cluster: legacy
  partitions: 12
  producers: [playback-api]
  consumers:
    - playback-router
"""


def problems(tree, *documents: str) -> list[str]:
    root = tree({"spec/platform.yaml": "---\n".join(documents)})
    spec = load_layers([root / "spec"], "dev").spec
    return [str(p) for p in check(spec, SETTINGS)]


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_every_edge_of_the_example_stacks_is_complete(stack):
    spec = load_layers([REPO / "stacks" / "base", REPO / "stacks" / stack], stack).spec
    settings = load_stack_settings(REPO / "stacks", stack)
    assert list(check(spec, settings)) == []
    report = edge_report(spec, settings)
    assert {e["role"] for e in report} == {"producer", "consumer", "router", "druid"}
    for edge in report:
        assert edge["principal"].startswith("User:") and edge["credential"] and edge["listener"], edge
        assert edge["acls"] and edge["missingAcls"] == [], edge
    druid = next(e for e in report if e["role"] == "druid")
    assert (druid["cluster"], druid["stream"]) == ("consumer", "playback-events-enriched")
    assert druid["acls"] == ["Read on Topic playback-events-enriched", "Describe on Topic playback-events-enriched",
                             "Read on Group druid-playback-metrics.playback-events-enriched"]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_synthesized_acls_are_exactly_the_edges_needs(stack):
    """The proof is against what the components make: every kafka.Acl of a synthesis (IDEMPOTENT_WRITE
    aside) is a binding some edge needs, and every binding an edge needs is one kafka.Acl."""
    spec = load_layers([REPO / "stacks" / "base", REPO / "stacks" / stack], stack).spec
    graph = synth_spec(spec, stack, REPO / "stacks")
    acls = set()
    for r in graph["resources"]:
        if r["type"] == "kafka:index/acl:Acl" and r["inputs"]["aclResourceType"] != "Cluster":
            i = r["inputs"]
            cluster = r["provider"].rsplit("::", 1)[1]
            acls.add((cluster, i["aclPrincipal"], i["aclOperation"], i["aclResourceType"], i["aclResourceName"],
                      i["resourcePatternTypeFilter"]))
    needed = {(cluster, b.principal, b.operation, b.resource_type, b.resource_name, b.pattern)
              for cluster, bindings in declared_bindings(spec, client_edges(spec)).items() for b in bindings}
    assert acls == needed


@pytest.mark.parametrize("delivery", ["latency", "no-duplicates"])
def test_the_transactional_delivery_is_the_routers(delivery):
    """streamplane.kafka.clients names the exactly-once delivery; the router decides it: they agree."""
    spec = load_layers([REPO / "stacks" / "base"], "base").spec
    route = spec.require("Route", "playback-to-consumer")
    route = dataclasses.replace(route, spec=dataclasses.replace(route.spec, delivery=delivery))
    assert bool(transactional_id_prefix(route)) == (delivery == TRANSACTIONAL_DELIVERY)


def test_a_client_without_credential_is_an_error_at_its_line(tree):
    assert problems(tree, EXISTING, STREAM) == [
        'spec/platform.yaml:21:7: /spec/consumers/0: consumer "playback-router" reads stream "playback-events" on '
        'cluster "legacy" but has no credential: add spec.existing.credentials.playback-router to KafkaCluster '
        '"legacy": the name of the Kubernetes Secret holding its credential (keys username, password, '
        "sasl.jaas.config).",
    ]


def test_a_port_of_another_protocol_is_an_error(tree):
    wrong_port = EXISTING.replace(":9096]", ":9098]").replace(
        "      playback-api: kafka-legacy-playback-api\n",
        "      playback-api: kafka-legacy-playback-api\n      playback-router: kafka-legacy-router\n")
    assert problems(tree, wrong_port, STREAM) == [
        f'spec/platform.yaml:{line}: /spec/{where}: {who} "{name}" {verb} stream "playback-events" on cluster '
        '"legacy": its clients use SASL_SSL SCRAM-SHA-512, but bootstrap server '
        "b-1.legacy.kafka.us-east-1.amazonaws.com:9098 is MSK's iam listener (port 9098). Use port 9096, or set "
        "spec.clientAuth to [iam]."
        for line, where, who, name, verb in (("20:15", "producers/0", "producer", "playback-api", "writes"),
                                             ("22:7", "consumers/0", "consumer", "playback-router", "reads"))]


def test_a_missing_acl_is_an_error_naming_the_binding(tree, monkeypatch):
    real = connectivity.declared_bindings

    def without_groups(spec, edges):
        return {c: {b for b in found if b.resource_type != "Group"} for c, found in real(spec, edges).items()}

    monkeypatch.setattr(connectivity, "declared_bindings", without_groups)
    named = EXISTING.replace("      playback-api: kafka-legacy-playback-api\n",
                             "      playback-api: kafka-legacy-playback-api\n      playback-router: kafka-legacy-router\n")
    assert problems(tree, named, STREAM) == [
        'spec/platform.yaml:22:7: /spec/consumers/0: consumer "playback-router" reads stream "playback-events" on '
        'cluster "legacy" but has no ACL Read on Group playback-router.playback-events for User:playback-router: '
        "Kafka denies it (allow.everyone.if.no.acl.found=false). Declare the client where the platform grants it "
        "(the stream's producers/consumers, or the route/datasource grant).",
    ]


def test_a_credential_or_quota_on_a_cluster_the_principal_never_uses_is_an_error(tree):
    stream = STREAM.replace("cluster: legacy", "cluster: fronting")
    msk = MSK_CLUSTER + "  quotas:\n    - {principal: playback-api, producerByteRate: 1048576}\n"
    legacy = EXISTING.replace("legacy.kafka", "legacy2.kafka")
    found = problems(tree, legacy, msk, stream)
    assert found == [
        'spec/platform.yaml:11:7: /spec/existing/credentials/playback-api: credential for principal "playback-api" '
        'on cluster "legacy", which it never connects to: its streams are on fronting. Move the credential there.',
    ]


def test_a_certificate_principal_on_a_scram_cluster_is_an_error(tree):
    stream = STREAM.replace("cluster: legacy", "cluster: fronting").replace(
        "    - playback-router\n", '    - "User:CN=playback-router"\n')
    found = problems(tree, MSK_CLUSTER, stream)
    assert found == [
        'spec/platform.yaml:19:7: /spec/consumers/0: consumer "User:CN=playback-router" reads stream '
        '"playback-events" on cluster "fronting" as principal "User:CN=playback-router", a certificate name, but '
        'clients of cluster "fronting" authenticate with SCRAM: their principal is User:<name>. Write the bare name.',
    ]


def test_tls_only_strimzi_clients_get_a_kafka_user_each(tree):
    """Mutual TLS is accepted because a credential source exists (a KafkaUser per principal);
    tests/kafka/test_mtls.py has the whole platform and the mutations."""
    strimzi = ("apiVersion: streamplane.io/v1\nkind: KafkaCluster\nmetadata: {name: legacy, owner: stream-platform}\n"
               "spec:\n  engine: strimzi\n  brokers: 3\n  clientAuth: [tls]\n")
    assert problems(tree, strimzi, STREAM) == []


def test_topology_shows_each_edge_with_its_auth(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    main(["topology", "--stack", "prod"])
    out = json.loads(capsys.readouterr().out)
    router = next(e for e in out["clients"] if e["client"] == "route-playback-to-consumer" and e["operation"] == "produce")
    assert router == {
        "client": "route-playback-to-consumer", "role": "router", "operation": "produce",
        "stream": "playback-events-enriched", "cluster": "consumer", "principal": "User:route-playback-to-consumer",
        "credential": "Secrets Manager secret AmazonMSK_streamplane-prod-consumer_route-playback-to-consumer "
                      "(generated, associated with the cluster)",
        "acls": ["Write on Topic playback-events-enriched", "Describe on Topic playback-events-enriched"],
        "missingAcls": [], "listener": "SASL_SSL SCRAM-SHA-512 on port 9096",
    }


@pytest.mark.parametrize("port", [9096, 9196, 20096])
def test_an_msk_scram_client_may_use_the_private_public_or_ipv6_scram_port(tree, port):
    """MSK Developer Guide, Port information: SASL/SCRAM is 9096 within AWS, 9196 public, 20096 IPv6."""
    cluster = EXISTING.replace(":9096]", f":{port}]").replace(
        "      playback-api: kafka-legacy-playback-api\n",
        "      playback-api: kafka-legacy-playback-api\n      playback-router: kafka-legacy-router\n")
    assert problems(tree, cluster, STREAM) == []


@pytest.mark.parametrize("port,listener", [(9198, "iam"), (9194, "tls"), (20092, "plaintext")])
def test_a_public_or_ipv6_port_of_another_msk_listener_is_an_error(tree, port, listener):
    cluster = EXISTING.replace(":9096]", f":{port}]")
    [first, *_] = problems(tree, cluster, STREAM)
    assert first.endswith(f"is MSK's {listener} listener (port {port}). Use port 9096, or set spec.clientAuth "
                          f"to [{listener}].")


def _extra_problems_per_principal(edges, by_cluster, needed, auth):
    """The former definition of connectivity.extra_problems (one set difference per cluster and
    principal, quadratic in a cluster's clients), kept as the reference the grouped one must equal."""
    first = {}
    for edge in edges:
        first.setdefault((edge.cluster, principal(edge.client, auth[edge.cluster])), edge)
    for (cluster, who), edge in first.items():
        extra = sorted((b for b in by_cluster.get(cluster, set()) - needed.get(cluster, set())
                        if b.principal == who and b.resource_type != "Cluster"), key=lambda b: b.key)
        if extra:
            yield edge, (f"{edge.describe()}; the platform grants {who} more than its operations need: "
                         f"{', '.join(connectivity._binding_text(b) for b in extra)}. Remove those grants")


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_surplus_grants_are_found_as_by_the_per_principal_definition(stack):
    """Grants beyond the edges' needs, for some principals on each cluster (and a cluster-wide one, which
    is never surplus), give the same findings, in the same order, as the per-principal definition."""
    spec = load_layers([REPO / "stacks" / "base", REPO / "stacks" / stack], stack).spec
    edges = [e for e in client_edges(spec) if spec.get("KafkaCluster", e.cluster) is not None]
    auth = {c.name: c.spec.application_auth for c in spec.of("KafkaCluster")}
    needed = declared_bindings(spec, edges)
    granted = {cluster: set(found) for cluster, found in needed.items()}
    principals = sorted({(e.cluster, principal(e.client, auth[e.cluster])) for e in edges})
    for index, (cluster, who) in enumerate(principals):
        if index % 2 == 0:
            granted[cluster] |= {Binding(who, "Read", "Topic", f"other-{index}"),
                                 Binding(who, "Alter", "Topic", "audit", "Prefixed"),
                                 Binding(who, "IdempotentWrite", "Cluster", "kafka-cluster")}
    found = [(e.pointer, e.declared.name, m) for e, m in connectivity.extra_problems(edges, granted, needed, auth)]
    expected = [(e.pointer, e.declared.name, m) for e, m in _extra_problems_per_principal(edges, granted, needed, auth)]
    assert len(found) == (len(principals) + 1) // 2 > 1
    assert found == expected
    who = principals[0][1]
    assert sum(m.endswith(f"the platform grants {who} more than its operations need: Alter on Topic audit "
                          "(prefixed), Read on Topic other-0. Remove those grants") for _, _, m in found) == 1
