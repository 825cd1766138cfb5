"""Which changes make a provider recreate a resource instead of updating it in place.

One entry per resource type, the provider's real behaviour for the properties this platform sets:
- pulumi-kafka (bridges Mongey/terraform-provider-kafka): a topic's `name` is ForceNew; fewer
  `partitions` is a delete + create (Kafka cannot shrink a topic); `replicationFactor` and `config`
  change in place. Every `kafka.Acl` and `kafka.Quota` field is ForceNew.
- pulumi-aws msk.Cluster: cluster name, client subnets, security groups, the at-rest KMS key and
  in-cluster encryption are ForceNew; a Kafka version downgrade is refused in place, so it replaces.
- pulumi-aws s3.Bucket: `bucket` (and `bucketPrefix`) are ForceNew.
- pulumi-kubernetes: `metadata.name` and `metadata.namespace` identify the object; changing either
  replaces it (and so does any change of a custom resource's apiVersion/kind, which is a new URN).
Extend by adding a `ReplaceRule` to REPLACE_RULES; the hazard rules read only the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


def kafka_version_downgrade(before: dict, after: dict) -> str | None:
    old, new = version_tuple(before.get("kafkaVersion")), version_tuple(after.get("kafkaVersion"))
    return "kafkaVersion" if old and new and new < old else None


@dataclass(frozen=True)
class ReplaceRule:
    """The replacement behaviour of one resource type: paths whose change replaces it, and checks on
    values (a decrease, a downgrade) that replace it."""

    paths: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    source: str = ""


KUBERNETES_IDENTITY = ReplaceRule(
    paths=("metadata.name", "metadata.namespace", "apiVersion", "kind"),
    source="pulumi-kubernetes: name and namespace identify the object")

REPLACE_RULES: dict[str, ReplaceRule] = {
    "kafka:index/topic:Topic": ReplaceRule(
        paths=("name",), checks=(partitions_decrease,),
        source="terraform-provider-kafka: name ForceNew; partitions can only grow, fewer recreates the topic"),
    "kafka:index/acl:Acl": ReplaceRule(paths=(ALL,), source="terraform-provider-kafka: every ACL field is ForceNew"),
    "kafka:index/quota:Quota": ReplaceRule(paths=(ALL,), source="terraform-provider-kafka: every quota field is ForceNew"),
    "aws:msk/cluster:Cluster": ReplaceRule(
        paths=("clusterName", "brokerNodeGroupInfo.clientSubnets", "brokerNodeGroupInfo.securityGroups",
               "encryptionInfo.encryptionAtRestKmsKeyArn", "encryptionInfo.encryptionInTransit.inCluster"),
        checks=(kafka_version_downgrade,),
        source="pulumi-aws msk.Cluster ForceNew fields; MSK cannot downgrade Kafka in place"),
    "aws:s3/bucket:Bucket": ReplaceRule(paths=("bucket", "bucketPrefix"), source="pulumi-aws s3.Bucket: bucket ForceNew"),
    "aws:s3/bucketV2:BucketV2": ReplaceRule(paths=("bucket", "bucketPrefix"), source="pulumi-aws s3.BucketV2: bucket ForceNew"),
    "aws:kms/alias:Alias": ReplaceRule(paths=("name",), source="pulumi-aws kms.Alias: name ForceNew"),
}


def rule_for(type_token: str) -> ReplaceRule | None:
    """The table entry of a type; every Kubernetes resource shares the identity rule."""
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
    # An explicit provider swapped for another one (a different cluster) recreates the resource;
    # a default provider's version bump does not.
    if "<provider>" in change.paths:
        old, new = (change.before or {}).get("provider"), (change.after or {}).get("provider")
        if not (_is_default_provider(old) and _is_default_provider(new)):
            reasons.append("<provider>")
    return reasons


def classify(changes: list[Change]) -> list[Change]:
    """Turn updates that the provider cannot apply in place into replaces (in place, returned)."""
    for change in changes:
        if change.action != "update":
            continue
        reasons = replace_reasons(change)
        if reasons:
            change.action = "replace"
            change.replace_paths = reasons
    return changes
