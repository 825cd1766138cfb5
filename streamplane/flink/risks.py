"""Flink jobs (FlinkDeployment custom resources of the Flink Kubernetes Operator).

The operator compares the old and new `spec` field by field (its @SpecDiff annotations, 1.15):
- ignored: job.upgradeMode, job.allowNonRestoredState, job.initialSavepointPath,
  job.initialStateReference, job.savepointTriggerNonce, job.checkpointTriggerNonce, and
  flinkConfiguration keys under job.autoscaler, parallelism.default, kubernetes.operator;
- scale (in place, no redeploy): job.parallelism and taskManager.replicas in standalone mode,
  pipeline.jobvertex-parallelism-overrides in native mode;
- savepoint redeploy: a new job.savepointRedeployNonce (redeploys from initialSavepointPath);
- upgrade: anything else in spec: the job is suspended and restarted, restoring per upgradeMode
  (stateless: no state; savepoint: a savepoint taken at suspend; last-state: the latest checkpoint).
Metadata-only changes (labels, annotations) do not reach the operator's diff at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..plan import paths as P
from ..plan.context import PlanContext, flatten_config
from ..plan.diff import changed_paths
from ..plan.model import Change, Risk
from ..platform.rules import types
from ..risks.catalogue import hazard
from ..risks.common import gone, held_state_in_baseline, who
from .configuration import SOURCE_MODE_KEY, SOURCE_UID_KEYS
from .facts import checkpoint_dir, job_is_stateful

FLINK_DEPLOYMENT = types.FLINK_DEPLOYMENT
IGNORE, SCALE, SAVEPOINT_REDEPLOY, UPGRADE = "ignored", "scale", "savepoint-redeploy", "upgrade"
IGNORED_JOB_FIELDS = ("upgradeMode", "allowNonRestoredState", "initialSavepointPath", "initialStateReference",
                      "savepointTriggerNonce", "checkpointTriggerNonce")
IGNORED_CONFIG_PREFIXES = ("job.autoscaler", "parallelism.default", "kubernetes.operator")
MAX_PARALLELISM = "pipeline.max-parallelism"
SAVEPOINT_ON_DELETION = "kubernetes.operator.job.savepoint-on-deletion"
DEFAULT_UPGRADE_MODE = "stateless"
# The operator's DiffType order: the largest diff decides, and a savepoint redeploy subsumes an upgrade
# (flink-kubernetes-operator-api/.../api/diff/DiffType.java, release-1.15.0).
RANK = {IGNORE: 0, SCALE: 1, UPGRADE: 2, SAVEPOINT_REDEPLOY: 3}
RESTORE = {
    "stateless": "starts without state (upgradeMode stateless)",
    "savepoint": "takes a savepoint at suspend and restores from it (upgradeMode savepoint)",
    "last-state": "restores from the latest checkpoint (upgradeMode last-state)",
}


def _config_kind(key: str, mode: str) -> str:
    if any(key == p or key.startswith(p + ".") for p in IGNORED_CONFIG_PREFIXES):
        return IGNORE
    if key == "pipeline.jobvertex-parallelism-overrides" and mode == "native":
        return SCALE
    return UPGRADE


def classify(before_spec: dict, after_spec: dict) -> tuple[str, list[str]]:
    """How the operator applies a spec change: (kind, the spec paths that decided it)."""
    mode = (after_spec.get("mode") or "native").lower()
    kinds: dict[str, list[str]] = {}
    config_before = flatten_config(before_spec.get("flinkConfiguration"))
    config_after = flatten_config(after_spec.get("flinkConfiguration"))
    for key in sorted(set(config_before) | set(config_after)):
        if config_before.get(key) != config_after.get(key):
            kinds.setdefault(_config_kind(key, mode), []).append(f'flinkConfiguration["{key}"]')
    rest_before = {k: v for k, v in before_spec.items() if k != "flinkConfiguration"}
    rest_after = {k: v for k, v in after_spec.items() if k != "flinkConfiguration"}
    for path in changed_paths(rest_before, rest_after):
        if any(P.within(path, f"job.{f}") for f in IGNORED_JOB_FIELDS):
            kind = IGNORE
        elif P.within(path, "job.parallelism") or P.within(path, "taskManager.replicas"):
            kind = SCALE if mode == "standalone" else UPGRADE
        elif P.within(path, "job.savepointRedeployNonce"):
            kind = SAVEPOINT_REDEPLOY if P.get(after_spec, "job.savepointRedeployNonce", None) is not None else IGNORE
        else:
            kind = UPGRADE
        kinds.setdefault(kind, []).append(path)
    if not kinds:
        return IGNORE, []
    top = max(kinds, key=RANK.__getitem__)
    return top, kinds[top]


def _spec(change: Change, side: str) -> dict:
    return change.inputs(side).get("spec") or {}


def _upgrade_mode(spec: dict) -> str:
    return str((spec.get("job") or {}).get("upgradeMode") or DEFAULT_UPGRADE_MODE)


def _verdict(change: Change, ctx: PlanContext) -> tuple[str, list[str]]:
    """The operator's classification of an update, computed once per change and plan."""
    return ctx.once(("flink-verdict", change.urn), lambda: classify(_spec(change, "before"), _spec(change, "after")))


