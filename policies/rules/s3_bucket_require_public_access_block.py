"""s3-bucket-require-public-access-block: every S3 bucket blocks public ACLs and policies (all four switches on)."""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, StackValidationArgs

from ..support import get, is_unknown, stack_policy
from ._s3 import PUBLIC_ACCESS_BLOCK_TYPES, buckets, companions

SWITCHES = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def check(args: StackValidationArgs):
    for bucket in buckets(args):
        blocks = companions(args, bucket, PUBLIC_ACCESS_BLOCK_TYPES)
        if not blocks:
            yield bucket.urn, (f'S3 bucket "{bucket.name}" has no public access block: add a BucketPublicAccessBlock '
                               f"with {', '.join(SWITCHES)} all true.")
            continue
        for block in blocks:
            off = [s for s in SWITCHES if not (get(block.props, s) is True or is_unknown(get(block.props, s)))]
            if off:
                yield bucket.urn, (f'S3 bucket "{bucket.name}" public access block leaves {", ".join(off)} off: '
                                   "set all four switches to true.")


POLICY = stack_policy(
    "s3-bucket-require-public-access-block",
    "S3 buckets must block public access with all four public access block switches on.",
    check, EnforcementLevel.MANDATORY)
