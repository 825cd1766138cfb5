"""Replace vs update per resource type, as the providers decide it (streamplane/plan/replace.py)."""

from __future__ import annotations

import pytest

from streamplane.kafka.replace import version_tuple
from streamplane.plan.diff import diff_graphs
from streamplane.plan.model import Change
from streamplane.plan.replace import REPLACE_RULES, classify
from streamplane.targets import resolve

DEFAULT_KAFKA = "urn:pulumi:dev::streamplane::pulumi:providers:kafka::default_3_13_3"


def resource(type_: str, inputs: dict, **options) -> dict:
    return {"urn": f"urn:pulumi:dev::streamplane::{type_}::r", "type": type_, "name": "r", "parent": None, "custom": True,
            "provider": options.pop("provider", DEFAULT_KAFKA), "inputs": inputs, "dependencies": [],
            "protect": False, "retainOnDelete": False, "deleteBeforeReplace": False, **options}


def action(type_: str, before: dict, after: dict, **options) -> Change:
    base = {"resources": [resource(type_, before, **dict(options))]}
    head = {"resources": [resource(type_, after, **dict(options))]}
    (change,) = classify(diff_graphs(base, head))
    return change


TOPIC = {"name": "t", "partitions": 8, "replicationFactor": 3, "config": {"retention.ms": "604800000"}}


@pytest.mark.parametrize("after, expected, replace_paths", [
    ({**TOPIC, "name": "t2"}, "replace", ["name"]),
    ({**TOPIC, "partitions": 4}, "replace", ["partitions"]),
    ({**TOPIC, "partitions": 16}, "update", []),
    ({**TOPIC, "replicationFactor": 2}, "update", []),
    ({**TOPIC, "config": {"retention.ms": "86400000"}}, "update", []),
])
def test_kafka_topic_replace_classification(after, expected, replace_paths):
    change = action("kafka:index/topic:Topic", TOPIC, after)
    assert (change.action, change.replace_paths) == (expected, replace_paths)


def test_topic_config_paths_are_quoted_like_pulumi_detailed_diffs():
    change = action("kafka:index/topic:Topic", TOPIC, {**TOPIC, "config": {"retention.ms": "1"}})
    assert change.paths == ['config["retention.ms"]']


ACL = {"aclPrincipal": "User:a", "aclHost": "*", "aclOperation": "Read", "aclPermissionType": "Allow",
       "aclResourceName": "t", "aclResourceType": "Topic", "resourcePatternTypeFilter": "Literal"}


@pytest.mark.parametrize("field", sorted(ACL))
def test_every_acl_field_forces_replacement(field):
    change = action("kafka:index/acl:Acl", ACL, {**ACL, field: "changed"})
    assert (change.action, change.replace_paths) == ("replace", [field])


@pytest.mark.parametrize("field", ["entityName", "entityType", "config"])
def test_every_quota_field_forces_replacement(field):
    quota = {"entityName": "playback-api", "entityType": "client-id", "config": {"producer_byte_rate": "1048576"}}
    changed = {**quota, field: {"producer_byte_rate": "1"} if field == "config" else "other"}
    assert action("kafka:index/quota:Quota", quota, changed).action == "replace"


MSK = {"clusterName": "c", "kafkaVersion": "3.6.0", "numberOfBrokerNodes": 3,
       "brokerNodeGroupInfo": {"clientSubnets": ["a", "b"], "securityGroups": ["sg"], "instanceType": "kafka.m5.large"},
       "encryptionInfo": {"encryptionAtRestKmsKeyArn": "k1", "encryptionInTransit": {"inCluster": True, "clientBroker": "TLS"}}}


@pytest.mark.parametrize("mutate, expected", [
    (lambda m: m.update(clusterName="c2"), ["clusterName"]),
    (lambda m: m["brokerNodeGroupInfo"].update(clientSubnets=["a", "c"]), ["brokerNodeGroupInfo.clientSubnets"]),
    (lambda m: m["brokerNodeGroupInfo"].update(securityGroups=["sg2"]), ["brokerNodeGroupInfo.securityGroups"]),
    (lambda m: m["encryptionInfo"].update(encryptionAtRestKmsKeyArn="k2"), ["encryptionInfo.encryptionAtRestKmsKeyArn"]),
    (lambda m: m["encryptionInfo"]["encryptionInTransit"].update(inCluster=False), ["encryptionInfo.encryptionInTransit.inCluster"]),
    (lambda m: m.update(kafkaVersion="3.5.1"), ["kafkaVersion"]),
    (lambda m: m.update(kafkaVersion="3.5.x"), []),  # not semver to the provider: in place (msk.version-downgrade)
    (lambda m: m.update(kafkaVersion="3.7.0"), []),
    (lambda m: m["brokerNodeGroupInfo"].update(instanceType="kafka.m5.xlarge"), []),
    (lambda m: m.update(numberOfBrokerNodes=6), []),
])
def test_msk_cluster_replace_classification(mutate, expected):
    import copy

    after = copy.deepcopy(MSK)
    mutate(after)
    change = action("aws:msk/cluster:Cluster", MSK, after, provider="urn:pulumi:dev::streamplane::pulumi:providers:aws::default_7_51_1")
    assert change.replace_paths == expected
    assert change.action == ("replace" if expected else "update")


