"""Identity of one Flink job: a Kubernetes service account bound, through IRSA, to an IAM role that may
only use the job's own prefix on its checkpoint store (plus what platform code adds explicitly)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from ..checkpoint import CheckpointStore
from ..iam import S3_VIA_SERVICE
from ..irsa import irsa_identity
from .tenancy import FLINK_JOB_ROLE, TenantNamespace


def s3_read_policy(uri: str, kms_key_arn: str | None = None) -> dict:
    """Read-only access to one S3 prefix (a backfill source): list under it and get objects, nothing else.

    Objects under SSE-KMS can only be read by a caller that may also kms:Decrypt with their key (S3
    asks KMS on the caller's behalf), so a source that names its key gets Decrypt on that key alone,
    and only through S3 (kms:ViaService), as the store key is granted in components/iam.py.
    """
    bucket, _, prefix = uri.removeprefix("s3://").partition("/")
    bucket_arn = f"arn:aws:s3:::{bucket}"
    statements: list[dict] = [
        {"Sid": "ListSourcePrefix", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [bucket_arn],
         "Condition": {"StringLike": {"s3:prefix": [prefix, f"{prefix}*"]}}},
        {"Sid": "ReadSourcePrefix", "Effect": "Allow", "Action": ["s3:GetObject"],
         "Resource": [f"{bucket_arn}/{prefix}*"]},
    ]
    if kms_key_arn:
        statements.append({"Sid": "DecryptSourceThroughS3", "Effect": "Allow", "Action": ["kms:Decrypt"],
                           "Resource": [kms_key_arn], "Condition": {"StringLike": {"kms:ViaService": S3_VIA_SERVICE}}})
    return {"Version": "2012-10-17", "Statement": statements}


@dataclass(frozen=True)
class JobIdentity:
    service_account: str
    """The service account's name in the owner's namespace."""
    role: aws.iam.Role
    resources: tuple[pulumi.Resource, ...]
    """Everything that must exist before the job starts (role, policies, service account, binding)."""


def create_identity(name: str, tenant: TenantNamespace, store: CheckpointStore | None, *, oidc: tuple[str, str],
                    tags: dict, labels: dict[str, str], policies: Mapping[str, pulumi.Input[str]],
                    parent: pulumi.Resource) -> JobIdentity:
    """The IRSA service account, its IAM role and inline policies, and its binding to the namespace's Flink role.

    `policies` are extra inline policy documents keyed by a stable name (`<name>-<key>`), e.g. a route's
    sink prefix; the store policy (`<name>-checkpoint-store`) is always the job's own prefix only.
    """
    namespace = tenant.name
    documents: dict[str, pulumi.Input[str]] = {}
    if store is not None:
        documents["checkpoint-store"] = store.job_policy(name)
    documents.update(policies)
    identity = irsa_identity(
        role_resource=name, account_resource=name, account=name, namespace=namespace, oidc=oidc,
        description=f"Flink job {name} ({namespace}): its checkpoint store prefix only", tags=tags, labels=labels,
        policies={f"{name}-{key}": doc for key, doc in documents.items()}, parent=parent,
        account_depends_on=[tenant.namespace])
    service_account, role = identity.service_account, identity.role
    binding = k8s.rbac.v1.RoleBinding(  # type: ignore[call-overload]  # wire names (roleRef.apiGroup)
        name,
        metadata={"name": f"{name}-flink", "namespace": namespace, "labels": labels},
        role_ref={"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": FLINK_JOB_ROLE},
        subjects=[{"kind": "ServiceAccount", "name": name, "namespace": namespace}],
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[tenant.job_role, service_account]))
    return JobIdentity(service_account=name, role=role,
                       resources=(role, *identity.policies, service_account, binding))
