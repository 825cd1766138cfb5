"""Flink rules on FlinkDeployment inputs (apiVersion/kind/metadata/spec of the 1.15 CRD), beside a real store."""

import copy

import pytest
from policy_harness import messages, resource

from policies.rules import (
    flink_deployment_deny_root as deny_root,
)
from policies.rules import (
    flink_deployment_deny_stateless_upgrade as stateless_upgrade,
)
from policies.rules import (
    flink_deployment_require_high_availability as high_availability,
)
from policies.rules import (
    flink_deployment_require_resource_limits as resource_limits,
)
from policies.rules import (
    flink_deployment_require_savepoint_on_deletion as savepoint_on_deletion,
)
from policies.rules import (
    flink_deployment_require_state_dirs_on_store as dirs_on_store,
)

FLINK = "kubernetes:flink.apache.org/v1beta1:FlinkDeployment"
STORE = "s3://acme-dev-flink-state/jobs/sessionizer"
BASELINE = {
    "apiVersion": "flink.apache.org/v1beta1", "kind": "FlinkDeployment",
    "metadata": {"name": "sessionizer", "namespace": "playback",
                 "labels": {"streamplane.io/state": "stateful"}},
    "spec": {
        "image": "flink:2.2", "flinkVersion": "v2_2", "serviceAccount": "flink",
        "flinkConfiguration": {
            "execution.checkpointing.dir": f"{STORE}/checkpoints",
            "execution.checkpointing.savepoint-dir": f"{STORE}/savepoints",
            "high-availability.type": "kubernetes",
            "high-availability.storageDir": f"{STORE}/ha",
            "kubernetes.operator.job.savepoint-on-deletion": "true",
        },
        "jobManager": {"resource": {"cpu": 1, "memory": "2048m"}},
        "taskManager": {"resource": {"cpu": 2, "memory": "4096m"}},
        "podTemplate": {"spec": {"securityContext": {"runAsNonRoot": True, "runAsUser": 9999}}},
        "job": {"jarURI": "local:///opt/flink/usrlib/sessionizer.jar", "parallelism": 4,
                "upgradeMode": "savepoint", "state": "running"},
    },
}
RULES = [stateless_upgrade, high_availability, dirs_on_store, savepoint_on_deletion, resource_limits, deny_root]


@pytest.fixture
def job_graph(store_graph):
    """The store's graph plus one stateful job whose state dirs are on it."""
    def make(mutate=lambda spec: None):
        inputs = copy.deepcopy(BASELINE)
        mutate(inputs)
        store_graph["resources"].append(resource(FLINK, "sessionizer", inputs))
        return store_graph
    return make


def conf(inputs):
    return inputs["spec"]["flinkConfiguration"]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.POLICY.name)
def test_flink_rule_passes_baseline(rule, job_graph):
    assert messages(rule, job_graph()) == []


def test_baseline_validates_against_the_operator_crd():
    from tests.crd import crd_errors
    assert crd_errors(BASELINE) == []


@pytest.mark.parametrize("rule, mutate, expected", [
    (stateless_upgrade, lambda i: i["spec"]["job"].pop("upgradeMode"),
     'Flink job "sessionizer" is labelled streamplane.io/state=stateful but upgrades with upgradeMode stateless, '
     "which restarts it without its state: set spec.job.upgradeMode to savepoint or last-state "
     "(a deliberate fresh start: acknowledge flink.state-dropped in the FlinkJob's spec.acknowledge)."),
    (high_availability, lambda i: conf(i).pop("high-availability.type"),
     'Flink job "sessionizer" runs without job manager high availability: set flinkConfiguration '
     '"high-availability.type" to kubernetes and "high-availability.storageDir" to its checkpoint store.'),
    (high_availability, lambda i: conf(i).pop("high-availability.storageDir"),
     'Flink job "sessionizer" enables high availability without a storage dir: set flinkConfiguration '
     '"high-availability.storageDir" to s3://<checkpoint store>/jobs/<job>/ha.'),
    (dirs_on_store, lambda i: conf(i).update({"execution.checkpointing.dir": "s3://someone-elses-bucket/cp"}),
     'Flink job "sessionizer" keeps its checkpoint dir at s3://someone-elses-bucket/cp, not on a platform '
     "checkpoint store: use s3://<store bucket>/jobs/sessionizer/ (stores: acme-dev-flink-state)."),
    (dirs_on_store, lambda i: conf(i).pop("execution.checkpointing.savepoint-dir"),
     'Flink job "sessionizer" is stateful but sets no savepoint dir: set it to s3://<checkpoint store>/jobs/'
     "sessionizer/ (stores: acme-dev-flink-state)."),
    (savepoint_on_deletion, lambda i: conf(i).pop("kubernetes.operator.job.savepoint-on-deletion"),
     'Flink job "sessionizer" is stateful but deleting it drops its state: set flinkConfiguration '
     '"kubernetes.operator.job.savepoint-on-deletion" to "true".'),
    (resource_limits, lambda i: i["spec"]["taskManager"]["resource"].pop("memory"),
     'Flink job "sessionizer" has no resource limits for spec.taskManager.resource.memory: set them so one job '
     "cannot starve its neighbours."),
    (deny_root, lambda i: i["spec"]["podTemplate"]["spec"]["securityContext"].pop("runAsNonRoot"),
     'Flink job "sessionizer" does not require a non-root user: set spec.podTemplate.spec.securityContext.'
     "runAsNonRoot to true (the Flink image runs as uid 9999)."),
    (deny_root, lambda i: i["spec"]["podTemplate"]["spec"].update(
        {"containers": [{"name": "flink-main-container", "securityContext": {"runAsUser": 0}}]}),
     'Flink job "sessionizer" runs a container as root or privileged (spec.podTemplate.spec): remove runAsUser 0 '
     "/ privileged true."),
], ids=lambda v: v.POLICY.name if hasattr(v, "POLICY") else None)
def test_flink_rule_rejects_one_change(rule, mutate, expected, job_graph):
    assert messages(rule, job_graph(mutate)) == [expected]


def test_stateless_job_may_upgrade_stateless_and_skip_state_dirs(job_graph):
    def stateless(inputs):
        inputs["metadata"]["labels"]["streamplane.io/state"] = "stateless"
        inputs["spec"]["job"]["upgradeMode"] = "stateless"
        for key in ("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir",
                    "kubernetes.operator.job.savepoint-on-deletion"):
            conf(inputs).pop(key)
    g = job_graph(stateless)
    assert [messages(r, g) for r in (stateless_upgrade, dirs_on_store, savepoint_on_deletion)] == [[], [], []]


def test_nested_flink_configuration_is_read_like_flat_keys(job_graph):
    def nest(inputs):
        c = conf(inputs)
        c["high-availability"] = {"type": c.pop("high-availability.type"),
                                  "storageDir": c.pop("high-availability.storageDir")}
    assert messages(high_availability, job_graph(nest)) == []


def test_unknown_state_dir_is_not_judged(job_graph):
    g = job_graph(lambda i: conf(i).update({"execution.checkpointing.dir": "<computed>"}))
    assert messages(dirs_on_store, g) == []
