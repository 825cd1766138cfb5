"""Tenancy: one Kubernetes namespace per owner (team), with its quota, limits and the Flink job role.

Tenants are isolated by namespace: a team's jobs cannot exceed its ResourceQuota, a container that
declares no size gets requests equal to limits from the LimitRange, and Flink clusters may only
manage pods and config maps inside their own namespace. User jobs and Keystone route jobs of the
same owner share one namespace, created once (`Tenancy.namespace_for`).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from streamplane.flink.footprint import Footprint, quota_shortfalls
from streamplane.flink.settings import FlinkSettings
from streamplane.settings import MANAGED_BY_TAG, StackSettings

from .. import TYPE_PREFIX

# Containers that declare no resources get this, as request and limit alike.
DEFAULT_CONTAINER_CPU = "500m"
DEFAULT_CONTAINER_MEMORY = "512Mi"
# Named as the operator's Helm chart names its job role, so operator docs apply unchanged.
FLINK_JOB_ROLE = "flink"
# What a Flink job manager does in native Kubernetes mode: create and delete its task manager pods,
# keep HA leader and checkpoint pointers in config maps, and own its deployment for cleanup.
# Wire (camelCase) names, as in `pulumi stack export`; the SDK passes them through, its TypedDicts spell them snake_case.
FLINK_JOB_RULES: list[Any] = [
    {"apiGroups": [""], "resources": ["pods", "configmaps"],
     "verbs": ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]},
    {"apiGroups": ["apps"], "resources": ["deployments", "deployments/finalizers"],
     "verbs": ["get", "list", "watch", "create", "update", "patch", "delete"]},
]


def namespace_labels(owner: str, environment: str) -> dict[str, str]:
    return {
        "streamplane.io/owner": owner,
        "streamplane.io/environment": environment,
        "app.kubernetes.io/managed-by": MANAGED_BY_TAG,
        # Flink pods from this platform meet the restricted profile; warn (not block) on others.
        "pod-security.kubernetes.io/enforce": "baseline",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
    }


class TenantNamespace(pulumi.ComponentResource):
    """One owner's namespace.

    Creates: core/v1 Namespace (named after the owner, labelled); ResourceQuota (stack default from
    streamplane:tenancy.quota, per-owner overrides); LimitRange (default container requests = limits);
    rbac/v1 Role `flink` for the job managers of the namespace's Flink clusters.
    """

    name: str
    """The namespace's name (known at construction: the owner)."""
    job_role: k8s.rbac.v1.Role
    """The Role each job's service account is bound to."""

    def __init__(self, owner: str, settings: StackSettings, flink: FlinkSettings,
                 opts: pulumi.ResourceOptions | None = None):
        super().__init__(f"{TYPE_PREFIX}TenantNamespace", owner, None, opts)
        self.name = owner
        self.quota = flink.quota_for(owner)
        self.reserved = Footprint(0, 0, 0)
        """What the jobs placed so far need, together (a running total: checking a job is O(1))."""
        self.namespace = k8s.core.v1.Namespace(
            owner, metadata={"name": owner, "labels": namespace_labels(owner, settings.environment)},
            # Deleting a Namespace deletes everything in it (Secrets made outside the tool too).
            opts=pulumi.ResourceOptions(parent=self, protect=settings.protect))
        inside = pulumi.ResourceOptions(parent=self, depends_on=[self.namespace])
        k8s.core.v1.ResourceQuota(
            owner, metadata={"name": "tenant-quota", "namespace": owner},
            spec={"hard": self.quota}, opts=inside)
        size: dict[str, pulumi.Input[str]] = {"cpu": DEFAULT_CONTAINER_CPU, "memory": DEFAULT_CONTAINER_MEMORY}
        k8s.core.v1.LimitRange(  # type: ignore[call-overload]  # wire names (defaultRequest)
            owner, metadata={"name": "tenant-defaults", "namespace": owner},
            spec={"limits": [{"type": "Container", "default": dict(size), "defaultRequest": dict(size)}]},
            opts=inside)
        self.job_role = k8s.rbac.v1.Role(
            f"{owner}-flink", metadata={"name": FLINK_JOB_ROLE, "namespace": owner}, rules=FLINK_JOB_RULES,
            opts=inside)
        self.register_outputs({"name": owner})

    def reserve(self, footprint: Footprint) -> list[str]:
        """Count a job against the namespace's quota; returns what no longer fits. The check phase
        (streamplane.flink.checks) already verified the owner's total, so for checked input this is empty."""
        self.reserved = self.reserved + footprint
        return quota_shortfalls(self.reserved, self.quota)


class Tenancy:
    """The per-owner namespace registry of a stack: `namespace_for(owner)` creates each one once."""

    def __init__(self, settings: StackSettings, flink: FlinkSettings):
        self.settings = settings
        self.flink = flink
        self.namespaces: dict[str, TenantNamespace] = {}

    def namespace_for(self, owner: str) -> TenantNamespace:
        if owner not in self.namespaces:
            self.namespaces[owner] = TenantNamespace(owner, self.settings, self.flink)
        return self.namespaces[owner]
