"""S3 resource types and the bucket -> companion lookup the S3 rules share.

Since AWS provider v6 a bucket's settings are separate resources (BucketVersioning,
BucketServerSideEncryptionConfiguration, ...) that take the bucket's id as an input, so a rule about
"a bucket" is a stack policy: it finds each bucket's companions through their dependencies.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pulumi_policy import StackValidationArgs

from ..support import dependents

BUCKET_TYPES = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")


def _companion_types(name: str) -> tuple[str, ...]:
    return (f"aws:s3/bucket{name}:Bucket{name}", f"aws:s3/bucket{name}V2:Bucket{name}V2")


SSE_TYPES = _companion_types("ServerSideEncryptionConfiguration")
VERSIONING_TYPES = _companion_types("Versioning")
PUBLIC_ACCESS_BLOCK_TYPES = ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",)
POLICY_TYPES = ("aws:s3/bucketPolicy:BucketPolicy",)
LIFECYCLE_TYPES = _companion_types("LifecycleConfiguration")


def buckets(args: StackValidationArgs) -> Iterator[Any]:
    return (r for r in args.resources if r.resource_type in BUCKET_TYPES)


def companions(args: StackValidationArgs, bucket: Any, types: tuple[str, ...]) -> list[Any]:
    """The resources of `types` configuring `bucket`."""
    return [c for t in types for c in dependents(args.resources, bucket.urn, t)]
