"""S3 resource types and the bucket -> companion lookup the S3 rules share.

Since AWS provider v6 a bucket's settings are separate resources (BucketVersioning,
BucketServerSideEncryptionConfiguration, ...) that take the bucket's id as an input, so a rule about
"a bucket" is a stack policy: it finds each bucket's companions through their dependencies.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pulumi_policy import StackValidationArgs

from streamplane.platform.rules.types import BUCKET_POLICY, BUCKET_PUBLIC_ACCESS_BLOCK, BUCKET_TYPES, bucket_part_types

from ..support import dependents

SSE_TYPES = bucket_part_types("ServerSideEncryptionConfiguration")
VERSIONING_TYPES = bucket_part_types("Versioning")
PUBLIC_ACCESS_BLOCK_TYPES = (BUCKET_PUBLIC_ACCESS_BLOCK,)
POLICY_TYPES = (BUCKET_POLICY,)
LIFECYCLE_TYPES = bucket_part_types("LifecycleConfiguration")


def buckets(args: StackValidationArgs) -> Iterator[Any]:
    return (r for r in args.resources if r.resource_type in BUCKET_TYPES)


def companions(args: StackValidationArgs, bucket: Any, types: tuple[str, ...]) -> list[Any]:
    """The resources of `types` configuring `bucket`."""
    return [c for t in types for c in dependents(args.resources, bucket.urn, t)]
