"""Plan-context facts of the flink domain: whether the job behind a FlinkDeployment keeps state, and
where a flat Flink configuration keeps its checkpoints."""

from __future__ import annotations

from ..plan.context import PlanContext, flatten_config
from ..plan.model import Change
from .rules import CHECKPOINT_DIR_KEYS, STATEFUL_UPGRADE_MODES


def checkpoint_dir(config: dict[str, object]) -> object | None:
    """The checkpoint directory a flat Flink configuration names, under either spelling."""
    return next((config[key] for key in CHECKPOINT_DIR_KEYS if config.get(key)), None)


def job_is_stateful(ctx: PlanContext, change: Change) -> bool | None:
    """Whether the job behind a FlinkDeployment keeps state. Evidence in order: the FlinkJob spec
    (`stateful`, else its upgradeMode); a Route is a stateless router; else the deployment that
    runs now (an upgradeMode that keeps state, or a checkpoint dir). None: unknown."""
    subject = change.subject
    if subject and subject.kind == "Route":
        return False
    if subject and subject.kind == "FlinkJob":
        declared = ctx.spec_object("FlinkJob", subject.name, "base") or ctx.spec_object("FlinkJob", subject.name)
        if declared is not None:
            stateful = getattr(declared.spec, "stateful", None)
            if isinstance(stateful, bool):
                return stateful
            mode = getattr(declared.spec, "upgrade_mode", None)
            if isinstance(mode, str):
                return mode in STATEFUL_UPGRADE_MODES
    running = change.inputs("before") or change.inputs("after")
    spec = running.get("spec") or {}
    if (spec.get("job") or {}).get("upgradeMode") in STATEFUL_UPGRADE_MODES:
        return True
    config = flatten_config(spec.get("flinkConfiguration"))
    if any(config.get(key) for key in CHECKPOINT_DIR_KEYS):
        return True
    return None


FACTS = (job_is_stateful,)
