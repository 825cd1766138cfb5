"""engine: strimzi — Kafka, KafkaNodePool and KafkaUser CRs (kafka.strimzi.io/v1) that validate against Strimzi 1.2.0's CRDs."""

from __future__ import annotations

import pytest

from components.kafka.strimzi import custom_resources
from streamplane.checks import check_platform
from streamplane.kafka.broker import broker_defaults
from streamplane.settings import StackSettings
from tests.crd import crd_errors

from .helpers import PROVIDER, STRIMZI_CLUSTER, TLS_FILES, by_type, children, config_for, load, synth, write_spec

CLUSTER_URN = "urn:pulumi:dev::streamplane::streamplane:index:KafkaCluster::fronting"
LABELS = {"app.kubernetes.io/managed-by": "streamplane", "streamplane.io/owner": "stream-platform"}


def custom_resource_inputs(graph: dict) -> list[dict]:
    return [r["inputs"] for r in graph["resources"] if r["type"].startswith("kubernetes:kafka.strimzi.io/")]


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    folder = write_spec(tmp_path_factory.mktemp("strimzi"), {"clusters.yaml": STRIMZI_CLUSTER})
    return synth(folder, config=config_for(kafka={"connections": {"fronting": TLS_FILES}}))


def test_strimzi_cluster_children(graph):
    assert children(graph, CLUSTER_URN) == [
        ("kubernetes:kafka.strimzi.io/v1:Kafka", "fronting"),
        ("kubernetes:kafka.strimzi.io/v1:KafkaNodePool", "fronting-brokers"),
        ("kubernetes:kafka.strimzi.io/v1:KafkaNodePool", "fronting-controllers"),
        ("kubernetes:kafka.strimzi.io/v1:KafkaUser", "fronting-admin"),
        (PROVIDER, "fronting"),
    ]


def test_strimzi_kafka_cr(graph):
    kafka = by_type(graph, "kubernetes:kafka.strimzi.io/v1:Kafka")["fronting"]["inputs"]
    assert kafka == {
        "apiVersion": "kafka.strimzi.io/v1",
        "kind": "Kafka",
        "metadata": {"name": "fronting", "namespace": "kafka", "labels": LABELS},
        "spec": {
            "kafka": {
                "version": "4.3.1",
                "listeners": [{"name": "tls", "port": 9093, "type": "internal", "tls": True,
                               "authentication": {"type": "tls"}},
                              {"name": "scram", "port": 9094, "type": "internal", "tls": True,
                               "authentication": {"type": "scram-sha-512"}}],
                "authorization": {"type": "simple", "superUsers": ["User:CN=fronting-streamplane-admin"]},
                "config": {
                    "auto.create.topics.enable": "false", "default.replication.factor": "3",
                    "min.insync.replicas": "2", "offsets.topic.replication.factor": "3",
                    "transaction.state.log.min.isr": "2", "transaction.state.log.replication.factor": "3",
                    "unclean.leader.election.enable": "false"},
            },
            "entityOperator": {
                "userOperator": {},
                "template": {"userOperatorContainer": {"env": [
                    {"name": "STRIMZI_IGNORED_USERS_PATTERN", "value": "^(?!(CN=)?fronting\\-streamplane\\-admin$).*$"}]}},
            },
        },
    }


def test_strimzi_topic_operator_stays_off(graph):
    kinds = {r["inputs"]["kind"] for r in graph["resources"] if r["type"].startswith("kubernetes:")}
    assert "KafkaTopic" not in kinds
    kafka = by_type(graph, "kubernetes:kafka.strimzi.io/v1:Kafka")["fronting"]["inputs"]
    assert "topicOperator" not in kafka["spec"]["entityOperator"]


def test_strimzi_node_pools_are_kraft_controllers_and_brokers(graph):
    pools = by_type(graph, "kubernetes:kafka.strimzi.io/v1:KafkaNodePool")
    assert pools["fronting-controllers"]["inputs"]["spec"] == {
        "replicas": 3, "roles": ["controller"],
        "storage": {"type": "jbod", "volumes": [{"id": 0, "type": "persistent-claim", "size": "20Gi",
                                                 "deleteClaim": False, "kraftMetadata": "shared"}]}}
    assert pools["fronting-brokers"]["inputs"]["spec"] == {
        "replicas": 3, "roles": ["broker"],
        "storage": {"type": "jbod", "volumes": [{"id": 0, "type": "persistent-claim", "size": "100Gi",
                                                 "deleteClaim": False}]}}
    for pool in pools.values():
        assert pool["inputs"]["metadata"]["labels"]["strimzi.io/cluster"] == "fronting"


def test_user_operator_ignores_every_user_but_the_admin():
    """The User Operator would delete ACLs and quotas of users without a KafkaUser: streamplane's."""
    import re

    from components.kafka.strimzi import ignored_users_pattern

    pattern = re.compile(ignored_users_pattern("fronting-streamplane-admin"))
    assert not pattern.fullmatch("fronting-streamplane-admin")
    assert not pattern.fullmatch("CN=fronting-streamplane-admin")
    for user in ("playback-api", "CN=playback-router", "fronting-streamplane-admin2", "x-fronting-streamplane-admin"):
        assert pattern.fullmatch(user), user


