"""engine: msk — exact children and inputs of the MSK cluster, its configuration, key, log group and provider."""

from __future__ import annotations

import pytest

from streamplane.checks import check_platform
from streamplane.settings import StackSettings

from .helpers import (
    ACL,
    MSK_CLUSTER,
    MSK_NETWORK,
    PROVIDER,
    STREAM,
    by_type,
    children,
    config_for,
    load,
    synth,
    write_spec,
)

CLUSTER_URN = "urn:pulumi:dev::streamplane::streamplane:index:KafkaCluster::fronting"
TAGS = {"environment": "dev", "managed-by": "streamplane", "owner": "stream-platform"}


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    folder = write_spec(tmp_path_factory.mktemp("msk"), {"clusters.yaml": MSK_CLUSTER, "streams.yaml": STREAM})
    return synth(folder, config=config_for(network=MSK_NETWORK))


def test_msk_cluster_children(graph):
    assert children(graph, CLUSTER_URN) == [
        ("aws:cloudwatch/logGroup:LogGroup", "fronting"),
        ("aws:kms/alias:Alias", "fronting"),
        ("aws:kms/key:Key", "fronting"),
        ("aws:kms/key:Key", "fronting-scram"),
        ("aws:msk/cluster:Cluster", "fronting"),
        ("aws:msk/configuration:Configuration", "fronting"),
        ("aws:msk/scramSecretAssociation:ScramSecretAssociation", "fronting"),
        ("aws:secretsmanager/secret:Secret", "fronting-playback-api"),
        ("aws:secretsmanager/secret:Secret", "fronting-playback-router"),
        ("aws:secretsmanager/secretVersion:SecretVersion", "fronting-playback-api"),
        ("aws:secretsmanager/secretVersion:SecretVersion", "fronting-playback-router"),
        (ACL, "fronting-acl-playback-api-describe-topic-playback-events"),
        (ACL, "fronting-acl-playback-api-idempotentwrite-cluster-kafka-cluster"),
        (ACL, "fronting-acl-playback-api-write-topic-playback-events"),
        (ACL, "fronting-acl-playback-router-describe-topic-playback-events"),
        (ACL, "fronting-acl-playback-router-read-group-playback-router.playback-events"),
        (ACL, "fronting-acl-playback-router-read-topic-playback-events"),
        (PROVIDER, "fronting"),
        ("random:index/randomPassword:RandomPassword", "fronting-playback-api"),
        ("random:index/randomPassword:RandomPassword", "fronting-playback-router"),
    ]


def test_msk_scram_secrets_are_named_for_msk_under_the_clusters_key_and_never_show_the_password(graph):
    """MSK associates only AmazonMSK_* secrets under a customer-managed key; one association holds them all."""
    secrets = by_type(graph, "aws:secretsmanager/secret:Secret")
    key_urn = by_type(graph, "aws:kms/key:Key")["fronting-scram"]["urn"]
    assert {n: (s["inputs"]["name"], s["inputs"]["kmsKeyId"]) for n, s in secrets.items()} == {
        "fronting-playback-api": ("AmazonMSK_streamplane-dev-fronting_playback-api", f"<computed:{key_urn}#arn>"),
        "fronting-playback-router": ("AmazonMSK_streamplane-dev-fronting_playback-router", f"<computed:{key_urn}#arn>"),
    }
    versions = by_type(graph, "aws:secretsmanager/secretVersion:SecretVersion")
    assert {v["inputs"]["secretString"] for v in versions.values()} == {"<secret>"}
    association = by_type(graph, "aws:msk/scramSecretAssociation:ScramSecretAssociation")["fronting"]
    assert len(association["inputs"]["secretArnLists"]) == 2
    passwords = by_type(graph, "random:index/randomPassword:RandomPassword")
    assert {p["inputs"]["length"] for p in passwords.values()} == {32}


