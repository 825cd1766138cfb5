"""Tenancy: one Kubernetes namespace per owner (team), with its quota, limits and the Flink job role.

Tenants are isolated by namespace: a team's jobs cannot exceed its ResourceQuota, a container that
declares no size gets requests equal to limits from the LimitRange, and Flink clusters may only
manage pods and config maps inside their own namespace. User jobs and Keystone route jobs of the
same owner share one namespace, created once (`Tenancy.namespace_for`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from streamplane.quantities import parse_quantity
from streamplane.settings import MANAGED_BY_TAG, StackSettings

from .. import TYPE_PREFIX
from .settings import FlinkSettings

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


_FLINK_MEMORY = {"k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


@dataclass(frozen=True)
class Footprint:
    """What one Flink cluster holds while it runs: its job manager and ceil(parallelism / slots) task managers."""

    cpu: float
    memory: float
    pods: int

    @classmethod
    def of(cls, spec) -> Footprint:
        task_managers = math.ceil(max(spec.parallelism, 1) / spec.task_manager.slots)
        jm, tm = spec.job_manager, spec.task_manager
        memory = lambda size: int(size[:-1]) * _FLINK_MEMORY[size[-1]]  # noqa: E731
        return cls(cpu=jm.cpu + task_managers * tm.cpu, memory=memory(jm.memory) + task_managers * memory(tm.memory),
                   pods=1 + task_managers)

    def __add__(self, other: Footprint) -> Footprint:
        return Footprint(self.cpu + other.cpu, self.memory + other.memory, self.pods + other.pods)


def quota_shortfalls(total: Footprint, quota: dict) -> list[str]:
    """Each quota the owner's jobs together exceed, in the quota's own terms."""
    needs = {"requests.cpu": total.cpu, "limits.cpu": total.cpu, "requests.memory": total.memory,
             "limits.memory": total.memory, "pods": total.pods}
    out = []
    for key, need in needs.items():
        if key in quota and need > parse_quantity(quota[key]) + 1e-9:
            shown = f"{need:g} cpu" if "cpu" in key else (f"{need / 2**30:g}Gi" if "memory" in key else f"{need:g} pods")
            out.append(f"{key} is {quota[key]}, the jobs need {shown}")
    return out


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
            opts=pulumi.ResourceOptions(parent=self))
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
        """Count a job against the namespace's quota; returns what would no longer fit (nothing is reserved then).

        A job that does not fit would never get its pods scheduled, and `pulumi up` would time out
        waiting for it: better said at plan time.
        """
        total = self.reserved + footprint
        shortfalls = quota_shortfalls(total, self.quota)
        if not shortfalls:
            self.reserved = total
        return shortfalls


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
