"""Checkpoint stores: their bucket holds every job's checkpoints and savepoints."""

from __future__ import annotations

from collections.abc import Iterator

from ..plan.context import PlanContext
from ..plan.model import Change, Risk
from ..platform.rules import types
from ..risks.catalogue import hazard
from ..risks.common import DESTRUCTIVE, gone

BUCKET_TYPES = types.BUCKET_TYPES
STORE_KIND = "CheckpointStore"


def store_delete(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.action not in DESTRUCTIVE or change.type not in BUCKET_TYPES:
        return
    in_store = (change.subject and change.subject.kind == STORE_KIND) or f"{types.component(STORE_KIND)}$" in change.urn
    if not in_store:
        return
    if change.action == "delete" and change.before and change.before.get("retainOnDelete"):
        return
    name = change.subject.name if change.subject else change.name
    owner = f" (owner {change.subject.owner})" if change.subject and change.subject.owner else ""
    bucket = change.inputs("before").get("bucket") or name
    new_bucket = change.inputs("after").get("bucket")
    renamed = f' as "{new_bucket}"' if change.action == "replace" and new_bucket and new_bucket != bucket else ""
    yield hazard("store.delete").risk(
        f'checkpoint store "{name}"{owner}: bucket "{bucket}" would be {gone(change)}{renamed}: every checkpoint '
        "and savepoint on it is lost, and stateful jobs can only start empty. Keep the store's name and bucketName.")


RULES = (store_delete,)
