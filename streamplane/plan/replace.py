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
Extend by adding the type's `ReplaceRule` to its domain's replace.py (streamplane/<domain>/replace.py), citing
what was read; the hazard rules read only the result.
"""

from __future__ import annotations

from importlib import import_module

from ..domains import DOMAINS
from .model import Change
from .replace_rule import ALL, KUBERNETES_IDENTITY, ReplaceRule

REPLACE_RULES: dict[str, ReplaceRule] = {token: rule for domain in DOMAINS if domain.replace
                                         for token, rule in import_module(domain.module(domain.replace)).REPLACE_RULES.items()}
"""Every domain's rules by resource type (streamplane/<domain>/replace.py, named by its `Domain.replace`);
tests/test_domains.py fails on a type two domains claim."""
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