def classify_change(change: Change, ctx: PlanContext) -> str | None:
    """Annotate a FlinkDeployment update with the operator's verdict (a note); return the kind."""
    if change.type != FLINK_DEPLOYMENT or change.action != "update":
        return None
    kind, decided_by = _verdict(change, ctx)
    mode = _upgrade_mode(_spec(change, "after"))
    note = {
        IGNORE: "Flink operator: ignored (no redeploy)",
        SCALE: f"Flink operator: scale in place ({', '.join(decided_by)})",
        SAVEPOINT_REDEPLOY: "Flink operator: savepoint redeploy from initialSavepointPath",
        UPGRADE: f"Flink operator: upgrade: the job restarts and {RESTORE.get(mode, f'restores per upgradeMode {mode}')} ({', '.join(decided_by)})",
    }[kind]
    if note not in change.notes:
        change.notes.append(note)
    return kind


def _stateful_words(stateful: bool | None) -> str:
    return "stateful job" if stateful else "job (statefulness unknown: no FlinkJob spec)"


def _savepoint(spec: dict) -> str | None:
    path = (spec.get("job") or {}).get("initialSavepointPath")
    return str(path) if path else None


def _name(change: Change, side: str) -> str:
    return str((change.inputs(side).get("metadata") or {}).get("name") or "")


def _created_deployments(ctx: PlanContext) -> list[dict]:
    """FlinkDeployments in the head graph that the baseline does not have (new jobs, renamed jobs)."""
    return ctx.once("flink-created", lambda: [
        r for urn, r in ctx.head_resources.items()
        if r.get("type") == FLINK_DEPLOYMENT and urn not in ctx.base_resources])