def test_s3_bucket_name_forces_replacement_and_tags_do_not():
    bucket = {"bucket": "acme-dev-flink-state", "forceDestroy": False, "tags": {"owner": "a"}}
    assert action("aws:s3/bucket:Bucket", bucket, {**bucket, "bucket": "other"}).action == "replace"
    assert action("aws:s3/bucket:Bucket", bucket, {**bucket, "tags": {"owner": "b"}}).action == "update"


@pytest.mark.parametrize("type_", ["kubernetes:flink.apache.org/v1beta1:FlinkDeployment",
                                   "kubernetes:druid.apache.org/v1alpha1:DruidIngestion", "kubernetes:core/v1:Namespace"])
@pytest.mark.parametrize("field, expected", [("name", "replace"), ("namespace", "replace"), ("labels", "update")])
def test_kubernetes_identity_forces_replacement(type_, field, expected):
    obj = {"apiVersion": "x/v1", "kind": "K", "metadata": {"name": "a", "namespace": "n", "labels": {"x": "1"}}, "spec": {}}
    changed = {**obj, "metadata": {**obj["metadata"], field: {"x": "2"} if field == "labels" else "b"}}
    assert action(type_, obj, changed).action == expected


def test_kafka_provider_swap_is_an_update_and_a_default_provider_upgrade_too():
    """step_generator.go providerChanged asks the new provider's DiffConfig; pulumi-kafka's has no
    ForceNew config field, so a topic moved to another cluster's provider is updated, not replaced."""
    base = resource("kafka:index/topic:Topic", TOPIC, provider="urn:pulumi:dev::streamplane::pulumi:providers:kafka::fronting")
    moved = resource("kafka:index/topic:Topic", TOPIC, provider="urn:pulumi:dev::streamplane::pulumi:providers:kafka::aggregation")
    (change,) = classify(diff_graphs({"resources": [base]}, {"resources": [moved]}))
    assert (change.action, change.paths) == ("update", ["<provider>"])
    upgraded = resource("kafka:index/topic:Topic", TOPIC, provider="urn:pulumi:dev::streamplane::pulumi:providers:kafka::default_3_14_0")
    (change,) = classify(diff_graphs({"resources": [resource("kafka:index/topic:Topic", TOPIC)]}, {"resources": [upgraded]}))
    assert change.action == "update"


@pytest.mark.parametrize("type_, path, value, expected", [
    ("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "roleRef", {"kind": "Role", "name": "other"}, "replace"),
    ("kubernetes:core/v1:ResourceQuota", "spec", {"scopes": ["BestEffort"]}, "replace"),
    ("kubernetes:core/v1:ResourceQuota", "spec", {"hard": {"pods": "9"}, "scopes": ["Terminating"]}, "update"),
    ("aws:kms/key:Key", "customerMasterKeySpec", "RSA_2048", "replace"),
    ("aws:kms/key:Key", "description", "other", "update"),
    ("aws:s3/bucketVersioning:BucketVersioning", "bucket", "other", "replace"),
    ("aws:s3/bucketVersioning:BucketVersioning", "expectedBucketOwner", "111111111111", "replace"),
    ("aws:iam/rolePolicy:RolePolicy", "role", "other", "replace"),
    ("aws:iam/rolePolicy:RolePolicy", "policy", "{}", "update"),
    ("aws:msk/cluster:Cluster", "brokerNodeGroupInfo", {"azDistribution": "OTHER"}, "replace"),
    ("aws:msk/configuration:Configuration", "kafkaVersions", ["3.9.x"], "replace"),
    ("aws:cloudwatch/logGroup:LogGroup", "logGroupClass", "INFREQUENT_ACCESS", "replace"),
])
def test_sourced_replace_rules(type_, path, value, expected):
    before = {"spec": {"hard": {"pods": "8"}, "scopes": ["Terminating"]}} if type_.endswith("ResourceQuota") else {}
    assert action(type_, before, {**before, path: value}).action == expected


def test_every_resource_type_the_stacks_emit_has_a_cited_rule():
    emitted = set()
    for stack in ("dev", "staging", "prod"):
        target = resolve(stack, ())
        emitted |= {r["type"] for r in target.synth()["resources"] if r["custom"]}
    assert emitted - set(REPLACE_RULES) == set()
    assert all(" " in rule.source and (".go" in rule.source or "configDiffer" in rule.source)
               for rule in REPLACE_RULES.values())


def test_delete_before_replace_is_honoured_in_the_change():
    change = action("kafka:index/topic:Topic", TOPIC, {**TOPIC, "name": "t2"}, deleteBeforeReplace=True)
    assert change.action == "replace" and change.delete_first


def test_computed_replace_property_is_a_replace():
    assert action("kafka:index/topic:Topic", TOPIC, {**TOPIC, "name": "<computed>"}).action == "replace"


def test_version_tuple_reads_msk_versions():
    assert version_tuple("3.6.0") == (3, 6, 0)
    assert version_tuple("3.7.x.kraft") == (3, 7)
    assert version_tuple(None) is None


def test_kubernetes_api_version_or_kind_change_in_one_resource_is_no_replace():
    """pulumi-kubernetes Diff forces new only on the forceNewProperties paths; a new apiVersion is a
    new type token (and URN), matched by the provider's aliases, not a replace of this one."""
    obj = {"apiVersion": "flink.apache.org/v1beta1", "kind": "FlinkDeployment", "metadata": {"name": "a", "namespace": "n"}}
    changed = {**obj, "apiVersion": "flink.apache.org/v1"}
    assert action("kubernetes:flink.apache.org/v1beta1:FlinkDeployment", obj, changed).action == "update"
