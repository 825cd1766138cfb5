"""s3-bucket-require-sse-kms: every S3 bucket encrypts objects at rest with a KMS key (SSE-KMS)."""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, StackValidationArgs

from ..support import get, items, stack_policy
from ._s3 import SSE_TYPES, buckets, companions

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
FIX = ("add a BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms and kmsMasterKeyId "
       "set to a customer-managed key (a CheckpointStore does this)")


def _algorithms(rules) -> list:
    return [get(rule, "applyServerSideEncryptionByDefault") for rule in rules]


def check(args: StackValidationArgs):
    for bucket in buckets(args):
        configs = companions(args, bucket, SSE_TYPES)
        defaults = [d for c in configs for d in _algorithms(items(c.props, "rules"))]
        defaults += _algorithms(items(bucket.props, "serverSideEncryptionConfiguration", "rules"))
        if not defaults:
            yield bucket.urn, f'S3 bucket "{bucket.name}" has no server-side encryption configuration: {FIX}.'
            continue
        for default in defaults:
            algorithm = get(default, "sseAlgorithm")
            if algorithm not in KMS_ALGORITHMS:
                yield bucket.urn, (f'S3 bucket "{bucket.name}" is encrypted with sseAlgorithm {algorithm!r}, not SSE-KMS: '
                                   "set sseAlgorithm to aws:kms with a customer-managed kmsMasterKeyId.")
            elif get(default, "kmsMasterKeyId") is None:
                yield bucket.urn, (f'S3 bucket "{bucket.name}" uses SSE-KMS without kmsMasterKeyId (the AWS-managed '
                                   "aws/s3 key): set kmsMasterKeyId to a customer-managed key.")


POLICY = stack_policy(
    "s3-bucket-require-sse-kms",
    "S3 buckets must encrypt objects at rest with SSE-KMS under a customer-managed key.",
    check, EnforcementLevel.MANDATORY)