def stateful_replacement(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """A stateful job re-created (replace) or renamed (deleted while another FlinkDeployment is created)
    starts empty unless the new one names a savepoint of the old one: block unless migrateFrom declares it.

    The operator restores initialSavepointPath only on a deployment it has never run (AbstractJobReconciler,
    release-1.15.0: the first deploy reads spec.job.initialSavepointPath); a re-created deployment is such a
    first deploy, so a restore left in the spec would rewind the new job to that old savepoint again.
    """
    if change.type != FLINK_DEPLOYMENT or job_is_stateful(ctx, change) is not True:
        return
    before = _spec(change, "before")
    old_name = _name(change, "before")
    prefix = f"/jobs/{old_name}/"
    if change.action == "replace":
        start = _savepoint(_spec(change, "after"))
        if start is None:
            yield hazard("flink.state-replaced").risk(
                f"{who(change, 'Flink job')}: the stateful FlinkDeployment is replaced "
                f"({', '.join(change.replace_paths) or 'recreated'}) and the new one starts empty. Declare "
                f"spec.migrateFrom.savepoint (a savepoint under s3://<bucket>{prefix}) or keep metadata.name/namespace.")
        elif start == _savepoint(before):
            yield hazard("flink.state-replaced").risk(
                f"{who(change, 'Flink job')}: the FlinkDeployment is re-created with the restore it already applied "
                f"({start}): the new job would rewind to that old savepoint. Remove spec.restore and declare "
                "spec.migrateFrom.savepoint with the job's latest savepoint.")
        elif not change.delete_first:
            yield hazard("flink.state-replaced").risk(
                f"{who(change, 'Flink job')}: the replacement starts from {start} but is created before the old "
                "deployment is deleted: the old job keeps running and writing state. Declare it as spec.migrateFrom "
                "(replaced delete-first).")
        else:
            note = (f"Flink operator: declared migration: the old deployment is deleted first (savepoint-on-deletion), "
                    f"then the new one starts from {start}")
            if note not in change.notes:
                change.notes.append(note)
        return
    if change.action != "delete":
        return
    created = _created_deployments(ctx)
    if not created:
        return  # a removal, not a replacement: state-dropped reports it
    takers = [r for r in created if prefix in (_savepoint(((r.get("inputs") or {}).get("spec")) or {}) or "")]
    if not takers:
        names = sorted(str(((r.get("inputs") or {}).get("metadata") or {}).get("name")) for r in created)
        yield hazard("flink.state-replaced").risk(
            f"{who(change, 'Flink job')}: the stateful FlinkDeployment is deleted while {', '.join(names)} "
            f"is created; if this is a rename, the new job starts empty. Declare spec.migrateFrom.savepoint "
            f"(a savepoint under s3://<bucket>{prefix}) on the new job, or keep the name.")


def _job(change: Change, side: str) -> dict:
    return _spec(change, side).get("job") or {}


def rewind_saved_first(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """A rewind (new savepointRedeployNonce) cancels the running job without a savepoint and throws its
    HA metadata away (AbstractJobReconciler.redeployWithSavepoint calls cancelJob with SuspendMode
    STATELESS, operator release-1.15.0): what the job built since the savepoint it rewinds to is kept only
    if an earlier deploy saved it. The platform's two steps: restore.phase save-current (the operator's
    savepointTriggerNonce = nonce, a manual savepoint of the running job), then phase rewind with the same
    nonce. Both in one deploy do not work: the redeploy runs first and the savepoint would be of the new job.
    """
    if change.type != FLINK_DEPLOYMENT or change.action != "update" or job_is_stateful(ctx, change) is False:
        return
    if _verdict(change, ctx)[0] != SAVEPOINT_REDEPLOY:
        return
    nonce = _job(change, "after").get("savepointRedeployNonce")
    saved = _job(change, "before").get("savepointTriggerNonce")
    path = _savepoint(_spec(change, "after")) or "initialSavepointPath"
    if saved is not None and saved == nonce:
        note = (f"Flink operator: rewind to {path}; the state it discards was saved first by the manual savepoint "
                f"of savepointTriggerNonce {saved} (its path: the job's FlinkStateSnapshot or "
                "status.jobStatus.savepointInfo)")
        if note not in change.notes:
            change.notes.append(note)
        return
    yield hazard("flink.rewind-unsaved").risk(
        f"{who(change, 'Flink job')}: rewinds to {path} (savepointRedeployNonce {nonce}) without a savepoint of its "
        "current state: the operator cancels the job without one and the state built since that savepoint is lost. "
        f"Apply spec.restore with phase: save-current and nonce {nonce} first, then phase: rewind.")


def stale_restore(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """A restore the baseline already applied (same savepointRedeployNonce) still in the spec: the operator
    ignores it on this deployment, but any re-creation (rename, owner change, a new cluster) is a first
    deploy and would start from that old savepoint again; its allowNonRestoredState applies to every
    later deploy (FlinkConfigBuilder sets it on each one)."""
    if change.type != FLINK_DEPLOYMENT or change.action != "update":
        return
    before, after = _job(change, "before"), _job(change, "after")
    nonce = after.get("savepointRedeployNonce")
    if nonce is None or before.get("savepointRedeployNonce") != nonce or not after.get("initialSavepointPath"):
        return
    yield hazard("flink.restore-stale").risk(
        f"{who(change, 'Flink job')}: spec.restore (nonce {nonce}, {after['initialSavepointPath']}) was applied by an "
        "earlier deploy: a later re-creation would restore that old savepoint again. Remove spec.restore.")
    if after.get("allowNonRestoredState") and before.get("allowNonRestoredState") and \
            job_is_stateful(ctx, change) is not False and _verdict(change, ctx)[0] == UPGRADE:
        yield hazard("flink.state-dropped").risk(
            f"{who(change, 'Flink job')}: allowNonRestoredState, asked for by the rewind with nonce {nonce}, applies to "
            "this upgrade too: the restarted job silently drops the state of every operator missing from its graph. "
            "Remove spec.restore (or its allowNonRestoredState) in this change.")


def _source_uid(config: dict) -> tuple[str, str | None]:
    mode = str(config.get(SOURCE_MODE_KEY) or "live")
    uid = config.get(SOURCE_UID_KEYS.get(mode, ""))
    return mode, str(uid) if uid else None


def backfill_switch(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """A switch between the live and the backfill source (streamplane.source.mode). Sources with the same
    operator uid carry their state over; with different uids the restored snapshot holds state of an
    operator the new graph lacks, which Flink refuses unless allowNonRestoredState is set for that restore.
    A last-state upgrade restores the latest checkpoint from the HA store, and that path passes
    allowNonRestoredState false whatever the job says (apache/flink flink-runtime/src/main/java/org/apache/
    flink/runtime/checkpoint/CheckpointCoordinator.java, restoreInitialCheckpointIfPresent).
    The platform's way: a savepoint redeploy (spec.restore with allowNonRestoredState) in the same change,
    so the flag applies to that one deploy."""
    if change.type != FLINK_DEPLOYMENT or change.action != "update":
        return
    before = flatten_config(_spec(change, "before").get("flinkConfiguration"))
    after = flatten_config(_spec(change, "after").get("flinkConfiguration"))
    if SOURCE_MODE_KEY not in before or SOURCE_MODE_KEY not in after or before[SOURCE_MODE_KEY] == after[SOURCE_MODE_KEY]:
        return
    (old_mode, old_uid), (new_mode, new_uid) = _source_uid(before), _source_uid(after)
    switch = f"backfill switch {old_mode} -> {new_mode}"
    note = None
    if old_uid is not None and old_uid == new_uid:
        note = f"Flink job: {switch}: both sources have operator uid {new_uid}, so the source's state carries over"
    elif _upgrade_mode(_spec(change, "after")) == "stateless" and _verdict(change, ctx)[0] == UPGRADE:
        note = f"Flink job: {switch}: the job restarts without state (upgradeMode stateless); nothing is restored"
    elif _verdict(change, ctx)[0] == SAVEPOINT_REDEPLOY and _job(change, "after").get("allowNonRestoredState"):
        note = (f"Flink job: {switch}: savepoint redeploy from {_savepoint(_spec(change, 'after'))}; the state of source "
                f"uid {old_uid} is dropped (allowNonRestoredState, this deploy only), every other operator's state "
                "carries over")
    if note is not None:
        if note not in change.notes:
            change.notes.append(note)
        return
    uids = f"operator uid {old_uid} -> {new_uid}" if old_uid and new_uid else "source operator uids not declared"
    yield hazard("flink.backfill-switch").risk(
        f"{who(change, 'Flink job')}: {switch} ({uids}) as an ordinary upgrade (upgradeMode "
        f"{_upgrade_mode(_spec(change, 'after'))}): the restore finds state of a source the new job graph lacks and "
        "fails, and allowNonRestoredState does not reach the last-state restore. Switch with a savepoint redeploy in "
        "the same change: spec.restore with the job's latest savepoint, a new nonce and allowNonRestoredState: true.")


def state_dropped(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != FLINK_DEPLOYMENT:
        return
    stateful = job_is_stateful(ctx, change)
    if stateful is False and change.action in ("delete", "replace") and change.subject and \
            change.subject.kind != "Route" and held_state_in_baseline(change):
        stateful = True  # relabelled stateless (this PR or an earlier one): judged by what it held
    if stateful is False:
        return
    if change.action in ("delete", "replace"):
        start = _savepoint(_spec(change, "after"))
        if change.action == "replace" and change.delete_first and start and start != _savepoint(_spec(change, "before")):
            return  # a declared migration: stateful_replacement describes it
        config = flatten_config(_spec(change, "before").get("flinkConfiguration"))
        saved = str(config.get(SAVEPOINT_ON_DELETION, "")).lower() == "true"
        tail = (" A savepoint is taken on deletion (savepoint-on-deletion), but the new deployment starts "
                "from it only if initialSavepointPath names it." if saved else
                " Its checkpoints and the operator's record of the last savepoint go with it.")
        if stateful or saved or change.action == "replace":
            yield hazard("flink.state-dropped").risk(
                f"{who(change, 'Flink job')}: the FlinkDeployment would be {gone(change)}; the {_stateful_words(stateful)} "
                f"starts without its state.{tail} Keep metadata.name/namespace, or set initialSavepointPath.")
        return
    if change.action != "update" or not stateful:
        return
    job_before, job_after = _spec(change, "before").get("job") or {}, _spec(change, "after").get("job") or {}
    if job_after.get("allowNonRestoredState") and not job_before.get("allowNonRestoredState"):
        # The operator does not restart for this field alone, but every restore from now on drops
        # the state of operators missing from the job graph, without a word.
        yield hazard("flink.state-dropped").risk(
            f"{who(change, 'Flink job')}: allowNonRestoredState is turned on: on its next restore the job silently "
            "drops the state of every operator missing from the new job graph. Turn it on only for the one "
            "redeploy that removes an operator, then off again.")
    kind, _ = _verdict(change, ctx)
    if kind != UPGRADE:
        return
    before_config = flatten_config(_spec(change, "before").get("flinkConfiguration"))
    after_config = flatten_config(_spec(change, "after").get("flinkConfiguration"))
    reasons, fixes = [], []
    if _upgrade_mode(_spec(change, "after")) == "stateless":
        reasons.append("upgradeMode is stateless, so the restarted job starts empty")
        fixes.append("use upgradeMode savepoint or last-state")
    # Either spelling of the key names the directory: a rename of the key alone moves nothing.
    before_dir, after_dir = checkpoint_dir(before_config), checkpoint_dir(after_config)
    if before_dir and before_dir != after_dir:
        reasons.append(f"the checkpoint directory moves from {before_dir} to {after_dir}: the new job finds no checkpoint")
        fixes.append("keep the checkpoint directory")
    if before_config.get(MAX_PARALLELISM) != after_config.get(MAX_PARALLELISM) and before_config.get(MAX_PARALLELISM) is not None:
        reasons.append(f"{MAX_PARALLELISM} {before_config.get(MAX_PARALLELISM)} -> {after_config.get(MAX_PARALLELISM)}: "
                       "keyed state cannot be restored into other key groups")
        fixes.append(f"keep maxParallelism {before_config.get(MAX_PARALLELISM)}")
    if reasons:
        yield hazard("flink.state-dropped").risk(
            f"{who(change, 'Flink job')}: the stateful job restarts without its state: {'; '.join(reasons)}. "
            f"{'; '.join(fixes).capitalize()}, or accept starting from empty state deliberately.")


def restart(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.type != FLINK_DEPLOYMENT or change.action != "update":
        return
    kind = classify_change(change, ctx)
    if kind == UPGRADE:
        mode = _upgrade_mode(_spec(change, "after"))
        _, decided_by = _verdict(change, ctx)
        yield hazard("flink.restart").risk(
            f"{who(change, 'Flink job')}: the running job restarts ({', '.join(decided_by)} changed) and "
            f"{RESTORE.get(mode, f'restores per upgradeMode {mode}')}; expect a pause and catch-up lag.")
    elif kind == SAVEPOINT_REDEPLOY:
        path = P.get(_spec(change, "after"), "job.initialSavepointPath", None) or "initialSavepointPath"
        yield hazard("flink.restart").risk(
            f"{who(change, 'Flink job')}: savepoint redeploy: the job is cancelled without a savepoint and redeployed "
            f"from {path}; the operator cannot roll back past it.")


RULES = (stateful_replacement, rewind_saved_first, stale_restore, backfill_switch, state_dropped, restart)
