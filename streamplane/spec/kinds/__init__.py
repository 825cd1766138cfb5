"""Every spec kind the platform understands, keyed by `kind`. Add a kind here and in schemas/."""

from __future__ import annotations

from ..model import KindDef
from . import checkpoint_store, druid_cluster, druid_datasource, flink_job, kafka_cluster, route, stream

KINDS: dict[str, KindDef] = {k.kind: k for k in (
    checkpoint_store.KIND_DEF,
    druid_cluster.KIND_DEF,
    druid_datasource.KIND_DEF,
    flink_job.KIND_DEF,
    kafka_cluster.KIND_DEF,
    stream.KIND_DEF,
    route.KIND_DEF,
)}
