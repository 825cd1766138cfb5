"""DruidCluster and DruidDatasource synthesized through the product path (spec folder -> load -> Platform -> graph)."""

from __future__ import annotations

import json

import pytest

import components.platform
from components.druid import build_druid
from components.druid.cluster_body import deep_storage_prefix
from components.iam import irsa_trust_policy, prefix_access_policy
from streamplane.checks import check_platform, load_layers
from streamplane.settings import StackSettings
from streamplane.stackconfig import load_stack_config
from streamplane.synth import run_offline
from tests.crd import crd_errors
from tests.druid.helpers import BASELINE, FAKE_KAFKA, FAKE_KUBERNETES, STACKS, kubernetes_config, mutate

# The fixture cluster is a Strimzi one: its bootstrap service is known at plan time.
BOOTSTRAP = "fronting-kafka-bootstrap.kafka.svc:9093"
PREFIX = "urn:pulumi:dev::streamplane::"
CLUSTER = f"{PREFIX}streamplane:index:DruidCluster"
DATASOURCE = f"{PREFIX}streamplane:index:DruidDatasource"


def _synth(spec, stack="dev", config=None, secret_keys=None):
    def program():
        components.platform.Platform(spec, StackSettings.from_config(stack))
    return run_offline(program, stack, kubernetes_config() if config is None else config, secret_keys)


def _by_urn(graph) -> dict:
    return {r["urn"]: r for r in graph["resources"]}


def _druid_urns(graph) -> list[str]:
    return sorted(u for u in _by_urn(graph) if "Druid" in u)


@pytest.fixture
def graph_of(spec_dir):
    def run(text: str = BASELINE):
        return _synth(load_layers([spec_dir(text)], "dev").spec)
    return run


def test_cluster_and_datasource_create_exactly_these_resources(graph_of):
    assert _druid_urns(graph_of()) == [
        f"{CLUSTER}$aws:iam/role:Role::metrics-deep-storage",
        f"{CLUSTER}$aws:iam/rolePolicy:RolePolicy::metrics-deep-storage",
        f"{CLUSTER}$kubernetes:core/v1:ServiceAccount::metrics",
        f"{CLUSTER}$kubernetes:druid.apache.org/v1alpha1:Druid::metrics",
        f"{CLUSTER}$kubernetes:rbac.authorization.k8s.io/v1:Role::metrics-discovery",
        f"{CLUSTER}$kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::metrics-discovery",
        f"{CLUSTER}::metrics",
        f"{DATASOURCE}$kubernetes:core/v1:Secret::playback-metrics-kafka",
        f"{DATASOURCE}$kubernetes:druid.apache.org/v1alpha1:DruidIngestion::playback-metrics",
        f"{DATASOURCE}::playback-metrics",
    ]


def test_the_datasource_acls_are_its_kafka_clusters(graph_of):
    """Bindings belong to the cluster (components/kafka/acl.py); the old datasource-owned URNs are aliases."""
    acl = f"{PREFIX}streamplane:index:KafkaCluster$kafka:index/acl:Acl::fronting-acl-druid-playback-metrics-"
    resources = _by_urn(graph_of())
    mine = sorted(u[len(acl):] for u in resources if u.startswith(acl))
    assert mine == ["describe-topic-playback-events", "read-group-druid-playback-metrics.playback-events",
                    "read-topic-playback-events"]
    assert resources[acl + "read-topic-playback-events"]["aliases"] == [
        f"{DATASOURCE}$kafka:index/acl:Acl::playback-metrics-acl-druid-playback-metrics-read-topic-playback-events"]


def test_synthesized_custom_resources_validate_against_the_crds(graph_of):
    resources = _by_urn(graph_of())
    druid = resources[f"{CLUSTER}$kubernetes:druid.apache.org/v1alpha1:Druid::metrics"]["inputs"]
    ingestion = resources[f"{DATASOURCE}$kubernetes:druid.apache.org/v1alpha1:DruidIngestion::playback-metrics"]["inputs"]
    assert crd_errors(druid) == []
    assert crd_errors(ingestion) == []
    assert ingestion["metadata"]["namespace"] == druid["metadata"]["namespace"] == "observability"
    supervisor_io = ingestion["spec"]["ingestion"]["nativeSpec"]["spec"]["ioConfig"]
    assert (supervisor_io["topic"], supervisor_io["consumerProperties"]) == ("playback-events", {
        "bootstrap.servers": BOOTSTRAP.replace(":9093", ":9094"), "security.protocol": "SASL_SSL",
        "sasl.mechanism": "SCRAM-SHA-512", "group.id": "druid-playback-metrics.playback-events",
        "druid.dynamic.config.provider": {"type": "environment", "variables": {
            "sasl.jaas.config": "STREAMPLANE_KAFKA_JAAS_PLAYBACK_METRICS"}}})
    # The middle managers take the JAAS line from the datasource's credential Secret, by name.
    assert druid["spec"]["nodes"]["middlemanagers"]["env"][-1] == {
        "name": "STREAMPLANE_KAFKA_JAAS_PLAYBACK_METRICS",
        "valueFrom": {"secretKeyRef": {"name": "kafka-fronting-druid-playback-metrics", "key": "sasl.jaas.config"}}}
    secret = resources[f"{DATASOURCE}$kubernetes:core/v1:Secret::playback-metrics-kafka"]["inputs"]
    assert (secret["metadata"]["name"], secret["metadata"]["namespace"], secret["stringData"]) == (
        "kafka-fronting-druid-playback-metrics", "observability", "<secret>")


