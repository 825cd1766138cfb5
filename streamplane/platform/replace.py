"""Replace rules of what no single domain owns: KMS keys, IAM roles, Kubernetes Secrets, the AWS and
Kubernetes providers (sources: streamplane/plan/replace.py)."""

from __future__ import annotations

from ..plan.replace_rule import KUBERNETES_IDENTITY, NO_FORCE_NEW_CONFIG, TF_AWS, ReplaceRule

REPLACE_RULES: dict[str, ReplaceRule] = {
    "aws:kms/key:Key": ReplaceRule(
        paths=("customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"),
        source=TF_AWS + "kms/key.go: customer_master_key_spec, key_usage, custom_key_store_id, multi_region, "
               "xks_key_id ForceNew"),
    "aws:kms/alias:Alias": ReplaceRule(paths=("name", "namePrefix"), source=TF_AWS + "kms/alias.go: name, name_prefix ForceNew"),
    "aws:iam/role:Role": ReplaceRule(paths=("name", "namePrefix", "path"),
                                     source=TF_AWS + "iam/role.go: name, name_prefix, path ForceNew"),
    "aws:iam/rolePolicy:RolePolicy": ReplaceRule(paths=("role", "name", "namePrefix"),
                                                 source=TF_AWS + "iam/role_policy.go: role, name, name_prefix ForceNew"),
    "kubernetes:core/v1:Secret": KUBERNETES_IDENTITY,
    "pulumi:providers:aws": ReplaceRule(source=NO_FORCE_NEW_CONFIG + " for the fields set here"),
    "pulumi:providers:kubernetes": ReplaceRule(
        paths=("kubeconfig", "context", "cluster", "clusterIdentifier", "renderYamlToDirectory"),
        source="pulumi-kubernetes provider/pkg/provider/provider.go DiffConfig"),
}
