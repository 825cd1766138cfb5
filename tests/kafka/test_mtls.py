"""A mutual-TLS-only Strimzi platform (tests/kafka/fixtures/mtls): every client gets a `tls` KafkaUser,
ACLs stay pulumi-kafka's, and routers and Druid read their keystores from the User Operator's Secrets
by name; the connectivity check accepts a TLS edge only when such a credential source exists."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import components.platform
from streamplane.checks import load_layers
from streamplane.errors import SpecError
from streamplane.kafka.checks.connectivity import check, edge_report
from streamplane.settings import StackSettings
from streamplane.synth import run_offline
from tests.crd import crd_errors
from tests.druid.helpers import FAKE_KUBERNETES

FIXTURE = Path(__file__).parent / "fixtures" / "mtls"
SETTINGS = StackSettings(environment="dev")
ADMIN_FILES = {"caCertFile": "ca.crt", "clientCertFile": "admin.crt", "clientKeyFile": "admin.key"}
CONFIG = {"streamplane:kubernetes": json.dumps(FAKE_KUBERNETES),
          "streamplane:kafka": json.dumps({"connections": {"secure": ADMIN_FILES}})}
PRINCIPALS = ["clicks-api", "clicks-audit", "druid-clicks-metrics", "route-clicks-copy"]


def load(folder: Path = FIXTURE):
    return load_layers([folder], "dev").spec


@pytest.fixture(scope="module")
def graph():
    spec = load()
    return run_offline(lambda: components.platform.Platform(spec, SETTINGS), "dev", CONFIG)


def of_kind(graph, kind: str) -> list[dict]:
    return [r for r in graph["resources"] if r["type"].endswith(f":{kind}") and r["custom"]]


def test_every_tls_edge_has_principal_credential_acls_and_listener():
    spec = load()
    assert list(check(spec, SETTINGS)) == []
    report = edge_report(spec, SETTINGS)
    assert sorted({e["client"] for e in report}) == PRINCIPALS
    for edge in report:
        assert edge["principal"] == f"User:CN={edge['client']}"
        assert edge["credential"] == (f"Strimzi KafkaUser {edge['client']} (mutual TLS; the User Operator "
                                      f"issues Secret {edge['client']})")
        assert edge["listener"] == "SSL on port 9093"
        assert edge["acls"] and edge["missingAcls"] == []


def test_each_principal_gets_a_tls_kafka_user_without_authorization(graph):
    users = {r["inputs"]["metadata"]["name"]: r for r in of_kind(graph, "KafkaUser")}
    assert sorted(users) == sorted([*PRINCIPALS, "secure-streamplane-admin"])
    for principal in PRINCIPALS:
        user = users[principal]
        assert user["name"] == f"secure-user-{principal}"
        assert user["inputs"]["metadata"]["namespace"] == "analytics"
        assert user["inputs"]["metadata"]["labels"]["strimzi.io/cluster"] == "secure"
        expected = {"authentication": {"type": "tls"}}
        if principal == "route-clicks-copy":
            # Its quota lives in the KafkaUser: the User Operator deletes quotas a KafkaUser does not declare.
            expected["quotas"] = {"producerByteRate": 1048576}
        assert user["inputs"]["spec"] == expected
    assert of_kind(graph, "Quota") == []


def test_every_custom_resource_validates_against_its_crd(graph):
    groups = ("kubernetes:kafka.strimzi.io/", "kubernetes:druid.apache.org/", "kubernetes:flink.apache.org/")
    customs = [r for r in graph["resources"] if r["type"].startswith(groups)]
    kinds = {r["type"].rsplit(":", 1)[1] for r in customs}
    assert {"Kafka", "KafkaNodePool", "KafkaUser", "Druid", "DruidIngestion", "FlinkDeployment"} <= kinds
    for resource in customs:
        assert crd_errors(resource["inputs"]) == [], resource["urn"]


def test_the_user_operator_leaves_acls_to_pulumi_kafka(graph):
    [kafka] = of_kind(graph, "Kafka")
    env = kafka["inputs"]["spec"]["entityOperator"]["template"]["userOperatorContainer"]["env"]
    assert env == [{"name": "STRIMZI_IGNORED_USERS_PATTERN", "value": "^(?!(CN=)?secure\\-streamplane\\-admin$).*$"},
                   {"name": "STRIMZI_ACLS_ADMIN_API_SUPPORTED", "value": "false"}]
    assert kafka["inputs"]["spec"]["kafka"]["listeners"] == [
        {"name": "tls", "port": 9093, "type": "internal", "tls": True, "authentication": {"type": "tls"}}]
    acls = {r["inputs"]["aclPrincipal"] for r in of_kind(graph, "Acl")}
    assert acls == {f"User:CN={p}" for p in PRINCIPALS}


def test_druid_reads_its_keystore_from_the_mounted_secrets(graph):
    [ingestion] = of_kind(graph, "DruidIngestion")
    consumer = ingestion["inputs"]["spec"]["ingestion"]["nativeSpec"]["spec"]["ioConfig"]["consumerProperties"]
    assert consumer == {
        "bootstrap.servers": "secure-kafka-bootstrap.analytics.svc:9093",
        "security.protocol": "SSL",
        "group.id": "druid-clicks-metrics.clicks",
        "ssl.keystore.location": "/opt/streamplane/kafka/druid-clicks-metrics/user.p12",
        "ssl.keystore.type": "PKCS12",
        "ssl.truststore.location": "/opt/streamplane/kafka/secure-cluster-ca-cert/ca.p12",
        "ssl.truststore.type": "PKCS12",
        "druid.dynamic.config.provider": {"type": "environment", "variables": {
            "ssl.keystore.password": "STREAMPLANE_KAFKA_KEYSTORE_PASSWORD_CLICKS_METRICS",
            "ssl.truststore.password": "STREAMPLANE_KAFKA_TRUSTSTORE_PASSWORD_CLICKS_METRICS"}},
    }
    [druid] = of_kind(graph, "Druid")
    middle = druid["inputs"]["spec"]["nodes"]["middlemanagers"]
    assert middle["volumes"] == [
        {"name": "kafka-druid-clicks-metrics", "secret": {"secretName": "druid-clicks-metrics"}},
        {"name": "kafka-secure-cluster-ca-cert", "secret": {"secretName": "secure-cluster-ca-cert"}}]
    assert middle["volumeMounts"] == [
        {"name": "kafka-druid-clicks-metrics", "mountPath": "/opt/streamplane/kafka/druid-clicks-metrics", "readOnly": True},
        {"name": "kafka-secure-cluster-ca-cert", "mountPath": "/opt/streamplane/kafka/secure-cluster-ca-cert",
         "readOnly": True}]
    assert middle["env"][-2:] == [
        {"name": "STREAMPLANE_KAFKA_KEYSTORE_PASSWORD_CLICKS_METRICS",
         "valueFrom": {"secretKeyRef": {"name": "druid-clicks-metrics", "key": "user.password"}}},
        {"name": "STREAMPLANE_KAFKA_TRUSTSTORE_PASSWORD_CLICKS_METRICS",
         "valueFrom": {"secretKeyRef": {"name": "secure-cluster-ca-cert", "key": "ca.password"}}}]


def test_the_router_mounts_its_stores_and_reads_passwords_from_secret_env(graph):
    [router] = [r for r in of_kind(graph, "FlinkDeployment") if r["name"] == "route-clicks-copy"]
    conf = router["inputs"]["spec"]["flinkConfiguration"]
    for side, env in (("source", "STREAMPLANE_SOURCE_KAFKA"), ("sink", "STREAMPLANE_SINK_KAFKA")):
        assert {k: v for k, v in conf.items() if k.startswith(f"streamplane.route.{side}.s")} == {
            f"streamplane.route.{side}.security-protocol": "SSL",
            f"streamplane.route.{side}.ssl.keystore-location": "/opt/streamplane/kafka/route-clicks-copy/user.p12",
            f"streamplane.route.{side}.ssl.keystore-type": "PKCS12",
            f"streamplane.route.{side}.ssl.keystore-password-env": f"{env}_KEYSTORE_PASSWORD",
            f"streamplane.route.{side}.ssl.truststore-location": "/opt/streamplane/kafka/secure-cluster-ca-cert/ca.p12",
            f"streamplane.route.{side}.ssl.truststore-type": "PKCS12",
            f"streamplane.route.{side}.ssl.truststore-password-env": f"{env}_TRUSTSTORE_PASSWORD",
            f"streamplane.route.{side}.stream": "clicks" if side == "source" else "clicks-copy",
        }
    assert conf["kubernetes.secrets"] == ("route-clicks-copy:/opt/streamplane/kafka/route-clicks-copy,"
                                          "secure-cluster-ca-cert:/opt/streamplane/kafka/secure-cluster-ca-cert")
    assert conf["kubernetes.env.secretKeyRef"] == ";".join([
        "env:STREAMPLANE_SOURCE_KAFKA_KEYSTORE_PASSWORD,secret:route-clicks-copy,key:user.password",
        "env:STREAMPLANE_SOURCE_KAFKA_TRUSTSTORE_PASSWORD,secret:secure-cluster-ca-cert,key:ca.password",
        "env:STREAMPLANE_SINK_KAFKA_KEYSTORE_PASSWORD,secret:route-clicks-copy,key:user.password",
        "env:STREAMPLANE_SINK_KAFKA_TRUSTSTORE_PASSWORD,secret:secure-cluster-ca-cert,key:ca.password"])
    # Nothing is copied or generated: no Kubernetes Secret, no password of any kind.
    assert [r for r in graph["resources"] if r["type"] in ("kubernetes:core/v1:Secret", "random:index/randomPassword:RandomPassword")] == []


def mutated(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    folder = tmp_path / "spec"
    shutil.copytree(FIXTURE, folder)
    text = (folder / "platform.yaml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    (folder / "platform.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_workload_outside_the_kafka_namespace_cannot_mount_its_certificate(tmp_path):
    folder = mutated(tmp_path, ("  namespace: analytics\n  deepStorage", "  namespace: observability\n  deepStorage"))
    found = [str(p).replace(f"{folder}/", "") for p in check(load(folder), SETTINGS)]
    assert found == [
        'platform.yaml:71:3: /spec/stream: druid "druid-clicks-metrics" reads stream "clicks" on cluster "secure" '
        'from namespace "observability", but its certificate is Secret druid-clicks-metrics in namespace "analytics": '
        "the Strimzi User Operator writes a KafkaUser's Secret in the Kafka cluster's namespace and a pod mounts "
        'Secrets of its own namespace only. Run the workload in "analytics", or add scram to spec.clientAuth of '
        'KafkaCluster "secure" ([tls, scram]) so its credential is generated where it runs.']


def test_an_existing_tls_cluster_without_a_named_secret_has_no_credential(tmp_path):
    existing = ("  engine: existing\n  brokers: 3\n  clientAuth: [tls]\n"
                "  existing:\n    bootstrapServers: [kafka.example.com:9093]\n"
                "    credentials: {clicks-api: clicks-api-tls, clicks-audit: clicks-audit-tls, "
                "route-clicks-copy: router-tls}\n")
    folder = mutated(tmp_path, ("  engine: strimzi\n  brokers: 3\n  clientAuth: [tls]\n  strimzi: {namespace: analytics}\n",
                                existing))
    found = [str(p).replace(f"{folder}/", "") for p in check(load(folder), SETTINGS)]
    assert found == [
        'platform.yaml:73:3: /spec/stream: druid "druid-clicks-metrics" reads stream "clicks" on cluster "secure" '
        'but has no credential: add spec.existing.credentials.druid-clicks-metrics to KafkaCluster "secure": the name '
        "of the Kubernetes Secret holding its credential (keys user.p12, user.password, ca.p12, ca.password)."]


def test_the_fixture_loads_without_errors():
    try:
        load()
    except SpecError as err:  # pragma: no cover - the message is the failure
        pytest.fail("\n".join(str(p) for p in err.problems))


def test_a_written_out_certificate_principal_cannot_name_a_kafka_user(tmp_path):
    folder = mutated(tmp_path, ("  consumers: [clicks-audit]", "  consumers: ['User:CN=clicks-audit']"))
    found = [str(p).replace(f"{folder}/", "") for p in check(load(folder), SETTINGS)]
    assert found[0] == (
        'platform.yaml:26:15: /spec/consumers/0: consumer "User:CN=clicks-audit" reads stream "clicks" on cluster '
        '"secure" but has no credential: write the bare name instead of "User:CN=clicks-audit": on KafkaCluster '
        '"secure" its KafkaUser is named as the principal, and that name becomes the certificate\'s CN.')
