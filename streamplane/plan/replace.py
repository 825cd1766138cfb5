"""Which changes make a provider recreate a resource instead of updating it in place.

One entry per resource type the components emit (tests/plan/test_replace_table.py fails when one is
missing), each citing where its provider decides it. Sources read for this table:
- Mongey/terraform-provider-kafka @ 678b3c7 (bridged by pulumi-kafka): kafka/resource_kafka_topic.go
  (`name` ForceNew; customDiff forces new on a `partitions` decrease), resource_kafka_acl.go and
  resource_kafka_quota.go (every field ForceNew); kafka/provider.go (no provider field is ForceNew).
- hashicorp/terraform-provider-aws internal/service/*: kafka/cluster.go (`cluster_name`,
  `broker_node_group_info.{az_distribution,client_subnets,security_groups}`,
  `encryption_info.encryption_at_rest_kms_key_arn`, `encryption_in_transit.in_cluster` ForceNew;
  `kafka_version` ForceNewIfChange when verify.SemVerLessThan(new, old)); kms/key.go
  (`customer_master_key_spec`, `key_usage`, `custom_key_store_id` ForceNew); every s3/bucket_*.go
  sub-resource (`bucket`, `expected_bucket_owner` ForceNew). Read later through the code index
  (stored versions of the same files, schemas unchanged in the fields used here): kafka/configuration.go,
  kafka/scram_secret_association.go, kms/alias.go, kms/key.go (`multi_region`), iam/role.go,
  iam/role_policy.go, logs/group.go, s3/bucket.go (`object_lock_enabled`), secretsmanager/secret.go and
  secret_version.go; kms/key.go again for `xks_key_id` (ForceNew, RequiredWith custom_key_store_id, in a
  newer stored version of the file).
- pulumi/pulumi-kubernetes @ 9497796 provider/pkg/provider/diff.go (forceNewProperties:
  `.metadata.name`, `.metadata.namespace` for every kind, RoleBinding `.roleRef`, ResourceQuota
  `.spec.scopes`) and provider.go Diff (a replace of an object that keeps its name and namespace is
  delete-before-replace). An apiVersion or kind change is a new type token, so a new URN (matched by
  the provider's aliases), never a replace inside one resource.
- pulumi/pulumi @ v3.259 pkg/resource/deploy/step_generator.go providerChanged: an explicit provider
  swap replaces the resource only when the *new* provider's DiffConfig asks for a replacement.
  The bridge's DiffConfig (pulumi-terraform-bridge pkg/tfbridge/provider.go configDiffer) replaces
  only for ForceNew config fields, which pulumi-kafka and pulumi-aws config do not have here;
  pulumi-kubernetes' DiffConfig replaces when the cluster (kubeconfig, context, cluster,
  clusterIdentifier) changes, which two different explicit providers are taken to mean.
Extend by adding a `ReplaceRule` to CITED_RULES and its type to its domain (streamplane/domains.py); the hazard rules read only the result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..domains import DOMAINS
from .model import Change

ALL = "*"
"""Every input forces a replacement (ACLs, quotas)."""

Check = Callable[[dict, dict], "str | None"]
"""(inputs before, inputs after) -> the path that forces a replacement, or None."""


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


@dataclass(frozen=True)
class ReplaceRule:
    """The replacement behaviour of one resource type: paths whose change replaces it, and checks on
    values (a decrease, a downgrade) that replace it."""

    paths: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    source: str = ""


TF_AWS = "terraform-provider-aws internal/service/"
TF_KAFKA = "Mongey/terraform-provider-kafka kafka/"
K8S_DIFF = "pulumi-kubernetes provider/pkg/provider/diff.go forceNewProperties"
BUCKET_PART = ReplaceRule(paths=("bucket", "expectedBucketOwner"),
                          source=TF_AWS + "s3/bucket_*.go: bucket, expected_bucket_owner ForceNew")
KUBERNETES_IDENTITY = ReplaceRule(paths=("metadata.name", "metadata.namespace"),
                                  source=K8S_DIFF + ": .metadata.name, .metadata.namespace (every kind)")
# Provider resources themselves: replaced when their own DiffConfig says so (see the module docstring).
NO_FORCE_NEW_CONFIG = "pulumi-terraform-bridge configDiffer: no ForceNew provider config field"

CITED_RULES: dict[str, ReplaceRule] = {
    "kafka:index/topic:Topic": ReplaceRule(
        paths=("name",), checks=(partitions_decrease,),
        source=TF_KAFKA + "resource_kafka_topic.go: name ForceNew; customDiff ForceNew on a partitions decrease"),
    "kafka:index/acl:Acl": ReplaceRule(paths=(ALL,), source=TF_KAFKA + "resource_kafka_acl.go: every field ForceNew"),
    "kafka:index/quota:Quota": ReplaceRule(paths=(ALL,), source=TF_KAFKA + "resource_kafka_quota.go: every field ForceNew"),
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
    "aws:s3/bucket:Bucket": ReplaceRule(paths=("bucket", "bucketPrefix", "objectLockEnabled"),
                                        source=TF_AWS + "s3/bucket.go: bucket, bucket_prefix, object_lock_enabled ForceNew"),
    "aws:s3/bucketV2:BucketV2": ReplaceRule(paths=("bucket", "bucketPrefix", "objectLockEnabled"),
                                            source=TF_AWS + "s3/bucket.go: bucket, bucket_prefix, object_lock_enabled ForceNew"),
    **dict.fromkeys((
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning"), BUCKET_PART),
    "aws:kms/key:Key": ReplaceRule(
        paths=("customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"),
        source=TF_AWS + "kms/key.go: customer_master_key_spec, key_usage, custom_key_store_id, multi_region, "
               "xks_key_id ForceNew"),
    "aws:kms/alias:Alias": ReplaceRule(paths=("name", "namePrefix"), source=TF_AWS + "kms/alias.go: name, name_prefix ForceNew"),
    "aws:iam/role:Role": ReplaceRule(paths=("name", "namePrefix", "path"),
                                     source=TF_AWS + "iam/role.go: name, name_prefix, path ForceNew"),
    "aws:iam/rolePolicy:RolePolicy": ReplaceRule(paths=("role", "name", "namePrefix"),
                                                 source=TF_AWS + "iam/role_policy.go: role, name, name_prefix ForceNew"),
    "aws:cloudwatch/logGroup:LogGroup": ReplaceRule(
        paths=("name", "namePrefix", "logGroupClass"), source=TF_AWS + "logs/group.go: name, name_prefix, log_group_class ForceNew"),
    **dict.fromkeys((
        "kubernetes:core/v1:Namespace", "kubernetes:core/v1:ServiceAccount", "kubernetes:core/v1:LimitRange",
        "kubernetes:core/v1:Secret", "kubernetes:core/v1:Service",
        "kubernetes:rbac.authorization.k8s.io/v1:Role", "kubernetes:flink.apache.org/v1beta1:FlinkDeployment",
        "kubernetes:kafka.strimzi.io/v1:Kafka", "kubernetes:kafka.strimzi.io/v1:KafkaNodePool",
        "kubernetes:kafka.strimzi.io/v1:KafkaUser", "kubernetes:druid.apache.org/v1alpha1:Druid",
        "kubernetes:druid.apache.org/v1alpha1:DruidIngestion"), KUBERNETES_IDENTITY),
    "aws:secretsmanager/secret:Secret": ReplaceRule(
        paths=("name", "namePrefix"), source=TF_AWS + "secretsmanager/secret.go: name, name_prefix ForceNew; kms_key_id, policy in place"),
    "aws:secretsmanager/secretVersion:SecretVersion": ReplaceRule(
        paths=("secretId", "secretString", "secretBinary"),
        source=TF_AWS + "secretsmanager/secret_version.go: secret_id, secret_string, secret_binary ForceNew "
                        "(version_stages in place)"),
    "aws:msk/scramSecretAssociation:ScramSecretAssociation": ReplaceRule(
        paths=("clusterArn",), source=TF_AWS + "kafka/scram_secret_association.go: cluster_arn ForceNew; the secret "
                                               "list updates in place"),
    "kafka:index/userScramCredential:UserScramCredential": ReplaceRule(
        paths=("username", "scramMechanism"),
        source=TF_KAFKA + "resource_kafka_user_scram_credential.go: username, scram_mechanism ForceNew; "
                          "password and scram_iterations update in place"),
    "random:index/randomPassword:RandomPassword": ReplaceRule(
        paths=(ALL,), source="terraform-provider-random internal/provider/resource_password.go passwordSchemaV3: "
                             "every argument RequiresReplace (keepers only when its values are not null, "
                             "override_special not from \"\" to null): a new password on any change"),
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": ReplaceRule(
        paths=("metadata.name", "metadata.namespace", "roleRef"), source=K8S_DIFF + ": roleBinding .roleRef"),
    "kubernetes:core/v1:ResourceQuota": ReplaceRule(
        paths=("metadata.name", "metadata.namespace", "spec.scopes"), source=K8S_DIFF + ": core v1 ResourceQuota .spec.scopes"),
    "kubernetes:helm.sh/v3:Release": ReplaceRule(
        paths=("name", "namespace"), source="pulumi-kubernetes @ 9497796 provider/pkg/provider/helm_release.go Diff: "
                                            "forceNewFields .name, .namespace (create-before-delete)"),
    "pulumi:providers:kafka": ReplaceRule(source=NO_FORCE_NEW_CONFIG + " (" + TF_KAFKA + "provider.go)"),
    "pulumi:providers:random": ReplaceRule(source=NO_FORCE_NEW_CONFIG + " (terraform-provider-random has no provider config)"),
    "pulumi:providers:aws": ReplaceRule(source=NO_FORCE_NEW_CONFIG + " for the fields set here"),
    "pulumi:providers:kubernetes": ReplaceRule(
        paths=("kubeconfig", "context", "cluster", "clusterIdentifier", "renderYamlToDirectory"),
        source="pulumi-kubernetes provider/pkg/provider/provider.go DiffConfig"),
}
"""What each provider does, as read, by resource type."""
REPLACE_RULES: dict[str, ReplaceRule] = {token: CITED_RULES[token] for domain in DOMAINS for token in domain.replace_types}
"""The rules of the resource types the domains own (streamplane/domains.py); tests/test_domains.py
keeps CITED_RULES and the domains' types the same set."""
PROVIDER_SWAP_REPLACES = frozenset({"kubernetes"})
"""Packages whose DiffConfig replaces the resources of an explicit provider swapped for another one."""


