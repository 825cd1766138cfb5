"""CheckpointStore: a private, encrypted, versioned S3 bucket for Flink state and Druid deep storage."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from streamplane.checkpoint.kinds import CheckpointStoreSpec, bucket_name
from streamplane.settings import StackSettings
from streamplane.spec.model import Declared

from . import TYPE_PREFIX
from .iam import job_prefix_policy, policy_json, tls_only_bucket_policy
from .kms import alias_name, encryption_key


def is_protected(spec_protect: bool | None, settings: StackSettings) -> bool:
    """An object's own `protect` wins; otherwise the stack's setting (on in prod) decides."""
    return settings.protect if spec_protect is None else spec_protect


class CheckpointStore(pulumi.ComponentResource):
    """An S3 bucket holding Flink checkpoints, savepoints and HA metadata under jobs/<job>/.

    Creates: aws.s3.Bucket; BucketVersioning (Enabled); BucketServerSideEncryptionConfiguration
    (SSE-KMS, bucket key on); BucketPublicAccessBlock (all four on); BucketOwnershipControls
    (BucketOwnerEnforced: ACLs off); BucketPolicy denying non-TLS requests;
    BucketLifecycleConfiguration (expire noncurrent versions, abort incomplete multipart uploads);
    and an aws.kms.Key with rotation (+ alias) unless spec.kmsKeyArn names one.

    Defaults: noncurrent versions expire after 30 days, multipart uploads abort after 7; `protect`
    follows the stack setting (on in prod) unless the spec sets it.
    Hazards: renaming the store or its bucketName replaces the bucket, losing every job's state
    (the plan blocks it as store.delete); shortening noncurrent expiry shortens how far you can rewind.
    """

    bucket_name: pulumi.Output[str]
    """The bucket's name."""
    bucket_arn: pulumi.Output[str]
    """The bucket's ARN."""
    kms_key_arn: pulumi.Output[str]
    """The ARN of the key that encrypts objects (the given one, or the store's own)."""
    bucket: aws.s3.Bucket
    """The bucket itself, for components that must be created after it."""

    def __init__(self, store: Declared[CheckpointStoreSpec], settings: StackSettings,
                 opts: pulumi.ResourceOptions | None = None):
        super().__init__(f"{TYPE_PREFIX}CheckpointStore", store.name, None, opts)
        self.store = store
        spec = store.spec
        name = store.name
        tags = settings.base_tags(store.owner, store.meta.labels)
        stateful = pulumi.ResourceOptions(parent=self, protect=is_protected(spec.protect, settings))
        child = pulumi.ResourceOptions(parent=self)

        key_arn: pulumi.Input[str]
        if spec.kms_key_arn:
            key_arn = spec.kms_key_arn
        else:
            key_arn = encryption_key(name, description=f"streamplane checkpoint store {name} ({settings.environment})",
                                     alias=alias_name(settings.environment, name), tags=tags,
                                     key_opts=stateful, alias_opts=child)

        bucket = aws.s3.Bucket(name, bucket=bucket_name(store, settings), force_destroy=False, tags=tags, opts=stateful)
        # Versioning, encryption, access and lifecycle are what keep the data: protected with the bucket.
        bucket_child = pulumi.ResourceOptions(parent=self, depends_on=[bucket], protect=is_protected(spec.protect, settings))
        aws.s3.BucketVersioning(
            name, bucket=bucket.id,
            versioning_configuration={"status": "Enabled"}, opts=bucket_child)
        aws.s3.BucketServerSideEncryptionConfiguration(
            name, bucket=bucket.id,
            rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": key_arn},
                    "bucket_key_enabled": True}],
            opts=bucket_child)
        public_access = aws.s3.BucketPublicAccessBlock(
            name, bucket=bucket.id, block_public_acls=True, block_public_policy=True,
            ignore_public_acls=True, restrict_public_buckets=True, opts=bucket_child)
        aws.s3.BucketOwnershipControls(
            name, bucket=bucket.id, rule={"object_ownership": "BucketOwnerEnforced"}, opts=bucket_child)
        # S3 rejects a bucket policy while the public access block is still being applied.
        aws.s3.BucketPolicy(
            name, bucket=bucket.id, policy=policy_json(tls_only_bucket_policy, bucket.arn),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[public_access], protect=is_protected(spec.protect, settings)))
        aws.s3.BucketLifecycleConfiguration(
            name, bucket=bucket.id,
            rules=[
                {"id": "expire-noncurrent-versions", "status": "Enabled", "filter": {},
                 "noncurrent_version_expiration": {"noncurrent_days": spec.noncurrent_version_expiration_days}},
                {"id": "abort-incomplete-multipart-uploads", "status": "Enabled", "filter": {},
                 "abort_incomplete_multipart_upload": {"days_after_initiation": spec.abort_incomplete_multipart_upload_days}},
            ],
            opts=bucket_child)

        self.bucket = bucket
        self.bucket_name = bucket.bucket
        self.bucket_arn = bucket.arn
        self.kms_key_arn = pulumi.Output.from_input(key_arn)
        self.register_outputs({"bucketName": self.bucket_name, "bucketArn": self.bucket_arn, "kmsKeyArn": self.kms_key_arn})

    def job_policy(self, job: str) -> pulumi.Output[str]:
        """The least-privilege IAM policy JSON for one job's prefix (jobs/<job>/) on this store."""
        return policy_json(lambda arn, key: job_prefix_policy(arn, key, job), self.bucket_arn, self.kms_key_arn)
