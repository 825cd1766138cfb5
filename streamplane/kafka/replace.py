"""Replace rules of Kafka's resources: topics, ACLs, quotas, SCRAM credentials, MSK and Strimzi clusters
(sources: streamplane/plan/replace.py)."""

from __future__ import annotations

import re

from ..plan.replace_rule import ALL, KUBERNETES_IDENTITY, NO_FORCE_NEW_CONFIG, TF_AWS, TF_KAFKA, ReplaceRule


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def partitions_decrease(before: dict, after: dict) -> str | None:
    old, new = _number(before.get("partitions")), _number(after.get("partitions"))
    return "partitions" if old is not None and new is not None and new < old else None


def version_tuple(text) -> tuple[int, ...] | None:
    """'3.6.0' -> (3, 6, 0); '3.6.x.kraft' or unparsable parts stop the tuple."""
    if not isinstance(text, str):
        return None
    parts: list[int] = []
    for part in text.split("."):
        if not part.isdigit():
            break
        parts.append(int(part))
    return tuple(parts) or None


# hashicorp/go-version's VersionRegexpRaw, anchored: what verify.SemVerLessThan can parse. MSK's
# "3.9.x" and "4.0.x.kraft" do not parse, so for them the provider never forces a replacement.
_GO_VERSION = re.compile(r"v?([0-9]+(\.[0-9]+)*?)(-([0-9]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)|"
                         r"(-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)))?(\+([0-9A-Za-z\-~]+(\.[0-9A-Za-z\-~]+)*))?")


def go_version_parses(text) -> bool:
    return isinstance(text, str) and _GO_VERSION.fullmatch(text) is not None


def kafka_version_downgrade(before: dict, after: dict) -> str | None:
    """A downgrade the provider replaces: both versions parse as semver and the new one is lower."""
    old_text, new_text = before.get("kafkaVersion"), after.get("kafkaVersion")
    if not (go_version_parses(old_text) and go_version_parses(new_text)):
        return None
    old, new = version_tuple(old_text), version_tuple(new_text)
    return "kafkaVersion" if old and new and new < old else None


def is_version_downgrade(before: dict, after: dict) -> bool:
    """kafkaVersion goes down (by its numeric prefix), whether or not the provider can parse it."""
    old, new = version_tuple(before.get("kafkaVersion")), version_tuple(after.get("kafkaVersion"))
    return bool(old and new and new < old)


REPLACE_RULES: dict[str, ReplaceRule] = {
    "kafka:index/topic:Topic": ReplaceRule(
        paths=("name",), checks=(partitions_decrease,),
        source=TF_KAFKA + "resource_kafka_topic.go: name ForceNew; customDiff ForceNew on a partitions decrease"),
    "kafka:index/acl:Acl": ReplaceRule(paths=(ALL,), source=TF_KAFKA + "resource_kafka_acl.go: every field ForceNew"),
    "kafka:index/quota:Quota": ReplaceRule(paths=(ALL,), source=TF_KAFKA + "resource_kafka_quota.go: every field ForceNew"),
    "kafka:index/userScramCredential:UserScramCredential": ReplaceRule(
        paths=("username", "scramMechanism"),
        source=TF_KAFKA + "resource_kafka_user_scram_credential.go: username, scram_mechanism ForceNew; "
                          "password and scram_iterations update in place"),
    "pulumi:providers:kafka": ReplaceRule(source=NO_FORCE_NEW_CONFIG + " (" + TF_KAFKA + "provider.go)"),
    "aws:msk/cluster:Cluster": ReplaceRule(
        paths=("clusterName", "brokerNodeGroupInfo.azDistribution", "brokerNodeGroupInfo.clientSubnets",
               "brokerNodeGroupInfo.securityGroups", "encryptionInfo.encryptionAtRestKmsKeyArn",
               "encryptionInfo.encryptionInTransit.inCluster"),
        checks=(kafka_version_downgrade,),
        source=TF_AWS + "kafka/cluster.go: cluster_name, broker_node_group_info.{az_distribution,client_subnets,"
               "security_groups}, encryption_info.encryption_at_rest_kms_key_arn, encryption_in_transit.in_cluster "
               "ForceNew; kafka_version ForceNewIfChange(SemVerLessThan)"),
    "aws:msk/configuration:Configuration": ReplaceRule(
        paths=("name", "kafkaVersions"), source=TF_AWS + "kafka/configuration.go: name, kafka_versions ForceNew"),
    "aws:msk/scramSecretAssociation:ScramSecretAssociation": ReplaceRule(
        paths=("clusterArn",), source=TF_AWS + "kafka/scram_secret_association.go: cluster_arn ForceNew; the secret "
                                               "list updates in place"),
    "aws:secretsmanager/secret:Secret": ReplaceRule(
        paths=("name", "namePrefix"), source=TF_AWS + "secretsmanager/secret.go: name, name_prefix ForceNew; kms_key_id, policy in place"),
    "aws:secretsmanager/secretVersion:SecretVersion": ReplaceRule(
        paths=("secretId", "secretString", "secretBinary"),
        source=TF_AWS + "secretsmanager/secret_version.go: secret_id, secret_string, secret_binary ForceNew "
                        "(version_stages in place)"),
    "aws:cloudwatch/logGroup:LogGroup": ReplaceRule(
        paths=("name", "namePrefix", "logGroupClass"), source=TF_AWS + "logs/group.go: name, name_prefix, log_group_class ForceNew"),
    "random:index/randomPassword:RandomPassword": ReplaceRule(
        paths=(ALL,), source="terraform-provider-random internal/provider/resource_password.go passwordSchemaV3: "
                             "every argument RequiresReplace (keepers only when its values are not null, "
                             "override_special not from \"\" to null): a new password on any change"),
    "pulumi:providers:random": ReplaceRule(source=NO_FORCE_NEW_CONFIG + " (terraform-provider-random has no provider config)"),
    **dict.fromkeys(("kubernetes:kafka.strimzi.io/v1:Kafka", "kubernetes:kafka.strimzi.io/v1:KafkaNodePool",
                     "kubernetes:kafka.strimzi.io/v1:KafkaUser"), KUBERNETES_IDENTITY),
}