def rule_for(type_token: str) -> ReplaceRule | None:
    """The table entry of a type; a Kubernetes kind the table lacks gets the identity every kind has."""
    if type_token in REPLACE_RULES:
        return REPLACE_RULES[type_token]
    if type_token.startswith("kubernetes:"):
        return KUBERNETES_IDENTITY
    return None


def _is_default_provider(reference: str | None) -> bool:
    return reference is not None and reference.rsplit("::", 1)[-1].startswith("default")


def _within(path: str, prefix: str) -> bool:
    """`path` is `prefix` or lies under it (`a.b` under `a`, `a[0]` under `a`)."""
    return path == prefix or path.startswith((prefix + ".", prefix + "[")) or prefix.startswith((path + ".", path + "["))


def replace_reasons(change: Change) -> list[str]:
    """The changed paths of an update that force a replacement (empty: it updates in place)."""
    reasons: list[str] = []
    before, after = change.inputs("before"), change.inputs("after")
    rule = rule_for(change.type)
    if rule:
        input_paths = [p for p in change.paths if not p.startswith("<")]
        if ALL in rule.paths:
            reasons.extend(input_paths)
        else:
            # Only paths the diff reports: an unknown filled from the baseline is no change.
            for prefix in rule.paths:
                if any(_within(path, prefix) for path in input_paths):
                    reasons.append(prefix)
        for check in rule.checks:
            reason = check(before, after)
            if reason and reason not in reasons:
                reasons.append(reason)
    # A provider swap replaces only where the new provider's DiffConfig says so (step_generator.go
    # providerChanged); a default provider's version bump never does.
    if "<provider>" in change.paths and provider_swap_replaces(change):
        reasons.append("<provider>")
    return reasons


