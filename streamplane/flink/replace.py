"""Replace rules of a Flink job's Kubernetes resources: the FlinkDeployment, the owner's namespace and
its tenancy objects, the operator's Helm release (sources: streamplane/plan/replace.py)."""

from __future__ import annotations

from ..plan.replace_rule import K8S_DIFF, KUBERNETES_IDENTITY, ReplaceRule

REPLACE_RULES: dict[str, ReplaceRule] = {
    **dict.fromkeys((
        "kubernetes:flink.apache.org/v1beta1:FlinkDeployment", "kubernetes:core/v1:Namespace",
        "kubernetes:core/v1:ServiceAccount", "kubernetes:core/v1:LimitRange",
        "kubernetes:rbac.authorization.k8s.io/v1:Role"), KUBERNETES_IDENTITY),
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": ReplaceRule(
        paths=("metadata.name", "metadata.namespace", "roleRef"), source=K8S_DIFF + ": roleBinding .roleRef"),
    "kubernetes:core/v1:ResourceQuota": ReplaceRule(
        paths=("metadata.name", "metadata.namespace", "spec.scopes"), source=K8S_DIFF + ": core v1 ResourceQuota .spec.scopes"),
    "kubernetes:helm.sh/v3:Release": ReplaceRule(
        paths=("name", "namespace"), source="pulumi-kubernetes @ 9497796 provider/pkg/provider/helm_release.go Diff: "
                                            "forceNewFields .name, .namespace (create-before-delete)"),
}
