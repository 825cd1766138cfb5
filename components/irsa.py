"""IRSA identities: an IAM role only one Kubernetes service account may assume, its inline policies,
and that service account, annotated with the role."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from .iam import irsa_trust_policy

IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn"


@dataclass(frozen=True)
class IrsaIdentity:
    role: aws.iam.Role
    policies: tuple[aws.iam.RolePolicy, ...]
    service_account: k8s.core.v1.ServiceAccount


def irsa_identity(*, role_resource: str, account_resource: str, account: str, namespace: str,
                  oidc: tuple[str, str], description: str, tags: dict, labels: dict,
                  policies: Mapping[str, pulumi.Input[str]], parent: pulumi.Resource,
                  account_depends_on: Sequence[pulumi.Resource] = ()) -> IrsaIdentity:
    """`policies` maps each inline policy's resource name to its JSON document (stable names: a
    renamed policy would be replaced). `oidc` is (provider ARN, issuer URL) from stack config."""
    provider_arn, issuer = oidc
    role = aws.iam.Role(
        role_resource,
        assume_role_policy=json.dumps(irsa_trust_policy(provider_arn, issuer, namespace, account), sort_keys=True),
        description=description, tags=tags, opts=pulumi.ResourceOptions(parent=parent))
    created = tuple(aws.iam.RolePolicy(resource, role=role.id, policy=document, opts=pulumi.ResourceOptions(parent=parent))
                    for resource, document in sorted(policies.items()))
    service_account = k8s.core.v1.ServiceAccount(
        account_resource,
        metadata={"name": account, "namespace": namespace, "labels": labels,
                  "annotations": {IRSA_ROLE_ANNOTATION: role.arn}},
        opts=pulumi.ResourceOptions(parent=parent, depends_on=list(account_depends_on)))
    return IrsaIdentity(role, created, service_account)
