"""The router FlinkJob of a Keystone route, as a pure function of the route spec (no Pulumi needed):
the checks size it against its owner's quota, components/routing builds it."""

from __future__ import annotations

from ..flink.kinds import FLINK_VERSION, Checkpointing, FlinkJobSpec, TaskManagerResources
from ..spec.model import Declared, ObjectMeta
from .kinds import RouteSpec, router_name

ROUTER_FLINK_VERSION = FLINK_VERSION
ROUTER_JAR_URI = "local:///opt/flink/usrlib/router.jar"
ROUTER_ENTRY_CLASS = "io.streamplane.router.RouterJob"
ROUTER_TASK_MANAGER_CPU = 1.0
ROUTER_TASK_MANAGER_MEMORY = "2048m"
ROUTER_TASK_SLOTS = 4
ROUTE_LABEL = "streamplane.io/route"

# delivery -> (checkpoint interval, checkpointing and sink commit mode). The delivery value is also the
# stateless job's redeploy knob (FlinkJob: latency -> last-state, no-duplicates -> savepoint).
DELIVERY_SETTINGS: dict[str, tuple[str, str]] = {
    # Short checkpoints bound the replay after a failure; redeploys restart from the last checkpoint
    # (upgradeMode last-state) without waiting for a savepoint; sinks flush on checkpoints only.
    "latency": ("10s", "at-least-once"),
    # Sinks commit transactionally on checkpoints (readers see data once the checkpoint completes,
    # hence the longer interval); redeploys stop with a savepoint (upgradeMode savepoint).
    "no-duplicates": ("60s", "exactly-once"),
}


def router_job(route: Declared[RouteSpec], source_partitions: int) -> Declared[FlinkJobSpec]:
    """The router FlinkJob of a route: stateless, on the route's checkpoint store, in the route owner's namespace."""
    spec = route.spec
    interval, mode = DELIVERY_SETTINGS[spec.delivery]
    job_spec = FlinkJobSpec(
        state="stateless",
        image=spec.router_image,
        flink_version=ROUTER_FLINK_VERSION,
        jar_uri=ROUTER_JAR_URI,
        entry_class=ROUTER_ENTRY_CLASS,
        parallelism=spec.parallelism or source_partitions,
        checkpoint_store=spec.checkpoint_store,
        redeploy=spec.delivery,
        acknowledge=spec.acknowledge,  # the router's FlinkDeployment carries the route's acknowledgements
        checkpointing=Checkpointing(interval=interval, mode=mode),
        task_manager=TaskManagerResources(cpu=ROUTER_TASK_MANAGER_CPU, memory=ROUTER_TASK_MANAGER_MEMORY,
                                          slots=ROUTER_TASK_SLOTS),
    )
    labels = {**route.meta.labels, ROUTE_LABEL: route.name}
    meta = ObjectMeta(name=router_name(route.name), owner=route.owner, labels=labels,
                      description=f"Router of route {route.name}")
    return Declared(kind="FlinkJob", meta=meta, spec=job_spec, source=route.source)