def test_ingestion_waits_for_the_druid_cluster(graph_of):
    resources = _by_urn(graph_of())
    ingestion = resources[f"{DATASOURCE}$kubernetes:druid.apache.org/v1alpha1:DruidIngestion::playback-metrics"]
    assert f"{CLUSTER}$kubernetes:druid.apache.org/v1alpha1:Druid::metrics" in ingestion["dependencies"]


def test_deep_storage_role_is_trusted_by_the_clusters_service_account_only(graph_of):
    resources = _by_urn(graph_of())
    role = resources[f"{CLUSTER}$aws:iam/role:Role::metrics-deep-storage"]["inputs"]
    issuer = "oidc.eks.us-east-1.amazonaws.com/id/TEST"
    assert json.loads(role["assumeRolePolicy"]) == {"Version": "2012-10-17", "Statement": [{
        "Sid": "AssumeFromServiceAccount", "Effect": "Allow", "Principal": {"Federated": FAKE_KUBERNETES["oidcProviderArn"]},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {f"{issuer}:sub": "system:serviceaccount:observability:druid-metrics",
                                       f"{issuer}:aud": "sts.amazonaws.com"}}}]}
    account = resources[f"{CLUSTER}$kubernetes:core/v1:ServiceAccount::metrics"]["inputs"]
    assert account["metadata"]["name"] == "druid-metrics"
    assert account["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": f"<computed:{CLUSTER}$aws:iam/role:Role::metrics-deep-storage#arn>"}


def test_deep_storage_policy_is_limited_to_the_clusters_prefix():
    # The RolePolicy's document is prefix_access_policy on druid/<cluster>/ (its ARNs are unknown in a preview).
    assert deep_storage_prefix("metrics") == "druid/metrics/"
    policy = prefix_access_policy("arn:aws:s3:::b", "arn:aws:kms:us-east-1:123456789012:key/k", deep_storage_prefix("metrics"))
    assert policy["Statement"][1]["Resource"] == ["arn:aws:s3:::b/druid/metrics/*"]
    assert policy["Statement"][0]["Condition"] == {"StringLike": {"s3:prefix": ["druid/metrics/", "druid/metrics/*"]}}


def test_trust_policy_accepts_an_issuer_with_or_without_scheme():
    with_scheme = irsa_trust_policy("arn:p", "https://oidc.example/id/X", "ns", "sa")
    assert with_scheme == irsa_trust_policy("arn:p", "oidc.example/id/X", "ns", "sa")


def test_adding_a_tier_keeps_every_urn(graph_of):
    before = graph_of()
    text = mutate(BASELINE, ("    cold: {replicas: 1, segmentCacheSize: 500Gi}\n",
                             "    cold: {replicas: 1, segmentCacheSize: 500Gi}\n    warm: {replicas: 2, segmentCacheSize: 200Gi}\n"))
    after = graph_of(text)
    assert sorted(_by_urn(after)) == sorted(_by_urn(before))
    druid = _by_urn(after)[f"{CLUSTER}$kubernetes:druid.apache.org/v1alpha1:Druid::metrics"]["inputs"]
    assert "historicals-warm" in druid["spec"]["nodes"]


def test_removing_and_resizing_tiers_keeps_every_urn(graph_of):
    before = graph_of()
    text = mutate(BASELINE, ("    cold: {replicas: 1, segmentCacheSize: 500Gi}\n", ""),
                  ("    hot: {replicas: 2, segmentCacheSize: 100Gi}\n", "    hot: {replicas: 3, segmentCacheSize: 200Gi}\n"),
                  ("    - {type: loadByPeriod, period: P90D, tieredReplicants: {cold: 1}}\n", ""))
    after = graph_of(text)
    assert sorted(_by_urn(after)) == sorted(_by_urn(before))
    nodes = _by_urn(after)[f"{CLUSTER}$kubernetes:druid.apache.org/v1alpha1:Druid::metrics"]["inputs"]["spec"]["nodes"]
    assert "historicals-cold" not in nodes and nodes["historicals-hot"]["replicas"] == 3


