"""What a change to a FlinkDeployment does to the running job, for the review engine's risk rules.

A pure function of the before/after inputs of one FlinkDeployment (as in the synth graph or a
`pulumi preview`), returning hazards by catalogue code (streamplane/risks/catalogue.py):
flink.state-dropped (danger) and flink.restart (warn). The rules in streamplane/risks/ decide how to
present them; this module only knows Flink.
"""

from __future__ import annotations

from dataclasses import dataclass

STATE_DROPPED = "flink.state-dropped"
RESTART = "flink.restart"
STATE_LOCATION_KEYS = ("state.checkpoints.dir", "state.savepoints.dir", "high-availability.storageDir")


@dataclass(frozen=True)
class Hazard:
    code: str
    message: str


def _conf(inputs: dict) -> dict:
    return (inputs.get("spec") or {}).get("flinkConfiguration") or {}


def _job(inputs: dict) -> dict:
    return (inputs.get("spec") or {}).get("job") or {}


def deployment_hazards(before: dict, after: dict) -> list[Hazard]:
    """Hazards of updating a FlinkDeployment from `before` to `after` inputs (both dicts with a spec)."""
    name = (after.get("metadata") or {}).get("name", "?")
    conf_before, conf_after = _conf(before), _conf(after)
    job_before, job_after = _job(before), _job(after)
    found: list[Hazard] = []
    had_state = bool(conf_before.get("state.checkpoints.dir"))

    if had_state and job_after.get("upgradeMode") == "stateless" and job_before.get("upgradeMode") != "stateless":
        found.append(Hazard(STATE_DROPPED, f"{name}: upgradeMode becomes stateless, so this redeploy starts the job "
                            "from empty state (onRedeploy: start-fresh or a stateless job without checkpoints)."))
    mp_before, mp_after = conf_before.get("pipeline.max-parallelism"), conf_after.get("pipeline.max-parallelism")
    if had_state and mp_before != mp_after:
        found.append(Hazard(STATE_DROPPED, f"{name}: maxParallelism changes from {mp_before or 'derived'} to "
                            f"{mp_after or 'derived'}: existing keyed state cannot be restored into other key groups."))
    moved = [k for k in STATE_LOCATION_KEYS if had_state and conf_before.get(k) != conf_after.get(k)]
    if moved:
        found.append(Hazard(STATE_DROPPED, f"{name}: {', '.join(moved)} change: the job no longer finds its "
                            "checkpoints, savepoints or HA metadata and restarts without them."))
    if job_after.get("savepointRedeployNonce") != job_before.get("savepointRedeployNonce") \
            and job_after.get("savepointRedeployNonce") is not None:
        found.append(Hazard(STATE_DROPPED, f"{name}: rewinds to {job_after.get('initialSavepointPath')}: state "
                            "and output since that savepoint are replaced, and the operator cannot roll back past it."))
    if job_after.get("allowNonRestoredState") and not job_before.get("allowNonRestoredState"):
        found.append(Hazard(STATE_DROPPED, f"{name}: allowNonRestoredState is turned on: state of operators missing "
                            "from the new job graph is silently dropped on restore."))
    if not found and (before.get("spec") or {}) != (after.get("spec") or {}):
        mode = job_after.get("upgradeMode", "stateless")
        found.append(Hazard(RESTART, f"{name}: the job restarts and restores per upgradeMode {mode}."))
    return found


def deletion_hazard(before: dict) -> Hazard:
    """Deleting (or replacing) a FlinkDeployment ends the job; only a final savepoint keeps its state."""
    name = (before.get("metadata") or {}).get("name", "?")
    conf = _conf(before)
    kept = conf.get("kubernetes.operator.job.savepoint-on-deletion") == "true"
    detail = (f"a final savepoint is written to {conf.get('state.savepoints.dir')}, restore it with restore.savepoint"
              if kept else "no savepoint is taken: its state is lost")
    return Hazard(STATE_DROPPED, f"{name}: the FlinkDeployment is deleted, with its status and checkpoint history; {detail}.")
