"""DruidCluster: a druid-operator `Druid` resource with S3 deep storage reached through IRSA."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from streamplane.druid.kinds.cluster import DruidClusterSpec, namespace_of
from streamplane.settings import StackSettings
from streamplane.spec.model import Declared

from .. import TYPE_PREFIX
from ..checkpoint import CheckpointStore, bucket_name
from ..iam import policy_json, prefix_access_policy
from ..irsa import irsa_identity
from ..labels import object_labels
from .cluster_body import API_VERSION, KIND, deep_storage_prefix, druid_spec

# Kubernetes discovery (druid-kubernetes-extensions): each node announces itself by labelling its own
# pod and watches the others' pods.
# Wire (camelCase) names, as in `pulumi stack export`; the SDK passes them through, its TypedDicts spell them snake_case.
DISCOVERY_RULES: list[Any] = [
    {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch", "patch"]},
    {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "watch", "create", "update", "patch", "delete"]},
]


def service_account_name(cluster: str) -> str:
    return f"druid-{cluster}"


def kubernetes_labels(cluster: Declared, settings: StackSettings) -> dict[str, str]:
    return object_labels(cluster, settings.environment, app="druid", instance=cluster.name)


class DruidCluster(pulumi.ComponentResource):
    """A Druid cluster on Kubernetes, run by the druid-operator.

    Creates: aws.iam.Role (IRSA, trusted by the cluster's service account only) + RolePolicy limited to
    druid/<cluster>/ on the deep storage store; kubernetes ServiceAccount annotated with the role;
    Role + RoleBinding for Kubernetes node discovery (when no ZooKeeper is declared); and the `Druid`
    custom resource with brokers (cache off), coordinators, overlords, middle managers, routers and
    one historical node group per tier (cache on).

    Hazards: changing deepStorage or the namespace points the cluster at empty state; removing a tier
    drops its historicals, and load rules naming it leave segments under-replicated.
    """

    namespace: str
    """The Kubernetes namespace of the Druid resource (its DruidIngestions go there too)."""
    druid_name: str
    """The Druid resource's name, which DruidIngestions reference."""
    role_arn: pulumi.Output[str]
    """The IRSA role's ARN (deep storage access)."""

    def __init__(self, cluster: Declared[DruidClusterSpec], settings: StackSettings, store: CheckpointStore,
                 kubernetes: dict, task_env: tuple[dict, ...] = (),
                 task_volumes: tuple[tuple[dict, dict], ...] = (), opts: pulumi.ResourceOptions | None = None):
        super().__init__(f"{TYPE_PREFIX}DruidCluster", cluster.name, None, opts)
        name = cluster.name
        self.namespace = namespace_of(cluster)
        self.druid_name = name
        sa_name = service_account_name(name)
        labels = kubernetes_labels(cluster, settings)
        child = pulumi.ResourceOptions(parent=self)

        prefix = deep_storage_prefix(name)
        identity = irsa_identity(
            role_resource=f"{name}-deep-storage", account_resource=name, account=sa_name, namespace=self.namespace,
            oidc=(kubernetes["oidcProviderArn"], kubernetes["oidcIssuerUrl"]),
            description=f"Druid cluster {name} ({settings.environment}): deep storage on {store.store.name}",
            tags=settings.base_tags(cluster.owner, cluster.meta.labels), labels=labels,
            policies={f"{name}-deep-storage": policy_json(lambda arn, key: prefix_access_policy(arn, key, prefix),
                                                           store.bucket_arn, store.kms_key_arn)},
            parent=self)
        role, account = identity.role, identity.service_account
        # Deep storage must exist before the cluster writes segments to it.
        depends = [account, store.bucket]
        if not cluster.spec.zookeeper:
            discovery = k8s.rbac.v1.Role(
                f"{name}-discovery", metadata={"name": f"{sa_name}-discovery", "namespace": self.namespace, "labels": labels},
                rules=DISCOVERY_RULES, opts=child)
            depends.append(k8s.rbac.v1.RoleBinding(  # type: ignore[call-overload]  # wire names (roleRef.apiGroup)
                f"{name}-discovery", metadata={"name": f"{sa_name}-discovery", "namespace": self.namespace, "labels": labels},
                role_ref={"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": discovery.metadata["name"]},
                subjects=[{"kind": "ServiceAccount", "name": sa_name, "namespace": self.namespace}], opts=child))

        self.druid = k8s.apiextensions.CustomResource(
            name, api_version=API_VERSION, kind=KIND,
            metadata={"name": name, "namespace": self.namespace, "labels": labels},
            # The bucket name is known from the spec: the CR stays reviewable field by field in a preview.
            spec=druid_spec(cluster, bucket_name(store.store, settings), sa_name, labels, task_env, task_volumes),
            opts=pulumi.ResourceOptions(parent=self, depends_on=depends, protect=settings.protect))

        self.role_arn = role.arn
        self.register_outputs({"namespace": self.namespace, "druidName": self.druid_name, "roleArn": self.role_arn})
