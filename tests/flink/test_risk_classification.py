"""FlinkDeployment changes classified as the operator does (ignored, scale, savepoint redeploy, upgrade)."""

from __future__ import annotations

import pytest

from streamplane.flink.risks import classify

BASE = {"image": "acme/job:1", "flinkConfiguration": {"state.checkpoints.dir": "s3://b/c", "taskmanager.numberOfTaskSlots": "2"},
        "taskManager": {"replicas": 2, "resource": {"cpu": 1}},
        "job": {"jarURI": "local:///job.jar", "parallelism": 4, "upgradeMode": "savepoint", "state": "running"}}


def changed(**edits) -> dict:
    import copy

    spec = copy.deepcopy(BASE)
    for path, value in edits.items():
        target = spec
        keys = path.split("__")
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value
    return spec


@pytest.mark.parametrize("after, kind", [
    (changed(job__upgradeMode="last-state"), "ignored"),
    (changed(job__savepointTriggerNonce=7), "ignored"),
    (changed(job__initialSavepointPath="s3://b/sp-1"), "ignored"),
    (changed(job__allowNonRestoredState=True), "ignored"),
    (changed(flinkConfiguration={**BASE["flinkConfiguration"], "kubernetes.operator.savepoint.history.max.count": "5"}), "ignored"),
    (changed(flinkConfiguration={**BASE["flinkConfiguration"], "job.autoscaler.enabled": "true"}), "ignored"),
    (changed(job__parallelism=8), "upgrade"),
    (changed(job__parallelism=8, mode="standalone"), "scale"),
    (changed(taskManager__replicas=4, mode="standalone"), "scale"),
    (changed(flinkConfiguration={**BASE["flinkConfiguration"], "pipeline.jobvertex-parallelism-overrides": "a:2"}), "scale"),
    (changed(job__savepointRedeployNonce=1, job__initialSavepointPath="s3://b/sp-1"), "savepoint-redeploy"),
    (changed(image="acme/job:2"), "upgrade"),
    (changed(flinkConfiguration={**BASE["flinkConfiguration"], "taskmanager.numberOfTaskSlots": "4"}), "upgrade"),
    (changed(job__state="suspended"), "upgrade"),
    (BASE, "ignored"),
])
def test_operator_diff_type(after, kind):
    base = changed(mode=after["mode"]) if "mode" in after else BASE
    assert classify(base, after)[0] == kind


def test_nested_and_dotted_flink_configuration_compare_equal():
    nested = changed(flinkConfiguration={"state": {"checkpoints.dir": "s3://b/c"}, "taskmanager.numberOfTaskSlots": "2"})
    assert classify(BASE, nested) == ("ignored", [])


def test_upgrade_wins_over_scale_when_both_change():
    both = changed(image="acme/job:2", job__parallelism=8, mode="standalone")
    assert classify(changed(mode="standalone"), both) == ("upgrade", ["image"])