def test_msk_cluster_inputs(graph):
    cluster = by_type(graph, "aws:msk/cluster:Cluster")["fronting"]
    # Stable unknowns tied to their producers: the configuration's ARN and the key's ARN.
    configuration_urn = by_type(graph, "aws:msk/configuration:Configuration")["fronting"]["urn"]
    key_urn = by_type(graph, "aws:kms/key:Key")["fronting"]["urn"]
    assert cluster["inputs"] == {
        "brokerNodeGroupInfo": {
            "clientSubnets": ["subnet-a", "subnet-b", "subnet-c"],
            "instanceType": "kafka.m5.large",
            "securityGroups": ["sg-kafka"],
            "storageInfo": {"ebsStorageInfo": {"volumeSize": 1000}},
        },
        "clientAuthentication": {"sasl": {"iam": True, "scram": True}, "unauthenticated": False},
        "clusterName": "streamplane-dev-fronting",
        "configurationInfo": {"arn": f"<computed:{configuration_urn}#arn>", "revision": "<computed>"},
        "encryptionInfo": {"encryptionAtRestKmsKeyArn": f"<computed:{key_urn}#arn>",
                           "encryptionInTransit": {"clientBroker": "TLS", "inCluster": True}},
        "enhancedMonitoring": "PER_TOPIC_PER_BROKER",
        "kafkaVersion": "3.9.x",
        "loggingInfo": {"brokerLogs": {"cloudwatchLogs": {"enabled": True, "logGroup": "/streamplane/dev/msk/fronting"}}},
        "numberOfBrokerNodes": 3,
        "openMonitoring": {"prometheus": {"jmxExporter": {"enabledInBroker": True},
                                          "nodeExporter": {"enabledInBroker": True}}},
        "tags": TAGS,
    }
    assert cluster["protect"] is False


def test_msk_configuration_sets_safe_broker_defaults(graph):
    configuration = by_type(graph, "aws:msk/configuration:Configuration")["fronting"]
    assert configuration["inputs"] == {
        "name": "streamplane-dev-fronting",
        "description": "streamplane broker defaults for fronting (dev)",
        "serverProperties": (
            "allow.everyone.if.no.acl.found=false\n"
            "auto.create.topics.enable=false\n"
            "default.replication.factor=3\n"
            "min.insync.replicas=2\n"
            "offsets.topic.replication.factor=3\n"
            "transaction.state.log.min.isr=2\n"
            "transaction.state.log.replication.factor=3\n"
            "unclean.leader.election.enable=false\n"),
    }


def test_msk_key_and_log_group(graph):
    assert by_type(graph, "aws:kms/key:Key")["fronting"]["inputs"] == {
        "description": "streamplane MSK cluster fronting (dev) data at rest", "enableKeyRotation": True,
        "deletionWindowInDays": 30, "tags": TAGS}
    assert by_type(graph, "aws:cloudwatch/logGroup:LogGroup")["fronting"]["inputs"] == {
        "name": "/streamplane/dev/msk/fronting", "retentionInDays": 14, "tags": TAGS}


def test_msk_admin_connection_uses_iam(graph):
    provider = by_type(graph, PROVIDER)["fronting"]
    cluster_urn = by_type(graph, "aws:msk/cluster:Cluster")["fronting"]["urn"]
    assert provider["inputs"]["bootstrapServers"] == f'["<computed:{cluster_urn}#bootstrapBrokersSaslIam>"]'
    assert provider["inputs"]["saslMechanism"] == "aws-iam"
    assert provider["inputs"]["saslAwsRegion"] == "us-east-1"
    assert provider["inputs"]["tlsEnabled"] == "true"
    assert "saslPassword" not in provider["inputs"]


CUSTOM = MSK_CLUSTER.replace("    kafkaVersion: 3.9.x\n", """\
    kafkaVersion: 3.9.x
    ebsVolumeGiB: 500
    kmsKeyArn: arn:aws:kms:us-east-1:111122223333:key/example
    enhancedMonitoring: PER_TOPIC_PER_PARTITION
    brokerLogRetentionDays: 30
    scramSecretArns: [arn:aws:secretsmanager:us-east-1:111122223333:secret:AmazonMSK_playback]
    serverProperties: {num.io.threads: 16, auto.create.topics.enable: false}
  clientAuth: [scram]
""")


