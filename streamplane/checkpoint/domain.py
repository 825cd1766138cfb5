"""The checkpoint domain's declaration (streamplane/manifest.py): its component is components/checkpoint.py."""

from __future__ import annotations

from ..manifest import Domain, Kind

CHECKPOINT = Domain(
    name="checkpoint",
    kinds=(Kind("CheckpointStore", "kinds", "checkpoint-store.json", shape=('[("', '")]'), platform_scoped=True),),
    risk_rules=("risks",),
    hazard_kinds=(("store", ("CheckpointStore",)),),
    replace="replace",
    policies=("s3_bucket_require_sse_kms", "s3_bucket_require_public_access_block", "s3_bucket_require_versioning",
              "s3_bucket_require_tls_only_policy", "s3_bucket_require_lifecycle"),
)