def provider_swap_replaces(change: Change) -> bool:
    old, new = (change.before or {}).get("provider"), (change.after or {}).get("provider")
    if not old or not new:  # a component became a custom resource, or back: the engine replaces
        return True
    if _is_default_provider(old) and _is_default_provider(new):
        return False
    return change.type.split(":", 1)[0] in PROVIDER_SWAP_REPLACES


def classify(changes: list[Change]) -> list[Change]:
    """Turn updates that the provider cannot apply in place into replaces (in place, returned)."""
    for change in changes:
        if change.action != "update":
            continue
        reasons = replace_reasons(change)
        if reasons:
            change.action = "replace"
            change.replace_paths = reasons
            change.provider_delete_first = _kubernetes_same_name(change)
            if _fixed_name_kept(change) and not change.delete_first and NAME_CLASH not in change.notes:
                change.notes.append(NAME_CLASH)
    return changes


NAME_CLASH = ("the provider creates the replacement before deleting the old topic, and Kafka refuses a second topic "
              "of the same name: the apply fails unless the topic is replaced delete-first (deleteBeforeReplace)")
"""pulumi-kafka's Topic `name` has no auto-name (pulumi-kafka provider resources.go), so the bridge
does not choose delete-before-replace for it (pulumi-terraform-bridge nameRequiresDeleteBeforeReplace)."""


def _fixed_name_kept(change: Change) -> bool:
    name = change.inputs("after").get("name")
    return change.type == "kafka:index/topic:Topic" and bool(name) and change.inputs("before").get("name") == name


def _kubernetes_same_name(change: Change) -> bool:
    """pulumi-kubernetes provider.go Diff: a replaced object that keeps its (user-given) name and
    namespace must be deleted first, since two objects cannot share them."""
    if not change.type.startswith("kubernetes:") or change.type.startswith("kubernetes:helm.sh/"):
        return False
    old, new = change.inputs("before").get("metadata") or {}, change.inputs("after").get("metadata") or {}
    return bool(new.get("name")) and (old.get("name"), old.get("namespace")) == (new.get("name"), new.get("namespace"))
