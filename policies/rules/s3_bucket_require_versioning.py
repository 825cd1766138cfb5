"""s3-bucket-require-versioning: every S3 bucket keeps object versions, so an overwrite or delete can be undone."""

from __future__ import annotations

from pulumi_policy import StackValidationArgs

from ..support import get, is_unknown, stack_policy
from ._s3 import VERSIONING_TYPES, buckets, companions


def check(args: StackValidationArgs):
    for bucket in buckets(args):
        statuses = [get(v.props, "versioningConfiguration", "status") for v in companions(args, bucket, VERSIONING_TYPES)]
        if get(bucket.props, "versioning", "enabled") is True:
            statuses.append("Enabled")
        if not any(s == "Enabled" or is_unknown(s) for s in statuses):
            yield bucket.urn, (f'S3 bucket "{bucket.name}" is not versioned: add a BucketVersioning with '
                               'versioningConfiguration.status "Enabled".')


POLICY = stack_policy(
    "s3-bucket-require-versioning",
    "S3 buckets must have versioning enabled so overwritten or deleted objects can be recovered.",
    check)
