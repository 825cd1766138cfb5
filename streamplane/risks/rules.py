"""Risk rules that hold for any resource, and for checkpoint stores."""

from __future__ import annotations

from typing import Iterator

from ..plan.model import Change, Risk
from .catalogue import hazard

DESTRUCTIVE = ("delete", "replace")
STORE_BUCKET_TYPE = "streamplane:index:CheckpointStore$aws:s3/bucket:Bucket"


def protected_delete(change: Change) -> Iterator[Risk]:
    if change.action in DESTRUCTIVE and change.before and change.before.get("protect"):
        yield hazard("protected.delete").risk(
            f"{change.type} {change.name} is protected and would be {change.action}d: the engine will refuse "
            "and the apply fails. Unprotect it deliberately first, or undo the change.")


def store_delete(change: Change) -> Iterator[Risk]:
    if change.action in DESTRUCTIVE and STORE_BUCKET_TYPE in change.urn:
        yield hazard("store.delete").risk(
            f'checkpoint store "{change.name}" bucket would be {change.action}d: every checkpoint and savepoint '
            "on it is lost, and stateful jobs can only start empty. Keep the store's name and bucketName.")


RULES = (protected_delete, store_delete)
