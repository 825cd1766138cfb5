"""flink-deployment-require-state-dirs-on-store: checkpoint, savepoint and HA dirs live on a platform checkpoint store."""

from __future__ import annotations

import re

from pulumi_policy import EnforcementLevel, PolicyConfigSchema, StackValidationArgs

from streamplane.flink.rules import CHECKPOINT_DIR_KEYS
from streamplane.platform.rules.types import CHECKPOINT_STORE_COMPONENT

from ..support import config, get, stack_policy
from ._flink import (
    FLINK_DEPLOYMENT,
    HA_DIR_KEYS,
    SAVEPOINT_DIR_KEYS,
    flink_conf,
    is_stateful,
    job_label,
)
from ._s3 import BUCKET_TYPES

STORE_TYPE = CHECKPOINT_STORE_COMPONENT
S3_URI = re.compile(r"^s3[ap]?://([^/]+)(/.*)?$")


def store_buckets(args: StackValidationArgs) -> set[str]:
    """Bucket names of the stack's CheckpointStores (known at preview: the store names them)."""
    return {get(r.props, "bucket") for r in args.resources
            if r.resource_type in BUCKET_TYPES and r.parent is not None and r.parent.resource_type == STORE_TYPE
            and isinstance(get(r.props, "bucket"), str)}


def check(args: StackValidationArgs):
    buckets = store_buckets(args) | set(config(args, "extraBuckets", []))
    where = ", ".join(sorted(buckets)) or "none in this stack"
    for resource in args.resources:
        if resource.resource_type != FLINK_DEPLOYMENT:
            continue
        job = job_label(resource)
        dirs = {"checkpoint": flink_conf(resource.props, *CHECKPOINT_DIR_KEYS),
                "savepoint": flink_conf(resource.props, *SAVEPOINT_DIR_KEYS),
                "high-availability storage": flink_conf(resource.props, *HA_DIR_KEYS)}
        for what, uri in dirs.items():
            if uri is None:
                if is_stateful(resource.props) and what != "high-availability storage":
                    yield resource.urn, (f'Flink job "{job}" is stateful but sets no {what} dir: set it to '
                                         f"s3://<checkpoint store>/jobs/{job}/ (stores: {where}).")
                continue
            if not isinstance(uri, str):
                continue
            match = S3_URI.fullmatch(uri)
            if not match or match.group(1) not in buckets:
                yield resource.urn, (f'Flink job "{job}" keeps its {what} dir at {uri}, not on a platform checkpoint '
                                     f"store: use s3://<store bucket>/jobs/{job}/ (stores: {where}).")


POLICY = stack_policy(
    "flink-deployment-require-state-dirs-on-store",
    "Flink checkpoint, savepoint and HA dirs must be on a platform checkpoint store (S3, versioned, encrypted).",
    check, EnforcementLevel.MANDATORY,
    config_schema=PolicyConfigSchema({"extraBuckets": {
        "type": "array", "items": {"type": "string"}, "default": [],
        "description": "Buckets outside this stack that also count as platform checkpoint stores."}}))
