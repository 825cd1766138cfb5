"""s3-bucket-require-lifecycle: every S3 bucket expires noncurrent versions and aborts stale multipart uploads."""

from __future__ import annotations

from pulumi_policy import StackValidationArgs

from ..support import get, items, stack_policy
from ._s3 import LIFECYCLE_TYPES, buckets, companions

ACTIONS = {
    "noncurrentVersionExpiration": "a noncurrentVersionExpiration rule (old versions otherwise accumulate forever)",
    "abortIncompleteMultipartUpload": "an abortIncompleteMultipartUpload rule (failed uploads otherwise stay billed)",
}


def check(args: StackValidationArgs):
    for bucket in buckets(args):
        rules = [r for c in companions(args, bucket, LIFECYCLE_TYPES) for r in items(c.props, "rules")]
        enabled = [r for r in rules if get(r, "status") != "Disabled"]
        for action, why in ACTIONS.items():
            if not any(get(r, action) is not None for r in enabled):
                yield bucket.urn, (f'S3 bucket "{bucket.name}" has no enabled lifecycle {action}: add {why} '
                                   "to its BucketLifecycleConfiguration.")


POLICY = stack_policy(
    "s3-bucket-require-lifecycle",
    "S3 buckets must expire noncurrent versions and abort incomplete multipart uploads through lifecycle rules.",
    check)
