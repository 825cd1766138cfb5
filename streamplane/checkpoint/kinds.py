"""CheckpointStore: an S3 bucket for Flink state (checkpoints, savepoints, HA metadata) and Druid deep storage."""

from __future__ import annotations

from dataclasses import dataclass

from ..settings import StackSettings
from ..spec.model import Acknowledgement, Declared, KindDef

KIND = "CheckpointStore"
JOBS_PREFIX = "jobs"


def job_prefix(job: str) -> str:
    """The key prefix one job owns on a checkpoint store: jobs/<job>/ (checkpoints, savepoints, HA)."""
    return f"{JOBS_PREFIX}/{job}/"

DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 30
DEFAULT_ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS = 7


@dataclass(frozen=True)
class CheckpointStoreSpec:
    """spec of a CheckpointStore. Omitted fields take the defaults named in schemas/checkpoint-store.json."""

    bucket_name: str | None = None
    """None: <bucketPrefix>-<environment>-<name>."""
    kms_key_arn: str | None = None
    """None: the store creates its own KMS key with rotation on."""
    noncurrent_version_expiration_days: int = DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS
    abort_incomplete_multipart_upload_days: int = DEFAULT_ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS
    protect: bool | None = None
    """None: the stack's streamplane:protect setting decides."""
    acknowledge: tuple[Acknowledgement, ...] = ()
    """Risks of this object accepted on purpose, until their expiry (see streamplane.risks.leveled)."""


KIND_DEF = KindDef(kind=KIND, spec_class=CheckpointStoreSpec)


def bucket_name(store: Declared[CheckpointStoreSpec], settings: StackSettings) -> str:
    """The store's bucket name: spec.bucketName, else <bucketPrefix>-<environment>-<store name>."""
    return store.spec.bucket_name or f"{settings.bucket_prefix}-{settings.environment}-{store.name}"
