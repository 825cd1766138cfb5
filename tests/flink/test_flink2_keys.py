"""Flink 2 configuration hygiene: non-deprecated state dir keys per flinkVersion, the operator's
overlapping-key-prefix rule reported at the user's key, and no managed memory for hashmap jobs."""

from __future__ import annotations

import pytest

from components.flink.deployment import flink_deployment
from streamplane.checks import check_platform, load_layers
from streamplane.flink.configuration import overlapping_keys, state_dir_keys
from streamplane.settings import StackSettings
from tests.crd import crd_errors

from .conftest import FLINK_CONFIG, STATEFUL_JOB, STORE, write_specs
from .test_deployment import BUCKET, declared


def check_messages(tmp_path, job_yaml: str) -> list[str]:
    folder = write_specs(tmp_path / "base", {"stores.yaml": STORE, "jobs.yaml": job_yaml})
    problems = check_platform(load_layers([folder], "dev").spec, StackSettings.from_config_map(FLINK_CONFIG, "dev"))
    return [str(p).split("base/")[-1] for p in problems]


def test_state_dir_keys_switch_at_1_20():
    assert state_dir_keys("v1_19") == ("state.checkpoints.dir", "state.savepoints.dir")
    assert state_dir_keys("v1_20") == ("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir")
    assert state_dir_keys("v2_2") == ("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir")


def test_overlapping_keys_are_dotted_prefixes_only():
    # As the operator's own test: k and kv do not overlap, k and k.v do.
    assert overlapping_keys(["k", "kv"]) == []
    assert overlapping_keys(["kv", "k.v", "k"]) == [("k", "k.v")]


def test_user_key_overlapping_a_platform_key_fails_at_the_user_key(tmp_path):
    job = STATEFUL_JOB + "  configuration:\n    taskmanager.memory.network.fraction: 0.2\n    kubernetes.jobmanager.cpu: 2\n"
    assert check_messages(tmp_path, job) == [
        'jobs.yaml:13:5: /spec/configuration/kubernetes.jobmanager.cpu: "kubernetes.jobmanager.cpu" overlaps '
        '"kubernetes.jobmanager.cpu.limit-factor", which the platform sets: from flinkVersion v2_0 the operator '
        'rejects a configuration where one key is a prefix of another ("Overlapping key prefixes detected") and the '
        'job never deploys. Remove "kubernetes.jobmanager.cpu" and set jobManager.cpu in the spec instead.']


def test_two_overlapping_user_keys_fail_at_the_shorter_one(tmp_path):
    job = STATEFUL_JOB + "  configuration:\n    metrics.reporter.prom: x\n    metrics.reporter.prom.port: 9249\n"
    assert check_messages(tmp_path, job) == [
        'jobs.yaml:12:5: /spec/configuration/metrics.reporter.prom: "metrics.reporter.prom" overlaps '
        '"metrics.reporter.prom.port", which you also set: from flinkVersion v2_0 the operator rejects a '
        'configuration where one key is a prefix of another ("Overlapping key prefixes detected") and the job '
        'never deploys. Remove "metrics.reporter.prom" and use its non-deprecated Flink 2 key.']


def test_overlap_is_allowed_before_flink_2(tmp_path):
    job = STATEFUL_JOB.replace("flinkVersion: v2_2", "flinkVersion: v1_20") + \
        "  configuration:\n    kubernetes.jobmanager.cpu: 2\n"
    assert check_messages(tmp_path, job) == []


@pytest.mark.parametrize("version", ["v1_19", "v1_20", "v2_0", "v2_2"])
@pytest.mark.parametrize("backend", [None, "hashmap"])
def test_bodies_of_every_version_validate_against_the_crd(flink_crd, version, backend):
    job = declared(flinkVersion=version, stateBackend=backend)
    body = flink_deployment(job, namespace="playback", service_account="sessions", bucket=BUCKET, environment="dev")
    assert crd_errors(body) == []
    conf = body["spec"]["flinkConfiguration"]
    assert overlapping_keys(list(conf)) == []
    assert ("taskmanager.memory.managed.fraction" in conf) == (backend == "hashmap")
