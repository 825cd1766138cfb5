"""MSK rules on aws:msk/cluster:Cluster inputs (camelCase, as pulumi_aws sends them): baseline passes, one change fails."""

import pytest
from policy_harness import graph, messages, resource

from policies.rules import (
    msk_cluster_deny_unauthenticated_access as unauthenticated,
)
from policies.rules import (
    msk_cluster_require_brokers_multiple_of_azs as brokers,
)
from policies.rules import (
    msk_cluster_require_cmk_at_rest as cmk,
)
from policies.rules import (
    msk_cluster_require_enhanced_monitoring as monitoring,
)
from policies.rules import (
    msk_cluster_require_in_cluster_encryption as in_cluster,
)
from policies.rules import (
    msk_cluster_require_tls_client_traffic as tls,
)

MSK = "aws:msk/cluster:Cluster"
BASELINE = {
    "clusterName": "fronting", "kafkaVersion": "3.9.x", "numberOfBrokerNodes": 3,
    "brokerNodeGroupInfo": {"clientSubnets": ["subnet-a", "subnet-b", "subnet-c"], "instanceType": "kafka.m7g.large",
                            "securityGroups": ["sg-1"]},
    "clientAuthentication": {"sasl": {"iam": True}, "unauthenticated": False},
    "encryptionInfo": {"encryptionAtRestKmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/abc",
                       "encryptionInTransit": {"clientBroker": "TLS", "inCluster": True}},
    "enhancedMonitoring": "PER_BROKER",
    "tags": {"owner": "stream-platform", "environment": "test"},
}
RULES = [tls, in_cluster, cmk, unauthenticated, monitoring, brokers]


def cluster(**changes):
    inputs = {**BASELINE}
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        node = inputs
        for key in parents:
            node[key] = dict(node[key])
            node = node[key]
        if value is None:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return graph(resource(MSK, "fronting", inputs))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.POLICY.name)
def test_msk_rule_passes_baseline(rule):
    assert messages(rule, cluster()) == []


@pytest.mark.parametrize("rule, change, expected", [
    (tls, {"encryptionInfo__encryptionInTransit__clientBroker": "TLS_PLAINTEXT"},
     'MSK cluster "fronting" allows client traffic as TLS_PLAINTEXT: set encryptionInfo.encryptionInTransit.'
     'clientBroker to "TLS".'),
    (in_cluster, {"encryptionInfo__encryptionInTransit__inCluster": False},
     'MSK cluster "fronting" sends broker-to-broker traffic unencrypted: set encryptionInfo.encryptionInTransit.'
     "inCluster to true (this replaces the cluster)."),
    (cmk, {"encryptionInfo__encryptionAtRestKmsKeyArn": None},
     'MSK cluster "fronting" encrypts data at rest with the AWS-managed key: set encryptionInfo.'
     "encryptionAtRestKmsKeyArn to a customer-managed KMS key (set it at creation: changing it replaces the cluster)."),
    (unauthenticated, {"clientAuthentication__unauthenticated": True},
     'MSK cluster "fronting" allows unauthenticated clients: set clientAuthentication.unauthenticated to false '
     "and use sasl.iam, sasl.scram or tls."),
    (unauthenticated, {"clientAuthentication": None},
     'MSK cluster "fronting" configures no client authentication, so MSK admits unauthenticated clients: enable '
     "clientAuthentication.sasl.iam (or sasl.scram, or tls)."),
    (monitoring, {"enhancedMonitoring": None},
     'MSK cluster "fronting" has enhancedMonitoring DEFAULT: set it to PER_BROKER or finer (PER_TOPIC_PER_BROKER) '
     "so under-replication and consumer lag are visible per broker."),
    (brokers, {"numberOfBrokerNodes": 4},
     'MSK cluster "fronting" has 4 brokers across 3 client subnets (AZs): set numberOfBrokerNodes to a multiple '
     "of 3 (MSK rejects an uneven spread)."),
], ids=lambda v: v.POLICY.name if hasattr(v, "POLICY") else None)
def test_msk_rule_rejects_one_change(rule, change, expected):
    assert messages(rule, cluster(**change)) == [expected]


def test_msk_defaults_count_as_tls_and_in_cluster_encryption():
    # MSK's own defaults when encryptionInTransit is omitted are TLS and in-cluster encryption.
    g = cluster(encryptionInfo__encryptionInTransit=None)
    assert messages(tls, g) == [] and messages(in_cluster, g) == []


def test_broker_rule_counts_subnets_whose_ids_are_unknown():
    g = cluster(brokerNodeGroupInfo__clientSubnets=["<computed>", "<computed>"], numberOfBrokerNodes=3)
    assert messages(brokers, g) == [
        'MSK cluster "fronting" has 3 brokers across 2 client subnets (AZs): set numberOfBrokerNodes to a '
        "multiple of 2 (MSK rejects an uneven spread)."]


def test_scram_only_cluster_is_authenticated():
    g = cluster(clientAuthentication={"sasl": {"scram": True}})
    assert messages(unauthenticated, g) == []