def test_every_strimzi_cr_validates_against_the_crds(graph):
    manifests = custom_resource_inputs(graph)
    assert len(manifests) == 4
    for manifest in manifests:
        assert crd_errors(manifest) == [], manifest["kind"]


def test_strimzi_admin_connection_uses_mutual_tls_files(graph):
    provider = by_type(graph, PROVIDER)["fronting"]["inputs"]
    assert provider["bootstrapServers"] == '["fronting-kafka-bootstrap.kafka.svc:9093"]'
    assert (provider["caCertFile"], provider["clientCertFile"], provider["clientKeyFile"]) == ("ca.crt", "user.crt", "user.key")
    assert provider["tlsEnabled"] == "true"


SCRAM_CUSTOM = STRIMZI_CLUSTER + """\
  clientAuth: [scram]
  strimzi:
    version: 4.2.1
    namespace: streaming
    controllers: 1
    storageSize: 50Gi
    controllerStorageSize: 5Gi
    storageClass: gp3
    config: {num.partitions: 6, log.retention.hours: 72}
"""


def test_strimzi_custom_values_and_scram_validate(tmp_path):
    folder = write_spec(tmp_path / "spec", {"clusters.yaml": SCRAM_CUSTOM})
    manifests = custom_resources(load(folder).spec.get("KafkaCluster", "fronting"), "streaming", broker_defaults(3),
                                 "fronting-streamplane-admin")
    kafka = manifests["fronting"]
    assert kafka["spec"]["kafka"]["listeners"][0]["authentication"] == {"type": "scram-sha-512"}
    assert kafka["spec"]["kafka"]["authorization"]["superUsers"] == ["User:fronting-streamplane-admin"]
    assert kafka["spec"]["kafka"]["version"] == "4.2.1"
    assert kafka["spec"]["kafka"]["config"]["num.partitions"] == "6"
    assert manifests["fronting-brokers"]["spec"]["storage"]["volumes"][0]["class"] == "gp3"
    assert manifests["fronting-controllers"]["spec"]["replicas"] == 1
    assert {m["metadata"]["namespace"] for m in manifests.values()} == {"streaming"}
    assert manifests["fronting-admin"]["spec"] == {"authentication": {"type": "scram-sha-512"}}
    for manifest in manifests.values():
        assert crd_errors(manifest) == [], manifest["kind"]


def test_strimzi_scram_admin_gets_secret_password(tmp_path):
    folder = write_spec(tmp_path / "spec", {"clusters.yaml": SCRAM_CUSTOM})
    graph = synth(folder, secret_keys=["streamplane:kafkaPasswords"],
                  config=config_for(extra={"streamplane:kafkaPasswords": '{"fronting": "s3cret"}'}))
    provider = by_type(graph, PROVIDER)["fronting"]["inputs"]
    assert provider["saslUsername"] == "fronting-streamplane-admin"
    assert provider["saslPassword"] == "<secret>"
    assert provider["bootstrapServers"] == '["fronting-kafka-bootstrap.streaming.svc:9094"]'
    assert "s3cret" not in str(graph)


def test_strimzi_mutual_tls_without_files_is_a_check_error(tmp_path):
    folder = write_spec(tmp_path / "spec", {"clusters.yaml": STRIMZI_CLUSTER})
    config = config_for(kafka={"connections": {"fronting": {"caCertFile": "ca.crt"}}})
    problems = [str(p) for p in check_platform(load(folder).spec, StackSettings.from_config_map(config, "dev"))]
    assert [p for p in problems if "admin connection" in p] == [
        f"{folder / 'clusters.yaml'}:5:3: /spec/engine: "
        'KafkaCluster "fronting": the admin connection uses mutual TLS; set '
        "streamplane:kafka.connections.fronting.clientCertFile, streamplane:kafka.connections.fronting.clientKeyFile "
        "in the stack config (PEM files of the cluster CA and the admin user's certificate and key)."]


def test_crd_validation_catches_a_v1beta2_manifest():
    manifest = {"apiVersion": "kafka.strimzi.io/v1beta2", "kind": "Kafka", "metadata": {"name": "x"}, "spec": {}}
    with pytest.raises(AssertionError, match="not served"):
        crd_errors(manifest)


def test_crd_validation_catches_a_bad_listener():
    manifest = {"apiVersion": "kafka.strimzi.io/v1", "kind": "Kafka", "metadata": {"name": "x"},
                "spec": {"kafka": {"listeners": [{"name": "TLS_LISTENER", "port": 80, "type": "internal", "tls": True}]}}}
    errors = crd_errors(manifest)
    assert any("spec/kafka/listeners/0/name" in e for e in errors)
    assert any("spec/kafka/listeners/0/port" in e for e in errors)