def test_msk_custom_values(tmp_path):
    folder = write_spec(tmp_path / "spec", {"clusters.yaml": CUSTOM})
    graph = synth(folder, environment="prod", protect=True, secret_keys=["streamplane:kafkaPasswords"],
                  config=config_for(network=MSK_NETWORK, extra={"streamplane:kafkaPasswords": '{"fronting": "s3cret"}'}))
    urn = CLUSTER_URN.replace(":dev:", ":prod:")
    assert [t for t, _ in children(graph, urn)] == [
        "aws:cloudwatch/logGroup:LogGroup", "aws:msk/cluster:Cluster", "aws:msk/configuration:Configuration",
        "aws:msk/scramSecretAssociation:ScramSecretAssociation", PROVIDER]
    cluster = by_type(graph, "aws:msk/cluster:Cluster")["fronting"]
    assert cluster["protect"] is True
    assert cluster["inputs"]["encryptionInfo"]["encryptionAtRestKmsKeyArn"] == "arn:aws:kms:us-east-1:111122223333:key/example"
    assert cluster["inputs"]["clientAuthentication"] == {"sasl": {"iam": False, "scram": True}, "unauthenticated": False}
    assert cluster["inputs"]["enhancedMonitoring"] == "PER_TOPIC_PER_PARTITION"
    assert cluster["inputs"]["brokerNodeGroupInfo"]["storageInfo"] == {"ebsStorageInfo": {"volumeSize": 500}}
    assert by_type(graph, "aws:cloudwatch/logGroup:LogGroup")["fronting"]["inputs"]["retentionInDays"] == 30
    properties = by_type(graph, "aws:msk/configuration:Configuration")["fronting"]["inputs"]["serverProperties"]
    assert "num.io.threads=16\n" in properties and "auto.create.topics.enable=false\n" in properties
    assert by_type(graph, "aws:msk/scramSecretAssociation:ScramSecretAssociation")["fronting"]["inputs"] == {
        "clusterArn": f"<computed:{by_type(graph, 'aws:msk/cluster:Cluster')['fronting']['urn']}#arn>",
        "secretArnLists": ["arn:aws:secretsmanager:us-east-1:111122223333:secret:AmazonMSK_playback"]}
    provider = by_type(graph, PROVIDER)["fronting"]["inputs"]
    assert provider["saslMechanism"] == "scram-sha512"
    assert provider["saslUsername"] == "streamplane-admin"
    assert provider["saslPassword"] == "<secret>"


@pytest.mark.parametrize("passwords", [None, '{"consumer": "s3cret"}'], ids=["no-passwords", "other-cluster-only"])
def test_msk_scram_admin_without_its_password_is_a_check_error(tmp_path, passwords):
    folder = write_spec(tmp_path / "spec", {"clusters.yaml": CUSTOM})
    extra = {"streamplane:kafkaPasswords": passwords} if passwords else {}
    assert [p for p in checked(folder, config_for(network=MSK_NETWORK, extra=extra)) if "admin connection" in p] == [
        f"{folder / 'clusters.yaml'}:16:3: /spec/clientAuth: "
        'KafkaCluster "fronting": the admin connection uses SCRAM but no password is set for it. Run '
        "`pulumi config set --secret --path 'kafkaPasswords.fronting' <password>` in stacks/."]


def checked(folder, config: dict[str, str]) -> list[str]:
    """The check phase's problems for the spec in `folder` (MSK layout errors are found there, not in components)."""
    return [str(p) for p in check_platform(load(folder).spec, StackSettings.from_config_map(config, "dev"))]


def test_msk_brokers_must_be_a_multiple_of_subnets(tmp_path):
    folder = write_spec(tmp_path / "spec", {"clusters.yaml": MSK_CLUSTER.replace("brokers: 3", "brokers: 4")})
    assert checked(folder, config_for(network=MSK_NETWORK)) == [
        f"{folder / 'clusters.yaml'}:6:3: /spec/brokers: must be a multiple of the 3 client subnets "
        "(one per Availability Zone), got 4. Use 3 or 6."]


def test_msk_needs_network_config(tmp_path):
    folder = write_spec(tmp_path / "spec", {"clusters.yaml": MSK_CLUSTER})
    assert checked(folder, config_for()) == [
        f'{folder / "clusters.yaml"}:6:3: /spec/brokers: KafkaCluster "fronting" (msk) needs 2 or 3 client subnets in '
        "distinct Availability Zones in streamplane:network.subnetIds, got 0. Set them in the stack config.",
        f'{folder / "clusters.yaml"}:6:3: /spec/brokers: KafkaCluster "fronting" (msk) needs '
        "streamplane:network.securityGroupIds. Set them in the stack config."]


def test_msk_cluster_name_must_fit_msk(tmp_path):
    long_name = "f" * 60
    folder = write_spec(tmp_path / "spec", {"clusters.yaml": MSK_CLUSTER.replace("name: fronting", f"name: {long_name}")})
    assert checked(folder, config_for(network=MSK_NETWORK)) == [
        f"{folder / 'clusters.yaml'}:3:12: /metadata/name: the MSK cluster name streamplane-dev-{long_name} is 76 "
        "characters long; MSK allows 64. Shorten the cluster's name."]
