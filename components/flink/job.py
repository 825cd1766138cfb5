"""FlinkJob: one job on its own Flink cluster, in its owner's namespace, with its own IAM identity."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import pulumi
import pulumi_kubernetes as k8s

from streamplane.flink.configuration import backfill_configuration
from streamplane.flink.footprint import Footprint
from streamplane.flink.kinds import FlinkJobSpec, managed_key_owner
from streamplane.flink.settings import FlinkSettings
from streamplane.settings import StackSettings
from streamplane.spec.model import Declared

from .. import TYPE_PREFIX
from ..checkpoint import CheckpointStore, bucket_name, is_protected
from .deployment import flink_deployment, labels
from .identity import create_identity, s3_read_policy
from .operator import FlinkOperator
from .tenancy import Tenancy

FLINK_DEPLOYMENT_TYPE = "kubernetes:flink.apache.org/v1beta1:FlinkDeployment"


def _require_contract(job: Declared[FlinkJobSpec], store: CheckpointStore | None,
                      platform_configuration: Mapping[str, object]) -> None:
    """What the code building a job must get right (no spec can cause it): the store the spec names,
    and platform configuration that leaves the keys the job's own settings manage alone."""
    given = store.store.name if store is not None else None
    if job.spec.checkpoint_store != given:
        raise ValueError(f'FlinkJob "{job.name}" names checkpoint store {job.spec.checkpoint_store!r} '
                         f"but was given {given!r}")
    reserved = backfill_configuration(job.spec)
    clashes = [key for key in sorted(platform_configuration)
               if key in reserved or managed_key_owner(key, include_job_prefix=False) is not None]
    if clashes:
        raise ValueError(f'FlinkJob "{job.name}": platform configuration would override managed keys: '
                         + ", ".join(clashes))


def named_policies(extra_policies: Mapping[str, pulumi.Input[str]] | Sequence[pulumi.Input[str]] | None) -> dict:
    """Extra policy documents by the name their RolePolicy gets (`<job>-<name>`).

    A mapping gives stable names; a plain sequence is accepted for convenience and named `extra-<i>`,
    so reordering it renames (replaces) those policies: pass a mapping when there are several.
    """
    if not extra_policies:
        return {}
    if isinstance(extra_policies, Mapping):
        return dict(extra_policies)
    return {f"extra-{index}": policy for index, policy in enumerate(extra_policies)}


class FlinkJob(pulumi.ComponentResource):
    """One Flink job cluster.

    Creates: a FlinkDeployment (application mode, Flink Kubernetes Operator) named after the job in
    its owner's namespace; the job's IRSA identity (aws.iam.Role trusted by its service account only,
    inline RolePolicy `<job>-checkpoint-store` for jobs/<job>/ on its store, one RolePolicy per extra
    policy, `<job>-backfill-source` read-only while an S3 backfill is active; core/v1 ServiceAccount;
    rbac/v1 RoleBinding to the namespace's `flink` Role). The namespace comes from `tenancy`, shared
    with every other job of the owner.

    Defaults: see docs/flink.md. Hazards: deleting or renaming the job, or changing its owner,
    replaces the FlinkDeployment (savepoint-on-deletion keeps a final savepoint); a stateful job's
    FlinkDeployment is protected when the stack protects stateful resources.
    """

    namespace: str
    """The owner's namespace the job runs in."""
    service_account: str
    """The job's service account name."""
    role_arn: pulumi.Output[str]
    """The ARN of the job's IAM role."""
    deployment: k8s.apiextensions.CustomResource
    """The FlinkDeployment custom resource."""

    def __init__(self, job: Declared[FlinkJobSpec], store: CheckpointStore | None, settings: StackSettings,
                 tenancy: Tenancy, *, flink: FlinkSettings | None = None,
                 extra_policies: Mapping[str, pulumi.Input[str]] | Sequence[pulumi.Input[str]] | None = None,
                 platform_configuration: Mapping[str, object] | None = None,
                 operator: FlinkOperator | None = None, opts: pulumi.ResourceOptions | None = None):
        super().__init__(f"{TYPE_PREFIX}FlinkJob", job.name, None, opts)
        flink = flink or tenancy.flink
        platform_configuration = dict(platform_configuration or {})
        _require_contract(job, store, platform_configuration)
        # The job's own rules, its restore savepoint, OIDC and the owner's quota total were checked by
        # the check phase (streamplane.checks.flink, router jobs included) before any component.
        oidc = flink.oidc()
        spec = job.spec
        name = job.name
        tenant = tenancy.namespace_for(job.owner)
        tenant.reserve(Footprint.of(spec))
        job_labels = labels(job, settings.environment)

        policies: dict[str, pulumi.Input[str]] = named_policies(extra_policies)
        if spec.backfill is not None and spec.backfill.active and spec.backfill.source.type == "s3" \
                and spec.backfill.source.path is not None:
            policies["backfill-source"] = json.dumps(
                s3_read_policy(spec.backfill.source.path, spec.backfill.source.kms_key_arn), sort_keys=True)
        if spec.migrate_from is not None:
            old_prefix = spec.migrate_from.savepoint.rsplit("/", 1)[0] + "/"
            policies["migration-source"] = json.dumps(s3_read_policy(old_prefix), sort_keys=True)
        identity = create_identity(
            name, tenant, store, oidc=oidc, tags=settings.base_tags(job.owner, job.meta.labels),
            labels=job_labels, policies=policies, parent=self)

        body = flink_deployment(
            job, namespace=tenant.name, service_account=identity.service_account,
            bucket=bucket_name(store.store, settings) if store is not None else None,
            environment=settings.environment, platform_configuration=platform_configuration)
        depends: list[pulumi.Resource] = [tenant, *identity.resources]
        if operator is not None:
            depends.append(operator)
        self.deployment = k8s.apiextensions.CustomResource(
            name, api_version=body["apiVersion"], kind=body["kind"], metadata=body["metadata"], spec=body["spec"],
            # A declared migration replaces delete-first: the old job's savepoint-on-deletion writes the
            # final savepoint before the new one starts from migrateFrom.
            opts=pulumi.ResourceOptions(parent=self, depends_on=depends,
                                        delete_before_replace=spec.migrate_from is not None,
                                        protect=spec.stateful and is_protected(None, settings)))

        self.namespace = tenant.name
        self.service_account = identity.service_account
        self.role_arn = identity.role.arn
        self.register_outputs({"namespace": self.namespace, "serviceAccount": self.service_account,
                               "roleArn": self.role_arn})