def test_cluster_without_kubernetes_config_fails_with_the_missing_keys(spec_dir):
    spec = load_layers([spec_dir()], "dev").spec
    # The check phase reports it (before any component), located in the stack config file.
    settings = StackSettings.from_config_map({"streamplane:kafka": json.dumps(FAKE_KAFKA)}, "dev")
    assert [str(p) for p in check_platform(spec, settings)] == [
        "stacks/Pulumi.dev.yaml:1:1: /config/streamplane:kubernetes: lacks oidcProviderArn, oidcIssuerUrl: Druid "
        "clusters reach deep storage through an IRSA role trusted by the EKS cluster's OIDC provider (DruidCluster "
        '"metrics"). Add them to the stack config.']


def test_platform_builds_druid_clusters_and_datasources_fed_by_the_streams_cluster(spec_dir):
    spec = load_layers([spec_dir()], "dev").spec
    graph = run_offline(lambda: components.platform.Platform(spec, StackSettings(environment="dev")), "dev", kubernetes_config())
    kinds = sorted(r["type"] for r in graph["resources"] if r["type"].startswith("kubernetes:druid.apache.org"))
    assert kinds == ["kubernetes:druid.apache.org/v1alpha1:Druid", "kubernetes:druid.apache.org/v1alpha1:DruidIngestion"]


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_stack_examples_validate_and_synthesize_valid_custom_resources(env):
    loaded = load_layers([STACKS / "base", STACKS / env], env)
    assert [str(w) for w in loaded.warnings] == []
    config, secret_keys = load_stack_config(STACKS, env)
    resources = _synth(loaded.spec, env, config, secret_keys)["resources"]
    druids = [r["inputs"] for r in resources if r["type"] == "kubernetes:druid.apache.org/v1alpha1:Druid"]
    ingestions = [r["inputs"] for r in resources if r["type"] == "kubernetes:druid.apache.org/v1alpha1:DruidIngestion"]
    assert len(druids) == 1 and len(ingestions) == 1
    assert crd_errors(druids[0]) == []
    assert crd_errors(ingestions[0]) == []
    ingestion = ingestions[0]["spec"]["ingestion"]
    granularity = ingestion["nativeSpec"]["spec"]["dataSchema"]["granularitySpec"]
    assert (granularity["queryGranularity"], granularity["segmentGranularity"]) == ("MINUTE", "HOUR")
    assert ingestion["compaction"]["skipOffsetFromLatest"] == "PT6H"
    assert ingestion["rules"] == [
        {"type": "loadByPeriod", "period": "P7D", "includeFuture": True, "tieredReplicants": {"hot": 2}},
        {"type": "loadByPeriod", "period": "P90D", "includeFuture": True, "tieredReplicants": {"cold": 1}},
        {"type": "dropForever"}]


def test_build_druid_alone_builds_clusters_and_datasources(spec_dir):
    # Platform's call: build_druid(spec, settings, stores, kafka_clusters).
    from components.checkpoint import CheckpointStore
    from components.kafka import KafkaCluster
    from streamplane.kafka.admin import checked_admin_connection
    spec = load_layers([spec_dir()], "dev").spec

    def program():
        settings = StackSettings(environment="dev")
        stores = {s.name: CheckpointStore(s, settings) for s in spec.of("CheckpointStore")}
        kafka = {c.name: KafkaCluster(c, spec, settings, checked_admin_connection(c.name, c.spec, settings))
                 for c in spec.of("KafkaCluster")}
        clusters, datasources = build_druid(spec, settings, stores, kafka)
        assert (sorted(clusters), sorted(datasources)) == (["metrics"], ["playback-metrics"])

    resources = run_offline(program, "dev", kubernetes_config())["resources"]
    ingestion = next(r for r in resources if r["type"] == "kubernetes:druid.apache.org/v1alpha1:DruidIngestion")
    consumer = ingestion["inputs"]["spec"]["ingestion"]["nativeSpec"]["spec"]["ioConfig"]["consumerProperties"]
    assert consumer["bootstrap.servers"] == BOOTSTRAP.replace(":9093", ":9094")
    assert [r["type"] for r in resources].count("kubernetes:druid.apache.org/v1alpha1:Druid") == 1
