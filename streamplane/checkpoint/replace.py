"""Replace rules of the checkpoint store's S3 resources (sources: streamplane/plan/replace.py)."""

from __future__ import annotations

from ..plan.replace_rule import TF_AWS, ReplaceRule

BUCKET_PART = ReplaceRule(paths=("bucket", "expectedBucketOwner"),
                          source=TF_AWS + "s3/bucket_*.go: bucket, expected_bucket_owner ForceNew")

REPLACE_RULES: dict[str, ReplaceRule] = {
    "aws:s3/bucket:Bucket": ReplaceRule(paths=("bucket", "bucketPrefix", "objectLockEnabled"),
                                        source=TF_AWS + "s3/bucket.go: bucket, bucket_prefix, object_lock_enabled ForceNew"),
    "aws:s3/bucketV2:BucketV2": ReplaceRule(paths=("bucket", "bucketPrefix", "objectLockEnabled"),
                                            source=TF_AWS + "s3/bucket.go: bucket, bucket_prefix, object_lock_enabled ForceNew"),
    **dict.fromkeys((
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning"), BUCKET_PART),
}
