"""Hazards judged by what the deployed state held (`plan --state EXPORT.json`), not the head's labels:
a key by the buckets that used it, a job by the state its deployment carried."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from streamplane.checks import load_stack
from streamplane.cli import main
from streamplane.synth import synth_spec

COMPUTED = re.compile(r"<computed:(urn:[^#>]+)#(\w+)>")
PROVIDER_ID = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def _resolved(value):
    """A deployed state records real values where the synth has `<computed:URN#output>` markers."""
    if isinstance(value, dict):
        return {k: _resolved(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolved(v) for v in value]
    if isinstance(value, str):
        return COMPUTED.sub(lambda m: f"arn:aws:deployed:{m.group(1).rsplit('::', 1)[-1]}:{m.group(2)}", value)
    return value


def export_of(graph: dict) -> dict:
    """The synth graph as `pulumi stack export` would record it after an apply (deployment v3)."""
    entries = []
    for r in graph["resources"]:
        entry = {"urn": r["urn"], "type": r["type"], "custom": r["custom"], "inputs": _resolved(r["inputs"]),
                 "dependencies": r["dependencies"], "protect": r["protect"]}
        if r.get("parent"):
            entry["parent"] = r["parent"]
        if r.get("provider"):
            entry["provider"] = f"{r['provider']}::{PROVIDER_ID}"
        entries.append(entry)
    return {"version": 3, "deployment": {"manifest": {}, "resources": entries}}


def deployed(project: Path, env: str) -> Path:
    stacks = project / "stacks"
    path = project / f"{env}-export.json"
    path.write_text(json.dumps(export_of(synth_spec(load_stack(stacks, env).spec, env, stacks))), encoding="utf-8")
    return path


def plan_against(state: Path, env: str, capsys) -> tuple[int, dict]:
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", "--stack", env, "--state", str(state), "--format", "json", "--detailed-exitcode"])
    return exit_info.value.code or 0, json.loads(capsys.readouterr().out)


def risks(plan: dict, code: str) -> list[tuple[str, str, str]]:
    return [(r["level"], c["type"], r["message"]) for c in plan["changes"] for r in c["risks"] if r["code"] == code]


def test_a_state_export_finds_the_buckets_a_deleted_key_encrypted(project, capsys):
    state = deployed(project, "dev")
    stores = project / "stacks" / "base" / "stores.yaml"
    stores.write_text(stores.read_text(encoding="utf-8").replace(
        "spec:\n  noncurrentVersionExpirationDays: 14\n",
        "spec:\n  noncurrentVersionExpirationDays: 14\n  kmsKeyArn: arn:aws:kms:us-east-1:123456789012:key/other\n"),
        encoding="utf-8")
    code, plan = plan_against(state, "dev", capsys)
    assert code == 3
    [(level, type_, message)] = risks(plan, "kms.key-delete")
    assert (level, type_) == ("block", "aws:kms/key:Key")
    assert 'while Bucket "acme-streamplane-dev-flink-state" still hold data it encrypted' in message


@pytest.mark.parametrize("env, level", [("dev", "danger"), ("prod", "block")])
def test_a_job_relabelled_stateless_in_an_earlier_apply_keeps_its_state_hazard_when_deleted(project, capsys, env, level):
    """The two-PR sneak against the deployed state: PR 1 (applied) called the sessionizer stateless;
    its FlinkDeployment still checkpointed to the store, so deleting it in PR 2 drops that state."""
    jobs = project / "stacks" / "base" / "flink-jobs.yaml"
    text = jobs.read_text(encoding="utf-8")
    pr1 = text.replace("  state: stateful\n", "  state: stateless\n  redeploy: no-duplicates\n", 1)
    for line in ("  maxParallelism: 720\n", "  upgradeMode: savepoint\n", "  stateBackend: rocksdb\n",
                 "  savepoints: {interval: 6h, maxAge: 3d, maxCount: 12}\n",
                 "  configuration:\n    state.backend.rocksdb.memory.managed: true\n"):
        pr1 = pr1.replace(line, "", 1)
    jobs.write_text(pr1, encoding="utf-8")
    overlay = project / "stacks" / env / "flink-jobs.yaml"
    overlay.write_text(re.sub(r"  restore:\n(    .*\n)+|  savepoints: .*\n", "", overlay.read_text(encoding="utf-8")),
                       encoding="utf-8")
    state = deployed(project, env)
    jobs.write_text(pr1.split("\n---\n", 1)[1], encoding="utf-8")  # PR 2: the sessionizer is deleted
    overlay.write_text("\n---\n".join(d for d in overlay.read_text(encoding="utf-8").split("\n---\n")
                                      if "name: playback-sessions," not in d), encoding="utf-8")
    code, plan = plan_against(state, env, capsys)
    found = risks(plan, "flink.state-dropped")
    assert [(lvl, t) for lvl, t, _ in found] == [(level, "kubernetes:flink.apache.org/v1beta1:FlinkDeployment")]
    assert "the FlinkDeployment would be deleted" in found[0][2]
    assert code == (3 if level == "block" else 2)
